/*
** label.c: the words on the picture. What a state's box says under its name (the Lambda
** function a task invokes, the service action, a Wait's time, a Fail's error), the retry
** notes, the error names on Catch edges and a short rendering of each Choice rule
** (`$.x == "hello"`, `And(...)`), all from the ASL alone; plus the line wrapping and the
** UTF-8-aware escaping loop that every writer shares. Strings live in the model's arena.
*/
#include "graph/model.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

#define RULE_DEPTH 32          /* deeper And/Or/Not nesting is drawn as "…" */
#define DEFAULT_ATTEMPTS 3     /* ASL's MaxAttempts when a retrier leaves it out */

static const char *str(const cJSON *obj, const char *key)
{
  const cJSON *j = json_get(obj, key);
  return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* The buffer's text moved into the arena (NULL when out of memory). */
static const char *keep(struct arena *a, struct strbuf *b)
{
  const char *s = b->failed ? NULL : arena_strndup(a, b->buf ? b->buf : "", b->len);
  strbuf_free(b);
  return s;
}

static int starts(const char *s, const char *prefix)
{
  return !strncmp(s, prefix, strlen(prefix));
}

/* {====== what a box says */

/*
** The resource a CloudFormation placeholder stands for: "${Fn::GetAtt:HelloFn.Arn}" and
** "${Ref:HelloFn}" are HelloFn; a Lambda function ARN is the part after ":function:".
*/
static const char *short_ref(struct arena *a, const char *s)
{
  size_t n = strlen(s);
  const char *p = strstr(s, ":function:");
  if(n && s[n - 1] == '}' && starts(s, "${Fn::GetAtt:")) {
    s += strlen("${Fn::GetAtt:");
    return arena_strndup(a, s, strcspn(s, ".}"));
  }
  if(n && s[n - 1] == '}' && starts(s, "${Ref:"))
    return arena_strndup(a, s + strlen("${Ref:"), n - strlen("${Ref:") - 1);
  if(p)
    return p + strlen(":function:");
  return s;
}

static const char *lambda_function(struct arena *a, const cJSON *state)
{
  const cJSON *args = json_get(state, "Parameters");
  if(!args)
    args = json_get(state, "Arguments");
  const char *fn = str(args, "FunctionName");
  if(fn)
    return short_ref(a, fn);
  return str(args, "FunctionName.$");
}

const char *graph_task_detail(struct arena *a, const cJSON *state)
{
  const char *res = str(state, "Resource");
  if(!res)
    return NULL;
  const char *service = strstr(res, ":states:::"), *activity = strstr(res, ":activity:");
  if(strstr(res, ":states:::lambda:invoke")) {
    const char *fn = lambda_function(a, state);
    return fn ? arena_printf(a, "Lambda: %s", fn) : "Lambda";
  }
  if(service)
    return service + strlen(":states:::");
  if(strstr(res, ":lambda:") && strstr(res, ":function:"))
    return arena_printf(a, "Lambda: %s", short_ref(a, res));
  if(activity)
    return arena_printf(a, "Activity: %s", activity + strlen(":activity:"));
  return short_ref(a, res);
}

const char *graph_wait_detail(struct arena *a, const cJSON *state)
{
  const cJSON *secs = json_get(state, "Seconds");
  const char *path = str(state, "SecondsPath");
  const char *when = str(state, "Timestamp");
  if(!when)
    when = str(state, "TimestampPath");
  if(cJSON_IsNumber(secs)) {
    struct strbuf b = {0};
    json_write_number(&b, secs->valuedouble);
    strbuf_puts(&b, " s");
    return keep(a, &b);
  }
  if(cJSON_IsString(secs))
    return arena_printf(a, "%s s", secs->valuestring);
  if(path)
    return arena_printf(a, "%s s", path);
  return when ? arena_printf(a, "until %s", when) : NULL;
}

const char *graph_fail_detail(struct arena *a, const cJSON *state)
{
  const char *e = str(state, "Error");
  if(!e)
    e = str(state, "ErrorPath");
  return e ? arena_printf(a, "Error: %s", e) : NULL;
}

static void put_errors(struct strbuf *b, const cJSON *holder)
{
  const cJSON *e;
  const char *sep = "";
  cJSON_ArrayForEach(e, json_get(holder, "ErrorEquals")) {
    if(cJSON_IsString(e)) {
      strbuf_puts(b, sep);
      strbuf_puts(b, e->valuestring);
      sep = ", ";
    }
  }
}

const char *graph_retry_text(struct arena *a, const cJSON *retrier)
{
  struct strbuf b = {0};
  const cJSON *max = json_get(retrier, "MaxAttempts");
  strbuf_puts(&b, "Retry: ");
  put_errors(&b, retrier);
  strbuf_puts(&b, " \xC3\x97");   /* × */
  json_write_number(&b, cJSON_IsNumber(max) ? max->valuedouble : DEFAULT_ATTEMPTS);
  return keep(a, &b);
}

const char *graph_errors_text(struct arena *a, const cJSON *catcher)
{
  struct strbuf b = {0};
  put_errors(&b, catcher);
  return keep(a, &b);
}

/* }====== */

/* {====== Choice rules */

static const char *const cmp_types[] = {"String", "Numeric", "Boolean", "Timestamp", NULL};

static const struct {
  const char *name, *symbol;
} cmp_ops[] = {
  {"Equals", "=="}, {"LessThan", "<"}, {"LessThanEquals", "<="}, {"GreaterThan", ">"},
  {"GreaterThanEquals", ">="}, {"Matches", "matches"}, {NULL, NULL}
};

static const struct {
  const char *op, *what;
} type_tests[] = {
  {"IsPresent", "present"}, {"IsNull", "null"}, {"IsString", "a string"},
  {"IsNumeric", "numeric"}, {"IsBoolean", "a boolean"}, {"IsTimestamp", "a timestamp"},
  {NULL, NULL}
};

static const char *const logic_ops[] = {"And", "Or", "Not", NULL};

static void put_value(struct strbuf *b, const cJSON *v, int is_path)
{
  if(is_path && cJSON_IsString(v))
    strbuf_puts(b, v->valuestring);
  else if(cJSON_IsString(v))
    json_write_string(b, v->valuestring);
  else
    json_write(b, v, 0);
}

/* "StringEqualsPath" to "==" with *is_path set; NULL when `key` is no comparison. */
static const char *comparison(const char *key, int *is_path)
{
  for(const char *const *t = cmp_types; *t; t++) {
    if(!starts(key, *t))
      continue;
    const char *rest = key + strlen(*t);
    size_t n = strlen(rest);
    *is_path = n > 4 && !strcmp(rest + n - 4, "Path");
    if(*is_path)
      n -= 4;
    for(size_t i = 0; cmp_ops[i].name; i++)
      if(strlen(cmp_ops[i].name) == n && !strncmp(rest, cmp_ops[i].name, n))
        return cmp_ops[i].symbol;
  }
  return NULL;
}

/* One test of a variable: `$.x == "a"`, `$.x is not present`, or `$.x Op value`. */
static void put_test(struct strbuf *b, const char *var, const cJSON *test)
{
  int is_path = 0;
  const char *symbol = comparison(test->string, &is_path);
  strbuf_puts(b, var);
  for(size_t i = 0; !symbol && type_tests[i].op; i++)
    if(!strcmp(test->string, type_tests[i].op)) {
      strbuf_puts(b, cJSON_IsFalse(test) ? " is not " : " is ");
      strbuf_puts(b, type_tests[i].what);
      return;
    }
  strbuf_printf(b, " %s ", symbol ? symbol : test->string);
  put_value(b, test, is_path);
}

static void put_rule(struct strbuf *b, const cJSON *rule, int depth)
{
  const char *cond = str(rule, "Condition");   /* JSONata: "{% ... %}" */
  if(cond) {
    strbuf_puts(b, cond);
    return;
  }
  if(depth >= RULE_DEPTH) {
    strbuf_puts(b, "\xE2\x80\xA6");   /* … */
    return;
  }
  for(const char *const *op = logic_ops; *op; op++) {
    const cJSON *inner = json_get(rule, *op), *r;
    if(!inner)
      continue;
    const cJSON *list = cJSON_IsArray(inner) ? inner : NULL;
    strbuf_printf(b, "%s(", *op);
    if(cJSON_IsObject(inner))
      put_rule(b, inner, depth + 1);
    cJSON_ArrayForEach(r, list) {
      if(r != inner->child)
        strbuf_puts(b, ", ");
      put_rule(b, r, depth + 1);
    }
    strbuf_putc(b, ')');
    return;
  }
  const char *var = str(rule, "Variable");
  const cJSON *test;
  cJSON_ArrayForEach(test, rule) {
    const char *k = test->string;
    if(k && strcmp(k, "Variable") && strcmp(k, "Next") && strcmp(k, "Comment")) {
      put_test(b, var ? var : "?", test);
      return;
    }
  }
  strbuf_puts(b, var ? var : "?");
}

const char *graph_rule_text(struct arena *a, const cJSON *rule)
{
  struct strbuf b = {0};
  put_rule(&b, rule, 0);
  return keep(a, &b);
}

/* }====== */

/* {====== wrapping and escaping */

static size_t chars(const char *s, size_t n)
{
  size_t c = 0;
  for(size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

const char *graph_wrap(struct arena *a, const char *s, size_t width)
{
  if(chars(s, strlen(s)) <= width || !strstr(s, ", "))
    return s;
  struct strbuf b = {0};
  size_t line = 0;
  for(const char *p = s; *p;) {
    const char *sep = strstr(p, ", ");
    size_t n = sep ? (size_t)(sep - p) : strlen(p), w = chars(p, n);
    if(p != s) {
      int wrap = line + 2 + w > width;
      strbuf_puts(&b, wrap ? ",\n" : ", ");
      line = wrap ? 0 : line + 2;
    }
    strbuf_add(&b, p, n);
    line += w;
    p += n + (sep ? 2 : 0);
  }
  return keep(a, &b);
}

/* The length of the valid UTF-8 sequence of two or more bytes at s, or 0. */
static size_t utf8_seq(const unsigned char *s)
{
  unsigned c = s[0];
  if(c >= 0xC2 && c <= 0xDF)
    return (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if(c >= 0xE0 && c <= 0xEF) {
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
  }
  if(c >= 0xF0 && c <= 0xF4) {
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4 : 0;
  }
  return 0;
}

void graph_escape(struct strbuf *b, const char *s, graph_esc_fn fn)
{
  const unsigned char *p = (const unsigned char *)s, *run = p;
  char tmp[16];
  while(*p) {
    const char *rep;
    size_t seq = *p < 0x80 ? 0 : utf8_seq(p);
    if(seq) {
      p += seq;   /* valid UTF-8 is copied as it is */
      continue;
    }
    if(*p < 0x80)
      rep = fn(*p, tmp);
    else {
      rep = fn(GRAPH_BAD_BYTE | *p, tmp);
      if(!rep)
        rep = GRAPH_REPLACEMENT;
    }
    if(!rep) {
      p++;
      continue;
    }
    strbuf_add(b, (const char *)run, (size_t)(p - run));
    strbuf_puts(b, rep);
    run = ++p;
  }
  strbuf_add(b, (const char *)run, (size_t)(p - run));
}

/* }====== */

/*
** path.c: syntax checks for JSONPath, reference paths and intrinsic functions.
** A small recursive-descent reader over the string; nesting of intrinsics is bounded.
*/
#include "asl/path.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define MAX_NESTING 32

static const char *fail(char *buf, size_t size, const char *fmt, const char *s, size_t at)
{
  char where[48];
  snprintf(where, sizeof where, "%.*s", (int)(at > 40 ? 40 : at), s);
  snprintf(buf, size, fmt, s, where);
  return buf;
}

/* One [...] segment starting at s[i] == '['; returns the index after it or 0. */
static size_t bracket(const char *s, size_t i, enum asl_path_kind kind, int *operator)
{
  i++;
  if(s[i] == '\'') {  /* ['name'] */
    for(i++; s[i] && s[i] != '\''; i++)
      if(s[i] == '\\' && s[i + 1])
        i++;
    return s[i] == '\'' && s[i + 1] == ']' ? i + 2 : 0;
  }
  if(s[i] == '*' && s[i + 1] == ']') {
    *operator = 1;
    return i + 2;
  }
  if(s[i] == '?' || s[i] == '(') {  /* filter or script: balanced parentheses */
    int depth = 0;
    for(; s[i]; i++) {
      if(s[i] == '(')
        depth++;
      else if(s[i] == ')' && --depth == 0)
        break;
    }
    *operator = 1;
    return s[i] == ')' && s[i + 1] == ']' ? i + 2 : 0;
  }
  /* index, union of indexes, or slice */
  size_t start = i;
  int colon = 0, comma = 0;
  long number = 0;   /* the digits read so far: each at most INT_MAX, as the runner takes */
  for(; s[i] && s[i] != ']'; i++) {
    if(isdigit((unsigned char)s[i])) {
      if((number = number * 10 + (s[i] - '0')) > INT_MAX)
        return 0;
      continue;
    }
    number = 0;
    if(s[i] == ':')
      colon = 1;
    else if(s[i] == ',')
      comma = 1;
    else if(s[i] != '-' && s[i] != ' ')
      return 0;
  }
  if(s[i] != ']' || i == start)
    return 0;
  if(colon || comma)
    *operator = 1;
  (void)kind;
  return i + 1;
}

const char *asl_check_path(const char *s, enum asl_path_kind kind, char *buf, size_t size)
{
  if(s[0] != '$')
    return fail(buf, size, "'%s' is not a path: paths start with '$'%.0s", s, 0);
  size_t i = s[1] == '$' ? 2 : 1;
  int operator = 0;
  while(s[i]) {
    if(s[i] == '.') {
      if(s[i + 1] == '.') {  /* deep scan */
        operator = 1;
        i++;
      }
      size_t start = ++i;
      if(s[i] == '*') {
        operator = 1;
        i++;
      }
      else
        while(s[i] && s[i] != '.' && s[i] != '[')
          i++;
      if(i == start)
        return fail(buf, size, "'%s' is not a valid path: a name is missing after '%s'", s, i);
    }
    else if(s[i] == '[') {
      size_t next = bracket(s, i, kind, &operator);
      if(!next)
        return fail(buf, size, "'%s' is not a valid path: bad [...] after '%s'", s, i);
      i = next;
    }
    else
      return fail(buf, size, "'%s' is not a valid path: unexpected character after '%s'", s,
                  i);
  }
  if(kind == ASL_REFERENCE_PATH && operator)
    return fail(buf, size, "'%s' is not a reference path: it may only name one node "
                           "(no wildcards, filters, slices or deep scans)%.0s", s, 0);
  return NULL;
}

/* {============ intrinsic functions */

struct intrinsic_rule {
  const char *name;
  int min, max;   /* argument count; max -1: no limit */
  const char *kinds;  /* what each literal argument must be, by position (the last letter
                         repeats): s string, i integer, h hash algorithm, f false, a any */
};

static const struct intrinsic_rule intrinsics[] = {
  {"Format", 1, -1, "sa"}, {"StringToJson", 1, 1, "s"}, {"JsonToString", 1, 1, "a"},
  {"Array", 0, -1, "a"}, {"ArrayPartition", 2, 2, "ai"}, {"ArrayContains", 2, 2, "a"},
  {"ArrayRange", 3, 3, "i"}, {"ArrayGetItem", 2, 2, "ai"}, {"ArrayLength", 1, 1, "a"},
  {"ArrayUnique", 1, 1, "a"}, {"Base64Encode", 1, 1, "s"}, {"Base64Decode", 1, 1, "s"},
  {"Hash", 2, 2, "sh"}, {"JsonMerge", 3, 3, "aaf"}, {"MathRandom", 2, 3, "i"},
  {"MathAdd", 2, 2, "i"}, {"StringSplit", 2, 2, "s"}, {"UUID", 0, 0, "a"},
  {NULL, 0, 0, NULL}
};

/* The literal text of one argument as read, for the kind check. */
struct literal {
  char kind;        /* 's' string, 'n' number, 'b' true/false/null, 'p' path or call */
  const char *at;   /* where it starts */
  size_t len;
};

static const char *check_kind(const struct intrinsic_rule *rule, int index,
                              const struct literal *lit, const char *s, char *buf, size_t size)
{
  size_t nk = strlen(rule->kinds);
  char want = rule->kinds[(size_t)index < nk ? (size_t)index : nk - 1];
  if(lit->kind == 'p' || want == 'a')
    return NULL;
  const char *problem = NULL;
  if(want == 's' && lit->kind != 's')
    problem = "a string";
  else if(want == 'i') {
    int whole = lit->kind == 'n';
    for(size_t k = 0; whole && k < lit->len; k++)
      if(lit->at[k] == '.' || lit->at[k] == 'e' || lit->at[k] == 'E')
        whole = 0;
    if(!whole)
      problem = "an integer";
  }
  else if(want == 'h') {
    static const char *const algos[] = {"'MD5'", "'SHA-1'", "'SHA-256'", "'SHA-384'",
                                        "'SHA-512'", NULL};
    int known = 0;
    for(size_t k = 0; algos[k] && !known; k++)
      known = lit->len == strlen(algos[k]) && !strncmp(lit->at, algos[k], lit->len);
    if(!known)
      problem = "one of 'MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'";
  }
  else if(want == 'f' && !(lit->len == 5 && !strncmp(lit->at, "false", 5)))
    problem = "false (deep merging is not supported)";
  if(!problem)
    return NULL;
  snprintf(buf, size, "'%s': argument %d of States.%s must be %s, got %.*s", s, index + 1,
           rule->name, problem, (int)(lit->len > 60 ? 60 : lit->len), lit->at);
  return buf;
}

struct reader {
  const char *s;
  size_t i;
  char *buf;
  size_t size;
  const char *error;
};

static void skip_space(struct reader *r)
{
  while(r->s[r->i] == ' ')
    r->i++;
}

static int call(struct reader *r, int depth);

static int argument_body(struct reader *r, int depth, struct literal *lit);

/* One argument: 'string', number, true/false/null, a path, or a nested call. */
static int argument(struct reader *r, int depth, struct literal *lit)
{
  skip_space(r);
  size_t start = r->i;
  char first = r->s[r->i];
  int rc = argument_body(r, depth, lit);
  lit->at = r->s + start;
  lit->len = r->i - start;
  lit->kind = first == '\'' ? 's' : first == '$' || first == 'S' ? 'p'
            : first == 't' || first == 'f' || first == 'n' ? 'b' : 'n';
  return rc;
}

static int argument_body(struct reader *r, int depth, struct literal *lit)
{
  (void)lit;
  const char *s = r->s;
  if(s[r->i] == '\'') {
    for(r->i++; s[r->i] && s[r->i] != '\''; r->i++)
      if(s[r->i] == '\\' && s[r->i + 1])
        r->i++;
    if(s[r->i] != '\'') {
      r->error = fail(r->buf, r->size, "'%s': a string argument is not closed%.0s", s, 0);
      return -1;
    }
    r->i++;
    return 0;
  }
  if(s[r->i] == '$') {
    size_t start = r->i;
    int depth_b = 0;
    for(; s[r->i] && (depth_b || (s[r->i] != ',' && s[r->i] != ')')); r->i++) {
      if(s[r->i] == '[')
        depth_b++;
      else if(s[r->i] == ']')
        depth_b--;
    }
    char path[512];
    size_t n = r->i - start;
    if(n >= sizeof path)
      n = sizeof path - 1;
    memcpy(path, s + start, n);
    while(n && path[n - 1] == ' ')
      n--;
    path[n] = '\0';
    char inner[640];   /* room for the whole path in the message */
    const char *bad = asl_check_path(path, ASL_PATH, inner, sizeof inner);
    if(bad) {
      snprintf(r->buf, r->size, "'%s': argument %s", s, bad);
      r->error = r->buf;
      return -1;
    }
    return 0;
  }
  if(!strncmp(s + r->i, "States.", 7))
    return call(r, depth + 1);
  if(!strncmp(s + r->i, "true", 4) || !strncmp(s + r->i, "null", 4)) {
    r->i += 4;
    return 0;
  }
  if(!strncmp(s + r->i, "false", 5)) {
    r->i += 5;
    return 0;
  }
  size_t start = r->i;
  if(s[r->i] == '-')
    r->i++;
  while(isdigit((unsigned char)s[r->i]) || s[r->i] == '.' || s[r->i] == 'e' || s[r->i] == 'E'
        || s[r->i] == '+')
    r->i++;
  if(r->i == start || (r->i == start + 1 && s[start] == '-')) {
    r->error = fail(r->buf, r->size, "'%s' is not a valid intrinsic function call: bad "
                                     "argument after '%s'", s, r->i);
    return -1;
  }
  return 0;
}

static int call(struct reader *r, int depth)
{
  const char *s = r->s;
  if(depth > MAX_NESTING) {
    r->error = fail(r->buf, r->size, "'%s': intrinsic functions nested too deeply%.0s", s, 0);
    return -1;
  }
  r->i += 7;  /* "States." */
  size_t start = r->i;
  while(isalnum((unsigned char)s[r->i]))
    r->i++;
  size_t len = r->i - start;
  const struct intrinsic_rule *rule = intrinsics;
  while(rule->name && !(strlen(rule->name) == len && !strncmp(rule->name, s + start, len)))
    rule++;
  if(!rule->name) {
    snprintf(r->buf, r->size, "'%s': States.%.*s is not an intrinsic function", s, (int)len,
             s + start);
    r->error = r->buf;
    return -1;
  }
  if(s[r->i] != '(') {
    r->error = fail(r->buf, r->size, "'%s': '(' expected after '%s'", s, r->i);
    return -1;
  }
  r->i++;
  int n = 0;
  skip_space(r);
  if(s[r->i] != ')') {
    for(;;) {
      struct literal lit;
      if(argument(r, depth, &lit))
        return -1;
      const char *bad = check_kind(rule, n, &lit, s, r->buf, r->size);
      if(bad) {
        r->error = bad;
        return -1;
      }
      n++;
      skip_space(r);
      if(s[r->i] == ',') {
        r->i++;
        continue;
      }
      break;
    }
  }
  if(s[r->i] != ')') {
    r->error = fail(r->buf, r->size, "'%s': ',' or ')' expected after '%s'", s, r->i);
    return -1;
  }
  r->i++;
  if(n < rule->min || (rule->max >= 0 && n > rule->max)) {
    if(rule->min == rule->max)
      snprintf(r->buf, r->size, "'%s': States.%s takes %d argument%s, got %d", s, rule->name,
               rule->min, rule->min == 1 ? "" : "s", n);
    else if(rule->max < 0)
      snprintf(r->buf, r->size, "'%s': States.%s takes at least %d argument%s, got %d", s,
               rule->name, rule->min, rule->min == 1 ? "" : "s", n);
    else
      snprintf(r->buf, r->size, "'%s': States.%s takes %d to %d arguments, got %d", s,
               rule->name, rule->min, rule->max, n);
    r->error = r->buf;
    return -1;
  }
  return 0;
}

const char *asl_check_intrinsic(const char *s, char *buf, size_t size)
{
  struct reader r = {s, 0, buf, size, NULL};
  if(strncmp(s, "States.", 7))
    return fail(buf, size, "'%s' is not an intrinsic function call%.0s", s, 0);
  if(call(&r, 0))
    return r.error;
  skip_space(&r);
  if(s[r.i])
    return fail(buf, size, "'%s': unexpected text after the call '%s'", s, r.i);
  return NULL;
}

/* }============ */

const char *asl_check_dollar_value(const char *s, char *buf, size_t size)
{
  if(!strncmp(s, "States.", 7))
    return asl_check_intrinsic(s, buf, size);
  return asl_check_path(s, ASL_PATH, buf, size);
}

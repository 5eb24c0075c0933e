/*
** intrinsic.c: reading and calling intrinsic functions, e.g.
** `States.Format('{} of {}', $.n, States.ArrayLength($.all))`. A call is parsed once into
** its function (from intr_defs[]) and its arguments: literals (strings in single quotes with
** the spec's escapes \' \{ \} \\, numbers, true, false, null), paths, and nested calls.
** Evaluation recurses once per nesting level of the text, which the parser bounds.
*/
#include "run/intrinsic.h"
#include "run/jpath.h"
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 16   /* AWS allows 10 nested calls */

enum akind { A_LITERAL, A_PATH, A_CALL };

struct iarg {
  enum akind kind;
  const cJSON *literal;
  const char *raw;          /* a string literal's text between the quotes, escapes kept */
  int bad_escape;           /* a backslash that escapes nothing: an error when called */
  const struct jpath *path;
  const struct intrinsic *call;
};

struct intrinsic {
  const struct intr_def *def;
  const char *text;
  size_t n;
  struct iarg *args;
};

struct iparser {
  struct arena *a;
  const char *s;
  size_t i;
  int depth;
  char *err;
  size_t errsize;
};

static int perr(struct iparser *p, const char *msg)
{
  if(!p->err[0])
    snprintf(p->err, p->errsize, "%s at character %zu of \"%s\"", msg, p->i + 1, p->s);
  return -1;
}

static int nomem(struct iparser *p)
{
  snprintf(p->err, p->errsize, "out of memory");
  return -1;
}

static void skip_ws(struct iparser *p)
{
  while(p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n')
    p->i++;
}

static const struct intrinsic *parse_call(struct iparser *p);

static int own_literal(struct iparser *p, struct iarg *arg, cJSON *lit)
{
  if(!lit || !arena_own_json(p->a, lit)) {
    cJSON_Delete(lit);
    return nomem(p);
  }
  arg->kind = A_LITERAL;
  arg->literal = lit;
  return 0;
}

static int parse_string(struct iparser *p, struct iarg *arg)
{
  size_t start = ++p->i, k = 0;
  char *out = arena_alloc(p->a, strlen(p->s + start) + 1);
  if(!out)
    return nomem(p);
  for(; p->s[p->i] && p->s[p->i] != '\''; p->i++) {
    char c = p->s[p->i];
    if(c == '\\') {
      char e = p->s[p->i + 1];
      if(e == '\'' || e == '{' || e == '}' || e == '\\') {
        out[k++] = e;
        p->i++;
        continue;
      }
      arg->bad_escape = 1;
    }
    out[k++] = c;
  }
  if(p->s[p->i] != '\'')
    return perr(p, "unterminated string");
  arg->raw = arena_strndup(p->a, p->s + start, p->i - start);
  p->i++;
  if(!arg->raw)
    return nomem(p);
  return own_literal(p, arg, cJSON_CreateString(out));
}

/* A path argument ends at a ',' or ')' outside brackets and quotes. */
static int parse_path_arg(struct iparser *p, struct iarg *arg)
{
  size_t start = p->i;
  int depth = 0;
  char quote = 0;
  for(; p->s[p->i]; p->i++) {
    char c = p->s[p->i];
    if(quote) {
      if(c == '\\' && p->s[p->i + 1])
        p->i++;
      else if(c == quote)
        quote = 0;
    }
    else if(c == '\'' || c == '"')
      quote = c;
    else if(c == '[')
      depth++;
    else if(c == ']')
      depth--;
    else if(!depth && (c == ',' || c == ')'))
      break;
  }
  size_t end = p->i;
  while(end > start && (p->s[end - 1] == ' ' || p->s[end - 1] == '\t'))
    end--;
  char *text = arena_strndup(p->a, p->s + start, end - start);
  if(!text)
    return nomem(p);
  char why[256];
  arg->kind = A_PATH;
  arg->path = jpath_compile(p->a, text, 0, why, sizeof why);
  if(!arg->path) {
    if(!strcmp(why, "out of memory"))
      return nomem(p);
    if(!p->err[0])
      snprintf(p->err, p->errsize, "invalid path '%s' in \"%s\": %s", text, p->s, why);
    return -1;
  }
  return 0;
}

static int parse_arg(struct iparser *p, struct iarg *arg)
{
  const char *s = p->s + p->i;
  if(*s == '\'')
    return parse_string(p, arg);
  if(*s == '$')
    return parse_path_arg(p, arg);
  if(!strncmp(s, "States.", 7)) {
    arg->kind = A_CALL;
    arg->call = parse_call(p);
    return arg->call ? 0 : -1;
  }
  if(!strncmp(s, "true", 4) || !strncmp(s, "false", 5) || !strncmp(s, "null", 4)) {
    p->i += *s == 'f' ? 5 : 4;
    return own_literal(p, arg, *s == 'n' ? cJSON_CreateNull() : cJSON_CreateBool(*s == 't'));
  }
  char *end;
  double d = strtod(s, &end);
  if(end == s || !(*s == '-' || (*s >= '0' && *s <= '9')))
    return perr(p, "expected an argument (a 'string', a number, a path or a call)");
  p->i += (size_t)(end - s);
  return own_literal(p, arg, cJSON_CreateNumber(d));
}

static int add_arg(struct iparser *p, struct intrinsic *f, size_t *cap)
{
  if(f->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    struct iarg *args = arena_alloc(p->a, ncap * sizeof *args);
    if(!args)
      return nomem(p);
    if(f->n)
      memcpy(args, f->args, f->n * sizeof *args);
    f->args = args;
    *cap = ncap;
  }
  f->n++;
  return parse_arg(p, &f->args[f->n - 1]);
}

static const struct intrinsic *parse_call(struct iparser *p)
{
  size_t start = p->i, cap = 0;
  struct intrinsic *f = arena_alloc(p->a, sizeof *f);
  if(!f) {
    nomem(p);
    return NULL;
  }
  if(++p->depth > MAX_NESTING) {
    perr(p, "intrinsic functions nested too deeply");
    return NULL;
  }
  size_t k = p->i + 7;
  while((p->s[k] >= 'A' && p->s[k] <= 'Z') || (p->s[k] >= 'a' && p->s[k] <= 'z') ||
        (p->s[k] >= '0' && p->s[k] <= '9'))
    k++;
  for(const struct intr_def *d = intr_defs; d->name; d++)
    if(strlen(d->name) == k - p->i && !strncmp(d->name, p->s + p->i, k - p->i))
      f->def = d;
  if(!f->def) {
    if(!p->err[0])
      snprintf(p->err, p->errsize, "unknown intrinsic function '%.*s'", (int)(k - p->i),
               p->s + p->i);
    return NULL;
  }
  p->i = k;
  skip_ws(p);
  if(p->s[p->i] != '(') {
    perr(p, "expected '('");
    return NULL;
  }
  p->i++;
  skip_ws(p);
  while(p->s[p->i] != ')') {
    if(add_arg(p, f, &cap))
      return NULL;
    skip_ws(p);
    if(p->s[p->i] == ',') {
      p->i++;
      skip_ws(p);
    }
    else if(p->s[p->i] != ')') {
      perr(p, "expected ',' or ')'");
      return NULL;
    }
  }
  p->i++;
  p->depth--;
  f->text = arena_strndup(p->a, p->s + start, p->i - start);
  if(!f->text) {
    nomem(p);
    return NULL;
  }
  return f;
}

struct intrinsic *intr_compile(struct arena *a, const char *text, char *err, size_t errsize)
{
  struct iparser p = {a, text, 0, 0, err, errsize};
  err[0] = '\0';
  const struct intrinsic *f = parse_call(&p);
  if(!f)
    return NULL;
  skip_ws(&p);
  if(p.s[p.i]) {
    perr(&p, "unexpected text after the call");
    return NULL;
  }
  return (struct intrinsic *)f;
}

const char *intr_text(const struct intrinsic *f)
{
  return f->text;
}

static int eval_arg(const struct iarg *arg, const char *fname, const struct eval_env *env,
                    const cJSON **v, cJSON **owned)
{
  *owned = NULL;
  if(arg->kind == A_LITERAL) {
    *v = arg->literal;
    return 0;
  }
  if(arg->kind == A_CALL) {
    int rc = intr_eval(arg->call, env, owned);
    *v = *owned;
    return rc;
  }
  const cJSON *root = env->input;
  if(jpath_is_context(arg->path) && !(root = env->context(env->ud)))
    return -1;
  int rc = jpath_select(arg->path, root, v, owned);
  if(rc == 1)
    return run_fail_set(env->fail, "States.IntrinsicFailure",
                    "The JsonPath '%s' in an argument of %s could not be found in the input",
                    jpath_text(arg->path), fname);
  return rc;
}

int intr_eval(const struct intrinsic *f, const struct eval_env *env, cJSON **out)
{
  const struct intr_def *d = f->def;
  *out = NULL;
  if(f->n < (size_t)d->min_args || (d->max_args >= 0 && f->n > (size_t)d->max_args)) {
    if(d->min_args == d->max_args)
      return run_fail_set(env->fail, "States.IntrinsicFailure",
                      "%s takes %d argument%s, got %zu", d->name, d->min_args,
                      d->min_args == 1 ? "" : "s", f->n);
    return run_fail_set(env->fail, "States.IntrinsicFailure",
                    "%s takes %s%d arguments, got %zu", d->name,
                    d->max_args < 0 ? "at least " : "", d->min_args, f->n);
  }
  for(size_t i = 0; i < f->n; i++)
    if(f->args[i].bad_escape)
      return run_fail_set(env->fail, "States.IntrinsicFailure",
                      "Invalid escape sequence in a string argument of %s: only \\', \\{, "
                      "\\} and \\\\ may follow a backslash", d->name);
  /* most calls take a few arguments: those live on the stack */
  enum { ON_STACK = 8 };
  const cJSON *v_stack[ON_STACK] = {0};
  cJSON *owned_stack[ON_STACK] = {0};
  int small = f->n < ON_STACK;
  const cJSON **v = small ? v_stack : calloc(f->n + 1, sizeof *v);
  cJSON **owned = small ? owned_stack : calloc(f->n + 1, sizeof *owned);
  int rc = v && owned ? 0 : -1;
  for(size_t i = 0; !rc && i < f->n; i++)
    rc = eval_arg(&f->args[i], d->name, env, &v[i], &owned[i]);
  if(!rc) {
    struct icall c = {d->name, f->n, v, NULL, env};
    if(f->n && f->args[0].kind == A_LITERAL && cJSON_IsString(f->args[0].literal))
      c.format = f->args[0].raw;
    rc = d->fn(&c, out);
    /* the argument checks answer 1 for "raised"; with no error set, memory ran out */
    if(rc == 1 && !env->fail->error)
      rc = -1;
  }
  for(size_t i = 0; owned && i < f->n; i++)
    cJSON_Delete(owned[i]);
  if(!small) {
    free(owned);
    free(v);
  }
  return rc;
}

/*
** choice.c: Choice Rules. One table lists every comparison operator with the type it
** compares and whether it has a *Path form, so compiling a rule is a lookup and evaluating
** it is one switch. The spec's type rules apply: comparing values of the wrong type is
** false, not an error; a Variable that names nothing raises States.Runtime (only IsPresent
** asks whether it exists). Timestamps compare as instants (RFC 3339, any offset), strings
** by code point, and StringMatches takes `*` as "any run of characters" with `\*` and `\\`
** for a literal star and backslash.
*/
#include "run/machine.h"
#include "run/jpath.h"
#include "core/arena.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

/* kind: what the Variable must be. 'S' string, 'M' string (pattern), 'N' number,
   'B' boolean, 'T' timestamp, 'I' a type test (its value is a boolean) */
static const struct opdef {
  const char *name;
  enum rule_op op;
  char kind;
  int path;
} ops[] = {
  {"StringEquals", R_STRING_EQ, 'S', 0}, {"StringEqualsPath", R_STRING_EQ, 'S', 1},
  {"StringLessThan", R_STRING_LT, 'S', 0}, {"StringLessThanPath", R_STRING_LT, 'S', 1},
  {"StringGreaterThan", R_STRING_GT, 'S', 0},
  {"StringGreaterThanPath", R_STRING_GT, 'S', 1},
  {"StringLessThanEquals", R_STRING_LE, 'S', 0},
  {"StringLessThanEqualsPath", R_STRING_LE, 'S', 1},
  {"StringGreaterThanEquals", R_STRING_GE, 'S', 0},
  {"StringGreaterThanEqualsPath", R_STRING_GE, 'S', 1},
  {"StringMatches", R_STRING_MATCHES, 'M', 0},
  {"NumericEquals", R_NUMERIC_EQ, 'N', 0}, {"NumericEqualsPath", R_NUMERIC_EQ, 'N', 1},
  {"NumericLessThan", R_NUMERIC_LT, 'N', 0}, {"NumericLessThanPath", R_NUMERIC_LT, 'N', 1},
  {"NumericGreaterThan", R_NUMERIC_GT, 'N', 0},
  {"NumericGreaterThanPath", R_NUMERIC_GT, 'N', 1},
  {"NumericLessThanEquals", R_NUMERIC_LE, 'N', 0},
  {"NumericLessThanEqualsPath", R_NUMERIC_LE, 'N', 1},
  {"NumericGreaterThanEquals", R_NUMERIC_GE, 'N', 0},
  {"NumericGreaterThanEqualsPath", R_NUMERIC_GE, 'N', 1},
  {"BooleanEquals", R_BOOLEAN_EQ, 'B', 0}, {"BooleanEqualsPath", R_BOOLEAN_EQ, 'B', 1},
  {"TimestampEquals", R_TIMESTAMP_EQ, 'T', 0}, {"TimestampEqualsPath", R_TIMESTAMP_EQ, 'T', 1},
  {"TimestampLessThan", R_TIMESTAMP_LT, 'T', 0},
  {"TimestampLessThanPath", R_TIMESTAMP_LT, 'T', 1},
  {"TimestampGreaterThan", R_TIMESTAMP_GT, 'T', 0},
  {"TimestampGreaterThanPath", R_TIMESTAMP_GT, 'T', 1},
  {"TimestampLessThanEquals", R_TIMESTAMP_LE, 'T', 0},
  {"TimestampLessThanEqualsPath", R_TIMESTAMP_LE, 'T', 1},
  {"TimestampGreaterThanEquals", R_TIMESTAMP_GE, 'T', 0},
  {"TimestampGreaterThanEqualsPath", R_TIMESTAMP_GE, 'T', 1},
  {"IsNull", R_IS_NULL, 'I', 0}, {"IsPresent", R_IS_PRESENT, 'I', 0},
  {"IsNumeric", R_IS_NUMERIC, 'I', 0}, {"IsString", R_IS_STRING, 'I', 0},
  {"IsBoolean", R_IS_BOOLEAN, 'I', 0}, {"IsTimestamp", R_IS_TIMESTAMP, 'I', 0},
  {NULL, R_AND, 0, 0}
};

/* {============ compiling */

static int cerr(char *err, size_t errsize, const char *msg, const char *arg)
{
  snprintf(err, errsize, msg, arg);
  return -1;
}

static const struct opdef *find_op(const char *name)
{
  for(const struct opdef *o = ops; o->name; o++)
    if(!strcmp(o->name, name))
      return o;
  return NULL;
}

static int compile_value(struct arena *a, const struct opdef *o, const cJSON *v,
                         struct rule *r, char *err, size_t errsize)
{
  if(o->path) {
    char why[300];
    if(!cJSON_IsString(v))
      return cerr(err, errsize, "%s must be a string (a Reference Path)", o->name);
    r->other = jpath_compile(a, v->valuestring, JPATH_REFERENCE, why, sizeof why);
    if(!r->other)
      return !strcmp(why, "out of memory") ? cerr(err, errsize, "%s", why)
             : (snprintf(err, errsize, "%s '%s': %s", o->name, v->valuestring, why), -1);
    return 0;
  }
  int ok;
  switch(o->kind) {
  case 'S': case 'M': ok = cJSON_IsString(v); break;
  case 'N': ok = cJSON_IsNumber(v); break;
  case 'T': ok = cJSON_IsString(v) && !rfc3339_parse(v->valuestring, &r->ts); break;
  default: ok = cJSON_IsBool(v); break;
  }
  if(!ok)
    return cerr(err, errsize, o->kind == 'S' || o->kind == 'M' ? "%s needs a string"
                : o->kind == 'N' ? "%s needs a number" : o->kind == 'T'
                ? "%s needs an RFC 3339 timestamp such as \"2016-03-14T01:59:00Z\""
                : "%s needs true or false", o->name);
  r->value = v;
  r->flag = cJSON_IsTrue(v);
  return 0;
}

static int compile_subs(struct arena *a, const cJSON *j, struct rule *r, char *err,
                        size_t errsize)
{
  int size = cJSON_GetArraySize(j);
  if(r->op == R_NOT ? !cJSON_IsObject(j) : (!cJSON_IsArray(j) || !size))
    return cerr(err, errsize, "%s", r->op == R_NOT ? "Not needs one Choice Rule (an object)"
                : "And and Or need a non-empty array of Choice Rules");
  r->nsubs = r->op == R_NOT ? 1 : (size_t)size;
  r->subs = arena_alloc(a, r->nsubs * sizeof *r->subs);
  if(!r->subs)
    return cerr(err, errsize, "%s", "out of memory");
  if(r->op == R_NOT)
    return choice_compile(a, j, 0, &r->subs[0], err, errsize);
  size_t i = 0;
  for(const cJSON *c = j->child; c; c = c->next, i++)
    if(choice_compile(a, c, 0, &r->subs[i], err, errsize))
      return -1;
  return 0;
}

int choice_compile(struct arena *a, const cJSON *j, int top, struct rule **out,
                   char *err, size_t errsize)
{
  struct rule *r = arena_alloc(a, sizeof *r);
  const cJSON *op = NULL, *var = NULL;
  const struct opdef *def = NULL;
  if(!r)
    return cerr(err, errsize, "%s", "out of memory");
  if(!cJSON_IsObject(j))
    return cerr(err, errsize, "%s", "a Choice Rule must be an object");
  for(const cJSON *c = j->child; c; c = c->next) {
    const char *k = c->string;
    const struct opdef *o = find_op(k);
    int logic = !strcmp(k, "And") || !strcmp(k, "Or") || !strcmp(k, "Not");
    if(!strcmp(k, "Variable"))
      var = c;
    else if(!strcmp(k, "Next") && top) {
      if(!cJSON_IsString(c))
        return cerr(err, errsize, "%s", "Next must be a string");
      r->next_name = c->valuestring;
    }
    else if(!strcmp(k, "Comment"))
      continue;
    else if(!strcmp(k, "Condition"))
      return cerr(err, errsize, "%s", "'Condition' is a JSONata field; sfl run interprets "
                                      "JSONPath states only");
    else if(!o && !logic)
      return cerr(err, errsize, !strcmp(k, "Next") ? "a rule inside And, Or or Not cannot "
                  "have %s" : "unknown field '%s' in a Choice Rule", k);
    else if(op)
      return cerr(err, errsize, "a Choice Rule has one comparison; '%s' is a second one", k);
    else {
      op = c;
      def = o;
    }
  }
  if(top && !r->next_name)
    return cerr(err, errsize, "%s", "a Choice Rule needs Next");
  if(!op)
    return cerr(err, errsize, "%s", "a Choice Rule needs a comparison (such as StringEquals) "
                                    "or And, Or, Not");
  *out = r;
  if(!def) {
    if(var)
      return cerr(err, errsize, "%s", "And, Or and Not do not take a Variable");
    r->op = !strcmp(op->string, "And") ? R_AND : !strcmp(op->string, "Or") ? R_OR : R_NOT;
    return compile_subs(a, op, r, err, errsize);
  }
  char why[300];
  if(!cJSON_IsString(var))
    return cerr(err, errsize, "%s needs a Variable (a Reference Path string)", def->name);
  r->var = jpath_compile(a, var->valuestring, JPATH_REFERENCE, why, sizeof why);
  if(!r->var)
    return !strcmp(why, "out of memory") ? cerr(err, errsize, "%s", why)
           : (snprintf(err, errsize, "Variable '%s': %s", var->valuestring, why), -1);
  r->op = def->op;
  return compile_value(a, def, op, r, err, errsize);
}

/* }============ */

/* {============ evaluating */

static int glob(const char *p, const char *s)
{
  const char *star_p = NULL, *star_s = NULL;
  while(*s) {
    if(*p == '*') {
      star_p = ++p;
      star_s = s;
      continue;
    }
    char pc = *p;
    const char *pn = p + 1;
    if(*p == '\\' && (p[1] == '*' || p[1] == '\\')) {
      pc = p[1];
      pn = p + 2;
    }
    if(*p && pc == *s) {
      p = pn;
      s++;
    }
    else if(star_p) {
      p = star_p;
      s = ++star_s;
    }
    else
      return 0;
  }
  while(*p == '*')
    p++;
  return !*p;
}

static int order(int c, enum rule_op op, enum rule_op eq)
{
  switch(op - eq) {
  case 0: return c == 0;
  case 1: return c < 0;    /* LT */
  case 2: return c > 0;    /* GT */
  case 3: return c <= 0;   /* LE */
  default: return c >= 0;  /* GE */
  }
}

static int is_timestamp(const cJSON *v, struct ts *t)
{
  return cJSON_IsString(v) && !rfc3339_parse(v->valuestring, t);
}

static int compare(const struct rule *r, const cJSON *a, const cJSON *b)
{
  struct ts ta, tb;
  if(r->op <= R_STRING_MATCHES) {
    if(!cJSON_IsString(a) || !cJSON_IsString(b))
      return 0;
    if(r->op == R_STRING_MATCHES)
      return glob(b->valuestring, a->valuestring);
    return order(strcmp(a->valuestring, b->valuestring), r->op, R_STRING_EQ);
  }
  if(r->op <= R_NUMERIC_GE) {
    if(!cJSON_IsNumber(a) || !cJSON_IsNumber(b))
      return 0;
    double x = a->valuedouble, y = b->valuedouble;
    return order(x < y ? -1 : x > y, r->op, R_NUMERIC_EQ);
  }
  if(r->op == R_BOOLEAN_EQ)
    return cJSON_IsBool(a) && cJSON_IsBool(b) && !cJSON_IsTrue(a) == !cJSON_IsTrue(b);
  if(!is_timestamp(a, &ta))
    return 0;
  if(r->other && !is_timestamp(b, &tb))
    return 0;
  return order(run_ts_cmp(ta, r->other ? tb : r->ts), r->op, R_TIMESTAMP_EQ);
}

static int type_test(const struct rule *r, const cJSON *v)
{
  struct ts t;
  switch(r->op) {
  case R_IS_NULL: return cJSON_IsNull(v);
  case R_IS_NUMERIC: return cJSON_IsNumber(v);
  case R_IS_STRING: return cJSON_IsString(v);
  case R_IS_BOOLEAN: return cJSON_IsBool(v);
  default: return is_timestamp(v, &t);
  }
}

static const cJSON *lookup(const struct jpath *p, const struct eval_env *env, int *nomem)
{
  const cJSON *root = env->input;
  if(jpath_is_context(p) && !(root = env->context(env->ud))) {
    *nomem = 1;
    return NULL;
  }
  return jpath_get(p, root);
}

static int invalid_path(const struct eval_env *env, const struct jpath *p)
{
  return run_fail_set(env->fail, "States.Runtime", "Invalid path '%s': The choice state's "
                  "condition path references an invalid value.", jpath_text(p));
}

int choice_eval(const struct rule *r, const struct eval_env *env, int *match)
{
  int nomem = 0, rc = 0;
  *match = 0;
  if(r->op == R_AND || r->op == R_OR) {
    *match = r->op == R_AND;
    for(size_t i = 0; !rc && i < r->nsubs && *match == (r->op == R_AND); i++)
      rc = choice_eval(r->subs[i], env, match);
    return rc;
  }
  if(r->op == R_NOT) {
    rc = choice_eval(r->subs[0], env, match);
    *match = !*match;
    return rc;
  }
  const cJSON *v = lookup(r->var, env, &nomem);
  if(nomem)
    return -1;
  if(r->op == R_IS_PRESENT) {
    *match = !v == !r->flag;
    return 0;
  }
  if(!v)
    return invalid_path(env, r->var);
  if(r->op >= R_IS_NULL) {
    *match = !type_test(r, v) == !r->flag;
    return 0;
  }
  const cJSON *other = r->value;
  if(r->other && !(other = lookup(r->other, env, &nomem)))
    return nomem ? -1 : invalid_path(env, r->other);
  *match = compare(r, v, other);
  return 0;
}

/* }============ */

/*
** template.c: Payload Templates (Parameters, ItemSelector, ResultSelector, ItemReader's
** Parameters). A template is compiled once: subtrees with no "key.$" field anywhere below
** them become one literal that is copied whole, and every "key.$" field becomes a dynamic
** value (a path or an intrinsic call). Evaluating builds the new JSON value; a path that
** names nothing raises States.ParameterPathFailure, as the spec says.
*/
#include "run/intrinsic.h"
#include "run/jpath.h"
#include "core/arena.h"
#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tkind { T_LITERAL, T_OBJECT, T_ARRAY, T_DYN };

struct tmpl {
  enum tkind kind;
  const cJSON *literal;     /* T_LITERAL */
  struct dynval dyn;        /* T_DYN */
  const char *field;        /* T_DYN: the field's name as written ("x.$") */
  size_t n;                 /* T_OBJECT, T_ARRAY */
  struct tmpl **items;
  const char **keys;        /* T_OBJECT: output names ("x") */
};

/* {============ dynamic values */

int dynval_compile(struct arena *a, const char *text, struct dynval *out,
                   char *err, size_t errsize)
{
  memset(out, 0, sizeof *out);
  if(text[0] == '$') {
    out->path = jpath_compile(a, text, 0, err, errsize);
    return out->path ? 0 : -1;
  }
  if(!strncmp(text, "States.", 7)) {
    out->call = intr_compile(a, text, err, errsize);
    return out->call ? 0 : -1;
  }
  snprintf(err, errsize, "'%s' is neither a path (starting with '$') nor an intrinsic "
                         "function (States.*)", text);
  return -1;
}

const char *dynval_text(const struct dynval *v)
{
  return v->path ? jpath_text(v->path) : intr_text(v->call);
}

int dynval_eval(const struct dynval *v, const struct eval_env *env, const char *error_name,
                const char *field, const cJSON **out, cJSON **owned)
{
  *out = NULL;
  *owned = NULL;
  if(v->call) {
    int rc = intr_eval(v->call, env, owned);
    *out = *owned;
    return rc;
  }
  const cJSON *root = env->input;
  if(jpath_is_context(v->path) && !(root = env->context(env->ud)))
    return -1;
  int rc = jpath_select(v->path, root, out, owned);
  if(rc != 1)
    return rc;
  char *text = json_to_text(root, 0);
  if(!text)
    return -1;
  rc = run_fail_set(env->fail, error_name,
                "The JSONPath '%s' specified for the field '%s' could not be found in the %s "
                "'%s'", jpath_text(v->path), field, jpath_is_context(v->path) ? "context object"
                : "input", text);
  free(text);
  return rc;
}

/* }============ */

/* {============ compiling */

static int ends_with_dollar(const char *key)
{
  size_t n = strlen(key);
  return n >= 2 && key[n - 2] == '.' && key[n - 1] == '$';
}

static struct tmpl *compile(struct arena *a, const cJSON *j, char *err, size_t errsize);

static struct tmpl *compile_field(struct arena *a, const cJSON *c, char *err, size_t errsize)
{
  if(!ends_with_dollar(c->string))
    return compile(a, c, err, errsize);
  struct tmpl *t = arena_alloc(a, sizeof *t);
  if(!t) {
    snprintf(err, errsize, "out of memory");
    return NULL;
  }
  t->kind = T_DYN;
  t->field = c->string;
  if(!cJSON_IsString(c)) {
    snprintf(err, errsize, "the value of field '%s' must be a string (a path or an "
                           "intrinsic function)", c->string);
    return NULL;
  }
  char why[400];
  if(dynval_compile(a, c->valuestring, &t->dyn, why, sizeof why)) {
    if(!strcmp(why, "out of memory"))
      snprintf(err, errsize, "%s", why);
    else
      snprintf(err, errsize, "field '%s': %s", c->string, why);
    return NULL;
  }
  return t;
}

static struct tmpl *compile(struct arena *a, const cJSON *j, char *err, size_t errsize)
{
  struct tmpl *t = arena_alloc(a, sizeof *t);
  if(!t) {
    snprintf(err, errsize, "out of memory");
    return NULL;
  }
  t->kind = T_LITERAL;
  t->literal = j;
  int is_obj = cJSON_IsObject(j);
  if(!is_obj && !cJSON_IsArray(j))
    return t;
  size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
  struct tmpl **items = arena_alloc(a, (n + 1) * sizeof *items);
  const char **keys = arena_alloc(a, (n + 1) * sizeof *keys);
  if(!items || !keys) {
    snprintf(err, errsize, "out of memory");
    return NULL;
  }
  int dynamic = 0;
  for(const cJSON *c = j->child; c; c = c->next, i++) {
    items[i] = is_obj ? compile_field(a, c, err, errsize) : compile(a, c, err, errsize);
    if(!items[i])
      return NULL;
    keys[i] = c->string;
    if(items[i]->kind != T_LITERAL) {
      dynamic = 1;
      if(items[i]->kind == T_DYN && !(keys[i] = arena_strndup(a, c->string,
                                                               strlen(c->string) - 2))) {
        snprintf(err, errsize, "out of memory");
        return NULL;
      }
    }
  }
  if(dynamic) {
    t->kind = is_obj ? T_OBJECT : T_ARRAY;
    t->n = n;
    t->items = items;
    t->keys = keys;
  }
  return t;
}

struct tmpl *tmpl_compile(struct arena *a, const cJSON *json, char *err, size_t errsize)
{
  err[0] = '\0';
  return compile(a, json, err, errsize);
}

/* }============ */

int tmpl_eval(const struct tmpl *t, const struct eval_env *env, cJSON **out)
{
  *out = NULL;
  if(t->kind == T_LITERAL) {
    *out = cJSON_Duplicate(t->literal, 1);
    return *out ? 0 : -1;
  }
  if(t->kind == T_DYN) {
    const cJSON *v;
    cJSON *owned;
    int rc = dynval_eval(&t->dyn, env, "States.ParameterPathFailure", t->field, &v, &owned);
    if(rc)
      return rc;
    *out = owned ? owned : cJSON_Duplicate(v, 1);
    return *out ? 0 : -1;
  }
  cJSON *c = t->kind == T_OBJECT ? cJSON_CreateObject() : cJSON_CreateArray();
  if(!c)
    return -1;
  for(size_t i = 0; i < t->n; i++) {
    cJSON *v;
    int rc = tmpl_eval(t->items[i], env, &v);
    if(!rc && !(t->kind == T_OBJECT ? json_put(c, t->keys[i], v) : json_push(c, v)))
      rc = -1;
    if(rc) {
      cJSON_Delete(c);
      return rc;
    }
  }
  *out = c;
  return 0;
}

/*
** mod_iam_statement.c: the value classes of `sfl.aws_iam`: PolicyStatement,
** PolicyDocument, Effect and the principals (aws-iam/lib/policy-statement.js,
** policy-document.js, principals.js).
*/
#include "lua/mod_iam.h"
#include "lua/props.h"
#include "cfn/token.h"

#include <stdlib.h>
#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

static cJSON *own(lua_State *L, cJSON *j)
{
  if(!j || !arena_own_json(A(L), j))
    luaL_error(L, "not enough memory");
  return j;
}

/* {============ principals */

static struct iam_principal *principal_new(lua_State *L, const char *kind, cJSON *value)
{
  struct iam_principal *p = arena_alloc(A(L), sizeof *p);
  if(!p)
    luaL_error(L, "not enough memory");
  p->kind = kind;
  p->value = value ? own(L, value) : NULL;
  lsfl_push(L, LSFL_PRINCIPAL, p, NULL);
  return p;
}

/* A string or a token argument as JSON. */
static cJSON *check_str(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(CFN_TOKEN), 0);
  if(b)
    return json_dup(b->obj);
  return cJSON_CreateString(luaL_checkstring(L, idx));
}

static int service_principal(lua_State *L)
{
  luaL_checkstring(L, 1);
  principal_new(L, "Service", check_str(L, 1));
  return 1;
}

static int arn_principal(lua_State *L)
{
  principal_new(L, "AWS", check_str(L, 1));
  return 1;
}

/* "arn:<Partition>:iam::<account>:root" */
static cJSON *root_arn(cJSON *account)
{
  return cfn_concat(4, cJSON_CreateString("arn:"), cfn_partition(),
                    cfn_concat(2, cJSON_CreateString(":iam::"), account),
                    cJSON_CreateString(":root"));
}

static int account_principal(lua_State *L)
{
  principal_new(L, "AWS", root_arn(check_str(L, 1)));
  return 1;
}

static int account_root_principal(lua_State *L)
{
  principal_new(L, "AWS", root_arn(cfn_account()));
  return 1;
}

static int any_principal(lua_State *L)
{
  principal_new(L, "AWS", cJSON_CreateString("*"));
  return 1;
}

static struct iam_principal *check_principal(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(PRINCIPAL), 0, "sfl.aws_iam.IPrincipal")->obj;
}

static int composite_principal(lua_State *L)
{
  int n = lua_gettop(L);
  struct iam_principal *p = principal_new(L, NULL, NULL);
  for(int i = 1; i <= n; i++)
    if(vec_push(A(L), &p->parts, check_principal(L, i)))
      return luaL_error(L, "not enough memory");
  return 1;
}

static int composite_add_principals(lua_State *L)
{
  struct iam_principal *p = check_principal(L, 1);
  if(p->kind)
    return lsfl_error(L, "add_principals: only a CompositePrincipal takes more principals");
  for(int i = 2; i <= lua_gettop(L); i++)
    if(vec_push(A(L), &p->parts, check_principal(L, i)))
      return luaL_error(L, "not enough memory");
  lua_settop(L, 1);
  return 1;
}

static const luaL_Reg principal_methods[] = {
  {"add_principals", composite_add_principals}, {NULL, NULL}
};

/* }============ */

/* {============ PolicyStatement */

static struct iam_stmt *check_stmt(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(POLICY_STATEMENT), 0, "sfl.aws_iam.PolicyStatement")->obj;
}

/* The list a statement keeps for `field`, made on first use. */
static cJSON *stmt_list(lua_State *L, cJSON **field)
{
  if(!*field)
    *field = own(L, cJSON_CreateArray());
  return *field;
}

static int valid_action(const char *a)
{
  if(!strcmp(a, "*"))
    return 1;
  size_t svc = strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
  if(!svc || a[svc] != ':')
    return 0;
  const char *name = a + svc + 1;
  size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*");
  return len && !name[len];
}

/* Adds one value (checked as an action when `action`) to a statement list. */
static void add_value(lua_State *L, cJSON *list, cJSON *v, int action)
{
  if(action && cJSON_IsString(v) && !valid_action(v->valuestring)) {
    const char *a = lua_pushstring(L, v->valuestring);
    cJSON_Delete(v);
    lsfl_error(L, "Action '%s' is invalid. An action string consists of a service namespace, "
                  "a colon, and the name of an action. Action names can include wildcards.", a);
  }
  if(!json_push(list, v))
    luaL_error(L, "not enough memory");
}

/* The list kinds of a statement, each with its opposite (CDK refuses to mix them). */
enum list_kind { L_ACTION, L_NOT_ACTION, L_RESOURCE, L_NOT_RESOURCE };
static const char *const list_names[] = {"Actions", "NotActions", "Resources", "NotResources"};

static cJSON **list_field(struct iam_stmt *s, enum list_kind k)
{
  cJSON **fields[] = {&s->action, &s->not_action, &s->resource, &s->not_resource};
  return fields[k];
}

static void check_not_mixed(lua_State *L, struct iam_stmt *s, enum list_kind k)
{
  enum list_kind other = (enum list_kind)(k ^ 1);
  cJSON *o = *list_field(s, other);
  if(o && o->child)
    lsfl_error(L, "Cannot add '%s' to policy statement if '%s' have been added",
               list_names[k], list_names[other]);
}

/* Values from a list (or a list token) into the statement's list of kind k. */
static void add_list(lua_State *L, struct iam_stmt *s, enum list_kind k, const cJSON *values)
{
  if(!values)
    return;
  if(values->child || !cJSON_IsArray(values))
    check_not_mixed(L, s, k);
  cJSON *list = stmt_list(L, list_field(s, k));
  if(!cJSON_IsArray(values)) {
    add_value(L, list, json_dup(values), k == L_ACTION || k == L_NOT_ACTION);
    return;
  }
  for(const cJSON *c = values->child; c; c = c->next)
    add_value(L, list, json_dup(c), k == L_ACTION || k == L_NOT_ACTION);
}

/* add_actions(...) and friends: each argument a string or a token. */
static int add_args(lua_State *L, enum list_kind k)
{
  struct iam_stmt *s = check_stmt(L, 1);
  int n = lua_gettop(L);
  if(n > 1)
    check_not_mixed(L, s, k);
  cJSON *list = stmt_list(L, list_field(s, k));
  for(int i = 2; i <= n; i++)
    add_value(L, list, check_str(L, i), k == L_ACTION || k == L_NOT_ACTION);
  return 0;
}

static int add_actions(lua_State *L) { return add_args(L, L_ACTION); }
static int add_not_actions(lua_State *L) { return add_args(L, L_NOT_ACTION); }
static int add_resources(lua_State *L) { return add_args(L, L_RESOURCE); }
static int add_not_resources(lua_State *L) { return add_args(L, L_NOT_RESOURCE); }

static int add_all_resources(lua_State *L)
{
  lua_settop(L, 1);
  lua_pushliteral(L, "*");
  return add_args(L, L_RESOURCE);
}

static void merge_principal(lua_State *L, struct iam_stmt *s, const struct iam_principal *p,
                            int negated)
{
  cJSON **mine = negated ? &s->not_principal : &s->principal;
  cJSON *other = negated ? s->principal : s->not_principal;
  if(other && other->child)
    lsfl_error(L, negated ? "Cannot add 'NotPrincipals' to policy statement if 'Principals' "
                            "have been added"
                          : "Cannot add 'Principals' to policy statement if 'NotPrincipals' "
                            "have been added");
  if(!*mine)
    *mine = own(L, cJSON_CreateObject());
  if(!iam_principal_merge(*mine, p))
    luaL_error(L, "not enough memory");
}

static int add_principals_to(lua_State *L, int negated)
{
  struct iam_stmt *s = check_stmt(L, 1);
  for(int i = 2; i <= lua_gettop(L); i++)
    merge_principal(L, s, check_principal(L, i), negated);
  return 0;
}

static int add_principals(lua_State *L) { return add_principals_to(L, 0); }
static int add_not_principals(lua_State *L) { return add_principals_to(L, 1); }

/* add_service_principal(s) etc.: make the principal, then add it. */
static int add_made_principal(lua_State *L, lua_CFunction make)
{
  struct iam_stmt *s = check_stmt(L, 1);
  lua_remove(L, 1);
  make(L);
  merge_principal(L, s, lua_touserdata(L, -1) ? check_principal(L, -1) : NULL, 0);
  return 0;
}

static int add_service_principal(lua_State *L) { return add_made_principal(L, service_principal); }
static int add_arn_principal(lua_State *L) { return add_made_principal(L, arn_principal); }
static int add_any_principal(lua_State *L) { return add_made_principal(L, any_principal); }
static int add_account_root_principal(lua_State *L)
{
  return add_made_principal(L, account_root_principal);
}
static int add_aws_account_principal(lua_State *L)
{
  return add_made_principal(L, account_principal);
}

/* add_condition(key, {k = v}): a second call with the same key merges the two. */
static void add_condition_at(lua_State *L, struct iam_stmt *s, const char *key, int idx)
{
  if(!lua_istable(L, idx))
    lsfl_error(L, "add_condition: the value of condition '%s' must be a table of "
                  "key = value, got %s", key, lsfl_typename(L, idx));
  cJSON *value = lsfl_to_json(L, idx, "PolicyStatement condition");
  if(!s->condition)
    s->condition = own(L, cJSON_CreateObject());
  cJSON *existing = json_get(s->condition, key);
  if(!existing) {
    if(!json_put(s->condition, key, json_dup(value)))
      luaL_error(L, "not enough memory");
    return;
  }
  for(const cJSON *c = value->child; c; c = c->next) {
    cJSON_DeleteItemFromObjectCaseSensitive(existing, c->string);
    if(!json_put(existing, c->string, json_dup(c)))
      luaL_error(L, "not enough memory");
  }
}

static int add_condition(lua_State *L)
{
  struct iam_stmt *s = check_stmt(L, 1);
  add_condition_at(L, s, luaL_checkstring(L, 2), 3);
  return 0;
}

static int compare_strings(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of the table at idx, sorted (Lua tables have no order). */
static struct vec sorted_keys(lua_State *L, int idx)
{
  struct vec keys = {0};
  lua_pushnil(L);
  while(lua_next(L, idx)) {
    lua_pop(L, 1);
    if(lua_type(L, -1) != LUA_TSTRING)
      lsfl_error(L, "condition operators must be strings, got %s", luaL_typename(L, -1));
    if(vec_push(A(L), &keys, (void *)arena_strdup(A(L), lua_tostring(L, -1))))
      luaL_error(L, "not enough memory");
  }
  if(keys.n)
    qsort(keys.items, keys.n, sizeof *keys.items, compare_strings);
  return keys;
}

static void add_conditions_table(lua_State *L, struct iam_stmt *s, int idx)
{
  struct vec keys = sorted_keys(L, idx);
  for(size_t i = 0; i < keys.n; i++) {
    lua_getfield(L, idx, keys.items[i]);
    add_condition_at(L, s, keys.items[i], lua_gettop(L));
    lua_pop(L, 1);
  }
}

static int add_conditions(lua_State *L)
{
  struct iam_stmt *s = check_stmt(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  add_conditions_table(L, s, 2);
  return 0;
}

static int stmt_to_json(lua_State *L)
{
  cJSON *j = iam_stmt_render(check_stmt(L, 1));
  if(!j)
    return luaL_error(L, "not enough memory");
  cJSON *plain = cfn_resolve(j);
  cJSON_Delete(j);
  if(!own(L, plain))
    return 0;
  lsfl_push_json(L, plain);
  return 1;
}

static int stmt_get_effect(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct iam_stmt *)self->obj)->deny ? "Deny" : "Allow");
  return 1;
}

static int stmt_get_sid(lua_State *L, struct lsfl_box *self)
{
  const cJSON *sid = ((struct iam_stmt *)self->obj)->sid;
  if(cJSON_IsString(sid))
    lua_pushstring(L, sid->valuestring);
  else
    lua_pushnil(L);
  return 1;
}

static int stmt_get_has_resource(lua_State *L, struct lsfl_box *self)
{
  const struct iam_stmt *s = self->obj;
  lua_pushboolean(L, cJSON_GetArraySize(s->resource) || cJSON_GetArraySize(s->not_resource));
  return 1;
}

static int stmt_get_has_principal(lua_State *L, struct lsfl_box *self)
{
  const struct iam_stmt *s = self->obj;
  lua_pushboolean(L, (s->principal && s->principal->child)
                     || (s->not_principal && s->not_principal->child));
  return 1;
}

static const luaL_Reg stmt_methods[] = {
  {"add_actions", add_actions}, {"add_not_actions", add_not_actions},
  {"add_resources", add_resources}, {"add_not_resources", add_not_resources},
  {"add_all_resources", add_all_resources}, {"add_principals", add_principals},
  {"add_not_principals", add_not_principals}, {"add_service_principal", add_service_principal},
  {"add_arn_principal", add_arn_principal}, {"add_any_principal", add_any_principal},
  {"add_account_root_principal", add_account_root_principal},
  {"add_aws_account_principal", add_aws_account_principal},
  {"add_condition", add_condition}, {"add_conditions", add_conditions},
  {"to_statement_json", stmt_to_json}, {"to_json", stmt_to_json}, {NULL, NULL}
};

static const struct lsfl_getter stmt_getters[] = {
  {"effect", stmt_get_effect}, {"sid", stmt_get_sid}, {"has_resource", stmt_get_has_resource},
  {"has_principal", stmt_get_has_principal}, {NULL, NULL}
};

static const char *const effects[] = {"Allow", "Deny", NULL};
static const char *const effect_members[] = {"ALLOW", "DENY", NULL};

struct stmt_props {
  cJSON *actions, *not_actions, *resources, *not_resources, *effect, *conditions, *sid;
  struct vec *principals, *not_principals;
};

#define SOFF(f) offsetof(struct stmt_props, f)
#define PRINCIPALS "an aws_iam.IPrincipal (e.g. iam.ServicePrincipal(\"lambda.amazonaws.com\"))"

static const struct lsfl_prop stmt_schema[] = {
  {"actions", P_STR_LIST, SOFF(actions), 0, NULL, NULL, NULL, 0, NULL},
  {"conditions", P_OBJECT, SOFF(conditions), 0, NULL, NULL, NULL, 0, NULL},
  {"effect", P_ENUM, SOFF(effect), 0, NULL, NULL, effects, 0, NULL},
  {"not_actions", P_STR_LIST, SOFF(not_actions), 0, NULL, NULL, NULL, 0, NULL},
  {"not_principals", P_USERDATA_LIST, SOFF(not_principals), 0, NULL, NULL, NULL,
   LSFL_BIT(PRINCIPAL), PRINCIPALS},
  {"not_resources", P_STR_LIST, SOFF(not_resources), 0, NULL, NULL, NULL, 0, NULL},
  {"principals", P_USERDATA_LIST, SOFF(principals), 0, NULL, NULL, NULL, LSFL_BIT(PRINCIPAL),
   PRINCIPALS},
  {"resources", P_STR_LIST, SOFF(resources), 0, NULL, NULL, NULL, 0, NULL},
  {"sid", P_STR, SOFF(sid), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

static int stmt_new(lua_State *L)
{
  lua_settop(L, 1);
  struct stmt_props p = {0};
  lsfl_read_props(L, 1, stmt_schema, &p, "PolicyStatement");
  struct iam_stmt *s = arena_alloc(A(L), sizeof *s);
  if(!s)
    return luaL_error(L, "not enough memory");
  s->deny = p.effect && !strcmp(p.effect->valuestring, "Deny");
  s->sid = p.sid;
  add_list(L, s, L_ACTION, p.actions);
  add_list(L, s, L_NOT_ACTION, p.not_actions);
  add_list(L, s, L_RESOURCE, p.resources);
  add_list(L, s, L_NOT_RESOURCE, p.not_resources);
  for(size_t i = 0; p.principals && i < p.principals->n; i++)
    merge_principal(L, s, p.principals->items[i], 0);
  for(size_t i = 0; p.not_principals && i < p.not_principals->n; i++)
    merge_principal(L, s, p.not_principals->items[i], 1);
  lsfl_push(L, LSFL_POLICY_STATEMENT, s, NULL);
  if(p.conditions) {
    /* The props table was checked; its conditions are read again as a table. */
    lua_getfield(L, 1, "conditions");
    if(lua_istable(L, -1))
      add_conditions_table(L, s, lua_gettop(L));
    lua_pop(L, 1);
  }
  return 1;
}

cJSON *lsfl_identity_statement(lua_State *L, const struct iam_stmt *s, const char *what)
{
  if(!cJSON_GetArraySize(s->action) && !cJSON_GetArraySize(s->not_action))
    lsfl_error(L, "%s: A PolicyStatement must specify at least one 'action' or 'notAction'.",
               what);
  if((s->principal && s->principal->child) || (s->not_principal && s->not_principal->child))
    lsfl_error(L, "%s: A PolicyStatement used in an identity-based policy cannot specify any "
                  "IAM principals.", what);
  if(!cJSON_GetArraySize(s->resource) && !cJSON_GetArraySize(s->not_resource))
    lsfl_error(L, "%s: A PolicyStatement used in an identity-based policy must specify at "
                  "least one resource.", what);
  return own(L, iam_stmt_render(s));
}

/* }============ */

/* {============ PolicyDocument */

static struct lsfl_policy_doc *check_doc(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(POLICY_DOCUMENT), 0, "sfl.aws_iam.PolicyDocument")->obj;
}

void lsfl_identity_document(lua_State *L, const struct lsfl_policy_doc *doc, cJSON *into,
                            const char *what)
{
  for(size_t i = 0; i < doc->stmts.n; i++)
    if(!json_push(into, json_dup(lsfl_identity_statement(L, doc->stmts.items[i], what))))
      luaL_error(L, "not enough memory");
}

static void doc_add(lua_State *L, struct lsfl_policy_doc *doc, struct iam_stmt *s)
{
  if(doc->target) {
    /* A role's trust policy takes the statement as it is now. */
    if(!json_push(doc->target, iam_stmt_render(s)))
      luaL_error(L, "not enough memory");
  }
  else if(vec_push(A(L), &doc->stmts, s))
    luaL_error(L, "not enough memory");
}

static int doc_add_statements(lua_State *L)
{
  struct lsfl_policy_doc *doc = check_doc(L, 1);
  for(int i = 2; i <= lua_gettop(L); i++)
    doc_add(L, doc, check_stmt(L, i));
  return 0;
}

static int doc_to_json(lua_State *L)
{
  struct lsfl_policy_doc *doc = check_doc(L, 1);
  cJSON *list = own(L, cJSON_CreateArray());
  for(size_t i = 0; !doc->target && i < doc->stmts.n; i++)
    if(!json_push(list, iam_stmt_render(doc->stmts.items[i])))
      return luaL_error(L, "not enough memory");
  cJSON *d = own(L, iam_policy_document(doc->target ? doc->target : list));
  lsfl_push_json(L, own(L, cfn_resolve(d)));
  return 1;
}

static int doc_get_count(lua_State *L, struct lsfl_box *self)
{
  const struct lsfl_policy_doc *doc = self->obj;
  lua_pushinteger(L, doc->target ? cJSON_GetArraySize(doc->target) : (lua_Integer)doc->stmts.n);
  return 1;
}

static int doc_get_empty(lua_State *L, struct lsfl_box *self)
{
  doc_get_count(L, self);
  lua_pushboolean(L, lua_tointeger(L, -1) == 0);
  return 1;
}

static const luaL_Reg doc_methods[] = {
  {"add_statements", doc_add_statements}, {"to_json", doc_to_json}, {NULL, NULL}
};

static const struct lsfl_getter doc_getters[] = {
  {"statement_count", doc_get_count}, {"is_empty", doc_get_empty}, {NULL, NULL}
};

struct doc_props {
  struct vec *statements;
};

static const struct lsfl_prop doc_schema[] = {
  {"statements", P_USERDATA_LIST, offsetof(struct doc_props, statements), 0, NULL, NULL, NULL,
   LSFL_BIT(POLICY_STATEMENT), "an aws_iam.PolicyStatement"},
  PROP_END
};

static int doc_new(lua_State *L)
{
  lua_settop(L, 1);
  struct doc_props p = {0};
  lsfl_read_props(L, 1, doc_schema, &p, "PolicyDocument");
  struct lsfl_policy_doc *doc = arena_alloc(A(L), sizeof *doc);
  if(!doc)
    return luaL_error(L, "not enough memory");
  if(p.statements)
    doc->stmts = *p.statements;
  lsfl_push(L, LSFL_POLICY_DOCUMENT, doc, NULL);
  return 1;
}

/* }============ */

void lsfl_register_iam_statement_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_POLICY_STATEMENT, stmt_methods, stmt_getters);
  lsfl_new_type(L, LSFL_POLICY_DOCUMENT, doc_methods, doc_getters);
  lsfl_new_type(L, LSFL_PRINCIPAL, principal_methods, NULL);
}

void lsfl_add_iam_statements(lua_State *L)
{
  static const struct { const char *name; lua_CFunction ctor; } classes[] = {
    {"PolicyStatement", stmt_new}, {"PolicyDocument", doc_new},
    {"ServicePrincipal", service_principal}, {"ArnPrincipal", arn_principal},
    {"AccountPrincipal", account_principal}, {"AccountRootPrincipal", account_root_principal},
    {"AnyPrincipal", any_principal}, {"CompositePrincipal", composite_principal},
  };
  for(size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
    lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_iam.%s", classes[i].name), classes[i].ctor,
                   NULL);
    lua_setfield(L, -3, classes[i].name);
    lua_pop(L, 1);
  }
  lsfl_new_enum(L, "sfl.aws_iam.Effect", effect_members, effects);
  lua_setfield(L, -2, "Effect");
}

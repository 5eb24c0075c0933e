/*
** mod_iam.c: `sfl.aws_iam`: Role (made or imported), Policy, ManagedPolicy, and the one
** grantee check every grant* method uses. Statements, documents and principals are in
** mod_iam_statement.c.
*/
#include "lua/mod_iam.h"
#include "lua/props.h"
#include "constructs/lambda.h"
#include "constructs/sfn.h"

#include <ctype.h>
#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

static int raise_if(lua_State *L, enum sfl_status st, struct diag *d)
{
  return st ? lsfl_raise(L, d) : 0;
}

struct role *lsfl_check_grantee(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_check(L, idx, LSFL_BIT(ROLE) | LSFL_BIT(FUNCTION)
                                          | LSFL_BIT(STATE_MACHINE), 0,
                                  "sfl.aws_iam.IGrantable (a Role, a Function or a "
                                  "StateMachine)");
  switch(b->type) {
  case LSFL_FUNCTION: return ((struct lambda_function *)b->obj)->role;
  case LSFL_STATE_MACHINE: return ((struct sfn_machine *)b->obj)->role;
  default: return b->obj;
  }
}

static struct role *check_role(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(ROLE), 0, "sfl.aws_iam.IRole")->obj;
}

static struct iam_stmt *check_stmt(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(POLICY_STATEMENT), 0, "sfl.aws_iam.PolicyStatement")->obj;
}

static struct iam_managed_policy *check_managed(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(MANAGED_POLICY), 0, "sfl.aws_iam.IManagedPolicy")->obj;
}

/* {============ Role */

struct role_lua_props {
  struct role_props p;
  struct iam_principal *assumed_by;
  struct vec *managed_policies;    /* struct iam_managed_policy* */
  struct vec inline_policies;      /* name, struct lsfl_policy_doc* pairs */
  struct iam_managed_policy *permissions_boundary;
  cJSON *external_ids;
};

#define ROFF(f) offsetof(struct role_lua_props, f)

static const struct lsfl_prop role_schema[] = {
  {"assumed_by", P_USERDATA, ROFF(assumed_by), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(PRINCIPAL), "an aws_iam.IPrincipal (e.g. iam.ServicePrincipal(\"lambda.amazonaws.com\"))"},
  {"description", P_STR, ROFF(p.description), 0, NULL, NULL, NULL, 0, NULL},
  {"inline_policies", P_USERDATA_MAP, ROFF(inline_policies), 0, NULL, NULL, NULL,
   LSFL_BIT(POLICY_DOCUMENT), "an aws_iam.PolicyDocument"},
  {"managed_policies", P_USERDATA_LIST, ROFF(managed_policies), 0, NULL, NULL, NULL,
   LSFL_BIT(MANAGED_POLICY), "an aws_iam.IManagedPolicy (e.g. "
   "ManagedPolicy.from_aws_managed_policy_name(\"ReadOnlyAccess\"))"},
  {"max_session_duration", P_DURATION, ROFF(p.max_session_duration), 0, NULL, NULL, NULL, 0,
   NULL},
  {"path", P_STR, ROFF(p.path), 0, NULL, NULL, NULL, 0, NULL},
  {"permissions_boundary", P_USERDATA, ROFF(permissions_boundary), 0, NULL, NULL, NULL,
   LSFL_BIT(MANAGED_POLICY), "an aws_iam.IManagedPolicy"},
  {"role_name", P_STR, ROFF(p.role_name), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

static int valid_role_name(const char *s)
{
  size_t n = strlen(s);
  if(n < 1 || n > 64)
    return 0;
  for(; *s; s++)
    if(!isalnum((unsigned char)*s) && !strchr("_+=,.@-", *s))
      return 0;
  return 1;
}

/* Role's own checks (role.js: validateRolePath, validateMaxSessionDuration...). */
static void check_role_props(lua_State *L, const struct role_props *p, const char *what)
{
  const cJSON *name = p->role_name, *desc = p->description, *path = p->path;
  if(cJSON_IsString(name) && !valid_role_name(name->valuestring))
    lsfl_error(L, "%s: Invalid roleName. The name must be a string of characters consisting of "
                  "upper and lowercase alphanumeric characters with no spaces. You can also "
                  "include any of the following characters: _+=,.@-. Length must be between 1 "
                  "and 64 characters.", what);
  if(cJSON_IsString(desc) && strlen(desc->valuestring) > 1000)
    lsfl_error(L, "%s: Role description must be no longer than 1000 characters.", what);
  if(cJSON_IsNumber(p->max_session_duration)) {
    double s = p->max_session_duration->valuedouble;
    if(s < 3600 || s > 43200)
      lsfl_error(L, "%s: maxSessionDuration is set to %d, but must be >= 3600sec (1hr) and "
                    "<= 43200sec (12hrs)", what, (int)s);
  }
  if(cJSON_IsString(path)) {
    const char *s = path->valuestring;
    size_t n = strlen(s);
    if(n < 1 || n > 512)
      lsfl_error(L, "%s: Role path must be between 1 and 512 characters. The provided role "
                    "path is %d characters.", what, (int)n);
    int ok = s[0] == '/' && s[n - 1] == '/';
    for(const char *c = s; ok && *c; c++)
      ok = (unsigned char)*c >= 0x21 && (unsigned char)*c <= 0x7f;
    if(!ok)
      lsfl_error(L, "%s: Role path must be either a slash or valid characters (alphanumerics "
                    "and symbols) surrounded by slashes. Valid characters are unicode "
                    "characters in [\\u0021-\\u007F]. However, %s is provided.", what, s);
  }
}

static int role_new_lua(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *what = lua_pushfstring(L, "Role '%s'", id);
  struct role_lua_props p = {0};
  lsfl_read_props(L, 3, role_schema, &p, what);
  check_role_props(L, &p.p, what);
  if(p.permissions_boundary)
    p.p.permissions_boundary = arena_own_json(A(L), iam_managed_policy_arn(p.permissions_boundary));
  cJSON *docs = arena_own_json(A(L), cJSON_CreateArray());
  for(size_t i = 0; docs && i < p.inline_policies.n; i += 2)
    lsfl_identity_document(L, p.inline_policies.items[i + 1], docs, what);
  struct diag d = {0};
  struct role *r = role_new_empty(scope, id, &p.p, lsfl_loc(L), &d);
  if(!r)
    return lsfl_raise(L, &d);
  if(!docs || !iam_principal_trust(role_trust(r), p.assumed_by))
    return luaL_error(L, "not enough memory");
  for(size_t i = 0; p.managed_policies && i < p.managed_policies->n; i++)
    if(role_add_managed_arn(r, iam_managed_policy_arn(p.managed_policies->items[i]), &d))
      return lsfl_raise(L, &d);
  cJSON *doc = docs->child;
  for(size_t i = 0; i < p.inline_policies.n; i += 2) {
    /* Each inline document holds the statements rendered above, in order. */
    const struct lsfl_policy_doc *src = p.inline_policies.items[i + 1];
    cJSON *stmts = cJSON_CreateArray();
    for(size_t k = 0; k < src->stmts.n && doc; k++, doc = doc->next)
      json_push(stmts, json_dup(doc));
    cJSON *rendered = iam_policy_document(stmts);
    cJSON_Delete(stmts);
    if(role_add_inline_policy(r, p.inline_policies.items[i], rendered, &d))
      return lsfl_raise(L, &d);
  }
  lsfl_push(L, LSFL_ROLE, r, r->node);
  return 1;
}

struct import_opts {
  int mutable_;
};

static const struct lsfl_prop import_schema[] = {
  {"mutable", P_BOOL, offsetof(struct import_opts, mutable_), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

/* Role.from_role_arn(scope, id, arn, {mutable}) / from_role_name(scope, id, name, {...}) */
static int role_import_lua(lua_State *L, int by_name)
{
  lua_settop(L, 4);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *value = luaL_checkstring(L, 3);
  struct import_opts o = {.mutable_ = 1};
  lsfl_read_props(L, 4, import_schema, &o,
                  by_name ? "Role.from_role_name options" : "Role.from_role_arn options");
  cJSON *v = arena_own_json(A(L), cJSON_CreateString(value));
  if(!v)
    return luaL_error(L, "not enough memory");
  struct diag d = {0};
  struct role *r = role_import(scope, id, by_name ? NULL : v, by_name ? v : NULL, o.mutable_,
                               lsfl_loc(L), &d);
  if(!r)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_ROLE, r, r->node);
  return 1;
}

static int role_from_arn(lua_State *L) { return role_import_lua(L, 0); }
static int role_from_name(lua_State *L) { return role_import_lua(L, 1); }

static int role_add_to_policy(lua_State *L)
{
  struct role *r = check_role(L, 1);
  cJSON *st = lsfl_identity_statement(L, check_stmt(L, 2),
                                      lua_pushfstring(L, "Role '%s'", r->node->id));
  struct diag d = {0};
  if(role_add_statement(r, json_dup(st), &d))
    return lsfl_raise(L, &d);
  lua_pushboolean(L, !r->immutable);
  return 1;
}

/* add_to_principal_policy: {statement_added = ...} (AddToPrincipalPolicyResult). */
static int role_add_to_principal_policy(lua_State *L)
{
  role_add_to_policy(L);
  lua_newtable(L);
  lua_insert(L, -2);
  lua_setfield(L, -2, "statement_added");
  return 1;
}

static int role_add_managed(lua_State *L)
{
  struct role *r = check_role(L, 1);
  struct diag d = {0};
  return raise_if(L, role_add_managed_arn(r, iam_managed_policy_arn(check_managed(L, 2)), &d),
                  &d);
}

static struct iam_policy *check_policy(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(POLICY), 0, "sfl.aws_iam.Policy")->obj;
}

static int role_attach_inline(lua_State *L)
{
  struct role *r = check_role(L, 1);
  struct diag d = {0};
  if(r->immutable)
    return 0;
  return raise_if(L, iam_policy_attach(check_policy(L, 2), r, &d), &d);
}

/* A statement granting `actions` on one resource, added to the grantee's role. */
static void grant_actions(lua_State *L, struct role *to, const char *const *actions, size_t n,
                          cJSON *resource)
{
  cJSON *list = cJSON_CreateArray();
  json_push(list, resource);
  struct diag d = {0};
  if(role_add_statement(to, iam_statement(actions, n, list, NULL, NULL), &d))
    lsfl_raise(L, &d);
}

/* role:grant(grantee, ...actions) */
static int role_grant(lua_State *L)
{
  struct role *r = check_role(L, 1);
  struct role *to = lsfl_check_grantee(L, 2);
  int n = lua_gettop(L) - 2;
  if(n < 1)
    return lsfl_error(L, "Role '%s': grant needs at least one action (e.g. \"iam:GetRole\")",
                      r->node->id);
  const char **actions = arena_alloc(A(L), (size_t)n * sizeof *actions);
  if(!actions)
    return luaL_error(L, "not enough memory");
  for(int i = 0; i < n; i++)
    actions[i] = arena_strdup(A(L), luaL_checkstring(L, 3 + i));
  grant_actions(L, to, actions, (size_t)n, role_arn(r));
  return 0;
}

static int role_grant_pass(lua_State *L)
{
  static const char *const pass[] = {"iam:PassRole"};
  struct role *r = check_role(L, 1);
  struct role *to = lsfl_check_grantee(L, 2);
  grant_actions(L, to, pass, 1, role_arn(r));
  return 0;
}

static int role_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, role_arn(self->obj));
}

static int role_get_name(lua_State *L, struct lsfl_box *self)
{
  const struct role *r = self->obj;
  if(!r->resource) {
    lua_pushstring(L, r->imported_name->valuestring);
    return 1;
  }
  return lsfl_push_token(L, role_name(r));
}

static int role_get_assume_policy(lua_State *L, struct lsfl_box *self)
{
  struct role *r = self->obj;
  if(!r->resource) {
    lua_pushnil(L);
    return 1;
  }
  struct lsfl_policy_doc *doc = arena_alloc(A(L), sizeof *doc);
  if(!doc)
    return luaL_error(L, "not enough memory");
  doc->target = role_trust(r);
  lsfl_push(L, LSFL_POLICY_DOCUMENT, doc, NULL);
  return 1;
}

static const luaL_Reg role_methods[] = {
  {"add_to_policy", role_add_to_policy},
  {"add_to_principal_policy", role_add_to_principal_policy},
  {"add_managed_policy", role_add_managed}, {"attach_inline_policy", role_attach_inline},
  {"grant", role_grant}, {"grant_pass_role", role_grant_pass}, {NULL, NULL}
};

static const struct lsfl_getter role_getters[] = {
  {"role_arn", role_get_arn}, {"role_name", role_get_name},
  {"assume_role_policy", role_get_assume_policy}, {NULL, NULL}
};

static const luaL_Reg role_statics[] = {
  {"from_role_arn", role_from_arn}, {"from_role_name", role_from_name}, {NULL, NULL}
};

/* }============ */

/* {============ Policy and ManagedPolicy */

struct policy_lua_props {
  cJSON *policy_name, *description, *path;
  struct vec *statements, *roles;
  struct lsfl_policy_doc *document;
  int force;
};

#define POFF(f) offsetof(struct policy_lua_props, f)
#define STATEMENTS "an aws_iam.PolicyStatement"
#define ROLES "an aws_iam.IRole"

static const struct lsfl_prop policy_schema[] = {
  {"document", P_USERDATA, POFF(document), 0, NULL, NULL, NULL, LSFL_BIT(POLICY_DOCUMENT),
   "an aws_iam.PolicyDocument"},
  {"force", P_BOOL, POFF(force), 0, NULL, NULL, NULL, 0, NULL},
  {"policy_name", P_STR, POFF(policy_name), 0, NULL, NULL, NULL, 0, NULL},
  {"roles", P_USERDATA_LIST, POFF(roles), 0, NULL, NULL, NULL, LSFL_BIT(ROLE), ROLES},
  {"statements", P_USERDATA_LIST, POFF(statements), 0, NULL, NULL, NULL,
   LSFL_BIT(POLICY_STATEMENT), STATEMENTS},
  PROP_END
};

static const struct lsfl_prop managed_schema[] = {
  {"description", P_STR, POFF(description), 0, NULL, NULL, NULL, 0, NULL},
  {"document", P_USERDATA, POFF(document), 0, NULL, NULL, NULL, LSFL_BIT(POLICY_DOCUMENT),
   "an aws_iam.PolicyDocument"},
  {"managed_policy_name", P_STR, POFF(policy_name), 0, NULL, NULL, NULL, 0, NULL},
  {"path", P_STR, POFF(path), 0, NULL, NULL, NULL, 0, NULL},
  {"roles", P_USERDATA_LIST, POFF(roles), 0, NULL, NULL, NULL, LSFL_BIT(ROLE), ROLES},
  {"statements", P_USERDATA_LIST, POFF(statements), 0, NULL, NULL, NULL,
   LSFL_BIT(POLICY_STATEMENT), STATEMENTS},
  PROP_END
};

/* What both kinds of policy do with statements and roles. */
struct policy_ops {
  enum sfl_status (*add)(void *p, cJSON *statement, struct diag *d);
  enum sfl_status (*attach)(void *p, struct role *r, struct diag *d);
  const char *kind;
};

static enum sfl_status add_inline(void *p, cJSON *s, struct diag *d)
{
  return iam_policy_add_statement(p, s, d);
}
static enum sfl_status attach_inline(void *p, struct role *r, struct diag *d)
{
  return iam_policy_attach(p, r, d);
}
static enum sfl_status add_managed(void *p, cJSON *s, struct diag *d)
{
  return iam_managed_policy_add_statement(p, s, d);
}
static enum sfl_status attach_managed(void *p, struct role *r, struct diag *d)
{
  return iam_managed_policy_attach(p, r, d);
}

static const struct policy_ops inline_ops = {add_inline, attach_inline, "Policy"};
static const struct policy_ops managed_ops = {add_managed, attach_managed, "ManagedPolicy"};

static void policy_add(lua_State *L, const struct policy_ops *ops, void *p, const char *id,
                       struct iam_stmt *s)
{
  cJSON *st = lsfl_identity_statement(L, s, lua_pushfstring(L, "%s '%s'", ops->kind, id));
  lua_pop(L, 1);
  struct diag d = {0};
  if(ops->add(p, json_dup(st), &d))
    lsfl_raise(L, &d);
}

static void policy_attach(lua_State *L, const struct policy_ops *ops, void *p, struct role *r)
{
  struct diag d = {0};
  if(!r->immutable && ops->attach(p, r, &d))
    lsfl_raise(L, &d);
}

/* Statements (the document's first, as CDK's constructor adds them) and roles. */
static void policy_fill(lua_State *L, const struct policy_ops *ops, void *p, const char *id,
                        const struct policy_lua_props *props)
{
  for(size_t i = 0; props->document && i < props->document->stmts.n; i++)
    policy_add(L, ops, p, id, props->document->stmts.items[i]);
  for(size_t i = 0; props->statements && i < props->statements->n; i++)
    policy_add(L, ops, p, id, props->statements->items[i]);
  for(size_t i = 0; props->roles && i < props->roles->n; i++)
    policy_attach(L, ops, p, props->roles->items[i]);
}

static int policy_new_lua(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct policy_lua_props p = {0};
  lsfl_read_props(L, 3, policy_schema, &p, lua_pushfstring(L, "Policy '%s'", id));
  struct diag d = {0};
  struct iam_policy *pol = iam_policy_new(scope, id, p.policy_name, lsfl_loc(L), &d);
  if(!pol)
    return lsfl_raise(L, &d);
  pol->force = p.force;
  policy_fill(L, &inline_ops, pol, id, &p);
  lsfl_push(L, LSFL_POLICY, pol, pol->node);
  return 1;
}

static int managed_new_lua(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct policy_lua_props p = {0};
  lsfl_read_props(L, 3, managed_schema, &p, lua_pushfstring(L, "ManagedPolicy '%s'", id));
  struct diag d = {0};
  struct iam_managed_policy *mp = iam_managed_policy_new(scope, id, p.policy_name,
                                                         p.description, p.path, lsfl_loc(L),
                                                         &d);
  if(!mp)
    return lsfl_raise(L, &d);
  policy_fill(L, &managed_ops, mp, id, &p);
  lsfl_push(L, LSFL_MANAGED_POLICY, mp, mp->node);
  return 1;
}

/* The policy at 1 and the ops for its kind; raises when it cannot take statements. */
static struct lsfl_box *check_any_policy(lua_State *L, const struct policy_ops **ops)
{
  struct lsfl_box *b = lsfl_check(L, 1, LSFL_BIT(POLICY) | LSFL_BIT(MANAGED_POLICY), 0,
                                  "sfl.aws_iam.Policy or ManagedPolicy");
  *ops = b->type == LSFL_POLICY ? &inline_ops : &managed_ops;
  if(b->type == LSFL_MANAGED_POLICY && !((struct iam_managed_policy *)b->obj)->resource)
    lsfl_error(L, "an imported managed policy cannot be changed: make an "
                  "iam.ManagedPolicy(scope, id, {...}) to add statements or roles");
  return b;
}

static int policy_add_statements(lua_State *L)
{
  const struct policy_ops *ops;
  struct lsfl_box *b = check_any_policy(L, &ops);
  for(int i = 2; i <= lua_gettop(L); i++)
    policy_add(L, ops, b->obj, b->node->id, check_stmt(L, i));
  return 0;
}

static int policy_attach_to_role(lua_State *L)
{
  const struct policy_ops *ops;
  struct lsfl_box *b = check_any_policy(L, &ops);
  policy_attach(L, ops, b->obj, check_role(L, 2));
  return 0;
}

static const luaL_Reg policy_methods[] = {
  {"add_statements", policy_add_statements}, {"attach_to_role", policy_attach_to_role},
  {NULL, NULL}
};

static int managed_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, iam_managed_policy_arn(self->obj));
}

static const struct lsfl_getter managed_getters[] = {
  {"managed_policy_arn", managed_get_arn}, {NULL, NULL}
};

static int managed_from_aws(lua_State *L)
{
  cJSON *name = arena_own_json(A(L), cJSON_CreateString(luaL_checkstring(L, 1)));
  struct iam_managed_policy *p = name ? iam_managed_policy_aws(A(L), name) : NULL;
  if(!p)
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_MANAGED_POLICY, p, NULL);
  return 1;
}

static int managed_import(lua_State *L, int by_name)
{
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *v = arena_own_json(A(L), cJSON_CreateString(luaL_checkstring(L, 3)));
  if(!v)
    return luaL_error(L, "not enough memory");
  struct diag d = {0};
  struct iam_managed_policy *p = iam_managed_policy_import(scope, id, by_name ? NULL : v,
                                                           by_name ? v : NULL, lsfl_loc(L), &d);
  if(!p)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_MANAGED_POLICY, p, p->node);
  return 1;
}

static int managed_from_arn(lua_State *L) { return managed_import(L, 0); }
static int managed_from_name(lua_State *L) { return managed_import(L, 1); }

static const luaL_Reg managed_statics[] = {
  {"from_aws_managed_policy_name", managed_from_aws},
  {"from_managed_policy_arn", managed_from_arn},
  {"from_managed_policy_name", managed_from_name}, {NULL, NULL}
};

/* }============ */

void lsfl_register_iam_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_ROLE, role_methods, role_getters);
  lsfl_new_type(L, LSFL_POLICY, policy_methods, NULL);
  lsfl_new_type(L, LSFL_MANAGED_POLICY, policy_methods, managed_getters);
  lsfl_register_iam_statement_types(L);
}

int lsfl_open_iam(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_iam.Role", role_new_lua, role_statics);
  lua_setfield(L, -2, "Role");
  lsfl_new_class(L, "sfl.aws_iam.Policy", policy_new_lua, NULL);
  lua_setfield(L, -2, "Policy");
  lsfl_new_class(L, "sfl.aws_iam.ManagedPolicy", managed_new_lua, managed_statics);
  lua_setfield(L, -2, "ManagedPolicy");
  lsfl_add_iam_statements(L);
  lsfl_make_strict(L, "sfl.aws_iam");
  return 1;
}

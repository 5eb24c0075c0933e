/*
** mod_iam.h: what the two halves of `sfl.aws_iam` share: mod_iam_statement.c (statements,
** documents, principals) and mod_iam.c (roles, policies, grants).
*/
#ifndef SFL_LUA_MOD_IAM_H
#define SFL_LUA_MOD_IAM_H

#include "lua/lsfl.h"
#include "cfn/iam.h"
#include "constructs/role.h"

/* A PolicyDocument: its statements; a role's assume_role_policy writes into `target`. */
struct lsfl_policy_doc {
  struct vec stmts;        /* struct iam_stmt* */
  cJSON *target;           /* the role's trust statements, or NULL */
};

/*
** The statement rendered for an identity-based policy (a role's policies), raising at
** the user's line what CDK reports at synthesis ("... must specify at least one
** resource."). `what` names where it goes. The result is arena-owned.
*/
cJSON *lsfl_identity_statement(lua_State *L, const struct iam_stmt *s, const char *what);
/* Each statement of a document for an identity-based policy, pushed onto `into`. */
void lsfl_identity_document(lua_State *L, const struct lsfl_policy_doc *doc, cJSON *into,
                            const char *what);
/* Adds PolicyStatement, PolicyDocument, Effect and the principal classes to the module
** table at the top. */
void lsfl_add_iam_statements(lua_State *L);
void lsfl_register_iam_statement_types(lua_State *L);

#endif

/*
** role.h: aws_iam.Role as CDK builds it (aws-iam/lib/role.js): an AWS::IAM::Role (trust
** policy, managed and inline policies, name, path...) and, from the first statement
** granted to it, a DefaultPolicy (AWS::IAM::Policy) under it. Imported roles
** (Role.from_role_arn/_name) have no resource: a mutable one gets a "Policy" child for the
** statements granted to it, an immutable one drops them.
**
** Ownership: everything lives in the app's arena; cJSON* arguments are taken over.
*/
#ifndef SFL_CONSTRUCTS_ROLE_H
#define SFL_CONSTRUCTS_ROLE_H

#include "cfn/construct.h"
#include "constructs/policy.h"

struct role_props {
  cJSON *role_name, *description, *path, *max_session_duration;  /* NULL: not set */
  cJSON *permissions_boundary;       /* a managed policy ARN */
};

struct role {
  struct cfn_node *node;             /* the Role construct */
  struct cfn_resource *resource;     /* Role/Resource; NULL when imported */
  cJSON *trust;                      /* array of trust statements */
  cJSON *managed;                    /* array of managed policy ARNs */
  cJSON *inline_policies;            /* array of {PolicyDocument, PolicyName} */
  struct role_props props;
  struct iam_policy *policy;         /* DefaultPolicy (or an import's Policy), once made */
  cJSON *imported_arn, *imported_name;   /* Role.from_role_arn/_name */
  int immutable;                     /* imported with mutable = false */
};

struct role *role_new(struct cfn_node *scope, const char *id, const char *service,
                      cJSON *trust_condition, struct sfl_loc loc, struct diag *d);
/* A role whose trust policy is empty (the caller adds principals with role_trust()). */
struct role *role_new_empty(struct cfn_node *scope, const char *id,
                            const struct role_props *props, struct sfl_loc loc,
                            struct diag *d);
/* The role's trust statements, to add to. */
static inline cJSON *role_trust(struct role *r) { return r->trust; }
/*
** Role.from_role_arn (name NULL: the last part of the ARN's resource name, which must then
** be a literal "arn:PARTITION:iam::ACCOUNT:role/NAME") and from_role_name (arn NULL).
*/
struct role *role_import(struct cfn_node *scope, const char *id, cJSON *arn, cJSON *name,
                         int mutable_, struct sfl_loc loc, struct diag *d);
/* Adds "arn:<Partition>:iam::aws:policy/<name>" to ManagedPolicyArns. */
enum sfl_status role_add_managed_policy(struct role *r, const char *name, struct diag *d);
/* Adds a managed policy's ARN (taken over); imported roles ignore it, as CDK does. */
enum sfl_status role_add_managed_arn(struct role *r, cJSON *arn, struct diag *d);
enum sfl_status role_add_trust(struct role *r, const char *service, struct diag *d);
/* Adds {PolicyDocument, PolicyName} to the role's inline Policies. */
enum sfl_status role_add_inline_policy(struct role *r, const char *name, cJSON *document,
                                       struct diag *d);
/* Adds a statement (taken over) to the DefaultPolicy, making the policy if needed. */
enum sfl_status role_add_statement(struct role *r, cJSON *statement, struct diag *d);

cJSON *role_arn(const struct role *r);    /* {"Fn::GetAtt": [role, "Arn"]} or the import's */
cJSON *role_name(const struct role *r);   /* {"Ref": role} or the import's name */
/* What a machine using the role depends on: the role (its policy), NULL for an immutable
** import. */
struct cfn_node *role_dependency(const struct role *r);

#endif

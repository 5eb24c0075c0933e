/*
** role.h: aws_iam.Role as CDK builds it: an AWS::IAM::Role (trust policy, managed
** policies) and, from the first statement granted to it, a DefaultPolicy
** (AWS::IAM::Policy) under it.
*/
#ifndef SFL_CONSTRUCTS_ROLE_H
#define SFL_CONSTRUCTS_ROLE_H

#include "cfn/construct.h"

struct role {
  struct cfn_node *node;           /* the Role construct */
  struct cfn_resource *resource;   /* Role/Resource */
  cJSON *trust;                    /* array of trust statements */
  cJSON *managed;                  /* array of managed policy ARNs */
  struct cfn_node *policy_node;    /* Role/DefaultPolicy, once made */
  cJSON *statements;               /* the DefaultPolicy's statements, in order */
};

struct role *role_new(struct cfn_node *scope, const char *id, const char *service,
                      cJSON *trust_condition, struct sfl_loc loc, struct diag *d);
/* Adds "arn:<Partition>:iam::aws:policy/<name>" to ManagedPolicyArns. */
enum sfl_status role_add_managed_policy(struct role *r, const char *name, struct diag *d);
enum sfl_status role_add_trust(struct role *r, const char *service, struct diag *d);
/* Adds a statement (taken over) to the DefaultPolicy, making the policy if needed. */
enum sfl_status role_add_statement(struct role *r, cJSON *statement, struct diag *d);

cJSON *role_arn(const struct role *r);    /* {"Fn::GetAtt": [role, "Arn"]} */
cJSON *role_name(const struct role *r);   /* {"Ref": role} */

#endif

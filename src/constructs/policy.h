/*
** policy.h: aws_iam.Policy (an AWS::IAM::Policy attached to roles) and aws_iam.ManagedPolicy
** (an AWS::IAM::ManagedPolicy, or one imported by ARN or name), as aws-iam/lib/policy.js
** and managed-policy.js render them; and the principals of aws-iam/lib/principals.js.
**
** Ownership: everything lives in the app's arena; statements passed in as cJSON* are
** taken over.
*/
#ifndef SFL_CONSTRUCTS_POLICY_H
#define SFL_CONSTRUCTS_POLICY_H

#include "cfn/construct.h"

struct role;

/* {============ principals */

/*
** A principal: `kind` "AWS", "Service" or "Federated" and its value (a string or
** intrinsic); a CompositePrincipal has no kind and lists its parts.
*/
struct iam_principal {
  const char *kind;
  cJSON *value;
  struct vec parts;        /* struct iam_principal*, for a CompositePrincipal */
};

/* Adds p (each part, for a composite) to a statement's principal object {kind: [values]}. */
int iam_principal_merge(cJSON *principal, const struct iam_principal *p);
/* The trust statements of a role assumed by p: one per part of a composite. */
int iam_principal_trust(cJSON *statements, const struct iam_principal *p);

/* }============ */

/* {============ iam.Policy */

struct iam_policy {
  struct cfn_node *node;
  struct cfn_resource *resource;
  cJSON *statements;       /* array, in the order added */
  struct vec roles;        /* struct role*, in the order attached (no repeats) */
  cJSON *name;             /* policy_name; NULL: its own logical ID */
  int force;               /* force = true: rendered even when empty, and checked */
};

/* A Policy as child `id` of `scope` (a Role's "DefaultPolicy" too). */
struct iam_policy *iam_policy_new(struct cfn_node *scope, const char *id, cJSON *name,
                                  struct sfl_loc loc, struct diag *d);
enum sfl_status iam_policy_add_statement(struct iam_policy *p, cJSON *statement,
                                         struct diag *d);
enum sfl_status iam_policy_attach(struct iam_policy *p, struct role *r, struct diag *d);

/* }============ */

/* {============ iam.ManagedPolicy */

struct iam_managed_policy {
  struct cfn_node *node;            /* NULL for AWS-managed policies */
  struct cfn_resource *resource;    /* NULL when imported */
  cJSON *arn;                       /* imported: the ARN as written or formatted */
  cJSON *statements;
  struct vec roles;
  cJSON *name, *description, *path;
};

struct iam_managed_policy *iam_managed_policy_new(struct cfn_node *scope, const char *id,
                                                  cJSON *name, cJSON *description,
                                                  cJSON *path, struct sfl_loc loc,
                                                  struct diag *d);
/* ManagedPolicy.from_aws_managed_policy_name: "arn:<Partition>:iam::aws:policy/<name>". */
struct iam_managed_policy *iam_managed_policy_aws(struct arena *a, const cJSON *name);
/* ManagedPolicy.from_managed_policy_arn (name NULL) / from_managed_policy_name (arn NULL). */
struct iam_managed_policy *iam_managed_policy_import(struct cfn_node *scope, const char *id,
                                                     cJSON *arn, const cJSON *name,
                                                     struct sfl_loc loc, struct diag *d);
enum sfl_status iam_managed_policy_add_statement(struct iam_managed_policy *p,
                                                 cJSON *statement, struct diag *d);
enum sfl_status iam_managed_policy_attach(struct iam_managed_policy *p, struct role *r,
                                          struct diag *d);
cJSON *iam_managed_policy_arn(const struct iam_managed_policy *p);   /* a new tree */

/* }============ */

#endif

/*
** iam.h: IAM policy statements and documents in the normal form CDK writes
** (aws-iam/lib/private/postprocess-policy-document.js): keys in the order Action,
** Condition, Effect, Principal, Resource, Sid; a one-element Action or Resource list
** is written as a scalar; duplicate values and duplicate statements are dropped.
**
** Every function returns a new tree the caller owns (NULL when out of memory) and takes
** over the cJSON* arguments.
*/
#ifndef SFL_CFN_IAM_H
#define SFL_CFN_IAM_H

#include "core/json.h"

/* An Allow statement. `resources`: an array of strings/intrinsics; `condition` may be NULL. */
cJSON *iam_statement(const char *const *actions, size_t nactions, cJSON *resources,
                     cJSON *condition, const char *sid);
/*
** A statement as aws_iam.PolicyStatement holds it. Lists are arrays of strings or
** intrinsics (NULL: none); `principal`/`not_principal` map a kind ("AWS", "Service") to an
** array of values, in the order principals were added. Nothing here is taken over.
*/
struct iam_stmt {
  int deny;
  cJSON *action, *not_action, *resource, *not_resource;
  cJSON *condition;                  /* object: operator -> {key: value} */
  cJSON *principal, *not_principal;
  const cJSON *sid;                  /* a string or token, or NULL */
};
/* The statement in normal form (toStatementJson): a new tree, NULL when out of memory. */
cJSON *iam_stmt_render(const struct iam_stmt *s);

/* The sts:AssumeRole statement of a role's trust policy for an AWS service principal. */
cJSON *iam_trust_statement(const char *service, cJSON *condition);
/* {"Statement": [...], "Version": "2012-10-17"} from an array of statements (not taken). */
cJSON *iam_policy_document(const cJSON *statements);
/*
** Statements merged as far as they go (sfl's opt-in "sfl:dedupe-iam", after CDK's
** minimizePolicies rule): two statements with the same Effect and Condition, no Sid and
** no Principal merge when they have the same actions or the same resources; the merged
** statement has the union of both, in order of first appearance. Repeated until nothing
** merges. Returns a new array (statements not taken).
*/
cJSON *iam_merge_statements(const cJSON *statements);

#endif

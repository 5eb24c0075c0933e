/*
** approval.h: which template changes touch security, for `sfl deploy --require-approval`
** (CDK's RequireApproval): IAM policy statements (identity policies, role trust
** policies, resource policies such as bucket, queue, topic and key policies, Lambda
** permissions), managed policies attached to roles, users and groups, and security group
** rules. As in CDK, an addition broadens permissions; a removal changes them without
** broadening them.
**
** Pure: no network, no files. Each fact is compared as its compact JSON text under the
** resource's logical ID, so a statement that moves to another resource counts as removed
** there and added here.
*/
#ifndef SFL_DEPLOY_APPROVAL_H
#define SFL_DEPLOY_APPROVAL_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "core/diag.h"

/* --require-approval: CDK's three levels. */
enum approval_level { APPROVAL_NEVER, APPROVAL_ANY_CHANGE, APPROVAL_BROADENING };

/* One security fact added ('+') or removed ('-'). */
struct approval_change {
  char sign;
  char *logical_id;   /* the resource holding it */
  char *type;         /* its resource type */
  char *what;         /* "PolicyDocument", "AssumeRolePolicyDocument", "ManagedPolicyArns",
                      ** "SecurityGroupIngress", "Permission"... */
  char *json;         /* the statement, ARN or rule, compact JSON */
};

struct approval_report {
  struct approval_change *changes;
  size_t n;
  int broadening;     /* some change is an addition */
};

/* The security changes from `old` (NULL: a new stack) to `new`. */
enum sfl_status approval_compare(const cJSON *old, const cJSON *new, struct approval_report *r,
                                 struct diag *d);
/* Whether `level` asks the user to confirm these changes. */
int approval_needed(enum approval_level level, const struct approval_report *r);
/* "IAM Statement Changes" and one line per change: "+ Role AWS::IAM::Role PolicyDocument {...}". */
void approval_print(FILE *out, const struct approval_report *r);
void approval_free(struct approval_report *r);

/* "never", "any-change" or "broadening"; -1 for anything else. */
int approval_level_parse(const char *s);

#endif

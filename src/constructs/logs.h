/*
** logs.h: aws_logs.LogGroup (AWS::Logs::LogGroup), as CDK makes it: two years of
** retention unless told otherwise, and kept when the stack goes.
*/
#ifndef SFL_CONSTRUCTS_LOGS_H
#define SFL_CONSTRUCTS_LOGS_H

#include "cfn/construct.h"

#define LOGS_RETENTION_INFINITE 9999

struct log_group_props {
  cJSON *log_group_name;
  cJSON *retention;          /* days (RetentionDays); NULL: 731; 9999: never expire */
  const char *removal_policy;  /* NULL: retain */
};

struct log_group {
  struct cfn_node *node;
  struct cfn_resource *resource;
};

struct log_group *log_group_new(struct cfn_node *scope, const char *id,
                                const struct log_group_props *props, struct sfl_loc loc,
                                struct diag *d);
cJSON *log_group_arn(const struct log_group *lg);
cJSON *log_group_name(const struct log_group *lg);

/* RemovalPolicy value ("destroy", "retain", ...) -> CloudFormation policy; NULL: `fallback`. */
void cfn_apply_removal_policy(struct cfn_resource *r, const char *policy, const char *fallback);

#endif

/*
** tasks_private.h: helpers the task integrations share (tasks.c defines them).
*/
#ifndef SFL_CONSTRUCTS_TASKS_PRIVATE_H
#define SFL_CONSTRUCTS_TASKS_PRIVATE_H

#include "constructs/tasks.h"

/* CDK's validatePatternSupported. */
enum sfl_status task_check_pattern(enum task_pattern p, const enum task_pattern *supported,
                                   size_t n, struct sfl_loc loc, struct diag *d);
/* "arn:<Partition>:states:::<service>:<api>[.sync|.waitForTaskToken]" */
cJSON *task_resource_arn(const char *service, const char *api, enum task_pattern p);
/* The same with `extra` after the pattern suffix (startExecution.sync":2"). */
cJSON *task_resource_arn_ext(const char *service, const char *api, enum task_pattern p,
                             const char *extra);
/* The Task state with the base props applied and an empty policy list. */
struct asl_state *task_state_new(struct cfn_node *scope, const char *id, const char *cls,
                                 const struct task_base *b, struct sfl_loc loc,
                                 struct diag *d);
/* Appends an Allow statement to the task's policies (resources taken over). */
enum sfl_status task_add_policy(struct asl_state *s, const char *const *actions, size_t n,
                                cJSON *resources, cJSON *condition, const char *sid,
                                struct diag *d);
/* The statement CDK adds for a .sync integration: events:PutTargets, PutRule and
** DescribeRule on arn:...:events:<Region>:<Account>:rule/<rule>. */
enum sfl_status task_add_events_rule(struct asl_state *s, const char *rule, struct diag *d);
/* Does `v` use the task token ($$.Task.Token) anywhere? (FieldUtils.containsTaskToken) */
int task_contains_token(const cJSON *v);
/* isJsonPathOrJsonataExpression: a JsonPath token or a "{% ... %}" string. */
int task_is_path_or_jsonata(const cJSON *v);
/* [v] */
cJSON *task_one(cJSON *v);

#endif

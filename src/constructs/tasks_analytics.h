/*
** tasks_analytics.h: the analytics integrations of aws_stepfunctions_tasks: EMR
** (EmrTerminateCluster), EMR on EKS (EmrContainersStartJobRun), Glue (GlueStartJobRun),
** Athena (AthenaStartQueryExecution) and Batch (BatchSubmitJob).
**
** As in tasks.h, props hold arena-owned cJSON values (JSON_PATH strings where the user
** passed a JsonPath token); the makers copy what they render.
*/
#ifndef SFL_CONSTRUCTS_TASKS_ANALYTICS_H
#define SFL_CONSTRUCTS_TASKS_ANALYTICS_H

#include "constructs/tasks.h"

/* EmrTerminateCluster (emr/emr-terminate-cluster.js). */
struct emr_terminate_cluster_props {
  struct task_base base;
  cJSON *cluster_id;
};

struct asl_state *task_emr_terminate_cluster(struct cfn_node *scope, const char *id,
                                             const struct emr_terminate_cluster_props *p,
                                             struct sfl_loc loc, struct diag *d);

#endif

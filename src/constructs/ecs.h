/*
** ecs.h: the aws_ecs constructs EcsRunTask runs: clusters (new or imported), task
** definitions (Fargate, EC2, or either) with their containers, and the roles and log
** groups CDK makes for them (aws-ecs/lib/cluster.js, base/task-definition.js,
** container-definition.js, log-drivers/aws-log-driver.js).
**
** Everything lives in the app's arena. A task definition's properties are rendered when
** the template is (containers and the execution role may be added after it is made).
*/
#ifndef SFL_CONSTRUCTS_ECS_H
#define SFL_CONSTRUCTS_ECS_H

#include "constructs/ec2.h"
#include "constructs/logs.h"
#include "constructs/role.h"

struct ecs_cluster_props {
  const struct ec2_vpc *vpc;       /* NULL: a new Vpc(cluster, "Vpc", {max_azs: 2}) */
  int restrict_default_sg;         /* for that VPC (see ec2_new_vpc_props) */
  cJSON *cluster_name, *container_insights;
  cJSON *container_insights_v2;    /* "enabled", "disabled", "enhanced" */
};

/* Cluster.fromClusterAttributes */
struct ecs_cluster_attrs {
  const struct ec2_vpc *vpc;
  cJSON *cluster_name, *cluster_arn;
  int has_ec2_capacity;            /* the binding defaults it to 1 */
};

struct ecs_cluster {
  struct cfn_node *node;
  struct cfn_resource *resource;   /* NULL when imported */
  const struct ec2_vpc *vpc;
  cJSON *imported_arn, *imported_name;
  int has_ec2_capacity;
};

struct ecs_cluster *ecs_cluster_new(struct cfn_node *scope, const char *id,
                                    const struct ecs_cluster_props *p, struct sfl_loc loc,
                                    struct diag *d);
struct ecs_cluster *ecs_cluster_import(struct cfn_node *scope, const char *id,
                                       const struct ecs_cluster_attrs *a, struct sfl_loc loc,
                                       struct diag *d);
cJSON *ecs_cluster_arn(const struct ecs_cluster *c);
cJSON *ecs_cluster_name(const struct ecs_cluster *c);

/* Compatibility, as bits. */
#define ECS_EC2 1
#define ECS_FARGATE 2
#define ECS_EXTERNAL 4

struct ecs_task_definition_props {
  int compatibility;               /* ECS_* bits */
  cJSON *family, *cpu, *memory;    /* cpu and memory: strings (or tokens) */
  const char *network_mode;        /* NULL: awsvpc for Fargate, else bridge */
  cJSON *runtime_platform;         /* {"CpuArchitecture", "OperatingSystemFamily"} or NULL */
  cJSON *placement_constraints;    /* [{"Type", "Expression"}] or NULL */
  struct role *task_role;          /* NULL: the TaskRole CDK makes */
  struct role *execution_role;     /* NULL: made by the first container that needs one */
};

struct ecs_task_definition {
  struct cfn_node *node;
  struct cfn_resource *resource;
  int compatibility;
  const char *network_mode;
  cJSON *family, *cpu, *memory, *runtime_platform;
  cJSON *placement_constraints;    /* [{"Expression", "Type"}] */
  struct role *task_role;
  struct role *execution_role;     /* made by the first container that needs it */
  struct vec containers;           /* struct ecs_container* */
  struct ecs_container *default_container;   /* the first essential one */
};

/* The awslogs driver's props (LogDrivers.awsLogs). */
struct ecs_aws_logs {
  cJSON *stream_prefix, *datetime_format, *multiline_pattern, *mode, *log_retention;
  const struct log_group *log_group;
};

struct ecs_container_props {
  cJSON *image, *container_name, *command, *cpu, *memory_limit, *memory_reservation;
  cJSON *environment;              /* object */
  cJSON *port_mappings;            /* [{"ContainerPort", "HostPort", "Name", "Protocol"}] */
  cJSON *essential;                /* boolean or NULL (true) */
  const struct ecs_aws_logs *logging;
  /* Passed through as given (ecs.c's passthrough table names their keys). */
  cJSON *disable_networking, *dns_search_domains, *dns_servers, *docker_labels;
  cJSON *docker_security_options, *entry_point, *hostname, *interactive, *privileged;
  cJSON *pseudo_terminal, *readonly_root_filesystem, *start_timeout, *stop_timeout, *user;
  cJSON *working_directory;
};

struct ecs_container {
  struct cfn_node *node;
  struct ecs_task_definition *td;
  const char *name;
  cJSON *definition;               /* the rendered ContainerDefinitions item */
  int essential, memory_specified;
  double cpu;                      /* -1 when not a number */
};

struct ecs_task_definition *ecs_task_definition_new(struct cfn_node *scope, const char *id,
                                                    const char *fqn,
                                                    const struct ecs_task_definition_props *p,
                                                    struct sfl_loc loc, struct diag *d);
struct ecs_container *ecs_add_container(struct ecs_task_definition *td, const char *id,
                                        const struct ecs_container_props *p,
                                        struct sfl_loc loc, struct diag *d);
struct ecs_container *ecs_find_container(const struct ecs_task_definition *td,
                                         const char *name);
cJSON *ecs_task_definition_arn(const struct ecs_task_definition *td);   /* {"Ref": td} */
/* addPlacementConstraint: `constraints` is [{"Type", "Expression"?}]. */
enum sfl_status ecs_add_placement_constraints(struct ecs_task_definition *td,
                                              const cJSON *constraints, struct sfl_loc loc,
                                              struct diag *d);

#endif

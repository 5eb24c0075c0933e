/*
** mod_tasks_analytics.c: the Lua props of the analytics tasks: EmrTerminateCluster,
** GlueStartJobRun, AthenaStartQueryExecution, BatchSubmitJob and
** EmrContainersStartJobRun (rendering: src/constructs/tasks_emr.c, tasks_analytics.c).
*/
#include "lua/mod_tasks.h"
#include "constructs/tasks_analytics.h"

/* {============ EmrTerminateCluster */

struct lua_emr_terminate_cluster {
  TASK_FIELDS(struct emr_terminate_cluster_props);
};

#define ET struct lua_emr_terminate_cluster
static const struct lsfl_prop emr_terminate_cluster_schema[] = {
  TASK_BASE_PROPS(ET),
  REQ("cluster_id", P_STR, ET, p.cluster_id),
  PROP_END
};
#undef ET

TASK_CTOR(emr_terminate_cluster_new, struct lua_emr_terminate_cluster,
          emr_terminate_cluster_schema, "EmrTerminateCluster", LSFL_EMR_TERMINATE_CLUSTER,
          task_emr_terminate_cluster)

/* }============ */

/* {============ GlueStartJobRun */

struct lua_glue_start_job_run {
  TASK_FIELDS(struct glue_start_job_run_props);
};

static const char *const worker_type_members[] = {"STANDARD", "G_025X", "G_1X", "G_2X", "G_4X",
                                                  "G_8X", "Z_2X", NULL};
static const char *const worker_types[] = {"Standard", "G.025X", "G.1X", "G.2X", "G.4X", "G.8X",
                                           "Z.2X", NULL};
static const char *const execution_classes[] = {"FLEX", "STANDARD", NULL};

/* WorkerTypeV2.G_1X is {name = "G.1X"}, like WorkerTypeV2.of("G.1X"). */
static const struct lsfl_prop worker_type_v2_schema[] = {
  MREQ("name", P_STR, "Name"),
  PROP_END
};

static const struct lsfl_prop worker_configuration_schema[] = {
  {"worker_type", P_ENUM, 0, 0, "WorkerType", NULL, worker_types, 0, NULL},
  MSUB("worker_type_v2", P_STRUCT, "WorkerTypeV2", worker_type_v2_schema),
  MREQ("number_of_workers", P_INT, "NumberOfWorkers"),
  PROP_END
};

#define GS struct lua_glue_start_job_run
static const struct lsfl_prop glue_start_job_run_schema[] = {
  TASK_BASE_PROPS(GS),
  REQ("glue_job_name", P_STR, GS, p.job_name),
  F("arguments", P_TASK_INPUT, GS, p.arguments),
  F("security_configuration", P_STR, GS, p.security_configuration),
  F("notify_delay_after", P_DURATION, GS, p.notify_delay_after),
  SUB("worker_configuration", GS, p.worker_configuration, 0, worker_configuration_schema),
  E("execution_class", GS, p.execution_class, execution_classes),
  PROP_END
};
#undef GS

TASK_CTOR(glue_start_job_run_new, struct lua_glue_start_job_run, glue_start_job_run_schema,
          "GlueStartJobRun", LSFL_GLUE_START_JOB_RUN, task_glue_start_job_run)

/* }============ */

/* {============ AthenaStartQueryExecution */

struct lua_athena_start_query {
  TASK_FIELDS(struct athena_start_query_props);
};

static const char *const encryption_members[] = {"S3_MANAGED", "KMS", "CLIENT_SIDE_KMS", NULL};
static const char *const encryption_options[] = {"SSE_S3", "SSE_KMS", "CSE_KMS", NULL};

static const struct lsfl_prop query_context_schema[] = {
  M("catalog_name", P_STR, "Catalog"),
  M("database_name", P_STR, "Database"),
  PROP_END
};

static const struct lsfl_prop encryption_schema[] = {
  {"encryption_option", P_ENUM, 0, PROP_REQUIRED, "EncryptionOption", NULL, encryption_options,
   0, NULL},
  /* CDK renders the IKey construct as KmsKey: 2.276 overflows its stack resolving it. */
  {"encryption_key", P_USERDATA, 0, PROP_UNSYNTH, "KmsKey", NULL, NULL,
   LSFL_BIT(KMS_KEY) | LSFL_BIT(IMPORTED_KMS_KEY), "kms.IKey"},
  PROP_END
};

/* s3.Location */
static const struct lsfl_prop s3_location_schema[] = {
  MREQ("bucket_name", P_STR, "BucketName"),
  MREQ("object_key", P_STR, "ObjectKey"),
  M("object_version", P_STR, "ObjectVersion"),
  PROP_END
};

static const struct lsfl_prop result_configuration_schema[] = {
  MSUB("encryption_configuration", P_STRUCT, "EncryptionConfiguration", encryption_schema),
  MSUB("output_location", P_STRUCT, "OutputLocation", s3_location_schema),
  PROP_END
};

#define AQ struct lua_athena_start_query
static const struct lsfl_prop athena_start_query_schema[] = {
  TASK_BASE_PROPS(AQ),
  REQ("query_string", P_STR, AQ, p.query_string),
  F("client_request_token", P_STR, AQ, p.client_request_token),
  SUB("query_execution_context", AQ, p.query_execution_context, 0, query_context_schema),
  SUB("result_configuration", AQ, p.result_configuration, 0, result_configuration_schema),
  F("work_group", P_STR, AQ, p.work_group),
  F("execution_parameters", P_STR_LIST, AQ, p.execution_parameters),
  F("result_reuse_configuration_max_age", P_DURATION, AQ, p.result_reuse_max_age),
  PROP_END
};
#undef AQ

TASK_CTOR(athena_start_query_new, struct lua_athena_start_query, athena_start_query_schema,
          "AthenaStartQueryExecution", LSFL_ATHENA_START_QUERY, task_athena_start_query)

/* }============ */

/* {============ BatchSubmitJob */

/* BatchContainerOverrides as read: the C struct, and the boxes the binding converts. */
struct lua_container_overrides {
  struct batch_container_overrides o;
  const struct lsfl_size *memory;
  const char *instance_type;   /* an ec2.InstanceType box holds its name */
};

struct lua_batch_submit_job {
  TASK_FIELDS(struct batch_submit_job_props);
  struct lua_container_overrides overrides;
};

#define CO struct lua_container_overrides
static const struct lsfl_prop container_overrides_schema[] = {
  F("command", P_STR_LIST, CO, o.command),
  F("environment", P_STR_MAP, CO, o.environment),
  {"gpu_count", P_NUM, offsetof(CO, o.gpu_count), PROP_NO_TOKEN, NULL, NULL, NULL, 0, NULL},
  {"memory", P_USERDATA, offsetof(CO, memory), 0, NULL, NULL, NULL, LSFL_BIT(SIZE),
   "a cdk.Size (e.g. cdk.Size.mebibytes(512))"},
  {"vcpus", P_NUM, offsetof(CO, o.vcpus), PROP_NO_TOKEN, NULL, NULL, NULL, 0, NULL},
  {"instance_type", P_USERDATA, offsetof(CO, instance_type), 0, NULL, NULL, NULL,
   LSFL_BIT(INSTANCE_TYPE), "an ec2.InstanceType"},
  PROP_END_GIVEN(CO, o.given)
};
#undef CO

static const struct lsfl_prop job_dependency_schema[] = {
  M("job_id", P_STR, "JobId"),
  M("type", P_STR, "Type"),
  PROP_END
};

#define BS struct lua_batch_submit_job
static const struct lsfl_prop batch_submit_job_schema[] = {
  TASK_BASE_PROPS(BS),
  REQ("job_definition_arn", P_STR, BS, p.job_definition_arn),
  REQ("job_name", P_STR, BS, p.job_name),
  REQ("job_queue_arn", P_STR, BS, p.job_queue_arn),
  F("array_size", P_INT, BS, p.array_size),
  F("attempts", P_INT, BS, p.attempts),
  {"container_overrides", P_NESTED, offsetof(BS, overrides), 0, NULL,
   container_overrides_schema, NULL, 0, NULL},
  {"depends_on", P_STRUCT_LIST, offsetof(BS, p.depends_on), 0, NULL, job_dependency_schema,
   NULL, 0, NULL},
  F("payload", P_TASK_INPUT, BS, p.payload),
  F("tags", P_STR_MAP, BS, p.tags),
  PROP_END
};
#undef BS

/* instanceType.toString(), and memory.toMebibytes() (refused as CDK does when it is not
** whole). */
static void finish_batch_submit_job(lua_State *L, struct lua_batch_submit_job *p)
{
  struct arena *a = lsfl_ctx(L)->arena;
  struct batch_container_overrides *o = &p->p.overrides;
  *o = p->overrides.o;
  if(p->overrides.instance_type
     && !(o->instance_type = arena_own_json(a, cJSON_CreateString(p->overrides.instance_type))))
    luaL_error(L, "not enough memory");
  if(!p->overrides.memory)
    return;
  lua_Integer mib = lsfl_size_in(L, p->overrides.memory, SIZE_MEBIBYTES);
  if(!(o->memory_mib = arena_own_json(a, cJSON_CreateNumber((double)mib))))
    luaL_error(L, "not enough memory");
}

TASK_CTOR_EX(batch_submit_job_new, struct lua_batch_submit_job, batch_submit_job_schema,
             "BatchSubmitJob", LSFL_BATCH_SUBMIT_JOB, task_batch_submit_job, TASK_NO_INIT,
             finish_batch_submit_job)

/* }============ */

/* {============ EmrContainersStartJobRun */

struct lua_emr_containers {
  TASK_FIELDS(struct emr_containers_props);
  cJSON *virtual_cluster;   /* {"Id": ...} or {"Input": TaskInput value} */
  cJSON *release_label;     /* {"Label": ...} */
};

static const struct lsfl_prop virtual_cluster_schema[] = {
  M("id", P_STR, "Id"),
  M("input", P_TASK_INPUT, "Input"),
  PROP_END
};

static const struct lsfl_prop release_label_schema[] = {
  MREQ("label", P_STR, "Label"),
  PROP_END
};

static const struct lsfl_prop classification_schema[] = {
  MREQ("classification_statement", P_STR, "Statement"),
  PROP_END
};

static const struct lsfl_prop app_config_schema[];
static const struct lsfl_prop app_config_schema[] = {
  {"classification", P_STRUCT, 0, PROP_REQUIRED, "Classification", classification_schema,
   NULL, 0, NULL},
  M("properties", P_STR_MAP, "Properties"),
  MSUB("nested_config", P_STRUCT_LIST, "Configurations", app_config_schema),
  PROP_END
};

#define EK struct emr_containers_props
static const struct lsfl_prop spark_driver_schema[] = {
  REQ("entry_point", P_TASK_INPUT, EK, entry_point),
  F("entry_point_arguments", P_TASK_INPUT, EK, entry_point_arguments),
  F("spark_submit_parameters", P_STR, EK, spark_submit_parameters),
  PROP_END
};

static const struct lsfl_prop job_driver_schema[] = {
  {"spark_submit_job_driver", P_NESTED, 0, PROP_REQUIRED, NULL, spark_driver_schema, NULL, 0,
   NULL},
  PROP_END
};

static const struct lsfl_prop monitoring_schema[] = {
  F("logging", P_BOOL, EK, logging),
  {"log_group", P_USERDATA, offsetof(EK, log_group), 0, NULL, NULL, NULL, LSFL_BIT(LOG_GROUP),
   "an aws_logs.LogGroup"},
  {"log_bucket", P_USERDATA, offsetof(EK, log_bucket), 0, NULL, NULL, NULL, LSFL_BIT(BUCKET),
   "an aws_s3.Bucket"},
  F("log_stream_name_prefix", P_STR, EK, log_stream_name_prefix),
  F("persistent_app_ui", P_BOOL, EK, persistent_app_ui),
  PROP_END
};
#undef EK

#define EC struct lua_emr_containers
static const struct lsfl_prop emr_containers_schema[] = {
  TASK_BASE_PROPS(EC),
  SUB("virtual_cluster", EC, virtual_cluster, PROP_REQUIRED, virtual_cluster_schema),
  SUB("release_label", EC, release_label, PROP_REQUIRED, release_label_schema),
  {"job_driver", P_NESTED, offsetof(EC, p), PROP_REQUIRED, NULL, job_driver_schema, NULL, 0,
   NULL},
  F("job_name", P_STR, EC, p.job_name),
  {"execution_role", P_USERDATA, offsetof(EC, p.execution_role), 0, NULL, NULL, NULL,
   LSFL_BIT(ROLE), "an aws_iam.Role"},
  {"application_config", P_STRUCT_LIST, offsetof(EC, p.application_config), 0, NULL,
   app_config_schema, NULL, 0, NULL},
  {"monitoring", P_NESTED, offsetof(EC, p), 0, NULL, monitoring_schema, NULL, 0, NULL},
  F("tags", P_STR_MAP, EC, p.tags),
  PROP_END
};
#undef EC

static void init_emr_containers_new(struct lua_emr_containers *p)
{
  p->p.persistent_app_ui = 1;
}

/* VirtualClusterInput's id (or the TaskInput's value), ReleaseLabel's label. */
static void finish_emr_containers(lua_State *L, struct lua_emr_containers *p)
{
  const cJSON *id = json_get(p->virtual_cluster, "Id");
  p->p.virtual_cluster_id = id ? (cJSON *)id : json_get(p->virtual_cluster, "Input");
  if(!p->p.virtual_cluster_id)
    lsfl_error(L, "EmrContainersStartJobRun: prop 'virtual_cluster' must be "
                  "VirtualClusterInput.from_virtual_cluster_id(...) or .from_task_input(...)");
  p->p.release_label = json_get(p->release_label, "Label");
}

TASK_CTOR_EX(emr_containers_new, struct lua_emr_containers, emr_containers_schema,
             "EmrContainersStartJobRun", LSFL_EMR_CONTAINERS_START_JOB_RUN,
             task_emr_containers_start_job_run, init_emr_containers_new, finish_emr_containers)

/* }============ */

/* {============ value classes: constants that are small structs, and their factories */

/* A value class's instance: {<field> = the argument at `arg`} (its field name is the
** closure's upvalue); the task's props reader checks the value. */
static int value_make(lua_State *L, int arg)
{
  luaL_checkany(L, arg);
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, arg);
  lua_setfield(L, -2, lua_tostring(L, lua_upvalueindex(1)));
  return 1;
}

static int value_factory(lua_State *L) { return value_make(L, 1); }
static int value_call(lua_State *L) { return value_make(L, 2); }   /* 1 is the class */

struct value_class {
  const char *name, *field;
  const char *factory;   /* a static such as "of", or NULL: the class is called */
  const char *const *members, *const *values;
  const char *factory2, *field2;   /* a second static making {<field2> = arg}, or NULL */
};

static const char *const worker_v2_members[] = {"STANDARD", "G_1X", "G_2X", "G_4X", "G_8X",
                                                "G_025X", "Z_2X", NULL};
static const char *const worker_v2_values[] = {"Standard", "G.1X", "G.2X", "G.4X", "G.8X",
                                               "G.025X", "Z.2X", NULL};

static const char *const release_members[] = {"EMR_5_32_0", "EMR_5_33_0", "EMR_6_2_0",
                                              "EMR_6_3_0", NULL};
static const char *const release_values[] = {"emr-5.32.0-latest", "emr-5.33.0-latest",
                                             "emr-6.2.0-latest", "emr-6.3.0-latest", NULL};
static const char *const classification_members[] = {"SPARK", "SPARK_DEFAULTS", "SPARK_ENV",
                                                      "SPARK_HIVE_SITE", "SPARK_LOG4J",
                                                      "SPARK_METRICS", NULL};
static const char *const classification_values[] = {"spark", "spark-defaults", "spark-env",
                                                     "spark-hive-site", "spark-log4j",
                                                     "spark-metrics", NULL};
static const char *const no_members[] = {NULL};

static const struct value_class value_classes[] = {
  {"WorkerTypeV2", "name", "of", worker_v2_members, worker_v2_values, NULL, NULL},
  {"ReleaseLabel", "label", NULL, release_members, release_values, NULL, NULL},
  {"Classification", "classification_statement", NULL, classification_members,
   classification_values, NULL, NULL},
  {"VirtualClusterInput", "id", "from_virtual_cluster_id", no_members, no_members,
   "from_task_input", "input"},
};

/* Sets the class into the module table on top of the stack. */
static void add_value_class(lua_State *L, const struct value_class *c)
{
  lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_stepfunctions_tasks.%s", c->name), NULL, NULL);
  lua_remove(L, -2);
  lua_pushstring(L, c->field);
  lua_pushcclosure(L, c->factory ? value_factory : value_call, 1);
  if(c->factory)
    lua_setfield(L, -2, c->factory);
  else {
    lua_getmetatable(L, -2);
    lua_insert(L, -2);
    lua_setfield(L, -2, "__call");
    lua_pop(L, 1);
  }
  if(c->factory2) {
    lua_pushstring(L, c->field2);
    lua_pushcclosure(L, value_factory, 1);
    lua_setfield(L, -2, c->factory2);
  }
  for(size_t i = 0; c->members[i]; i++) {
    lua_createtable(L, 0, 1);
    lua_pushstring(L, c->values[i]);
    lua_setfield(L, -2, c->field);
    lua_setfield(L, -2, c->members[i]);
  }
  lua_setfield(L, -2, c->name);
}

/* }============ */

static const struct {
  const char *name;
  lua_CFunction ctor;
  enum lsfl_type type;
} classes[] = {
  {"EmrTerminateCluster", emr_terminate_cluster_new, LSFL_EMR_TERMINATE_CLUSTER},
  {"GlueStartJobRun", glue_start_job_run_new, LSFL_GLUE_START_JOB_RUN},
  {"AthenaStartQueryExecution", athena_start_query_new, LSFL_ATHENA_START_QUERY},
  {"BatchSubmitJob", batch_submit_job_new, LSFL_BATCH_SUBMIT_JOB},
  {"EmrContainersStartJobRun", emr_containers_new, LSFL_EMR_CONTAINERS_START_JOB_RUN},
};

void lsfl_register_analytics_task_types(lua_State *L)
{
  for(size_t i = 0; i < sizeof classes / sizeof *classes; i++)
    lsfl_new_state_type(L, classes[i].type, asl_types[ASL_TASK].flags, NULL);
}

void lsfl_add_analytics_tasks(lua_State *L)
{
  for(size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
    lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_stepfunctions_tasks.%s", classes[i].name),
                   classes[i].ctor, NULL);
    lua_remove(L, -2);
    lsfl_add_language_factories(L, classes[i].ctor);
    lua_setfield(L, -2, classes[i].name);
  }
  for(size_t i = 0; i < sizeof value_classes / sizeof *value_classes; i++)
    add_value_class(L, &value_classes[i]);
  static const struct lsfl_task_enum enums[] = {
    {"WorkerType", worker_type_members, worker_types},
    {"ExecutionClass", execution_classes, execution_classes},
    {"EncryptionOption", encryption_members, encryption_options},
  };
  lsfl_add_task_enums(L, enums, sizeof enums / sizeof *enums);
}

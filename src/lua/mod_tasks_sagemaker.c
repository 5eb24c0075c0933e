/*
** mod_tasks_sagemaker.c: the Lua props of SageMakerCreateTrainingJob and its values
** (S3Location, DockerImage and the enums of sagemaker/base-types.js); rendering:
** src/constructs/tasks_sagemaker.c.
*/
#include "lua/mod_tasks.h"
#include "constructs/ec2.h"
#include "constructs/s3.h"
#include "cfn/token.h"

/* {============ S3Location, DockerImage */

static void *new_value(lua_State *L, size_t size)
{
  void *v = arena_alloc(lsfl_ctx(L)->arena, size);
  if(!v)
    luaL_error(L, "not enough memory");
  memset(v, 0, size);
  return v;
}

/* A JSONata expression as it is, anything else as JsonPath.string_at(expression). */
static cJSON *expression_value(lua_State *L, int idx)
{
  const char *e = luaL_checkstring(L, idx);
  if(!strncmp(e, "{%", 2))
    return lsfl_to_json(L, idx, "expression");
  lsfl_push_json_path(L, e);
  cJSON *v = lsfl_to_json(L, -1, "expression");
  lua_pop(L, 1);
  return v;
}

/* S3Location.from_json_expression(expression) */
static int s3_location_from_json(lua_State *L)
{
  struct sm_s3_location *loc = new_value(L, sizeof *loc);
  loc->uri = expression_value(L, 1);
  lsfl_push(L, LSFL_SM_S3_LOCATION, loc, NULL);
  return 1;
}

/* S3Location.from_bucket(bucket, key_prefix): bucket.urlForObject(key_prefix), i.e.
** "https://s3.<Region>.<URLSuffix>/<bucket>[/<key>]" (one "/" between the parts). */
static int s3_location_from_bucket(lua_State *L)
{
  const struct s3_bucket *b = lsfl_check(L, 1, LSFL_BIT(BUCKET), 0, "an aws_s3.IBucket")->obj;
  const char *key = luaL_optstring(L, 2, NULL);
  struct sm_s3_location *loc = new_value(L, sizeof *loc);
  loc->bucket = b;
  loc->key_glob = arena_printf(lsfl_ctx(L)->arena, "%s*", key ? key : "");
  cJSON *url = cfn_concat(6, cJSON_CreateString("https://s3."), cfn_region(),
                          cJSON_CreateString("."), cfn_ref("AWS::URLSuffix"),
                          cJSON_CreateString("/"), s3_bucket_name(b));
  if(key)
    url = cfn_concat(3, url, cJSON_CreateString("/"), cJSON_CreateString(key + (*key == '/')));
  loc->uri = arena_own_json(lsfl_ctx(L)->arena, url);
  if(!loc->uri || !loc->key_glob)
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_SM_S3_LOCATION, loc, NULL);
  return 1;
}

/* DockerImage.from_registry(image_uri) */
static int docker_from_registry(lua_State *L)
{
  struct sm_docker_image *img = new_value(L, sizeof *img);
  img->uri = lsfl_check_str_value(L, 1, "image_uri");
  lsfl_push(L, LSFL_SM_DOCKER_IMAGE, img, NULL);
  return 1;
}

/* DockerImage.from_json_expression(expression, allow_any_ecr_image_pull = true) */
static int docker_from_json(lua_State *L)
{
  struct sm_docker_image *img = new_value(L, sizeof *img);
  img->uri = expression_value(L, 1);
  if(!lua_isnoneornil(L, 2) && !lua_isboolean(L, 2))
    return lsfl_error(L, "allow_any_ecr_image_pull must be a boolean, got %s",
                      lsfl_typename(L, 2));
  img->allow_any_ecr_pull = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
  lsfl_push(L, LSFL_SM_DOCKER_IMAGE, img, NULL);
  return 1;
}

/* }============ */

/* {============ SageMakerCreateTrainingJob */

#define ENUM(name, T, field, values) \
  {name, P_ENUM, offsetof(T, field), 0, NULL, NULL, values, 0, NULL}

static const char *const input_mode_members[] = {"PIPE", "FILE", "FAST_FILE", NULL};
static const char *const input_mode_values[] = {"Pipe", "File", "FastFile", NULL};
static const char *const s3_data_type_members[] = {"MANIFEST_FILE", "S3_PREFIX",
                                                   "AUGMENTED_MANIFEST_FILE", NULL};
static const char *const s3_data_type_values[] = {"ManifestFile", "S3Prefix",
                                                  "AugmentedManifestFile", NULL};
static const char *const distribution_members[] = {"FULLY_REPLICATED", "SHARDED_BY_S3_KEY",
                                                   NULL};
static const char *const distribution_values[] = {"FullyReplicated", "ShardedByS3Key", NULL};
static const char *const wrapper_members[] = {"NONE", "RECORD_IO", NULL};
static const char *const wrapper_values[] = {"None", "RecordIO", NULL};
static const char *const compression_members[] = {"NONE", "GZIP", NULL};
static const char *const compression_values[] = {"None", "Gzip", NULL};

static const struct lsfl_prop metric_schema[] = {
  MREQ("name", P_STR, "Name"),
  MREQ("regex", P_STR, "Regex"),
  PROP_END
};

#define AS struct sm_algorithm
static const struct lsfl_prop algorithm_schema[] = {
  F("algorithm_name", P_STR, AS, algorithm_name),
  {"metric_definitions", P_STRUCT_LIST, offsetof(AS, metric_definitions), 0, NULL,
   metric_schema, NULL, 0, NULL},
  {"training_image", P_USERDATA, offsetof(AS, training_image), 0, NULL, NULL, NULL,
   LSFL_BIT(SM_DOCKER_IMAGE), "a tasks.DockerImage (DockerImage.from_registry(...), "
   "DockerImage.from_json_expression(...))"},
  ENUM("training_input_mode", AS, training_input_mode, input_mode_values),
  PROP_END
};
#undef AS

static const char s3_location_expected[] = "a tasks.S3Location "
  "(S3Location.from_bucket(...), S3Location.from_json_expression(...))";

#define SD struct sm_s3_data_source
static const struct lsfl_prop s3_data_source_schema[] = {
  {"s3_location", P_USERDATA, offsetof(SD, s3_location), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(SM_S3_LOCATION), s3_location_expected},
  F("attribute_names", P_STR_LIST, SD, attribute_names),
  ENUM("s3_data_distribution_type", SD, s3_data_distribution_type, distribution_values),
  ENUM("s3_data_type", SD, s3_data_type, s3_data_type_values),
  PROP_END
};
#undef SD

static const struct lsfl_prop data_source_schema[] = {
  {"s3_data_source", P_NESTED, 0, PROP_REQUIRED, NULL, s3_data_source_schema, NULL, 0, NULL},
  PROP_END
};

static const struct lsfl_prop shuffle_schema[] = {
  MREQ("seed", P_NUM, "Seed"),
  PROP_END
};

#define CH struct sm_channel
static const struct lsfl_prop channel_schema[] = {
  REQ("channel_name", P_STR, CH, channel_name),
  {"data_source", P_NESTED, offsetof(CH, data_source), PROP_REQUIRED, NULL,
   data_source_schema, NULL, 0, NULL},
  ENUM("compression_type", CH, compression_type, compression_values),
  F("content_type", P_STR, CH, content_type),
  ENUM("input_mode", CH, input_mode, input_mode_values),
  ENUM("record_wrapper_type", CH, record_wrapper_type, wrapper_values),
  {"shuffle_config", P_STRUCT, offsetof(CH, shuffle_config), 0, NULL, shuffle_schema, NULL, 0,
   NULL},
  PROP_END_SIZED(CH)
};
#undef CH

static const char key_expected[] = "an aws_kms.IKey (Key(...), Key.from_key_arn(...))";
#define KMS_KEYS (LSFL_BIT(KMS_KEY) | LSFL_BIT(IMPORTED_KMS_KEY))

static const struct lsfl_prop output_schema[] = {
  {"s3_output_location", P_USERDATA, offsetof(struct sm_output, s3_output_location),
   PROP_REQUIRED, NULL, NULL, NULL, LSFL_BIT(SM_S3_LOCATION), s3_location_expected},
  {"encryption_key", P_USERDATA, offsetof(struct sm_output, encryption_key), 0, NULL, NULL,
   NULL, KMS_KEYS, key_expected},
  PROP_END
};

/* resource_config as read; the binding turns the Size into whole GiB. */
struct lua_resource_config {
  cJSON *instance_count;
  const char *instance_type;
  const struct lsfl_size *volume_size;
  const struct kms_key *volume_encryption_key;
};

#define RC struct lua_resource_config
static const struct lsfl_prop resource_schema[] = {
  REQ("instance_count", P_INT, RC, instance_count),
  {"instance_type", P_USERDATA, offsetof(RC, instance_type), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(INSTANCE_TYPE), "an ec2.InstanceType"},
  {"volume_size", P_USERDATA, offsetof(RC, volume_size), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(SIZE), "a cdk.Size (e.g. cdk.Size.gibibytes(10))"},
  {"volume_encryption_key", P_USERDATA, offsetof(RC, volume_encryption_key), 0, NULL, NULL,
   NULL, KMS_KEYS, key_expected},
  PROP_END
};
#undef RC

static const struct lsfl_prop stopping_schema[] = {
  M("max_runtime", P_DURATION, "MaxRuntimeInSeconds"),
  PROP_END
};

struct lua_vpc_config {
  const struct ec2_vpc *vpc;
  struct lsfl_subnets subnets;
};

static const struct lsfl_prop vpc_config_schema[] = {
  {"vpc", P_USERDATA, offsetof(struct lua_vpc_config, vpc), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(VPC), "an ec2.IVpc"},
  {"subnets", P_NESTED, offsetof(struct lua_vpc_config, subnets), 0, NULL, lsfl_subnets_schema,
   NULL, 0, NULL},
  PROP_END
};

struct lua_training {
  TASK_FIELDS(struct sagemaker_training_props);
  struct lua_resource_config resource;
  struct lua_vpc_config vpc_config;
  struct ec2_subnet_selection selection;
};

#define TJ struct lua_training
static const struct lsfl_prop training_schema[] = {
  TASK_BASE_PROPS(TJ),
  REQ("training_job_name", P_STR, TJ, p.training_job_name),
  {"algorithm_specification", P_NESTED, offsetof(TJ, p.algorithm), PROP_REQUIRED, NULL,
   algorithm_schema, NULL, 0, NULL},
  {"output_data_config", P_NESTED, offsetof(TJ, p.output), PROP_REQUIRED, NULL, output_schema,
   NULL, 0, NULL},
  {"input_data_config", P_NESTED_LIST, offsetof(TJ, p.input_data_config), 0, NULL,
   channel_schema, NULL, 0, NULL},
  {"role", P_USERDATA, offsetof(TJ, p.role), 0, NULL, NULL, NULL, LSFL_BIT(ROLE),
   "an aws_iam.IRole"},
  {"resource_config", P_NESTED, offsetof(TJ, resource), 0, NULL, resource_schema, NULL, 0,
   NULL},
  SUB("stopping_condition", TJ, p.stopping_condition, 0, stopping_schema),
  F("hyperparameters", P_OBJECT, TJ, p.hyperparameters),
  F("environment", P_STR_MAP, TJ, p.environment),
  F("tags", P_STR_MAP, TJ, p.tags),
  F("enable_network_isolation", P_BOOLEAN, TJ, p.enable_network_isolation),
  {"vpc_config", P_NESTED, offsetof(TJ, vpc_config), 0, NULL, vpc_config_schema, NULL, 0,
   NULL},
  PROP_END
};
#undef TJ

/* The Size in whole GiB (CDK's toGibibytes()), the VPC and its subnet selection. */
static void finish_training(lua_State *L, struct lua_training *t)
{
  struct sagemaker_training_props *p = &t->p;
  if(t->resource.instance_type) {
    p->instance_count = t->resource.instance_count;
    p->instance_type = t->resource.instance_type;
    p->volume_encryption_key = t->resource.volume_encryption_key;
    lua_Integer gib = lsfl_size_in(L, t->resource.volume_size, SIZE_GIBIBYTES);
    p->volume_size_gib = arena_own_json(lsfl_ctx(L)->arena, cJSON_CreateNumber((double)gib));
    if(!p->volume_size_gib)
      luaL_error(L, "not enough memory");
  }
  p->vpc = t->vpc_config.vpc;
  p->subnets = lsfl_subnet_selection(&t->vpc_config.subnets, &t->selection);
}

TASK_CTOR_EX(training_new, struct lua_training, training_schema, "SageMakerCreateTrainingJob",
             LSFL_SAGEMAKER_TRAINING, task_sagemaker_training, TASK_NO_INIT, finish_training)

/* task:add_security_group(sg) */
static int training_add_security_group(lua_State *L)
{
  struct asl_state *s = lsfl_check(L, 1, LSFL_BIT(SAGEMAKER_TRAINING), 0,
                                   "a SageMakerCreateTrainingJob")->obj;
  const struct ec2_security_group *sg = lsfl_check(L, 2, LSFL_BIT(SECURITY_GROUP), 0,
                                                   "an ec2.ISecurityGroup")->obj;
  struct diag d = {0};
  if(task_sagemaker_add_security_group(s, sg, &d))
    return lsfl_raise(L, &d);
  return 0;
}

/* }============ */

void lsfl_register_sagemaker_task_types(lua_State *L)
{
  static const luaL_Reg methods[] = {{"add_security_group", training_add_security_group},
                                     {NULL, NULL}};
  lsfl_new_state_type(L, LSFL_SAGEMAKER_TRAINING, asl_types[ASL_TASK].flags, methods);
  lsfl_new_type(L, LSFL_SM_S3_LOCATION, NULL, NULL);
  lsfl_new_type(L, LSFL_SM_DOCKER_IMAGE, NULL, NULL);
}

void lsfl_add_sagemaker_tasks(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.SageMakerCreateTrainingJob", training_new,
                 NULL);
  lsfl_add_language_factories(L, training_new);
  lua_setfield(L, -2, "SageMakerCreateTrainingJob");
  static const luaL_Reg s3_location[] = {{"from_json_expression", s3_location_from_json},
                                         {"from_bucket", s3_location_from_bucket},
                                         {NULL, NULL}};
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.S3Location", NULL, s3_location);
  lua_setfield(L, -2, "S3Location");
  static const luaL_Reg docker[] = {{"from_registry", docker_from_registry},
                                    {"from_json_expression", docker_from_json}, {NULL, NULL}};
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.DockerImage", NULL, docker);
  lua_setfield(L, -2, "DockerImage");
  static const struct lsfl_task_enum enums[] = {
    {"InputMode", input_mode_members, input_mode_values},
    {"S3DataType", s3_data_type_members, s3_data_type_values},
    {"S3DataDistributionType", distribution_members, distribution_values},
    {"RecordWrapperType", wrapper_members, wrapper_values},
    {"CompressionType", compression_members, compression_values},
  };
  lsfl_add_task_enums(L, enums, sizeof enums / sizeof *enums);
}

/*
** sns.c: topics (aws-sns/lib/topic.js, topic-base.js) and Topic.fromTopicArn.
*/
#include "constructs/messaging.h"
#include "cfn/arn.h"
#include "cfn/token.h"

#include <string.h>

static int ends_with_fifo(const cJSON *name)
{
  size_t n = cJSON_IsString(name) && !json_has(name, JSON_PATH) ? strlen(name->valuestring)
                                                                : 0;
  return n >= 5 && !strcmp(name->valuestring + n - 5, ".fifo");
}

/* Topic's checks on its props, in CDK's order. */
static enum sfl_status check_topic(const struct sns_topic_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  const cJSON *days = p->message_retention_period_in_days;
  if(p->content_based_deduplication && !p->fifo)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Content based deduplication can only be enabled for FIFO SNS topics.");
  if(days && !p->fifo)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "`message_retention_period_in_days` is only valid for FIFO SNS topics.");
  if(p->fifo_throughput_scope && !p->fifo)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "`fifo_throughput_scope` can only be set for FIFO SNS topics.");
  if(cJSON_IsNumber(days) && (days->valuedouble < 1 || days->valuedouble > 365))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "`message_retention_period_in_days` must be an integer between 1 and 365");
  const cJSON *v = p->signature_version;
  if(cJSON_IsString(v) && !json_has(v, JSON_PATH) && strcmp(v->valuestring, "1")
     && strcmp(v->valuestring, "2"))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "signature_version must be \"1\" or \"2\", received: \"%s\"", v->valuestring);
  v = p->display_name;
  if(cJSON_IsString(v) && !json_has(v, JSON_PATH) && strlen(v->valuestring) > 100)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "display_name must be less than or equal to 100 characters, got %zu",
                    strlen(v->valuestring));
  return SFL_OK;
}

/* TopicName: a FIFO topic's name ends in ".fifo", a generated one if none was given. */
static cJSON *topic_name(const struct sns_topic *t, const struct sns_topic_props *p)
{
  if(!p->fifo || ends_with_fifo(p->topic_name))
    return json_dup(p->topic_name);
  if(p->topic_name)
    return cfn_concat(2, json_dup(p->topic_name), cJSON_CreateString(".fifo"));
  struct arena *a = t->node->app->arena;
  const char *base = cfn_unique_resource_name(a, t->node, 251, "-");
  const char *name = base ? arena_printf(a, "%s.fifo", base) : NULL;
  return name ? cJSON_CreateString(name) : NULL;
}

static enum sfl_status topic_props(struct sns_topic *t, const struct sns_topic_props *p,
                                   struct diag *d)
{
  cJSON *props = t->resource->props;
  if(p->message_retention_period_in_days)
    json_put(json_put(props, "ArchivePolicy", cJSON_CreateObject()), "MessageRetentionPeriod",
             json_dup(p->message_retention_period_in_days));
  if(p->content_based_deduplication)
    json_put_bool(props, "ContentBasedDeduplication", 1);
  json_put(props, "DisplayName", json_dup(p->display_name));
  json_put(props, "FifoThroughputScope", json_dup(p->fifo_throughput_scope));
  if(p->fifo)
    json_put_bool(props, "FifoTopic", 1);
  if(p->master_key && !json_put(props, "KmsMasterKeyId", kms_key_arn(p->master_key)))
    return diag_nomem(d);
  json_put(props, "SignatureVersion", json_dup(p->signature_version));
  cJSON *name = topic_name(t, p);
  if((p->fifo || p->topic_name) && !json_put(props, "TopicName", name))
    return diag_nomem(d);
  json_put(props, "TracingConfig", json_dup(p->tracing_config));
  return SFL_OK;
}

static enum sfl_status enforce_ssl(struct sns_topic *t, struct sfl_loc loc, struct diag *d)
{
  cJSON *st = messaging_ssl_statement("sns:Publish", cJSON_CreateString("*"),
                                      sns_topic_arn(t), "AllowPublishThroughSSLOnly");
  if(!st)
    return diag_nomem(d);
  return messaging_policy(t->node, "AWS::SNS::TopicPolicy", "aws-cdk-lib.aws_sns.TopicPolicy",
                          "aws-cdk-lib.aws_sns.CfnTopicPolicy", "Topics", sns_topic_arn(t), st,
                          loc, d);
}

struct sns_topic *sns_topic_new(struct cfn_node *scope, const char *id,
                                const struct sns_topic_props *p, struct sfl_loc loc,
                                struct diag *d)
{
  if(check_topic(p, loc, d))
    return NULL;
  struct sns_topic *t = arena_alloc(scope->app->arena, sizeof *t);
  if(!t)
    return diag_nomem(d), NULL;
  t->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_sns.Topic", loc, d);
  if(!t->node)
    return NULL;
  t->node->model = t;
  t->resource = cfn_resource_new(t->node, "Resource", "AWS::SNS::Topic",
                                 "aws-cdk-lib.aws_sns.CfnTopic", loc, d);
  if(!t->resource || topic_props(t, p, d))
    return NULL;
  t->fifo = p->fifo;
  t->content_based_deduplication = p->content_based_deduplication;
  t->master_key = p->master_key;
  if(p->enforce_ssl && enforce_ssl(t, loc, d))
    return NULL;
  return t;
}

struct sns_topic *sns_topic_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct cfn_arn_values parts;
  if(cfn_arn_split_value(a, arn, ARN_NO_RESOURCE_NAME, &parts, loc, d))
    return NULL;
  cJSON *name = parts.resource;
  struct sns_topic *t = arena_alloc(a, sizeof *t);
  if(!t || !name)
    return diag_nomem(d), NULL;
  t->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_sns.TopicBase", loc, d);
  if(!t->node)
    return NULL;
  t->node->model = t;
  t->imported_arn = arn;
  t->imported_name = name;
  t->fifo = ends_with_fifo(name);
  return t;
}

cJSON *sns_topic_arn(const struct sns_topic *t)
{
  return t->resource ? cfn_ref(t->resource->logical_id) : json_dup(t->imported_arn);
}

cJSON *sns_topic_name(const struct sns_topic *t)
{
  return t->resource ? cfn_getatt(t->resource->logical_id, "TopicName")
                     : json_dup(t->imported_name);
}

enum sfl_status sns_topic_grant_publish(const struct sns_topic *t, struct role *to,
                                        struct diag *d)
{
  static const char *const publish[] = {"sns:Publish"};
  static const char *const key_actions[] = {"kms:Decrypt", "kms:GenerateDataKey*"};
  enum sfl_status st = messaging_grant(to, publish, 1, sns_topic_arn(t), d);
  if(!st && t->master_key)
    st = messaging_grant(to, key_actions, 2, kms_key_arn(t->master_key), d);
  return st;
}

/*
** sqs.c: queues (aws-sqs/lib/queue.js, validate-queue-props.js) and Queue.fromQueueArn.
*/
#include "constructs/messaging.h"
#include "constructs/logs.h"
#include "cfn/arn.h"
#include "cfn/token.h"
#include "core/strbuf.h"

#include <string.h>

/* validate-queue-props.js: each prop out of its range is one line of one message. */
static const struct {
  size_t offset;
  double min, max;
  const char *what, *unit, *range;
} ranges[] = {
  {offsetof(struct sqs_queue_props, delivery_delay), 0, 900, "delivery delay", "seconds",
   "between 0 and 900 seconds"},
  {offsetof(struct sqs_queue_props, max_message_size_bytes), 1024, 1048576,
   "maximum message size", "bytes", "between 1,024 and 1,048,576 bytes"},
  {offsetof(struct sqs_queue_props, retention_period), 60, 1209600, "message retention period",
   "seconds", "between 60 and 1,209,600 seconds"},
  {offsetof(struct sqs_queue_props, receive_message_wait_time), 0, 20, "receive wait time",
   "seconds", "between 0 and 20 seconds"},
  {offsetof(struct sqs_queue_props, visibility_timeout), 0, 43200, "visibility timeout",
   "seconds", "between 0 and 43,200 seconds"},
  {offsetof(struct sqs_queue_props, dead_letter_queue.max_receive_count), 1, 9007199254740991.0,
   "dead letter target maximum receive count", NULL, "1 or more"},
};

static enum sfl_status check_ranges(const struct sqs_queue_props *p, struct sfl_loc loc,
                                    struct diag *d)
{
  struct strbuf b = {0};
  for(size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
    const cJSON *v = *(cJSON *const *)((const char *)p + ranges[i].offset);
    if(!cJSON_IsNumber(v) || (v->valuedouble >= ranges[i].min
                              && v->valuedouble <= ranges[i].max))
      continue;
    strbuf_printf(&b, "\n- %s must be %s, but ", ranges[i].what, ranges[i].range);
    json_write_number(&b, v->valuedouble);
    strbuf_printf(&b, " was provided");
  }
  enum sfl_status st = SFL_OK;
  if(b.failed)
    st = diag_nomem(d);
  else if(b.len)
    st = diag_set(d, SFL_ERR_INVALID, loc, "Queue initialization failed due to the following "
                  "validation error(s):%s", b.buf);
  strbuf_free(&b);
  return st;
}

static int ends_with_fifo(const cJSON *name)
{
  size_t n = cJSON_IsString(name) && !json_has(name, JSON_PATH) ? strlen(name->valuestring)
                                                                : 0;
  return n >= 5 && !strcmp(name->valuestring + n - 5, ".fifo");
}

/* determineFifoProps: whether the queue is FIFO, and the checks that go with it. */
static int fifo_of(const struct sqs_queue_props *p, struct sfl_loc loc, struct diag *d)
{
  int fifo = p->fifo;
  int literal_name = cJSON_IsString(p->queue_name) && !json_has(p->queue_name, JSON_PATH);
  if(fifo < 0 && ((literal_name && ends_with_fifo(p->queue_name))
                  || p->content_based_deduplication || p->deduplication_scope
                  || p->fifo_throughput_limit))
    fifo = 1;
  fifo = fifo > 0;
  if(literal_name && fifo && !ends_with_fifo(p->queue_name))
    return diag_set(d, SFL_ERR_INVALID, loc, "FIFO queue names must end in '.fifo'"), -1;
  if(literal_name && !fifo && ends_with_fifo(p->queue_name))
    return diag_set(d, SFL_ERR_INVALID, loc, "Non-FIFO queue name may not end in '.fifo'"), -1;
  if(p->content_based_deduplication && !fifo)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Content-based deduplication can only be defined for FIFO queues"), -1;
  if(p->deduplication_scope && !fifo)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Deduplication scope can only be defined for FIFO queues"), -1;
  if(p->fifo_throughput_limit && !fifo)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "FIFO throughput limit can only be defined for FIFO queues"), -1;
  return fifo;
}

/* KmsDataKeyReusePeriodSeconds and KmsMasterKeyId for KMS_MANAGED and KMS. */
static void put_kms(cJSON *props, const struct sqs_queue *q, const struct sqs_queue_props *p)
{
  if(!q->key && !(p->encryption && !strcmp(p->encryption, "KMS_MANAGED")))
    return;
  json_put(props, "KmsDataKeyReusePeriodSeconds", json_dup(p->data_key_reuse));
  json_put(props, "KmsMasterKeyId", q->key ? kms_key_arn(q->key)
                                           : cJSON_CreateString("alias/aws/sqs"));
}

/* _determineEncryptionProps: a given key means KMS; SQS_MANAGED cannot take one; KMS
** without a key makes <queue>/Key. */
static enum sfl_status queue_key(struct sqs_queue *q, const struct sqs_queue_props *p,
                                 struct sfl_loc loc, struct diag *d)
{
  const char *enc = p->encryption;
  if(enc && !strcmp(enc, "SQS_MANAGED") && p->encryption_master_key)
    return diag_set(d, SFL_ERR_INVALID, loc, "'encryption_master_key' is not supported if "
                    "encryption type 'SQS_MANAGED' is used");
  if(p->encryption_master_key || !enc || strcmp(enc, "KMS")) {
    q->key = p->encryption_master_key;
    return SFL_OK;
  }
  struct arena *a = q->node->app->arena;
  const char *path = cfn_node_path(a, q->node);
  const char *desc = path ? arena_printf(a, "Created by %s", path) : NULL;
  struct kms_key_props kp = {0};
  kp.description = desc ? arena_own_json(a, cJSON_CreateString(desc)) : NULL;
  if(!kp.description)
    return diag_nomem(d);
  q->key = kms_key_new(q->node, "Key", &kp, loc, d);
  return q->key ? SFL_OK : d->status;
}

static enum sfl_status queue_props(struct sqs_queue *q, const struct sqs_queue_props *p,
                                   struct diag *d)
{
  cJSON *props = q->resource->props;
  if(p->content_based_deduplication)
    json_put_bool(props, "ContentBasedDeduplication", 1);
  json_put(props, "DeduplicationScope", json_dup(p->deduplication_scope));
  json_put(props, "DelaySeconds", json_dup(p->delivery_delay));
  if(q->fifo)
    json_put_bool(props, "FifoQueue", 1);
  json_put(props, "FifoThroughputLimit", json_dup(p->fifo_throughput_limit));
  put_kms(props, q, p);
  json_put(props, "MaximumMessageSize", json_dup(p->max_message_size_bytes));
  json_put(props, "MessageRetentionPeriod", json_dup(p->retention_period));
  json_put(props, "QueueName", json_dup(p->queue_name));
  json_put(props, "ReceiveMessageWaitTimeSeconds", json_dup(p->receive_message_wait_time));
  if(p->dead_letter_queue.queue) {
    cJSON *redrive = json_put(props, "RedrivePolicy", cJSON_CreateObject());
    if(!json_put(redrive, "deadLetterTargetArn", sqs_queue_arn(p->dead_letter_queue.queue))
       || !json_put(redrive, "maxReceiveCount",
                    json_dup(p->dead_letter_queue.max_receive_count)))
      return diag_nomem(d);
  }
  if(p->encryption && (!strcmp(p->encryption, "NONE") || !strcmp(p->encryption, "SQS_MANAGED")))
    json_put_bool(props, "SqsManagedSseEnabled", !strcmp(p->encryption, "SQS_MANAGED"));
  json_put(props, "VisibilityTimeout", json_dup(p->visibility_timeout));
  return SFL_OK;
}

static enum sfl_status enforce_ssl(struct sqs_queue *q, struct sfl_loc loc, struct diag *d)
{
  cJSON *any = cJSON_CreateObject();
  json_put_str(any, "AWS", "*");
  cJSON *st = messaging_ssl_statement("sqs:*", any, sqs_queue_arn(q), NULL);
  if(!st)
    return diag_nomem(d);
  return messaging_policy(q->node, "AWS::SQS::QueuePolicy", "aws-cdk-lib.aws_sqs.QueuePolicy",
                          "aws-cdk-lib.aws_sqs.CfnQueuePolicy", "Queues", sqs_queue_url(q), st,
                          loc, d);
}

struct sqs_queue *sqs_queue_new(struct cfn_node *scope, const char *id,
                                const struct sqs_queue_props *p, struct sfl_loc loc,
                                struct diag *d)
{
  if(check_ranges(p, loc, d))
    return NULL;
  int fifo = fifo_of(p, loc, d);
  if(fifo < 0)
    return NULL;
  struct sqs_queue *q = arena_alloc(scope->app->arena, sizeof *q);
  if(!q)
    return diag_nomem(d), NULL;
  q->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_sqs.Queue", loc, d);
  if(!q->node)
    return NULL;
  q->node->model = q;
  q->fifo = fifo;
  if(queue_key(q, p, loc, d))
    return NULL;
  q->resource = cfn_resource_new(q->node, "Resource", "AWS::SQS::Queue",
                                 "aws-cdk-lib.aws_sqs.CfnQueue", loc, d);
  if(!q->resource || queue_props(q, p, d))
    return NULL;
  cfn_apply_removal_policy(q->resource, p->removal_policy, "Delete");
  if(p->enforce_ssl && enforce_ssl(q, loc, d))
    return NULL;
  return q;
}

struct sqs_queue *sqs_queue_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct cfn_arn_values parts;
  if(cfn_arn_split_value(a, arn, ARN_NO_RESOURCE_NAME, &parts, loc, d))
    return NULL;
  struct sqs_queue *q = arena_alloc(a, sizeof *q);
  if(!q)
    return diag_nomem(d), NULL;
  /* https://sqs.<region>.<urlSuffix>/<account>/<name> */
  q->imported_url = arena_own_json(a, cfn_concat(
    7, cJSON_CreateString("https://sqs."), json_dup(parts.region), cJSON_CreateString("."),
    cfn_ref("AWS::URLSuffix"), cJSON_CreateString("/"), json_dup(parts.account),
    cfn_concat(2, cJSON_CreateString("/"), json_dup(parts.resource))));
  if(!q->imported_url)
    return diag_nomem(d), NULL;
  q->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_sqs.QueueBase", loc, d);
  if(!q->node)
    return NULL;
  q->node->model = q;
  q->imported_arn = arn;
  q->imported_name = parts.resource;
  q->fifo = ends_with_fifo(parts.resource);
  return q;
}

cJSON *sqs_queue_arn(const struct sqs_queue *q)
{
  return q->resource ? cfn_getatt(q->resource->logical_id, "Arn") : json_dup(q->imported_arn);
}

cJSON *sqs_queue_url(const struct sqs_queue *q)
{
  return q->resource ? cfn_ref(q->resource->logical_id) : json_dup(q->imported_url);
}

cJSON *sqs_queue_name(const struct sqs_queue *q)
{
  return q->resource ? cfn_getatt(q->resource->logical_id, "QueueName")
                     : json_dup(q->imported_name);
}

enum sfl_status sqs_queue_grant_send(const struct sqs_queue *q, struct role *to,
                                     struct diag *d)
{
  static const char *const send[] = {"sqs:SendMessage", "sqs:GetQueueAttributes",
                                     "sqs:GetQueueUrl"};
  static const char *const key_actions[] = {"kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*",
                                            "kms:GenerateDataKey*"};
  enum sfl_status st = messaging_grant(to, send, 3, sqs_queue_arn(q), d);
  if(!st && q->key)
    st = messaging_grant(to, key_actions, 4, kms_key_arn(q->key), d);
  return st;
}

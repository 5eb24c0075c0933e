/*
** messaging.h: aws_sns.Topic, aws_sqs.Queue and aws_events.EventBus as CDK makes them
** (aws-sns/lib/topic.js, aws-sqs/lib/queue.js, aws-events/lib/event-bus.js), made here
** or imported from an ARN. An imported one has no resource: only its ARN and name.
**
** Props hold arena-owned cJSON (NULL: not given); strings may be tokens.
*/
#ifndef SFL_CONSTRUCTS_MESSAGING_H
#define SFL_CONSTRUCTS_MESSAGING_H

#include "constructs/kms.h"
#include "constructs/role.h"

/* {============ resource policies (TopicPolicy, QueuePolicy) */

/* The Deny statement enforce_ssl adds: `actions` on `resource` without TLS. */
cJSON *messaging_ssl_statement(const char *action, cJSON *principal, cJSON *resource,
                               const char *sid);
/* A <parent>/Policy construct (class `fqn`) holding one resource of `type` (class `l1_fqn`)
** whose PolicyDocument has `statement` (taken) and whose `list_key` lists `target` (taken). */
enum sfl_status messaging_policy(struct cfn_node *parent, const char *type, const char *fqn,
                                 const char *l1_fqn, const char *list_key, cJSON *target,
                                 cJSON *statement, struct sfl_loc loc, struct diag *d);
/* One Allow statement on `resource` (taken) added to the grantee's role. */
enum sfl_status messaging_grant(struct role *to, const char *const *actions, size_t n,
                                cJSON *resource, struct diag *d);

/* }============ */

/* {============ aws_sns.Topic */

struct sns_topic_props {
  cJSON *topic_name, *display_name, *signature_version, *fifo_throughput_scope;
  cJSON *tracing_config, *message_retention_period_in_days;
  int fifo, content_based_deduplication, enforce_ssl;
  const struct kms_key *master_key;   /* NULL: not encrypted */
};

struct sns_topic {
  struct cfn_node *node;
  struct cfn_resource *resource;   /* NULL when imported */
  cJSON *imported_arn, *imported_name;
  int fifo, content_based_deduplication;
  const struct kms_key *master_key;
};

struct sns_topic *sns_topic_new(struct cfn_node *scope, const char *id,
                                const struct sns_topic_props *p, struct sfl_loc loc,
                                struct diag *d);
/* Topic.from_topic_arn: `arn` (arena-owned) is a literal ARN or a token. */
struct sns_topic *sns_topic_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   struct sfl_loc loc, struct diag *d);
cJSON *sns_topic_arn(const struct sns_topic *t);
cJSON *sns_topic_name(const struct sns_topic *t);
/* sns:Publish on the topic, and the key's kms:Decrypt/GenerateDataKey* when encrypted. */
enum sfl_status sns_topic_grant_publish(const struct sns_topic *t, struct role *to,
                                        struct diag *d);

/* }============ */

/* {============ aws_sqs.Queue */

struct sqs_queue;

/* DeadLetterQueue {queue, max_receive_count}. */
struct sqs_dead_letter {
  const struct sqs_queue *queue;   /* NULL: none */
  cJSON *max_receive_count;
};

struct sqs_queue_props {
  cJSON *queue_name;
  int fifo;                        /* -1: not given (inferred as CDK does) */
  int content_based_deduplication, enforce_ssl;
  cJSON *deduplication_scope, *fifo_throughput_limit;   /* enum values */
  cJSON *visibility_timeout, *retention_period, *delivery_delay;   /* seconds */
  cJSON *receive_message_wait_time, *data_key_reuse;               /* seconds */
  cJSON *max_message_size_bytes;
  struct sqs_dead_letter dead_letter_queue;
  const char *encryption;          /* QueueEncryption value ("NONE", "SQS_MANAGED"...) */
  const struct kms_key *encryption_master_key;   /* NULL: made here for KMS */
  const char *removal_policy;      /* NULL: destroy */
};

struct sqs_queue {
  struct cfn_node *node;
  struct cfn_resource *resource;   /* NULL when imported */
  cJSON *imported_arn, *imported_name, *imported_url;
  int fifo;
  const struct kms_key *key;       /* QueueEncryption.KMS: its key */
};

struct sqs_queue *sqs_queue_new(struct cfn_node *scope, const char *id,
                                const struct sqs_queue_props *p, struct sfl_loc loc,
                                struct diag *d);
/* Queue.from_queue_arn: `arn` (arena-owned) is a literal ARN or a token. */
struct sqs_queue *sqs_queue_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   struct sfl_loc loc, struct diag *d);
cJSON *sqs_queue_arn(const struct sqs_queue *q);
cJSON *sqs_queue_url(const struct sqs_queue *q);
cJSON *sqs_queue_name(const struct sqs_queue *q);
/* The send actions on the queue, and the key's when it has one. */
enum sfl_status sqs_queue_grant_send(const struct sqs_queue *q, struct role *to,
                                     struct diag *d);

/* }============ */

/* {============ aws_events.EventBus */

struct event_bus_props {
  cJSON *event_bus_name, *event_source_name, *description;
  const struct sqs_queue *dead_letter_queue;
};

struct event_bus {
  struct cfn_node *node;
  struct cfn_resource *resource;   /* NULL when imported */
  cJSON *imported_arn, *imported_name;
};

struct event_bus *event_bus_new(struct cfn_node *scope, const char *id,
                                const struct event_bus_props *p, struct sfl_loc loc,
                                struct diag *d);
/* EventBus.from_event_bus_arn (name = NULL) or from_event_bus_name (arn = NULL). */
struct event_bus *event_bus_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   cJSON *name, struct sfl_loc loc, struct diag *d);
cJSON *event_bus_arn(const struct event_bus *b);
cJSON *event_bus_name(const struct event_bus *b);
/* arn:<Partition>:events:<Region>:<Account>:event-bus/default */
cJSON *event_bus_default_arn(void);
enum sfl_status event_bus_grant_put_events(const struct event_bus *b, struct role *to,
                                           struct diag *d);

/* }============ */

#endif

/*
** tasks_messaging.h: the messaging integrations of aws_stepfunctions_tasks: SnsPublish
** (sns/publish.js), SqsSendMessage (sqs/send-message.js) and EventBridgePutEvents
** (eventbridge/put-events.js).
*/
#ifndef SFL_CONSTRUCTS_TASKS_MESSAGING_H
#define SFL_CONSTRUCTS_TASKS_MESSAGING_H

#include "constructs/messaging.h"
#include "constructs/tasks.h"

/* sns.MessageAttributeDataType values ("String", "String.Array", "Number", "Binary"). */
extern const char *const sns_attribute_types[];

/* One message attribute as the user gave it. */
struct sns_attribute {
  const char *name;
  cJSON *value;            /* the value (JSON; a JsonPath string for a token) */
  int is_input;            /* value came from a sfn.TaskInput */
  const char *data_type;   /* one of sns_attribute_types, or NULL */
};

struct sns_publish_props {
  struct task_base base;
  const struct sns_topic *topic;
  cJSON *message;          /* TaskInput value */
  cJSON *subject, *message_group_id, *message_deduplication_id;
  int message_per_subscription_type;
  const struct sns_attribute *attributes;
  size_t nattributes;
};

struct asl_state *task_sns_publish(struct cfn_node *scope, const char *id,
                                   const struct sns_publish_props *p, struct sfl_loc loc,
                                   struct diag *d);

struct sqs_send_message_props {
  struct task_base base;
  const struct sqs_queue *queue;
  cJSON *message_body;     /* TaskInput value */
  cJSON *delay;            /* seconds */
  cJSON *message_group_id, *message_deduplication_id;
};

struct asl_state *task_sqs_send_message(struct cfn_node *scope, const char *id,
                                        const struct sqs_send_message_props *p,
                                        struct sfl_loc loc, struct diag *d);

/* One EventBridgePutEventsEntry. */
struct put_events_entry {
  cJSON *detail;           /* TaskInput value */
  cJSON *detail_type, *source;
  const struct event_bus *event_bus;   /* NULL: the account's default bus */
};

struct put_events_props {
  struct task_base base;
  const struct vec *entries;   /* struct put_events_entry* */
};

struct asl_state *task_put_events(struct cfn_node *scope, const char *id,
                                  const struct put_events_props *p, struct sfl_loc loc,
                                  struct diag *d);

#endif

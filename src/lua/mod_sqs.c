/*
** mod_sqs.c: `sfl.aws_sqs`: Queue (made or imported), QueueEncryption, DeduplicationScope,
** FifoThroughputLimit.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "lua/mod_tasks.h"
#include "constructs/messaging.h"

static const char *const encryption_members[] = {"UNENCRYPTED", "KMS_MANAGED", "KMS",
                                                 "SQS_MANAGED", NULL};
static const char *const encryption_values[] = {"NONE", "KMS_MANAGED", "KMS", "SQS_MANAGED",
                                                NULL};
static const char *const scope_members[] = {"MESSAGE_GROUP", "QUEUE", NULL};
static const char *const scope_values[] = {"messageGroup", "queue", NULL};
static const char *const limit_members[] = {"PER_QUEUE", "PER_MESSAGE_GROUP_ID", NULL};
static const char *const limit_values[] = {"perQueue", "perMessageGroupId", NULL};

struct lua_queue {
  struct sqs_queue_props p;
  cJSON *encryption, *removal_policy;
  int fifo;
};

#define QP struct lua_queue
static const struct lsfl_prop dead_letter_schema[] = {
  {"queue", P_USERDATA, offsetof(struct sqs_dead_letter, queue), PROP_REQUIRED, NULL, NULL,
   NULL, LSFL_BIT(QUEUE) | LSFL_BIT(IMPORTED_QUEUE), "an aws_sqs.IQueue"},
  {"max_receive_count", P_INT, offsetof(struct sqs_dead_letter, max_receive_count),
   PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

static const struct lsfl_prop queue_schema[] = {
  F("queue_name", P_STR, QP, p.queue_name),
  F("fifo", P_BOOL, QP, fifo),
  F("content_based_deduplication", P_BOOL, QP, p.content_based_deduplication),
  {"deduplication_scope", P_ENUM, offsetof(QP, p.deduplication_scope), 0, NULL, NULL,
   scope_values, 0, NULL},
  {"fifo_throughput_limit", P_ENUM, offsetof(QP, p.fifo_throughput_limit), 0, NULL, NULL,
   limit_values, 0, NULL},
  F("visibility_timeout", P_DURATION, QP, p.visibility_timeout),
  F("retention_period", P_DURATION, QP, p.retention_period),
  F("delivery_delay", P_DURATION, QP, p.delivery_delay),
  F("receive_message_wait_time", P_DURATION, QP, p.receive_message_wait_time),
  F("max_message_size_bytes", P_INT, QP, p.max_message_size_bytes),
  {"dead_letter_queue", P_NESTED, offsetof(QP, p.dead_letter_queue), 0, NULL,
   dead_letter_schema, NULL, 0, NULL},
  {"encryption", P_ENUM, offsetof(QP, encryption), 0, NULL, NULL, encryption_values, 0, NULL},
  F("data_key_reuse", P_DURATION, QP, p.data_key_reuse),
  {"encryption_master_key", P_USERDATA, offsetof(QP, p.encryption_master_key), 0, NULL, NULL,
   NULL, LSFL_BIT(KMS_KEY) | LSFL_BIT(IMPORTED_KMS_KEY),
   "an aws_kms.IKey (a Key, or Key.from_key_arn(...))"},
  F("enforce_ssl", P_BOOL, QP, p.enforce_ssl),
  {"removal_policy", P_ENUM, offsetof(QP, removal_policy), 0, NULL, NULL, lsfl_removal_policies, 0,
   NULL},
  PROP_END
};
#undef QP

static int queue_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_queue props = {0};
  props.fifo = -1;
  lsfl_read_props(L, 3, queue_schema, &props, lua_pushfstring(L, "Queue '%s'", id));
  props.p.fifo = props.fifo;
  props.p.encryption = props.encryption ? props.encryption->valuestring : NULL;
  props.p.removal_policy = props.removal_policy ? props.removal_policy->valuestring : NULL;
  struct diag d = {0};
  struct sqs_queue *q = sqs_queue_new(scope, id, &props.p, lsfl_loc(L), &d);
  if(!q)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_QUEUE, q, q->node);
  return 1;
}

/* Queue.from_queue_arn(scope, id, arn) */
static int queue_from_arn(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *arn = lsfl_check_str_value(L, 3, "queue_arn");
  struct diag d = {0};
  struct sqs_queue *q = sqs_queue_import(scope, id, arn, lsfl_loc(L), &d);
  if(!q)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_IMPORTED_QUEUE, q, q->node);
  return 1;
}

static int queue_grant_send(lua_State *L)
{
  struct sqs_queue *q = lsfl_check(L, 1, LSFL_BIT(QUEUE) | LSFL_BIT(IMPORTED_QUEUE), 0,
                                   "sfl.aws_sqs.IQueue")->obj;
  struct role *to = lsfl_check_grantee(L, 2);
  struct diag d = {0};
  if(sqs_queue_grant_send(q, to, &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, sqs_queue_arn(self->obj));
}

static int get_url(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, sqs_queue_url(self->obj));
}

static int get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, sqs_queue_name(self->obj));
}

static int get_fifo(lua_State *L, struct lsfl_box *self)
{
  lua_pushboolean(L, ((struct sqs_queue *)self->obj)->fifo);
  return 1;
}

static const struct lsfl_getter queue_getters[] = {
  {"queue_arn", get_arn}, {"queue_url", get_url}, {"queue_name", get_name},
  {"fifo", get_fifo}, {NULL, NULL}
};

static const luaL_Reg queue_methods[] = {{"grant_send_messages", queue_grant_send},
                                         {NULL, NULL}};

static const luaL_Reg queue_statics[] = {{"from_queue_arn", queue_from_arn}, {NULL, NULL}};

void lsfl_register_sqs_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_QUEUE, queue_methods, queue_getters);
  lsfl_new_type(L, LSFL_IMPORTED_QUEUE, queue_methods, queue_getters);
}

int lsfl_open_sqs(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_sqs.Queue", queue_new, queue_statics);
  lua_setfield(L, -2, "Queue");
  lsfl_new_enum(L, "sfl.aws_sqs.QueueEncryption", encryption_members, encryption_values);
  lua_setfield(L, -2, "QueueEncryption");
  lsfl_new_enum(L, "sfl.aws_sqs.DeduplicationScope", scope_members, scope_values);
  lua_setfield(L, -2, "DeduplicationScope");
  lsfl_new_enum(L, "sfl.aws_sqs.FifoThroughputLimit", limit_members, limit_values);
  lua_setfield(L, -2, "FifoThroughputLimit");
  lsfl_make_strict(L, "sfl.aws_sqs");
  return 1;
}

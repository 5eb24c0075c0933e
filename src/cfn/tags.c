/*
** tags.c: tags propagated from scopes to taggable resources (see tags.h).
*/
#include "cfn/tags.h"
#include "cfn/template.h"

#include <stdlib.h>
#include <string.h>

/* Resource types whose Tags property is a list of {Key, Value} (TagType.STANDARD). */
static const char *const taggable[] = {
  "AWS::DynamoDB::Table", "AWS::EC2::EIP", "AWS::EC2::InternetGateway",
  "AWS::EC2::NatGateway", "AWS::EC2::RouteTable", "AWS::EC2::SecurityGroup",
  "AWS::EC2::Subnet", "AWS::EC2::VPC", "AWS::ECS::Cluster", "AWS::ECS::TaskDefinition",
  "AWS::Events::EventBus", "AWS::IAM::Role", "AWS::KMS::Key", "AWS::Lambda::Function",
  "AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::SNS::Topic", "AWS::SQS::Queue",
  "AWS::StepFunctions::Activity", "AWS::StepFunctions::StateMachine",
};

static int is_taggable(const char *type)
{
  for(size_t i = 0; i < sizeof taggable / sizeof *taggable; i++)
    if(!strcmp(type, taggable[i]))
      return 1;
  return 0;
}

enum sfl_status cfn_tag(struct cfn_node *node, struct cfn_tag_op *op, struct diag *d)
{
  return vec_push(node->app->arena, &node->tags, op) ? diag_nomem(d) : SFL_OK;
}

static int has_type(const struct vec *types, const char *type)
{
  for(size_t i = 0; i < types->n; i++)
    if(!strcmp(types->items[i], type))
      return 1;
  return 0;
}

/* One key's state while the operations are replayed. */
struct tag_slot {
  const char *key, *value;        /* value NULL: removed (unless `json`) */
  const cJSON *json;              /* a value the construct wrote (may hold intrinsics) */
  int priority;
};

struct tag_set {
  struct tag_slot *slots;
  size_t n, cap;
};

/* TagManager.setTag/removeTag: a lower priority never overrides a higher one. */
static int set_tag(struct tag_set *s, const char *key, const char *value, const cJSON *json,
                   int priority)
{
  for(size_t i = 0; i < s->n; i++)
    if(!strcmp(s->slots[i].key, key)) {
      if(priority >= s->slots[i].priority)
        s->slots[i] = (struct tag_slot){key, value, json, priority};
      return 1;
    }
  if(s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    struct tag_slot *grown = realloc(s->slots, cap * sizeof *grown);
    if(!grown)
      return 0;
    s->slots = grown;
    s->cap = cap;
  }
  s->slots[s->n++] = (struct tag_slot){key, value, json, priority};
  return 1;
}

/* The operations of n's ancestors (outermost first), then n's own. */
static int replay(const struct cfn_node *n, const char *type, struct tag_set *s)
{
  if(n->parent && !replay(n->parent, type, s))
    return 0;
  for(size_t i = 0; i < n->tags.n; i++) {
    const struct cfn_tag_op *op = n->tags.items[i];
    if((op->include.n && !has_type(&op->include, type)) || has_type(&op->exclude, type))
      continue;
    if(!set_tag(s, op->key, op->value, NULL, op->priority))
      return 0;
  }
  return 1;
}

static int compare_slots(const void *a, const void *b)
{
  /* TagManager sorts with localeCompare ("aws-cdk:subnet-name" before "Name"). */
  return cfn_locale_compare(((const struct tag_slot *)a)->key,
                            ((const struct tag_slot *)b)->key);
}

/* Tags the construct itself wrote (a VPC's Name tags) are the closest of all. */
static int own_tags(const cJSON *props, struct tag_set *s)
{
  const cJSON *list = json_get(props, "Tags");
  for(const cJSON *t = list ? list->child : NULL; t; t = t->next) {
    const cJSON *k = json_get(t, "Key"), *v = json_get(t, "Value");
    if(cJSON_IsString(k) && v && !set_tag(s, k->valuestring, NULL, v, 1000))
      return 0;
  }
  return 1;
}

/* Links the children of obj in `order` as cJSON does: each item's prev is its
** predecessor, the first one's the last item. */
static void relink(cJSON *obj, cJSON **order, size_t n)
{
  obj->child = n ? order[0] : NULL;
  for(size_t i = 0; i < n; i++) {
    order[i]->prev = i ? order[i - 1] : order[n - 1];
    order[i]->next = i + 1 < n ? order[i + 1] : NULL;
  }
}

/* Puts `item` as `key` before the first key that sorts after it (props are alphabetical),
** replacing any item of that key. Trees built link by link (cfn_resolve) may leave `prev`
** unset, so the list is relinked here rather than edited with cJSON's calls. */
static int put_sorted(cJSON *props, const char *key, cJSON *item)
{
  cJSON *holder = cJSON_CreateObject();
  if(!json_put(holder, key, item)) {       /* gives `item` a key cJSON will free */
    cJSON_Delete(holder);
    return 0;
  }
  holder->child = NULL;
  cJSON_Delete(holder);
  size_t n = 0;
  for(const cJSON *c = props->child; c; c = c->next)
    n++;
  cJSON **order = malloc((n + 1) * sizeof *order);
  if(!order) {
    item->next = item->prev = NULL;
    cJSON_Delete(item);
    return 0;
  }
  size_t k = 0;
  int placed = 0;
  for(cJSON *c = props->child, *next; c; c = next) {
    next = c->next;
    if(!strcmp(c->string, key)) {
      c->next = c->prev = NULL;
      cJSON_Delete(c);
      continue;
    }
    if(!placed && strcmp(c->string, key) > 0) {
      order[k++] = item;
      placed = 1;
    }
    order[k++] = c;
  }
  if(!placed)
    order[k++] = item;
  relink(props, order, k);
  free(order);
  return 1;
}

int cfn_tags_apply(const struct cfn_resource *r, cJSON *props)
{
  if(!is_taggable(r->type))
    return 1;
  struct tag_set s = {0};
  int ok = replay(r->node, r->type, &s) && own_tags(props, &s);
  cJSON *list = ok ? cJSON_CreateArray() : NULL;
  if(s.n)
    qsort(s.slots, s.n, sizeof *s.slots, compare_slots);
  for(size_t i = 0; list && i < s.n; i++) {
    if(!s.slots[i].value && !s.slots[i].json)
      continue;
    cJSON *tag = cJSON_CreateObject();
    json_put_str(tag, "Key", s.slots[i].key);
    json_put(tag, "Value", s.slots[i].json ? json_dup(s.slots[i].json)
                                           : cJSON_CreateString(s.slots[i].value));
    if(!json_get(tag, "Value") || !json_push(list, tag)) {
      cJSON_Delete(tag);
      ok = 0;
      break;
    }
  }
  free(s.slots);
  if(!ok || !list) {
    cJSON_Delete(list);
    return 0;
  }
  if(!list->child) {
    cJSON_Delete(list);
    return 1;
  }
  return put_sorted(props, "Tags", list);
}

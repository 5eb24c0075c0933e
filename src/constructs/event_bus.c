/*
** event_bus.c: event buses (aws-events/lib/event-bus.js): EventBus, fromEventBusArn,
** fromEventBusName, grantPutEventsTo.
*/
#include "constructs/messaging.h"
#include "cfn/arn.h"
#include "cfn/token.h"

#include <string.h>

/* /^[\/\.\-_A-Za-z0-9]{1,256}$/ */
static int bus_name_ok(const char *s)
{
  size_t n = strlen(s);
  if(n < 1 || n > 256)
    return 0;
  for(; *s; s++)
    if(!strchr("/.-_", *s) && !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')
                                || (*s >= '0' && *s <= '9')))
      return 0;
  return 1;
}

/* /^aws\.partner(\/[\.\-_A-Za-z0-9]+){2,}$/ */
static int partner_source_ok(const char *s)
{
  if(strncmp(s, "aws.partner", 11))
    return 0;
  int parts = 0;
  for(s += 11; *s == '/'; parts++) {
    size_t n = strspn(++s, ".-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    if(!n)
      return 0;
    s += n;
  }
  return !*s && parts >= 2;
}

static const char *literal(const cJSON *v)
{
  return cJSON_IsString(v) && !json_has(v, JSON_PATH) ? v->valuestring : NULL;
}

/* EventBus.eventBusProps and the description's length, in CDK's order. */
static enum sfl_status check_bus(const struct event_bus_props *p, struct sfl_loc loc,
                                 struct diag *d)
{
  static const char bus_re[] = "/^[\\/\\.\\-_A-Za-z0-9]{1,256}$/";
  const char *name = literal(p->event_bus_name), *source = literal(p->event_source_name);
  if(p->event_bus_name && p->event_source_name)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "'event_bus_name' and 'event_source_name' cannot both be provided");
  if(name && !strcmp(name, "default"))
    return diag_set(d, SFL_ERR_INVALID, loc, "'event_bus_name' must not be 'default'");
  if(name && strchr(name, '/'))
    return diag_set(d, SFL_ERR_INVALID, loc, "'event_bus_name' must not contain '/'");
  if(name && !bus_name_ok(name))
    return diag_set(d, SFL_ERR_INVALID, loc, "'event_bus_name' must satisfy: %s", bus_re);
  if(source && !partner_source_ok(source))
    return diag_set(d, SFL_ERR_INVALID, loc, "'event_source_name' must satisfy: "
                    "/^aws\\.partner(\\/[\\.\\-_A-Za-z0-9]+){2,}$/");
  if(source && !bus_name_ok(source))
    return diag_set(d, SFL_ERR_INVALID, loc, "'event_source_name' must satisfy: %s", bus_re);
  const char *desc = literal(p->description);
  if(desc && strlen(desc) > 512)
    return diag_set(d, SFL_ERR_INVALID, loc, "description must be less than or equal to 512 "
                    "characters, got %zu", strlen(desc));
  return SFL_OK;
}

static enum sfl_status bus_props(struct event_bus *b, const struct event_bus_props *p,
                                 struct diag *d)
{
  cJSON *props = b->resource->props;
  if(p->dead_letter_queue
     && !json_put(json_put(props, "DeadLetterConfig", cJSON_CreateObject()), "Arn",
                  sqs_queue_arn(p->dead_letter_queue)))
    return diag_nomem(d);
  json_put(props, "Description", json_dup(p->description));
  json_put(props, "EventSourceName", json_dup(p->event_source_name));
  /* eventBusName ?? eventSourceName ?? Names.uniqueId(this) */
  cJSON *name = p->event_bus_name ? json_dup(p->event_bus_name)
              : p->event_source_name ? json_dup(p->event_source_name) : NULL;
  if(!name) {
    const char *id = cfn_unique_id(b->node->app->arena, b->node);
    name = id ? cJSON_CreateString(id) : NULL;
  }
  return json_put(props, "Name", name) ? SFL_OK : diag_nomem(d);
}

struct event_bus *event_bus_new(struct cfn_node *scope, const char *id,
                                const struct event_bus_props *p, struct sfl_loc loc,
                                struct diag *d)
{
  if(check_bus(p, loc, d))
    return NULL;
  struct event_bus *b = arena_alloc(scope->app->arena, sizeof *b);
  if(!b)
    return diag_nomem(d), NULL;
  b->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_events.EventBus", loc, d);
  if(!b->node)
    return NULL;
  b->node->model = b;
  b->resource = cfn_resource_new(b->node, "Resource", "AWS::Events::EventBus",
                                 "aws-cdk-lib.aws_events.CfnEventBus", loc, d);
  if(!b->resource || bus_props(b, p, d))
    return NULL;
  return b;
}

struct event_bus *event_bus_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   cJSON *name, struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct cfn_arn_values parts = {0};
  if(arn && cfn_arn_split_value(a, arn, ARN_SLASH_RESOURCE_NAME, &parts, loc, d))
    return NULL;
  if(arn)   /* parts.resourceName || "" */
    name = parts.resource_name ? parts.resource_name
                               : arena_own_json(a, cJSON_CreateString(""));
  else if(cJSON_IsString(name) && !json_has(name, JSON_PATH)) {
    const char *tail = arena_printf(a, "event-bus/%s", name->valuestring);
    arn = tail ? arena_own_json(a, cfn_arn("events", 1, 1, tail)) : NULL;
  } else {
    arn = arena_own_json(a, cfn_concat(2, cfn_arn("events", 1, 1, "event-bus/"),
                                       json_dup(name)));
  }
  struct event_bus *b = arena_alloc(a, sizeof *b);
  if(!b || !arn || !name)
    return diag_nomem(d), NULL;
  b->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_events.ImportedEventBus", loc, d);
  if(!b->node)
    return NULL;
  b->node->model = b;
  b->imported_arn = arn;
  b->imported_name = name;
  return b;
}

cJSON *event_bus_arn(const struct event_bus *b)
{
  return b->resource ? cfn_getatt(b->resource->logical_id, "Arn") : json_dup(b->imported_arn);
}

cJSON *event_bus_name(const struct event_bus *b)
{
  return b->resource ? cfn_ref(b->resource->logical_id) : json_dup(b->imported_name);
}

cJSON *event_bus_default_arn(void)
{
  return cfn_arn("events", 1, 1, "event-bus/default");
}

enum sfl_status event_bus_grant_put_events(const struct event_bus *b, struct role *to,
                                           struct diag *d)
{
  static const char *const put[] = {"events:PutEvents"};
  return messaging_grant(to, put, 1, event_bus_arn(b), d);
}

/*
** events.c: imported EventBridge connections (aws-events/lib/connection.js).
*/
#include "constructs/events.h"
#include "cfn/arn.h"
#include "cfn/token.h"

/* The connection name in the ARN: Stack.parseArn(arn).resourceName || "". */
static cJSON *name_from_arn(struct arena *a, const cJSON *arn, struct sfl_loc loc,
                            struct diag *d)
{
  if(!cJSON_IsString(arn) || json_has(arn, JSON_PATH))
    return arena_own_json(a, cfn_select_split(1, "/", cfn_select_split(5, ":",
                                                                          json_dup(arn))));
  struct cfn_arn_parts parts;
  if(cfn_arn_split(a, arn->valuestring, ARN_SLASH_RESOURCE_NAME, &parts, loc, d))
    return NULL;
  return arena_own_json(a, cJSON_CreateString(parts.resource_name ? parts.resource_name
                                                                   : ""));
}

struct events_connection *events_connection_import(struct cfn_node *scope, const char *id,
                                                   cJSON *arn, cJSON *name, cJSON *secret_arn,
                                                   struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct cfn_arn_parts parts;
  /* ImportedConnection parses the ARN for its account and region whatever made it. */
  if(cJSON_IsString(arn) && !json_has(arn, JSON_PATH)
     && cfn_arn_split(a, arn->valuestring, ARN_SLASH_RESOURCE_NAME, &parts, loc, d))
    return NULL;
  if(!name && !(name = name_from_arn(a, arn, loc, d)))
    return d->status ? NULL : (diag_nomem(d), NULL);
  struct events_connection *c = arena_alloc(a, sizeof *c);
  if(!c)
    return diag_nomem(d), NULL;
  c->node = cfn_node_new(scope, id, "aws-cdk-lib.Resource", loc, d);
  if(!c->node)
    return NULL;
  c->node->model = c;
  c->arn = arn;
  c->name = name;
  c->secret_arn = secret_arn;
  return c;
}

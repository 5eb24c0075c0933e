/*
** events.h: aws_events constructs: imported connections (Connection.from_event_bus_arn,
** Connection.from_connection_attributes), what HttpInvoke authenticates with.
*/
#ifndef SFL_CONSTRUCTS_EVENTS_H
#define SFL_CONSTRUCTS_EVENTS_H

#include "cfn/construct.h"

struct events_connection {
  struct cfn_node *node;
  cJSON *arn, *name, *secret_arn;   /* strings or tokens */
};

/*
** An imported connection (a plain Resource, as CDK's ImportedConnection). name NULL: taken
** from the ARN's resource name ("" when it has none), as from_event_bus_arn does. A literal
** ARN must parse (Stack.parseArn). Takes over nothing: the values stay the caller's (arena).
*/
struct events_connection *events_connection_import(struct cfn_node *scope, const char *id,
                                                   cJSON *arn, cJSON *name, cJSON *secret_arn,
                                                   struct sfl_loc loc, struct diag *d);

#endif

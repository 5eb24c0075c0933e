/*
** render.h: ASL documents from bound graphs, key for key as aws-stepfunctions renders
** them (the order of keys in each state type is the order of CDK's toStateJson).
**
** Returns new trees the caller owns; task resources and other CloudFormation values
** stay in them as intrinsics (cfn/token.h turns them into a DefinitionString).
*/
#ifndef SFL_ASL_RENDER_H
#define SFL_ASL_RENDER_H

#include "asl/state.h"

/*
** {"StartAt": ..., "States": {...}}. `top` is the machine's query language: states write
** "QueryLanguage" only where it differs. As in CDK, Parallel branches and Map processors
** are rendered with it unset (they forget the machine's language).
*/
cJSON *asl_render_graph(const struct asl_graph *g, enum asl_ql top);
cJSON *asl_render_state(const struct asl_state *s, enum asl_ql top);
/*
** CDK's FieldUtils.renderObject: a copy of a user object where every JsonPath value
** becomes a "key.$" member. NULL stays NULL.
*/
cJSON *asl_render_object(const cJSON *o);
/* Problems renderObject would throw on (a path inside an array); NULL when fine. */
const char *asl_check_object(const cJSON *o);

#endif

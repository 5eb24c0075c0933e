/*
** tdiff.h: what changes between two CloudFormation templates, written the way `cdk diff`
** writes it: sections (Template, IAM statement changes, Parameters, Metadata, Mappings,
** Conditions, Resources, Outputs, Other Changes), resources added, removed and changed with
** the path of every changed property and its old and new values. Unlike CDK, a state
** machine's definition is compared state by state (aws-cdk issue 18880), Parallel branches
** and Map processors included, with references shown as ${Logical} / ${Logical.Attr}.
**
** Pure: no network, no Lua, no files. The caller owns the templates and the buffer;
** nothing is kept after a call.
*/
#ifndef SFL_DEPLOY_TDIFF_H
#define SFL_DEPLOY_TDIFF_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/strbuf.h"

struct tdiff_options {
  int color;            /* 1: ANSI colours (only for a terminal) */
  int context_lines;    /* unchanged lines around a change in a JSON text diff; < 0: 3 */
  int strict;           /* 1: also AWS::CDK::Metadata resources and CheckBootstrapVersion */
  /* Logical id -> construct path ("/Stack/Fn/Resource"), shown before the id; or NULL. */
  const cJSON *paths;
};

/*
** Appends the report of the changes from `old` to `new` (either may be NULL: an empty
** template) to `out`; "There were no differences\n" when there are none. Returns the count
** of differences (0: none). An allocation failure sets out->failed.
*/
size_t tdiff_write(struct strbuf *out, const cJSON *old, const cJSON *new,
                   const struct tdiff_options *o);

#endif

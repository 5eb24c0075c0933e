/*
** tags.h: Tags.of(scope).add/remove as CDK's Tag aspect applies them
** (aws-cdk-lib/core/lib/tag-aspect.js, tag-manager.js): each operation is kept on the
** construct it was given to; when a template is rendered, every taggable resource gets
** the tags of its ancestors, outermost scope first, later and closer operations winning
** at equal priority, and writes them sorted by key as "Tags": [{Key, Value}].
**
** Ownership: operations live in the app's arena; cfn_tags_apply returns nothing owned.
*/
#ifndef SFL_CFN_TAGS_H
#define SFL_CFN_TAGS_H

#include "cfn/construct.h"

struct cfn_tag_op {
  const char *key, *value;        /* value NULL: remove */
  int priority;                   /* 100 for add, 200 for remove by default */
  struct vec include, exclude;    /* resource types (const char *); empty: all */
};

/* Records an operation on `node` (taken over: it must live in the arena). */
enum sfl_status cfn_tag(struct cfn_node *node, struct cfn_tag_op *op, struct diag *d);
/* Puts the tags that reach resource `r` into its rendered `props` (keys in CloudFormation's
** alphabetical order). Returns 0 when out of memory. */
int cfn_tags_apply(const struct cfn_resource *r, cJSON *props);

#endif

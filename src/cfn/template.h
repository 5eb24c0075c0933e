/*
** template.h: a stack's CloudFormation template, laid out as CDK lays it out
** (resources in construct-tree order, keys in CDK's order, the bootstrap parameter
** and rule of the default synthesizer).
*/
#ifndef SFL_CFN_TEMPLATE_H
#define SFL_CFN_TEMPLATE_H

#include "cfn/construct.h"

/* Runs every resource's prepare hook; then a new plain template the caller deletes. */
cJSON *cfn_stack_template(struct cfn_stack *st, struct diag *d);
/* The template as CDK writes the file: JSON.stringify(template, null, 1). Caller frees. */
char *cfn_template_text(const cJSON *template);

/* Calls fn on every node below (and including) `top`, in pre-order. Stops at nonzero. */
int cfn_walk(struct cfn_node *top, int (*fn)(struct cfn_node *n, void *ctx), void *ctx);

/* JavaScript's String#localeCompare under ICU's root collation, for ASCII text. */
int cfn_locale_compare(const char *a, const char *b);

#endif

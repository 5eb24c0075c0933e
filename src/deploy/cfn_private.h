/*
** cfn_private.h: what cfn.c, cfn_watch.c and cfn_ops.c share (not for other callers).
*/
#ifndef SFL_DEPLOY_CFN_PRIVATE_H
#define SFL_DEPLOY_CFN_PRIVATE_H

#include <signal.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/diag.h"

struct aws_client;
struct aws_param;
struct xml_doc;

/* A query's parameters; formatted names are owned by the list. Appending after a failed
** allocation does nothing and cfn_call then reports it. */
struct cfn_params {
  struct aws_param *p;
  char **owned;
  size_t n, cap;
  int failed;
};
void cfn_params_add(struct cfn_params *q, const char *name, const char *value);  /* NULL: skip */
void cfn_params_addf(struct cfn_params *q, const char *value, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
void cfn_params_free(struct cfn_params *q);
/* aws_query on CloudFormation; frees q; out must be xml_free()d whatever happens. */
enum sfl_status cfn_call(struct aws_client *c, const char *action, struct cfn_params *q,
                         struct xml_doc *out, struct diag *d);

/* strdup that records a failure in *failed (NULL stays NULL). */
char *cfn_strdup(const char *s, int *failed);
/* Sleeps ms, waking early when *stop is set (returns 1 then). */
int cfn_nap(unsigned ms, volatile sig_atomic_t *stop);
/* The last call failed because the stack does not exist. */
int cfn_missing_stack(struct aws_client *c, const struct diag *d);
/* NAME of "arn:...:stack/NAME/id" (or s itself), written to buf. */
const char *cfn_arn_name(const char *s, char *buf, size_t size);

/* The resource-type column's width for a template: its longest Type, at least as wide as
** "AWS::CloudFormation::Stack" (CDK's maxResourceTypeLength). */
int cfn_type_width(const cJSON *template);

#endif

/*
** arn.h: literal ARNs taken apart as CDK's Arn.split does (core/lib/arn.js), with its
** messages for ARNs that cannot be.
*/
#ifndef SFL_CFN_ARN_H
#define SFL_CFN_ARN_H

#include "core/arena.h"
#include "core/diag.h"

enum cfn_arn_format {
  ARN_NO_RESOURCE_NAME,       /* arn:aws:service:region:account:resource */
  ARN_COLON_RESOURCE_NAME,    /* ...:resource:resourceName */
  ARN_SLASH_RESOURCE_NAME     /* ...:resource/resourceName */
};

/* The parts (arena strings); resource_name is NULL when the ARN has none. */
struct cfn_arn_parts {
  const char *partition, *service, *region, *account, *resource, *resource_name;
};

enum sfl_status cfn_arn_split(struct arena *a, const char *arn, enum cfn_arn_format format,
                              struct cfn_arn_parts *out, struct sfl_loc loc, struct diag *d);

#endif

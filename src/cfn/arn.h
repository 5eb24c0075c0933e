/*
** arn.h: literal ARNs taken apart as CDK's Arn.split does (core/lib/arn.js), with its
** messages for ARNs that cannot be.
*/
#ifndef SFL_CFN_ARN_H
#define SFL_CFN_ARN_H

#include "core/arena.h"
#include "core/diag.h"
#include "core/json.h"

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

/*
** The same for an ARN value from the app: a literal string (its parts as strings) or a
** token (parseTokenArn: {"Fn::Select": [i, {"Fn::Split": [":", arn]}]}, and "/" inside
** the 6th part for ARN_SLASH_RESOURCE_NAME). Parts are arena-owned JSON, NULL if absent.
** A JSON path or an ARN glued from text and tokens cannot be split: an error.
*/
struct cfn_arn_values {
  cJSON *region, *account, *resource, *resource_name;
};

enum sfl_status cfn_arn_split_value(struct arena *a, const cJSON *arn,
                                    enum cfn_arn_format format, struct cfn_arn_values *out,
                                    struct sfl_loc loc, struct diag *d);

#endif

/*
** token.h: CloudFormation intrinsics inside sfl's JSON trees.
**
** An intrinsic is an object flagged JSON_INTRINSIC ({"Ref": "X"}, {"Fn::GetAtt": [X, "Arn"]}).
** A string that mixes literal text and intrinsics ("arn:" + Partition + ":states:::...")
** is an array flagged JSON_CONCAT whose items are strings and intrinsics. Both may sit
** anywhere in resource properties and in ASL documents; cfn_resolve() turns them into
** plain CloudFormation (Fn::Join), cfn_stringify() into a DefinitionString.
**
** Every function returns a new tree the caller owns, or NULL when out of memory;
** arguments passed as cJSON* are taken over (deleted on failure too).
*/
#ifndef SFL_CFN_TOKEN_H
#define SFL_CFN_TOKEN_H

#include "core/json.h"

/* {"<fn>": arg} flagged as an intrinsic ("Fn::Join", "Fn::Sub"...; arg taken over). */
cJSON *cfn_intrinsic(const char *fn, cJSON *arg);
cJSON *cfn_ref(const char *target);
cJSON *cfn_getatt(const char *logical_id, const char *attribute);
/* {"Fn::Select": [index, {"Fn::Split": [separator, value]}]} (value taken over). */
cJSON *cfn_select_split(int index, const char *separator, cJSON *value);
cJSON *cfn_partition(void);
cJSON *cfn_region(void);
cJSON *cfn_account(void);

/*
** A string made of `n` parts (strings or intrinsics or concats, all taken over).
** Nested concats are spliced and neighbouring literals merged; the result is a plain
** string when no intrinsic is left.
*/
cJSON *cfn_concat(size_t n, ...);
/* "arn:<Partition>:<service>:<Region?>:<Account?>:<resource>" as CDK's formatArn writes it. */
cJSON *cfn_arn(const char *service, int regional, int with_account, const char *resource);

/* A copy that CloudFormation reads: concats become Fn::Join, flags are dropped. */
cJSON *cfn_resolve(const cJSON *value);
/*
** JSON text of `doc` (compact, as CDK's Stack.toJsonString) with its intrinsics left
** in place: a plain string, or {"Fn::Join": ["", [text, intrinsic, text, ...]]}.
*/
cJSON *cfn_stringify(const cJSON *doc);
/*
** A copy where each intrinsic is the text "${Ref:X}" / "${Fn::GetAtt:X.Arn}" (and
** concats are joined), the way shared/tools/cfn-compare and the ASL files show them.
*/
cJSON *cfn_placeholders(const cJSON *value);

#endif

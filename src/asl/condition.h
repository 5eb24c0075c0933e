/*
** condition.h: Choice rule conditions (CDK's sfn.Condition), rendered as the JSON
** object each becomes inside "Choices".
*/
#ifndef SFL_ASL_CONDITION_H
#define SFL_ASL_CONDITION_H

#include "core/diag.h"
#include "core/json.h"

enum asl_cond_arg {
  COND_STRING,      /* a string value */
  COND_NUMBER,      /* a number value */
  COND_BOOL,        /* a boolean value */
  COND_PATH,        /* the *_json_path forms: a path to compare with */
  COND_TRUE,        /* is_present & co.: no value, renders true */
  COND_FALSE        /* is_not_present & co.: no value, renders false */
};

struct asl_cond_op {
  const char *name;         /* Python spelling: "string_equals" */
  const char *op;           /* ASL operator: "StringEquals" */
  enum asl_cond_arg arg;
};

/* Every comparison of sfn.Condition, NULL-terminated. */
extern const struct asl_cond_op asl_cond_ops[];

/*
** {"Variable": variable, op: value}. `value` (taken over) is ignored for COND_TRUE/FALSE.
** Fails when the variable is not a JSON path.
*/
cJSON *asl_condition(const struct asl_cond_op *op, const char *variable, cJSON *value,
                     struct sfl_loc loc, struct diag *d);
/* {"And": [...]} / {"Or": [...]} from an array of conditions (taken over), {"Not": c}. */
cJSON *asl_condition_compound(const char *op, cJSON *conditions, struct sfl_loc loc,
                              struct diag *d);
cJSON *asl_condition_not(cJSON *condition);

#endif

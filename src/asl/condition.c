/*
** condition.c: the table of Choice comparisons (aws-stepfunctions/lib/condition.js).
*/
#include "asl/condition.h"

#include <string.h>

#define CMP(py, asl, arg) {py, asl, arg}, {py "_json_path", asl "Path", COND_PATH}

const struct asl_cond_op asl_cond_ops[] = {
  {"is_present", "IsPresent", COND_TRUE}, {"is_not_present", "IsPresent", COND_FALSE},
  {"is_string", "IsString", COND_TRUE}, {"is_not_string", "IsString", COND_FALSE},
  {"is_numeric", "IsNumeric", COND_TRUE}, {"is_not_numeric", "IsNumeric", COND_FALSE},
  {"is_boolean", "IsBoolean", COND_TRUE}, {"is_not_boolean", "IsBoolean", COND_FALSE},
  {"is_timestamp", "IsTimestamp", COND_TRUE}, {"is_not_timestamp", "IsTimestamp", COND_FALSE},
  {"is_null", "IsNull", COND_TRUE}, {"is_not_null", "IsNull", COND_FALSE},
  CMP("boolean_equals", "BooleanEquals", COND_BOOL),
  CMP("string_equals", "StringEquals", COND_STRING),
  CMP("string_less_than", "StringLessThan", COND_STRING),
  CMP("string_less_than_equals", "StringLessThanEquals", COND_STRING),
  CMP("string_greater_than", "StringGreaterThan", COND_STRING),
  CMP("string_greater_than_equals", "StringGreaterThanEquals", COND_STRING),
  CMP("number_equals", "NumericEquals", COND_NUMBER),
  CMP("number_less_than", "NumericLessThan", COND_NUMBER),
  CMP("number_less_than_equals", "NumericLessThanEquals", COND_NUMBER),
  CMP("number_greater_than", "NumericGreaterThan", COND_NUMBER),
  CMP("number_greater_than_equals", "NumericGreaterThanEquals", COND_NUMBER),
  CMP("timestamp_equals", "TimestampEquals", COND_STRING),
  CMP("timestamp_less_than", "TimestampLessThan", COND_STRING),
  CMP("timestamp_less_than_equals", "TimestampLessThanEquals", COND_STRING),
  CMP("timestamp_greater_than", "TimestampGreaterThan", COND_STRING),
  CMP("timestamp_greater_than_equals", "TimestampGreaterThanEquals", COND_STRING),
  {"string_matches", "StringMatches", COND_STRING},
  {NULL, NULL, 0}
};

/* condition.js: /^\$|(\$[.[])/ */
static int valid_variable(const char *v)
{
  return v[0] == '$' || strstr(v, "$.") || strstr(v, "$[");
}

cJSON *asl_condition(const struct asl_cond_op *op, const char *variable, cJSON *value,
                     struct sfl_loc loc, struct diag *d)
{
  if(!valid_variable(variable)) {
    cJSON_Delete(value);
    diag_set(d, SFL_ERR_INVALID, loc,
             "Variable reference must be '$', start with '$.', or start with '$[', got '%s'",
             variable);
    return NULL;
  }
  cJSON *c = cJSON_CreateObject();
  json_put_str(c, "Variable", variable);
  if(op->arg == COND_TRUE || op->arg == COND_FALSE) {
    cJSON_Delete(value);
    value = cJSON_CreateBool(op->arg == COND_TRUE);
  }
  else if(value)
    value->type &= ~JSON_PATH;
  if(!json_put(c, op->op, value)) {
    cJSON_Delete(c);
    diag_nomem(d);
    return NULL;
  }
  return c;
}

cJSON *asl_condition_compound(const char *op, cJSON *conditions, struct sfl_loc loc,
                              struct diag *d)
{
  if(!cJSON_GetArraySize(conditions)) {
    cJSON_Delete(conditions);
    diag_set(d, SFL_ERR_INVALID, loc,
             "Must supply at least one inner condition for a logical combination");
    return NULL;
  }
  cJSON *c = cJSON_CreateObject();
  if(!json_put(c, op, conditions)) {
    cJSON_Delete(c);
    diag_nomem(d);
    return NULL;
  }
  return c;
}

cJSON *asl_condition_not(cJSON *condition)
{
  cJSON *c = cJSON_CreateObject();
  if(!json_put(c, "Not", condition)) {
    cJSON_Delete(c);
    return NULL;
  }
  return c;
}

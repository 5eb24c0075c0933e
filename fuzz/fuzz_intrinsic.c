/*
** fuzz_intrinsic.c: intrinsic function calls ("States.Format('{}', $.x)"). Input: the
** expression, optionally a NUL byte and the JSON input of the run. The validator checks it
** (src/asl/path.c), then a one-state machine evaluates it as a Parameters field "v.$"
** (src/run/intrinsic*.c) with a fixed seed, so a failing input replays exactly.
*/
#include "fuzz.h"
#include "asl/path.h"
#include "core/json.h"
#include "run/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *input_text, *expr = fuzz_split(data, size, &input_text);
  if(!expr)
    return 0;
  char buf[256];
  asl_check_intrinsic(expr, buf, sizeof buf);
  asl_check_dollar_value(expr, buf, sizeof buf);
  cJSON *asl = cJSON_Parse("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\","
                           "\"Parameters\":{},\"End\":true}}}");
  cJSON *params = json_get(json_get(json_get(asl, "States"), "P"), "Parameters");
  cJSON *input = input_text ? cJSON_Parse(input_text)
                            : cJSON_Parse("{\"s\":\"a,b\",\"n\":3,\"l\":[1,2,3],\"o\":{\"k\":1}}");
  if(params && json_put_str(params, "v.$", expr)) {
    struct run_options opt = {0};
    opt.seed = 7;
    opt.start_time = 1e9;
    opt.max_transitions = 10;
    struct run_result res;
    struct diag d = {0};
    run_execute(asl, input, &opt, NULL, NULL, NULL, NULL, &res, &d);
    run_result_free(&res);
  }
  cJSON_Delete(input);
  cJSON_Delete(asl);
  free(expr);
  return 0;
}

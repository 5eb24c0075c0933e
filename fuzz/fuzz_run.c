/*
** fuzz_run.c: ASL documents as `sfl run` reads them (src/run/load.c, then the
** interpreter). Input: the document, optionally a NUL byte and the run's JSON input.
** Tasks answer with their input, except that every third call fails with a
** States.TaskFailed, so Retry and Catch run too. Runs are cut at 200 transitions on the
** virtual clock with a fixed seed.
*/
#include "fuzz.h"
#include "run/run.h"

#include <string.h>

static enum sfl_status echo_task(void *ud, const char *state_name, const cJSON *resource,
                                 const cJSON *input, cJSON **result, char **error,
                                 char **cause)
{
  unsigned *calls = ud;
  if(++*calls % 3 == 0) {
    *error = strdup("States.TaskFailed");
    *cause = strdup(state_name);
    return SFL_OK;
  }
  *result = cJSON_Duplicate(input, 1);
  return *result || !input ? SFL_OK : SFL_ERR_NOMEM;
}

static void event(void *ud, const cJSON *ev)
{
  (void)ud;
  (void)ev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *input_text, *text = fuzz_split(data, size, &input_text);
  if(!text)
    return 0;
  cJSON *asl = cJSON_Parse(text);
  if(asl) {
    struct diag d = {0};
    run_check(asl, &d);
    struct run_options opt = {0};
    opt.max_transitions = 200;
    opt.seed = 11;
    opt.start_time = 1e9;
    struct run_result res;
    unsigned calls = 0;
    cJSON *input = input_text ? cJSON_Parse(input_text) : NULL;
    run_execute_take(asl, input, &opt, echo_task, &calls, event, NULL, &res, &d);
    run_result_free(&res);
    cJSON_Delete(asl);
  }
  free(text);
  return 0;
}

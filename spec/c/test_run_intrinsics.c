/*
** test_run_intrinsics.c: the eighteen intrinsic functions, their argument rules, escapes
** and States.IntrinsicFailure, run from spec/run/intrinsics.json; then what a table cannot
** say: a run's UUIDs and random numbers come from its seed, whatever the thread.
*/
#include "check.h"
#include "../run/harness.h"

/* The output of a one-state machine whose Parameters are {"v.$": call}, with a seed. */
static char *call_with_seed(const char *call, unsigned long long seed)
{
  cJSON *asl = cJSON_Parse("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\","
                           "\"Parameters\":{},\"End\":true}}}");
  cJSON *params = json_get(json_get(json_get(asl, "States"), "P"), "Parameters");
  json_put_str(params, "v.$", call);
  struct run_options opt = {0};
  struct run_result res;
  struct diag d = {0};
  opt.seed = seed;
  enum sfl_status st = run_execute(asl, NULL, &opt, NULL, NULL, NULL, NULL, &res, &d);
  char *text = !st && res.succeeded ? json_to_text(json_get(res.output, "v"), 0) : NULL;
  run_result_free(&res);
  cJSON_Delete(asl);
  return text;
}

static void same_for_seed(const char *call)
{
  char *a = call_with_seed(call, 99), *b = call_with_seed(call, 99), *c = call_with_seed(call, 100);
  CHECK(a && b && c);
  CHECK(a && b && !strcmp(a, b));
  CHECK(a && c && strcmp(a, c));
  free(a);
  free(b);
  free(c);
}

int main(void)
{
  int n = run_cases("spec/run/intrinsics.json");
  CHECK(n >= 30);
  same_for_seed("States.UUID()");
  same_for_seed("States.Array(States.MathRandom(0, 1000000), States.MathRandom(0, 1000000))");
  /* the seed argument of MathRandom fixes the number whatever the run's seed */
  char *a = call_with_seed("States.MathRandom(0, 1000000, 5)", 1);
  char *b = call_with_seed("States.MathRandom(0, 1000000, 5)", 2);
  CHECK(a && b && !strcmp(a, b));
  free(a);
  free(b);
  return check_done("test_run_intrinsics");
}

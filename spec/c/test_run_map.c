/*
** test_run_map.c: Parallel and Map states, run from spec/run/map.json (branch order, branch
** failures, Retry and Catch around them, ItemsPath, ItemSelector, $$.Map.Item, the legacy
** Iterator, tolerated failures, ItemBatcher, ItemReader, nesting); then nesting deep
** enough to show that only nesting, not length, makes the interpreter recurse.
*/
#include "check.h"
#include "../run/harness.h"

/* A Parallel state holding a Parallel state ... `depth` times, around one Pass state. */
static cJSON *nested(int depth)
{
  cJSON *m = cJSON_Parse("{\"StartAt\":\"S0\",\"States\":{\"S0\":{\"Type\":\"Pass\","
                         "\"Result\":\"deep\",\"End\":true}}}");
  for(int i = 1; i <= depth; i++) {
    char name[32];
    snprintf(name, sizeof name, "S%d", i);
    cJSON *outer = cJSON_CreateObject(), *states = cJSON_CreateObject();
    cJSON *par = cJSON_CreateObject(), *branches = cJSON_CreateArray();
    json_put_str(outer, "StartAt", name);
    json_put(outer, "States", states);
    json_put(states, name, par);
    json_put_str(par, "Type", "Parallel");
    json_put(par, "Branches", branches);
    json_put_str(par, "OutputPath", "$[0]");
    json_put_bool(par, "End", 1);
    json_push(branches, m);
    m = outer;
  }
  return m;
}

int main(void)
{
  CHECK(run_cases("spec/run/map.json") >= 25);

  cJSON *asl = nested(60);
  struct run_result res;
  struct diag d = {0};
  CHECK(run_execute(asl, NULL, NULL, NULL, NULL, NULL, NULL, &res, &d) == SFL_OK);
  CHECK(res.succeeded && cJSON_IsString(res.output) && !strcmp(res.output->valuestring, "deep"));
  CHECK(res.transitions == 61);
  run_result_free(&res);
  cJSON_Delete(asl);
  return check_done("test_run_map");
}

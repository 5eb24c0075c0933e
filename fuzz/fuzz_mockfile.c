/*
** fuzz_mockfile.c: MockConfigFile documents (src/run/mockfile.c). The file is read for
** machine "M" (alias "Alias") and test case "T", and for the first machine and test case
** it names; a table that comes out answers a fixed machine whose tasks retry, so the
** answers are used the way `sfl run --mocks` uses them.
*/
#include "fuzz.h"
#include "core/json.h"
#include "run/mockfile.h"
#include "run/run.h"

static const char machine[] =
  "{\"StartAt\":\"A\",\"States\":{"
  "\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Next\":\"B\","
  "\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"MaxAttempts\":3}]},"
  "\"B\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"End\":true,"
  "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"C\"}]},"
  "\"C\":{\"Type\":\"Pass\",\"End\":true}}}";

static void run_with(const cJSON *config, const char *name, const char *test_case)
{
  static const char *const aliases[] = {"Alias", NULL};
  struct diag d = {0};
  cJSON *table = run_mock_table(config, name, aliases, test_case, &d);
  if(!table)
    return;
  cJSON *asl = cJSON_Parse(machine);
  struct run_mock mock = {table, NULL};
  struct run_options opt = {0};
  opt.max_transitions = 50;
  opt.seed = 3;
  opt.start_time = 1e9;
  struct run_result res;
  run_execute(asl, NULL, &opt, run_mock_task, &mock, NULL, NULL, &res, &d);
  run_result_free(&res);
  cJSON_Delete(mock.counts);
  cJSON_Delete(asl);
  cJSON_Delete(table);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cJSON *config = cJSON_ParseWithLength((const char *)data, size);
  if(!config)
    return 0;
  run_with(config, "M", "T");
  const cJSON *first = json_get(config, "StateMachines");
  first = cJSON_IsObject(first) ? first->child : NULL;
  const cJSON *tc = first ? json_get(first, "TestCases") : NULL;
  tc = cJSON_IsObject(tc) ? tc->child : NULL;
  if(first && tc && first->string && tc->string)
    run_with(config, first->string, tc->string);
  cJSON_Delete(config);
  return 0;
}

/*
** test_run_nomem.c: running out of memory anywhere. A machine that uses most of the
** interpreter (Parallel, Map, Retry, Catch, intrinsics, $$, events) is run again and again
** with cJSON's allocator failing at the 1st, 2nd, 3rd ... allocation. Every run must either
** finish with the right output or report SFL_ERR_NOMEM: never crash, never leak (the
** sanitizer build checks), never hand back a wrong result.
*/
#include <stdlib.h>

#include "check.h"
#include "run/run.h"
#include "core/json.h"

static long allowed = -1;   /* allocations left before they fail; -1: no limit */

static void *failing_malloc(size_t n)
{
  if(allowed == 0)
    return NULL;
  if(allowed > 0)
    allowed--;
  return malloc(n);
}

static void ignore_event(void *ud, const cJSON *event)
{
  (void)ud;
  (void)event;
}

static const char machine[] =
  "{\"StartAt\":\"P\",\"States\":{"
  "\"P\":{\"Type\":\"Parallel\",\"Next\":\"M\",\"ResultPath\":\"$.par\",\"Branches\":["
  " {\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"x\","
  "   \"Parameters\":{\"who.$\":\"States.Format('{} {}', $$.State.Name, $.n)\"},"
  "   \"Retry\":[{\"ErrorEquals\":[\"E\"],\"IntervalSeconds\":1}],"
  "   \"ResultSelector\":{\"v.$\":\"$.v\"},\"End\":true}}},"
  " {\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Task\",\"Resource\":\"y\","
  "   \"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":\"$.err\",\"Next\":\"C\"}],"
  "   \"End\":true},\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.err.Error\","
  "   \"StringMatches\":\"B*\",\"Next\":\"S\"}]},\"S\":{\"Type\":\"Succeed\"}}}]},"
  "\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\",\"ToleratedFailureCount\":1,"
  " \"ItemSelector\":{\"i.$\":\"$$.Map.Item.Index\",\"v.$\":\"$$.Map.Item.Value\"},"
  " \"ItemProcessor\":{\"StartAt\":\"Q\",\"States\":{\"Q\":{\"Type\":\"Pass\","
  "   \"Parameters\":{\"h.$\":\"States.Hash(States.JsonToString($), 'MD5')\","
  "   \"a.$\":\"States.ArrayPartition(States.ArrayRange(1, 5, 1), 2)\"},\"Next\":\"W\"},"
  "   \"W\":{\"Type\":\"Wait\",\"Seconds\":1,\"OutputPath\":\"$.a\",\"End\":true}}},"
  " \"ResultPath\":\"$.map\",\"Next\":\"Done\"},"
  "\"Done\":{\"Type\":\"Pass\",\"Parameters\":{\"all.$\":\"$\",\"u.$\":\"States.UUID()\"},"
  " \"OutputPath\":\"$.all\",\"End\":true}}}";

static const char mocks[] =
  "{\"T\":[{\"Throw\":{\"Error\":\"E\",\"Cause\":\"once\"}},{\"Return\":{\"v\":1}}],"
  "\"y\":{\"Return\":0},\"F\":{\"Throw\":{\"Error\":\"Boom\",\"Cause\":\"no\"}}}";

int main(void)
{
  cJSON *asl = cJSON_Parse(machine), *table = cJSON_Parse(mocks);
  cJSON *input = cJSON_Parse("{\"n\":3,\"items\":[\"a\",{\"b\":[1,2]},null]}");
  struct run_options opt = {0};
  struct run_result res;
  struct diag d = {0};
  opt.seed = 3;
  opt.start_time = 1700000000;
  CHECK(asl && table && input);

  struct run_mock mock = {table, NULL};
  CHECK(run_execute(asl, input, &opt, run_mock_task, &mock, ignore_event, NULL, &res, &d) == 0);
  CHECK(res.succeeded);
  char *want = res.succeeded ? json_to_text(res.output, 0) : NULL;
  run_result_free(&res);
  cJSON_Delete(mock.counts);

  cJSON_Hooks hooks = {failing_malloc, free};
  cJSON_InitHooks(&hooks);
  int nomem = 0, fine = 0;
  for(long n = 0; n < 100000 && want; n++) {
    struct run_mock m = {table, NULL};
    allowed = n;
    enum sfl_status st = run_execute(asl, input, &opt, run_mock_task, &m, ignore_event, NULL,
                                     &res, &d);
    int done = allowed > 0;   /* the run never reached the failing allocation */
    allowed = -1;
    char *got = !st && res.succeeded ? json_to_text(res.output, 0) : NULL;
    if(st == SFL_ERR_NOMEM)
      nomem++;
    else if(!st && got && !strcmp(got, want))
      fine++;
    else {
      check_failures++;
      fprintf(stderr, "failing at allocation %ld: status %d (%s), output %s\n", n, (int)st,
              st ? d.msg : "-", got ? got : res.error ? res.error : "(none)");
    }
    free(got);
    run_result_free(&res);
    cJSON_Delete(m.counts);
    if(done)
      break;
  }
  cJSON_InitHooks(NULL);
  printf("allocation failures reported: %d, runs that never failed: %d\n", nomem, fine);
  CHECK(nomem > 300 && fine > 0);
  free(want);
  cJSON_Delete(asl);
  cJSON_Delete(table);
  cJSON_Delete(input);
  return check_done("test_run_nomem");
}

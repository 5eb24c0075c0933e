/*
** test_run_flow.c: Task, Retry, Catch, Wait, Succeed, Fail, the machine's TimeoutSeconds,
** max_transitions and every check made before a run, from spec/run/flow.json; then the
** API's own promises: history events as GetExecutionHistory shows them, handlers that stop
** a run, jitter from the run's seed, long executions without recursion, and two runs in
** two threads that do not disturb each other.
*/
#include <pthread.h>

#include "check.h"
#include "../run/harness.h"

static cJSON *parse(const char *text)
{
  cJSON *j = cJSON_Parse(text);
  CHECK(j != NULL);
  return j;
}

static void keep_event(void *ud, const cJSON *event)
{
  json_push(ud, cJSON_Duplicate(event, 1));
}

/* The first events of a Pass, exactly as GetExecutionHistory would show them. */
static void events_look_like_history(void)
{
  cJSON *asl = parse("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
  cJSON *input = parse("{\"a\":1}"), *events = cJSON_CreateArray();
  struct run_options opt = {0};
  struct run_result res;
  struct diag d = {0};
  opt.start_time = 1457920740;   /* 2016-03-14T01:59:00Z */
  CHECK(run_execute(asl, input, &opt, NULL, NULL, keep_event, events, &res, &d) == SFL_OK);
  char *text = json_to_text(events, 0);
  CHECK_STR(text, "[{\"id\":1,\"previousEventId\":0,\"type\":\"ExecutionStarted\","
    "\"timestamp\":\"2016-03-14T01:59:00.000Z\",\"executionStartedEventDetails\":"
    "{\"input\":\"{\\\"a\\\":1}\",\"inputDetails\":{\"truncated\":false},"
    "\"roleArn\":\"arn:aws:iam::123456789012:role/StateMachineRole\"}},"
    "{\"id\":2,\"previousEventId\":1,\"type\":\"PassStateEntered\","
    "\"timestamp\":\"2016-03-14T01:59:00.000Z\",\"stateEnteredEventDetails\":{\"name\":\"P\","
    "\"input\":\"{\\\"a\\\":1}\",\"inputDetails\":{\"truncated\":false}}},"
    "{\"id\":3,\"previousEventId\":2,\"type\":\"PassStateExited\","
    "\"timestamp\":\"2016-03-14T01:59:00.000Z\",\"stateExitedEventDetails\":{\"name\":\"P\","
    "\"output\":\"{\\\"a\\\":1}\",\"outputDetails\":{\"truncated\":false}}},"
    "{\"id\":4,\"previousEventId\":3,\"type\":\"ExecutionSucceeded\","
    "\"timestamp\":\"2016-03-14T01:59:00.000Z\",\"executionSucceededEventDetails\":"
    "{\"output\":\"{\\\"a\\\":1}\",\"outputDetails\":{\"truncated\":false}}}]");
  free(text);
  run_result_free(&res);
  cJSON_Delete(events);
  cJSON_Delete(input);
  cJSON_Delete(asl);
}

static void task_events_name_the_resource(void)
{
  cJSON *asl = parse("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\","
                     "\"Resource\":\"arn:aws:states:::lambda:invoke\",\"TimeoutSeconds\":9,"
                     "\"End\":true}}}");
  cJSON *mocks = parse("{\"T\":{\"Throw\":{\"Error\":\"E\",\"Cause\":\"c\"}}}");
  cJSON *events = cJSON_CreateArray();
  struct run_mock mock = {mocks, NULL};
  struct run_result res;
  struct diag d = {0};
  CHECK(run_execute(asl, NULL, NULL, run_mock_task, &mock, keep_event, events, &res, &d) == 0);
  const cJSON *sched = json_get(cJSON_GetArrayItem(events, 2), "taskScheduledEventDetails");
  const cJSON *failed = json_get(cJSON_GetArrayItem(events, 4), "taskFailedEventDetails");
  char *s = json_to_text(sched, 0), *f = json_to_text(failed, 0);
  CHECK_STR(s, "{\"resourceType\":\"lambda\",\"resource\":\"invoke\",\"region\":\"us-east-1\","
               "\"parameters\":\"{}\",\"timeoutInSeconds\":9}");
  CHECK_STR(f, "{\"resourceType\":\"lambda\",\"resource\":\"invoke\",\"error\":\"E\","
               "\"cause\":\"c\"}");
  free(s);
  free(f);
  run_result_free(&res);
  cJSON_Delete(mock.counts);
  cJSON_Delete(events);
  cJSON_Delete(mocks);
  cJSON_Delete(asl);
}

static enum sfl_status refusing_task(void *ud, const char *state, const cJSON *resource,
                                     const cJSON *input, cJSON **result, char **error,
                                     char **cause)
{
  *result = cJSON_CreateString("dropped");
  *cause = strdup("the mock file has no answer");
  return SFL_ERR_IO;
}

static void handlers_stop_runs(void)
{
  cJSON *asl = parse("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\","
                     "\"Resource\":\"x\",\"End\":true}}}");
  struct run_result res;
  struct diag d = {0};
  CHECK(run_execute(asl, NULL, NULL, NULL, NULL, NULL, NULL, &res, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "state 'T' is a Task, and no task handler was given to answer it");
  run_result_free(&res);
  CHECK(run_execute(asl, NULL, NULL, refusing_task, NULL, NULL, NULL, &res, &d) == SFL_ERR_IO);
  CHECK_STR(d.msg, "state 'T': the mock file has no answer");
  CHECK(!res.succeeded && !res.output && res.transitions == 1);
  run_result_free(&res);
  struct run_mock mock = {NULL, NULL};
  CHECK(run_execute(asl, NULL, NULL, run_mock_task, &mock, NULL, NULL, &res, &d) ==
        SFL_ERR_INVALID);
  CHECK_STR(d.msg, "state 'T': no mock answer for Task state 'T'");
  run_result_free(&res);
  CHECK(run_check(asl, &d) == SFL_OK);
  cJSON *bad = parse("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"End\":true}}}");
  CHECK(run_check(bad, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "state 'T' (Task): needs Resource, a string (the ARN of what it runs)");
  cJSON_Delete(bad);
  cJSON_Delete(asl);
}

/* JitterStrategy FULL: a delay in [0, the capped backoff), different for another seed. */
static double jittered(unsigned long long seed)
{
  cJSON *asl = parse("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\","
    "\"Resource\":\"x\",\"End\":true,\"Retry\":[{\"ErrorEquals\":[\"E\"],\"IntervalSeconds\":10,"
    "\"MaxAttempts\":3,\"JitterStrategy\":\"FULL\"}]}}}");
  cJSON *mocks = parse("{\"T\":{\"Throw\":{\"Error\":\"E\"}}}");
  struct run_mock mock = {mocks, NULL};
  struct run_options opt = {0};
  struct run_result res;
  struct diag d = {0};
  opt.seed = seed;
  CHECK(run_execute(asl, NULL, &opt, run_mock_task, &mock, NULL, NULL, &res, &d) == SFL_OK);
  double t = res.duration;
  CHECK(!res.succeeded && t >= 0 && t < 70);
  run_result_free(&res);
  cJSON_Delete(mock.counts);
  cJSON_Delete(mocks);
  cJSON_Delete(asl);
  return t;
}

static void jitter_follows_the_seed(void)
{
  double a = jittered(1), b = jittered(1), c = jittered(2);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a != 70);
}

/* A counter loop of Pass and Choice states, `n` times round. */
static cJSON *counter(long n)
{
  char text[700];
  snprintf(text, sizeof text, "{\"StartAt\":\"Init\",\"States\":{"
    "\"Init\":{\"Type\":\"Pass\",\"Result\":0,\"ResultPath\":\"$.i\",\"Next\":\"Test\"},"
    "\"Test\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.i\","
    "\"NumericGreaterThanEquals\":%ld,\"Next\":\"Done\"}],\"Default\":\"Inc\"},"
    "\"Inc\":{\"Type\":\"Pass\",\"Parameters\":{\"i.$\":\"States.MathAdd($.i, 1)\","
    "\"id.$\":\"States.UUID()\"},\"Next\":\"Test\"},\"Done\":{\"Type\":\"Succeed\"}}}", n);
  return parse(text);
}

struct job {
  long n;
  unsigned long long seed;
  char *output;
  long transitions;
};

static void *run_job(void *arg)
{
  struct job *j = arg;
  cJSON *asl = counter(j->n);
  struct run_options opt = {0};
  struct run_result res;
  struct diag d = {0};
  opt.seed = j->seed;
  if(run_execute(asl, NULL, &opt, NULL, NULL, NULL, NULL, &res, &d) == SFL_OK && res.succeeded)
    j->output = json_to_text(res.output, 0);
  j->transitions = res.transitions;
  run_result_free(&res);
  cJSON_Delete(asl);
  return NULL;
}

static void long_runs_and_threads(void)
{
  struct job alone = {100000, 5, NULL, 0};
  run_job(&alone);
  CHECK(alone.output && strstr(alone.output, "\"i\":100000"));
  CHECK(alone.transitions == 200003);

  struct job jobs[2] = {{20000, 5, NULL, 0}, {20000, 6, NULL, 0}};
  struct job same[2] = {{20000, 5, NULL, 0}, {20000, 6, NULL, 0}};
  pthread_t t[2];
  for(int i = 0; i < 2; i++)
    CHECK(pthread_create(&t[i], NULL, run_job, &jobs[i]) == 0);
  for(int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  for(int i = 0; i < 2; i++) {
    run_job(&same[i]);
    CHECK(jobs[i].output && same[i].output && !strcmp(jobs[i].output, same[i].output));
    free(jobs[i].output);
    free(same[i].output);
  }
  free(alone.output);
}

/* A chain of 20000 Pass states: loading and running it are loops, not recursion. */
static void long_chains(void)
{
  cJSON *asl = cJSON_CreateObject(), *states = cJSON_CreateObject();
  json_put_str(asl, "StartAt", "S0");
  json_put(asl, "States", states);
  for(int i = 0; i < 20000; i++) {
    char name[16], next[16];
    snprintf(name, sizeof name, "S%d", i);
    snprintf(next, sizeof next, "S%d", i + 1);
    cJSON *s = json_put(states, name, cJSON_CreateObject());
    json_put_str(s, "Type", "Pass");
    if(i < 19999)
      json_put_str(s, "Next", next);
    else
      json_put_bool(s, "End", 1);
  }
  struct run_result res;
  struct diag d = {0};
  CHECK(run_execute(asl, NULL, NULL, NULL, NULL, NULL, NULL, &res, &d) == SFL_OK);
  CHECK(res.succeeded && res.transitions == 20000);
  run_result_free(&res);
  cJSON_Delete(asl);
}

static void real_time_sleeps(void)
{
  cJSON *asl = parse("{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                     "\"SecondsPath\":\"$.s\",\"End\":true}}}");
  cJSON *input = parse("{\"s\":0.05}");
  struct run_options opt = {0};
  struct run_result res;
  struct diag d = {0};
  opt.real_time = 1;
  double before = run_clock_now();
  CHECK(run_execute(asl, input, &opt, NULL, NULL, NULL, NULL, &res, &d) == SFL_OK);
  CHECK(run_clock_now() - before >= 0.05);
  CHECK(res.succeeded && res.duration >= 0.05);
  run_result_free(&res);
  cJSON_Delete(input);
  cJSON_Delete(asl);
}

/* Without a token in the context, a .waitForTaskToken Task gets a fresh UUID. */
static void task_tokens(void)
{
  cJSON *asl = parse("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\","
    "\"Resource\":\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\","
    "\"Parameters\":{\"t.$\":\"$$.Task.Token\"},\"End\":true}}}");
  cJSON *mocks = parse("{\"T\":{\"Return\":1}}");
  struct recorder rec = {{mocks, NULL}, cJSON_CreateArray(), cJSON_CreateArray()};
  struct run_result res;
  struct diag d = {0};
  CHECK(run_execute(asl, NULL, NULL, record_task, &rec, NULL, NULL, &res, &d) == SFL_OK);
  const cJSON *t = json_get(json_get(cJSON_GetArrayItem(rec.calls, 0), "input"), "t");
  CHECK(cJSON_IsString(t) && strlen(t->valuestring) == 36 && t->valuestring[14] == '4');
  run_result_free(&res);
  cJSON_Delete(rec.mock.counts);
  cJSON_Delete(rec.calls);
  cJSON_Delete(rec.events);
  cJSON_Delete(mocks);
  cJSON_Delete(asl);
}

int main(void)
{
  CHECK(run_cases("spec/run/flow.json") >= 50);
  events_look_like_history();
  task_events_name_the_resource();
  handlers_stop_runs();
  jitter_follows_the_seed();
  long_runs_and_threads();
  long_chains();
  real_time_sleeps();
  task_tokens();
  return check_done("test_run_flow");
}

/*
** harness.h: runs the interpreter's table-driven cases. Each spec/run/<topic>.json file is an
** array of cases, each one an ASL document with what to feed it and what must come out:
**
**   {"name": "...", "cite": "where the expected value comes from",
**    "asl": {...}, "input": ..., "mocks": {"State": {"Return": ...} | {"Throw": ...} | [...]},
**    "context": {...}, "seed": 7, "start": "2024-01-01T00:00:00Z", "maxTransitions": 10,
**    then one of
**    "output": ...                                  the execution succeeds with this output
**    "error": "States.X", "cause": "text in it"     the execution fails (cause: a substring)
**    "invalid": "text in the message"               run_execute refuses (SFL_ERR_INVALID)
**    and optionally "transitions": n, "duration": seconds, "events": ["ExecutionStarted", ...],
**    "calls": [{"state": "Name", "input": ...}, ...]  what the Task handler received, in order}
**
** Included by spec/c/test_run_*.c after check.h.
*/
#ifndef SFL_SPEC_RUN_HARNESS_H
#define SFL_SPEC_RUN_HARNESS_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/run.h"
#include "run/eval.h"
#include "core/json.h"

struct recorder {
  struct run_mock mock;
  cJSON *calls;     /* [{"state", "input"}] */
  cJSON *events;    /* ["type", ...] */
};

static void case_failed(const char *name, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

static void case_failed(const char *name, const char *fmt, ...)
{
  va_list ap;
  check_failures++;
  fprintf(stderr, "case \"%s\": ", name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static enum sfl_status record_task(void *ud, const char *state, const cJSON *resource,
                                   const cJSON *input, cJSON **result, char **error,
                                   char **cause)
{
  struct recorder *rec = ud;
  cJSON *call = cJSON_CreateObject();
  json_put_str(call, "state", state);
  json_put(call, "input", cJSON_Duplicate(input, 1));
  json_push(rec->calls, call);
  return run_mock_task(&rec->mock, state, resource, input, result, error, cause);
}

static void record_event(void *ud, const cJSON *event)
{
  struct recorder *rec = ud;
  const cJSON *type = json_get(event, "type");
  json_push(rec->events, cJSON_CreateString(type ? type->valuestring : "?"));
}

/* Compares as documents, and says what differs in the compact text of both. */
static void same_json(const char *name, const char *what, const cJSON *got, const cJSON *want)
{
  check_count++;
  if(got && want && cJSON_Compare(got, want, 1))
    return;
  char *g = got ? json_to_text(got, 0) : NULL, *w = want ? json_to_text(want, 0) : NULL;
  case_failed(name, "%s\n  expected %s\n  got      %s", what, w ? w : "(nothing)",
              g ? g : "(nothing)");
  free(g);
  free(w);
}

static void check_outcome(const char *name, const cJSON *c, enum sfl_status st,
                          const struct run_result *res, const struct diag *d)
{
  const cJSON *invalid = json_get(c, "invalid"), *error = json_get(c, "error");
  const cJSON *cause = json_get(c, "cause"), *output = json_get(c, "output");
  check_count++;
  if(invalid) {
    if(st != SFL_ERR_INVALID || !strstr(d->msg, invalid->valuestring))
      case_failed(name, "expected the run to be refused with \"%s\"\n  got status %d: %s",
                  invalid->valuestring, (int)st, st ? d->msg : "(ran)");
    return;
  }
  if(st) {
    case_failed(name, "run_execute failed: %s", d->msg);
    return;
  }
  if(error) {
    if(res->succeeded || !res->error || strcmp(res->error, error->valuestring))
      case_failed(name, "expected error %s, got %s (cause: %s)", error->valuestring,
                  res->succeeded ? "success" : res->error, res->cause ? res->cause : "-");
    else if(cause && (!res->cause || !strstr(res->cause, cause->valuestring)))
      case_failed(name, "expected a cause containing \"%s\", got \"%s\"", cause->valuestring,
                  res->cause ? res->cause : "(none)");
    return;
  }
  if(!res->succeeded) {
    case_failed(name, "expected success, got error %s: %s", res->error,
                res->cause ? res->cause : "-");
    return;
  }
  if(output)
    same_json(name, "output", res->output, output);
}

static void run_one(const cJSON *c)
{
  const cJSON *nm = json_get(c, "name");
  const char *name = cJSON_IsString(nm) ? nm->valuestring : "(unnamed)";
  const cJSON *start = json_get(c, "start"), *seed = json_get(c, "seed");
  const cJSON *maxt = json_get(c, "maxTransitions"), *v;
  struct run_options opt = {0};
  struct ts t;
  opt.context = json_get(c, "context");
  opt.seed = cJSON_IsNumber(seed) ? (unsigned long long)seed->valuedouble : 42;
  opt.start_time = 1700000000.0;   /* 2023-11-14T22:13:20Z */
  if(cJSON_IsString(start) && !rfc3339_parse(start->valuestring, &t))
    opt.start_time = (double)t.sec;
  if(cJSON_IsNumber(maxt))
    opt.max_transitions = (long)maxt->valuedouble;
  struct recorder rec = {{json_get(c, "mocks"), NULL}, cJSON_CreateArray(), cJSON_CreateArray()};
  struct run_result res;
  struct diag d = {0};
  enum sfl_status st = run_execute(json_get(c, "asl"), json_get(c, "input"), &opt, record_task,
                                   &rec, record_event, &rec, &res, &d);
  check_outcome(name, c, st, &res, &d);
  if((v = json_get(c, "transitions"))) {
    check_count++;
    if(res.transitions != (long)v->valuedouble)
      case_failed(name, "expected %ld transitions, got %ld", (long)v->valuedouble,
                  res.transitions);
  }
  if((v = json_get(c, "duration"))) {
    check_count++;
    if(fabs(res.duration - v->valuedouble) > 1e-6)
      case_failed(name, "expected a duration of %g s, got %g s", v->valuedouble, res.duration);
  }
  if((v = json_get(c, "events")))
    same_json(name, "event types", rec.events, v);
  if((v = json_get(c, "calls")))
    same_json(name, "task calls", rec.calls, v);
  run_result_free(&res);
  cJSON_Delete(rec.mock.counts);
  cJSON_Delete(rec.calls);
  cJSON_Delete(rec.events);
}

static cJSON *read_json_file(const char *path)
{
  FILE *fp = fopen(path, "rb");
  if(!fp)
    return NULL;
  struct strbuf b = {0};
  char chunk[4096];
  size_t n;
  while((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    strbuf_add(&b, chunk, n);
  fclose(fp);
  cJSON *j = b.buf ? cJSON_Parse(b.buf) : NULL;
  strbuf_free(&b);
  return j;
}

/* Runs every case of spec/run/<file>; returns how many there were. */
static int run_cases(const char *path)
{
  cJSON *cases = read_json_file(path);
  check_count++;
  if(!cJSON_IsArray(cases)) {
    check_failures++;
    fprintf(stderr, "%s: cannot read or parse the case file\n", path);
    cJSON_Delete(cases);
    return 0;
  }
  int n = 0;
  for(const cJSON *c = cases->child; c; c = c->next, n++)
    run_one(c);
  cJSON_Delete(cases);
  return n;
}

#endif

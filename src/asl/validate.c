/*
** validate.c: checks on ASL documents (see validate.h). The document is walked graph by
** graph (the machine, then every Parallel branch and Map processor) with a work list,
** never by recursion over states, so huge machines cost linear time and no stack.
*/
#include "asl/validate.h"
#include "asl/path.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/strmap.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_STATE_NAME 80

struct graph_job {
  const cJSON *graph;      /* {"StartAt", "States"} */
  const char *pointer;     /* where it is in the document */
  int jsonata;             /* the machine's query language (sub-graphs forget it, as CDK) */
};

struct checker {
  asl_report_fn report;
  void *ctx;
  size_t errors;
  struct arena *arena;
  struct strmap names;     /* every state name in the document -> its pointer */
  struct vec jobs;         /* struct graph_job* still to check */
  int failed;              /* out of memory */
};

static void problem(struct checker *c, enum asl_severity sev, const char *code,
                    const char *pointer, const char *state, const char *fmt, ...)
  __attribute__((format(printf, 6, 7)));

static void problem(struct checker *c, enum asl_severity sev, const char *code,
                    const char *pointer, const char *state, const char *fmt, ...)
{
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct asl_problem p = {sev, code, pointer, state, msg};
  if(sev == ASL_ERROR)
    c->errors++;
  c->report(&p, c->ctx);
}

/* RFC 6901: "~" -> "~0", "/" -> "~1". */
static const char *pointer_join(struct checker *c, const char *base, const char *key)
{
  struct strbuf b = {0};
  strbuf_puts(&b, base);
  strbuf_putc(&b, '/');
  for(const char *p = key; *p; p++) {
    if(*p == '~')
      strbuf_puts(&b, "~0");
    else if(*p == '/')
      strbuf_puts(&b, "~1");
    else
      strbuf_putc(&b, *p);
  }
  const char *out = b.failed ? NULL : arena_strdup(c->arena, b.buf ? b.buf : "");
  strbuf_free(&b);
  if(!out)
    c->failed = 1;
  return out ? out : "";
}

static const char *pointer_index(struct checker *c, const char *base, int i)
{
  char n[16];
  snprintf(n, sizeof n, "%d", i);
  return pointer_join(c, base, n);
}

static const char *const state_types[] = {
  "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", NULL};

static int is_type(const char *t)
{
  for(size_t i = 0; state_types[i]; i++)
    if(!strcmp(t, state_types[i]))
      return 1;
  return 0;
}

static int is_jsonata_text(const char *s)
{
  size_t n = strlen(s);
  return n >= 4 && !strncmp(s, "{%", 2) && !strcmp(s + n - 2, "%}");
}

/* {============ names */

static void check_name(struct checker *c, const char *name, const char *ptr)
{
  size_t chars = 0;
  int control = 0;
  for(const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if((*p & 0xC0) != 0x80)
      chars++;
    if(*p < 0x20 || *p == 0x7f)
      control = 1;
  }
  if(!chars)
    problem(c, ASL_ERROR, "INVALID_STATE_NAME", ptr, name, "a state name must not be empty");
  else if(chars > MAX_STATE_NAME)
    problem(c, ASL_ERROR, "INVALID_STATE_NAME", ptr, name,
            "state name '%s' is %zu characters long; Step Functions allows at most %d", name,
            chars, MAX_STATE_NAME);
  if(control) {
    struct strbuf quoted = {0};   /* shown escaped, so the message stays on one line */
    json_write_string(&quoted, name);
    problem(c, ASL_ERROR, "INVALID_STATE_NAME", ptr, name,
            "state name %s contains a control character",
            quoted.buf && !quoted.failed ? quoted.buf : "(out of memory)");
    strbuf_free(&quoted);
  }
  const char *other = strmap_get(&c->names, name);
  if(other)
    problem(c, ASL_ERROR, "DUPLICATE_STATE_NAME", ptr, name,
            "state name '%s' is also used at %s; state names must be unique in a machine",
            name, other);
  else if(strmap_set(c->arena, &c->names, name, (void *)ptr))
    c->failed = 1;
}

/* }============ */

/* {============ paths and payload templates */

static void check_path_field(struct checker *c, const cJSON *state, const char *key,
                             enum asl_path_kind kind, int nullable, const char *sptr,
                             const char *name)
{
  const cJSON *v = json_get(state, key);
  if(!v || (nullable && cJSON_IsNull(v)))
    return;
  const char *ptr = pointer_join(c, sptr, key);
  if(!cJSON_IsString(v)) {
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", ptr, name,
            "%s of state '%s' must be a path string%s", key, name, nullable ? " or null" : "");
    return;
  }
  char buf[512];
  const char *bad = asl_check_path(v->valuestring, kind, buf, sizeof buf);
  if(bad)
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", ptr, name, "%s of state '%s': %s", key,
            name, bad);
}

struct template_job {
  const cJSON *node;
  const char *ptr;
};

/* Parameters, ResultSelector, ItemSelector, Assign: "x.$" values must be paths or
** intrinsics; literal values that look like paths are probably missing their ".$". */
static void check_template(struct checker *c, const cJSON *tpl, const char *ptr,
                           const char *name, int pass_result)
{
  struct vec work = {0};
  struct template_job *first = arena_alloc(c->arena, sizeof *first);
  if(!first || vec_push(c->arena, &work, first)) {
    c->failed = 1;
    return;
  }
  first->node = tpl;
  first->ptr = ptr;
  for(size_t w = 0; w < work.n; w++) {
    const struct template_job *j = work.items[w];
    int index = 0;
    for(const cJSON *m = j->node->child; m; m = m->next, index++) {
      const char *mptr = m->string ? pointer_join(c, j->ptr, m->string)
                                   : pointer_index(c, j->ptr, index);
      size_t klen = m->string ? strlen(m->string) : 0;
      int dollar = klen > 2 && !strcmp(m->string + klen - 2, ".$");
      if(dollar && pass_result)
        problem(c, ASL_WARNING, "PASS_RESULT_IS_STATIC", mptr, name,
                "Result of Pass state '%s' is static: '%s' is not evaluated as a path", name,
                m->string);
      else if(dollar) {
        char buf[512];
        const char *bad = !cJSON_IsString(m)
          ? "the value of a field ending in '.$' must be a path or an intrinsic function"
          : asl_check_dollar_value(m->valuestring, buf, sizeof buf);
        if(bad)
          problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", mptr, name, "field '%s' of "
                  "state '%s': %s", m->string, name, bad);
      }
      else if(cJSON_IsString(m) && is_jsonata_text(m->valuestring))
        problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", mptr, name,
                "field '%s' of state '%s' holds a JSONata expression, but the state uses "
                "JSONPath; set query_language to JSONata or write a path", m->string ? m->string
                : "(item)", name);
      else if(cJSON_IsString(m) && m->string && !pass_result
              && (!strncmp(m->valuestring, "$.", 2) || !strncmp(m->valuestring, "$$.", 3)))
        problem(c, ASL_WARNING, "NO_DOLLAR", mptr, name,
                "field '%s' of state '%s' looks like a path but its name does not end in "
                "'.$': it is passed as the literal text '%s'", m->string, name,
                m->valuestring);
      if(cJSON_IsObject(m) || cJSON_IsArray(m)) {
        struct template_job *sub = arena_alloc(c->arena, sizeof *sub);
        if(!sub || vec_push(c->arena, &work, sub)) {
          c->failed = 1;
          return;
        }
        sub->node = m;
        sub->ptr = mptr;
      }
    }
  }
}

/* }============ */

/* {============ Retry and Catch */

static int whole(const cJSON *v) { return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble); }

static void check_errors_list(struct checker *c, const cJSON *list, const char *ptr,
                              const char *name, int last, const char *what)
{
  if(!cJSON_IsArray(list) || !cJSON_GetArraySize(list)) {
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", ptr, name,
            "%s of state '%s' needs a non-empty ErrorEquals list", what, name);
    return;
  }
  int n = cJSON_GetArraySize(list);
  for(const cJSON *e = list->child; e; e = e->next)
    if(cJSON_IsString(e) && !strcmp(e->valuestring, "States.ALL") && (n > 1 || !last))
      problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", ptr, name,
              "in %s of state '%s', States.ALL must appear alone and in the last entry",
              what, name);
}

static void check_range(struct checker *c, const cJSON *o, const char *key, double min,
                        double max, int integer, const char *ptr, const char *name)
{
  const cJSON *v = json_get(o, key);
  if(!v)
    return;
  if(!cJSON_IsNumber(v) || (integer && !whole(v)) || v->valuedouble < min
     || v->valuedouble > max)
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", pointer_join(c, ptr, key), name,
            "%s of state '%s' must be %s from %g to %g", key, name,
            integer ? "a whole number" : "a number", min, max);
}

static void check_retry(struct checker *c, const cJSON *state, const char *sptr,
                        const char *name)
{
  const cJSON *retry = json_get(state, "Retry");
  if(!retry)
    return;
  const char *rptr = pointer_join(c, sptr, "Retry");
  int i = 0, n = cJSON_GetArraySize(retry);
  for(const cJSON *r = retry->child; r; r = r->next, i++) {
    const char *ptr = pointer_index(c, rptr, i);
    check_errors_list(c, json_get(r, "ErrorEquals"), ptr, name, i == n - 1, "a Retry");
    check_range(c, r, "IntervalSeconds", 1, 99999999, 1, ptr, name);
    check_range(c, r, "MaxAttempts", 0, 99999999, 1, ptr, name);
    check_range(c, r, "BackoffRate", 1, 1e9, 0, ptr, name);
    check_range(c, r, "MaxDelaySeconds", 1, 31622400, 1, ptr, name);
    const cJSON *j = json_get(r, "JitterStrategy");
    if(j && !(cJSON_IsString(j) && (!strcmp(j->valuestring, "FULL")
                                    || !strcmp(j->valuestring, "NONE"))))
      problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", pointer_join(c, ptr, "JitterStrategy"),
              name, "JitterStrategy of state '%s' must be FULL or NONE", name);
  }
}

/* }============ */

/* The transitions of a state, as (target name, pointer) pairs. */
/* A transition: where it goes, and which field says so (for the JSON pointer). */
struct edge {
  const char *target;
  const char *list;    /* NULL, "Choices" or "Catch" */
  int index;           /* the entry of that list */
  const char *field;   /* "Next" or "Default" */
};

static size_t edges_of(const cJSON *state, struct edge *out, size_t max)
{
  size_t n = 0;
  const cJSON *next = json_get(state, "Next");
  if(cJSON_IsString(next) && n < max)
    out[n++] = (struct edge){next->valuestring, NULL, 0, "Next"};
  const cJSON *def = json_get(state, "Default");
  if(cJSON_IsString(def) && n < max)
    out[n++] = (struct edge){def->valuestring, NULL, 0, "Default"};
  static const char *const lists[] = {"Choices", "Catch"};
  for(int l = 0; l < 2; l++) {
    const cJSON *list = json_get(state, lists[l]);
    int i = 0;
    for(const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next, i++) {
      const cJSON *t = json_get(e, "Next");
      if(cJSON_IsString(t) && n < max)
        out[n++] = (struct edge){t->valuestring, lists[l], i, "Next"};
    }
  }
  return n;
}

/* Built only when a problem is reported: most transitions never need one. */
static const char *edge_pointer(struct checker *c, const char *state_ptr, const struct edge *e)
{
  if(!e->list)
    return pointer_join(c, state_ptr, e->field);
  return pointer_join(c, pointer_index(c, pointer_join(c, state_ptr, e->list), e->index),
                      e->field);
}

#define MAX_EDGES 256

static int is_terminal(const cJSON *state)
{
  const cJSON *type = json_get(state, "Type");
  const char *t = cJSON_IsString(type) ? type->valuestring : "";
  return !strcmp(t, "Succeed") || !strcmp(t, "Fail") || cJSON_IsTrue(json_get(state, "End"));
}

/* {============ one state */

static void add_job(struct checker *c, const cJSON *graph, const char *ptr, int jsonata)
{
  struct graph_job *j = arena_alloc(c->arena, sizeof *j);
  if(!j || vec_push(c->arena, &c->jobs, j)) {
    c->failed = 1;
    return;
  }
  j->graph = graph;
  j->pointer = ptr;
  j->jsonata = jsonata;
}

/* Fields only the JSONPath language has (JSONata states use Arguments, Output, Assign,
** Items and an ItemSelector expression instead). */
static const char *const jsonpath_only[] = {
  "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "ItemsPath",
  "SecondsPath", "TimestampPath", "ErrorPath", "CausePath",
  "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath", NULL};

static void check_flow_fields(struct checker *c, const cJSON *state, const char *type,
                              const char *sptr, const char *name)
{
  int has_next = json_get(state, "Next") != NULL, end = cJSON_IsTrue(json_get(state, "End"));
  int flows = strcmp(type, "Choice") && strcmp(type, "Succeed") && strcmp(type, "Fail");
  if(flows && has_next == end)
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", sptr, name,
            "%s state '%s' must have exactly one of Next and \"End\": true", type, name);
  if(!flows && (has_next || json_get(state, "End")))
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", sptr, name,
            "%s state '%s' cannot have Next or End", type, name);
  if(!strcmp(type, "Choice")) {
    const cJSON *choices = json_get(state, "Choices");
    if(!cJSON_IsArray(choices) || !cJSON_GetArraySize(choices))
      problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", pointer_join(c, sptr, "Choices"),
              name, "Choice state '%s' has no rules; add one with :when(condition, next)",
              name);
    int i = 0;
    for(const cJSON *r = cJSON_IsArray(choices) ? choices->child : NULL; r; r = r->next, i++)
      if(!cJSON_IsString(json_get(r, "Next")))
        problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED",
                pointer_index(c, pointer_join(c, sptr, "Choices"), i), name,
                "rule %d of Choice state '%s' has no Next", i + 1, name);
  }
}

static void check_state(struct checker *c, const cJSON *state, const char *sptr,
                        int machine_jsonata)
{
  const char *name = state->string;
  const cJSON *type_j = json_get(state, "Type");
  if(!cJSON_IsString(type_j) || !is_type(type_j->valuestring)) {
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", pointer_join(c, sptr, "Type"), name,
            "state '%s' has no valid Type (Pass, Task, Choice, Wait, Succeed, Fail, "
            "Parallel or Map)", name);
    return;
  }
  const char *type = type_j->valuestring;
  const cJSON *ql = json_get(state, "QueryLanguage");
  int jsonata = ql ? cJSON_IsString(ql) && !strcmp(ql->valuestring, "JSONata")
                   : machine_jsonata;
  check_flow_fields(c, state, type, sptr, name);
  check_retry(c, state, sptr, name);
  const cJSON *catches = json_get(state, "Catch");
  int i = 0, n = cJSON_GetArraySize(catches);
  for(const cJSON *k = cJSON_IsArray(catches) ? catches->child : NULL; k; k = k->next, i++) {
    const char *kptr = pointer_index(c, pointer_join(c, sptr, "Catch"), i);
    check_errors_list(c, json_get(k, "ErrorEquals"), kptr, name, i == n - 1, "a Catch");
    if(!jsonata)
      check_path_field(c, k, "ResultPath", ASL_REFERENCE_PATH, 1, kptr, name);
  }
  if(jsonata) {
    for(size_t f = 0; jsonpath_only[f]; f++)
      if(json_get(state, jsonpath_only[f]))
        problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED",
                pointer_join(c, sptr, jsonpath_only[f]), name,
                "%s is a JSONPath field, but state '%s' uses JSONata; use Arguments, Output "
                "or Assign with {%% %%} expressions", jsonpath_only[f], name);
  }
  else {
    check_path_field(c, state, "InputPath", ASL_PATH, 1, sptr, name);
    check_path_field(c, state, "OutputPath", ASL_PATH, 1, sptr, name);
    check_path_field(c, state, "ResultPath", ASL_REFERENCE_PATH, 1, sptr, name);
    check_path_field(c, state, "ItemsPath", ASL_REFERENCE_PATH, 0, sptr, name);
    static const char *const ref_paths[] = {"SecondsPath", "TimestampPath",
      "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath", NULL};
    for(size_t f = 0; ref_paths[f]; f++)
      check_path_field(c, state, ref_paths[f], ASL_REFERENCE_PATH, 0, sptr, name);
    static const char *const templates[] = {"Parameters", "ResultSelector", "ItemSelector",
                                            "Assign", NULL};
    for(size_t f = 0; templates[f]; f++) {
      const cJSON *t = json_get(state, templates[f]);
      if(cJSON_IsObject(t))
        check_template(c, t, pointer_join(c, sptr, templates[f]), name, 0);
    }
    const cJSON *result = json_get(state, "Result");
    if(!strcmp(type, "Pass") && (cJSON_IsObject(result) || cJSON_IsArray(result)))
      check_template(c, result, pointer_join(c, sptr, "Result"), name, 1);
  }
  const cJSON *branches = json_get(state, "Branches");
  i = 0;
  for(const cJSON *b = cJSON_IsArray(branches) ? branches->child : NULL; b; b = b->next, i++)
    add_job(c, b, pointer_index(c, pointer_join(c, sptr, "Branches"), i), 0);
  if(!strcmp(type, "Parallel") && !cJSON_GetArraySize(branches))
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", sptr, name,
            "Parallel state '%s' has no branches", name);
  static const char *const processors[] = {"ItemProcessor", "Iterator"};
  int has_processor = 0;
  for(int p = 0; p < 2; p++) {
    const cJSON *g = json_get(state, processors[p]);
    if(g) {
      has_processor = 1;
      add_job(c, g, pointer_join(c, sptr, processors[p]), 0);
    }
  }
  if(!strcmp(type, "Map") && !has_processor)
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", sptr, name,
            "Map state '%s' has no ItemProcessor", name);
}

/* }============ */

/* {============ one graph */

static void check_transitions(struct checker *c, const struct graph_job *job,
                              const cJSON *states, const cJSON *start, const char *sptr);

static void check_graph(struct checker *c, const struct graph_job *job)
{
  const cJSON *states = json_get(job->graph, "States");
  const cJSON *start = json_get(job->graph, "StartAt");
  const char *sptr = pointer_join(c, job->pointer, "States");
  if(!cJSON_IsObject(states) || !states->child) {
    problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", sptr, NULL,
            "a state machine (or branch) needs a non-empty States object");
    return;
  }
  for(const cJSON *s = states->child; s; s = s->next) {
    const char *ptr = pointer_join(c, sptr, s->string);
    check_name(c, s->string, ptr);
    check_state(c, s, ptr, job->jsonata);
  }
  check_transitions(c, job, states, start, sptr);
}

/*
** Transitions to missing states, states StartAt never leads to, and states that can never
** reach a terminal one. States are numbered in document order (a repeated name counts as
** its first state); each walk visits a state once, so this is linear in states and
** transitions: a 20,000-state machine takes milliseconds.
*/
struct node {
  const cJSON *s;
  size_t canon;        /* the number of the first state with this name */
  size_t *out, nout;   /* the states its transitions go to */
};

static void check_transitions(struct checker *c, const struct graph_job *job,
                              const cJSON *states, const cJSON *start, const char *sptr)
{
  size_t n = (size_t)cJSON_GetArraySize(states), i = 0, total = 0;
  struct node *nodes = arena_alloc(c->arena, n * sizeof *nodes);
  struct strmap number = {0};   /* name -> number + 1 */
  unsigned char *seen = arena_alloc(c->arena, n), *ends = arena_alloc(c->arena, n);
  size_t *queue = arena_alloc(c->arena, n * sizeof *queue);
  size_t *first = arena_alloc(c->arena, (n + 1) * sizeof *first);
  if(!nodes || !seen || !ends || !queue || !first) {
    c->failed = 1;
    return;
  }
  for(const cJSON *s = states->child; s; s = s->next, i++) {
    uintptr_t k = (uintptr_t)strmap_get(&number, s->string);
    if(!k && strmap_set(c->arena, &number, s->string, (void *)(uintptr_t)(i + 1)))
      c->failed = 1;
    nodes[i].s = s;
    nodes[i].canon = k ? k - 1 : i;
  }
  if(!cJSON_IsString(start) || !strmap_get(&number, start->valuestring)) {
    problem(c, ASL_ERROR, "MISSING_TRANSITION_TARGET", pointer_join(c, job->pointer, "StartAt"),
            NULL, "StartAt names '%s', which is not a state of this %s",
            cJSON_IsString(start) ? start->valuestring : "(nothing)",
            *job->pointer ? "branch" : "machine");
    return;
  }
  int terminals = 0;
  struct edge edges[MAX_EDGES];
  for(i = 0; i < n; i++) {
    const cJSON *s = nodes[i].s;
    size_t ne = edges_of(s, edges, MAX_EDGES);
    nodes[i].out = arena_alloc(c->arena, (ne ? ne : 1) * sizeof *nodes[i].out);
    if(!nodes[i].out) {
      c->failed = 1;
      return;
    }
    for(size_t e = 0; e < ne; e++) {
      uintptr_t t = (uintptr_t)strmap_get(&number, edges[e].target);
      if(t)
        nodes[i].out[nodes[i].nout++] = t - 1;
      else
        problem(c, ASL_ERROR, "MISSING_TRANSITION_TARGET",
                edge_pointer(c, pointer_join(c, sptr, s->string), &edges[e]), s->string,
                "state '%s' goes to '%s', which is not a state of this %s", s->string,
                edges[e].target, *job->pointer ? "branch" : "machine");
    }
    total += nodes[i].nout;
    terminals += is_terminal(s);
  }
  /* forwards from StartAt */
  size_t head = 0, tail = 0, s0 = (uintptr_t)strmap_get(&number, start->valuestring) - 1;
  seen[s0] = 1;
  queue[tail++] = s0;
  while(head < tail) {
    const struct node *k = &nodes[queue[head++]];
    for(size_t e = 0; e < k->nout; e++)
      if(!seen[k->out[e]]) {
        seen[k->out[e]] = 1;
        queue[tail++] = k->out[e];
      }
  }
  for(i = 0; i < n; i++)
    if(!seen[nodes[i].canon])
      problem(c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", pointer_join(c, sptr, nodes[i].s->string),
              nodes[i].s->string, "state '%s' can never run: no transition from StartAt leads "
              "to it", nodes[i].s->string);
  if(!terminals) {
    problem(c, ASL_ERROR, "MISSING_END_STATE", sptr, NULL,
            "this %s has no terminal state (Succeed, Fail or \"End\": true), so it can never "
            "finish", *job->pointer ? "branch" : "machine");
    return;
  }
  /* backwards from the terminal states, over the transitions reversed: first[t] ..
  ** first[t + 1] index the states that go to t */
  size_t *from = arena_alloc(c->arena, (total ? total : 1) * sizeof *from);
  if(!from) {
    c->failed = 1;
    return;
  }
  for(i = 0; i < n; i++)
    for(size_t e = 0; e < nodes[i].nout; e++)
      first[nodes[i].out[e] + 1]++;
  for(i = 0; i < n; i++)
    first[i + 1] += first[i];
  for(i = 0; i < n; i++)
    for(size_t e = 0; e < nodes[i].nout; e++)
      from[first[nodes[i].out[e]]++] = nodes[i].canon;
  for(i = n; i > 0; i--)    /* the fill moved each start to the next one's; move them back */
    first[i] = first[i - 1];
  first[0] = 0;
  head = tail = 0;
  for(i = 0; i < n; i++)
    if(is_terminal(nodes[i].s) && !ends[nodes[i].canon]) {
      ends[nodes[i].canon] = 1;
      queue[tail++] = nodes[i].canon;
    }
  while(head < tail) {
    size_t t = queue[head++];
    for(size_t p = first[t]; p < first[t + 1]; p++)
      if(!ends[from[p]]) {
        ends[from[p]] = 1;
        queue[tail++] = from[p];
      }
  }
  for(i = 0; i < n; i++)
    if(seen[nodes[i].canon] && !ends[nodes[i].canon])
      problem(c, ASL_ERROR, "MISSING_END_STATE", pointer_join(c, sptr, nodes[i].s->string),
              nodes[i].s->string, "state '%s' can never reach an end state: every way out of "
              "it loops back", nodes[i].s->string);
}

/* }============ */

size_t asl_validate(const cJSON *doc, size_t text_bytes, asl_report_fn report, void *ctx)
{
  struct checker c = {report, ctx, 0, arena_new(), {0}, {0}, 0};
  if(!c.arena) {
    struct asl_problem p = {ASL_ERROR, "INTERNAL", "", NULL, "out of memory"};
    report(&p, ctx);
    return 1;
  }
  if(text_bytes > ASL_MAX_DEFINITION_BYTES)
    problem(&c, ASL_ERROR, "SCHEMA_VALIDATION_FAILED", "", NULL,
            "the definition is %zu bytes; Step Functions accepts at most %d", text_bytes,
            ASL_MAX_DEFINITION_BYTES);
  if(!cJSON_IsObject(doc))
    problem(&c, ASL_ERROR, "INVALID_JSON_DESCRIPTION", "", NULL,
            "a state machine definition must be a JSON object");
  else {
    const cJSON *ql = json_get(doc, "QueryLanguage");
    int jsonata = cJSON_IsString(ql) && !strcmp(ql->valuestring, "JSONata");
    check_range(&c, doc, "TimeoutSeconds", 1, 99999999, 1, "", "(machine)");
    add_job(&c, doc, "", jsonata);
    for(size_t j = 0; j < c.jobs.n && !c.failed; j++)
      check_graph(&c, c.jobs.items[j]);
  }
  if(c.failed) {
    struct asl_problem p = {ASL_ERROR, "INTERNAL", "", NULL, "out of memory while validating"};
    report(&p, ctx);
    c.errors++;
  }
  arena_free(c.arena);
  return c.errors;
}

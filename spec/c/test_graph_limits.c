/*
** test_graph_limits.c: sfl graph at its edges. Documents it cannot draw fail with a
** message naming the state (and leave the output as it was); names that are not text
** (control characters, broken UTF-8) come out escaped; rarer ASL (JSONata conditions,
** Iterator, Wait forms, activities, the same name in two branches) is labelled; a
** 1,000-state machine is drawn in milliseconds as text and in seconds by Graphviz; and
** Parallel states nested hundreds deep are walked without recursion.
*/
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "core/json.h"
#include "graph/graph.h"

/*
** Under SFL_SANITIZE, LeakSanitizer reads this: Graphviz's own leaks are suppressed by
** function name (spec/graph/lsan.supp), which needs whole stacks through its libraries.
** The build hides symbols by default; the sanitizer runtime must see this one.
*/
__attribute__((visibility("default"))) const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
  return "suppressions=spec/graph/lsan.supp:fast_unwind_on_malloc=0";
}

static double now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The output of `json` in `fmt` (malloc'd), or NULL with the message in `msg`. */
static char *draw(const char *json, enum graph_format fmt, char *msg, size_t n)
{
  cJSON *asl = cJSON_Parse(json);
  struct strbuf out = {0};
  struct diag d = {0};
  strbuf_puts(&out, "kept|");
  enum sfl_status result = graph_write(asl, fmt, &out, &d);
  if(msg)
    snprintf(msg, n, "%s", result ? d.msg : "");
  char *text = strbuf_take(&out);
  cJSON_Delete(asl);
  CHECK(text && !strncmp(text, "kept|", 5));   /* appended after what was there */
  if(result) {
    CHECK_STR(text, "kept|");                  /* and put back on failure */
    free(text);
    return NULL;
  }
  memmove(text, text + 5, strlen(text + 5) + 1);
  return text;
}

static void fails_with(const char *json, const char *want)
{
  char msg[1024];
  char *text = draw(json, GRAPH_DOT, msg, sizeof msg);
  CHECK(text == NULL);
  CHECK_STR(msg, want);
  free(text);
}

static void has(const char *json, enum graph_format fmt, const char *want)
{
  char *text = draw(json, fmt, NULL, 0);
  check_count++;
  if(!text || !strstr(text, want)) {
    check_failures++;
    fprintf(stderr, "expected the %s output to hold:\n%s\ngot:\n%s\n", graph_format_name(fmt),
            want, text ? text : "(failed)");
  }
  free(text);
}

#define ONE(name, body) "{\"StartAt\":\"" name "\",\"States\":{\"" name "\":" body "}}"
#define PAR(branch) "{\"Type\":\"Parallel\",\"End\":true,\"Branches\":[" branch "]}"

static void check_errors(void)
{
  fails_with("{}", "the state machine has no States object");
  fails_with("[1]", "the state machine has no States object");
  fails_with("{\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}",
             "the state machine: StartAt is missing");
  fails_with("{\"StartAt\":\"B\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}",
             "the state machine: StartAt 'B' is not a state");
  fails_with(ONE("A", "{\"Type\":\"Pass\",\"Next\":\"B\"}"), "state 'A': Next 'B' is not a state");
  fails_with(ONE("A", "{\"Next\":\"A\"}"), "state 'A' has no Type");
  fails_with(ONE("C", "{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.x\","
                      "\"IsNull\":true,\"Next\":\"X\"}]}"),
             "state 'C': a Choice rule's Next 'X' is not a state");
  fails_with(ONE("C", "{\"Type\":\"Choice\",\"Choices\":[],\"Default\":\"X\"}"),
             "state 'C': Default 'X' is not a state");
  fails_with(ONE("A", "{\"Type\":\"Task\",\"End\":true,\"Catch\":[{\"ErrorEquals\":"
                      "[\"States.ALL\"],\"Next\":\"X\"}]}"),
             "state 'A': a Catch's Next 'X' is not a state");
  fails_with(ONE("P", PAR("{\"StartAt\":\"X\",\"States\":{\"In\":{\"Type\":\"Pass\","
                          "\"End\":true}}}")),
             "state 'P': Branch 1's StartAt 'X' is not a state of its branch");
  fails_with(ONE("P", PAR("{\"StartAt\":\"In\",\"States\":{\"In\":{\"Type\":\"Pass\","
                          "\"Next\":\"P\"}}}")),
             "state 'In': Next 'P' is not a state of its branch");
  fails_with(ONE("P", PAR("{\"StartAt\":\"In\"}")), "state 'P': Branch 1 has no States object");
  fails_with("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true},"
             "\"A\":{\"Type\":\"Pass\",\"End\":true}}}", "state name 'A' appears twice");

  struct strbuf out = {0};
  struct diag d = {0};
  cJSON *asl = cJSON_Parse(ONE("A", "{\"Type\":\"Pass\",\"End\":true}"));
  CHECK(graph_write(asl, (enum graph_format)42, &out, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "unknown graph format 42");
  CHECK(graph_write(NULL, GRAPH_TEXT, &out, NULL) == SFL_ERR_INVALID);   /* no diag: fine */
  CHECK(graph_write(asl, GRAPH_TEXT, &out, NULL) == SFL_OK);
  CHECK_STR(out.buf, "Start -> A\nA (Pass) -> End\n");
  strbuf_free(&out);
  cJSON_Delete(asl);
}

/* Names that are not plain text: a terminal escape, a tab, bytes that are not UTF-8. */
static void check_bytes(void)
{
  const char *doc = ONE("e\\u001b[31m\\tx\xff\xc3(", "{\"Type\":\"Succeed\"}");
  has(doc, GRAPH_TEXT, "Start -> e\\x1b[31m\\tx\\xff\\xc3(\n");
  has(doc, GRAPH_DOT, "\"e\\x1b[31m\\x09x\\xff\\xc3(\" [label=<<B>e\xef\xbf\xbd[31m x"
                      "\xef\xbf\xbd\xef\xbf\xbd(</B>");
  has(doc, GRAPH_MERMAID, "s0([\"e\xef\xbf\xbd[31m x\xef\xbf\xbd\xef\xbf\xbd(<br/>Succeed\"])");
  has(doc, GRAPH_SVG, "e\xef\xbf\xbd[31m x\xef\xbf\xbd\xef\xbf\xbd(</text>");
  has(ONE("", "{\"Type\":\"Pass\",\"End\":true}"), GRAPH_DOT, "\"__start__\" -> \"\";");
}

static void check_labels(void)
{
  has(ONE("C", "{\"Type\":\"Choice\",\"QueryLanguage\":\"JSONata\",\"Choices\":[{\"Condition\":"
               "\"{% $states.input.n > 1 %}\",\"Next\":\"C\"}]}"),
      GRAPH_TEXT, "  {% $states.input.n > 1 %} -> C\n");
  has(ONE("C", "{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.t\",\"TimestampLessThan\":"
               "\"2024-01-01T00:00:00Z\",\"Next\":\"C\"},{\"Variable\":\"$.s\",\"StringMatches\":"
               "\"log-*\",\"Next\":\"C\"},{\"Variable\":\"$.n\",\"IsNumeric\":false,\"Next\":\"C\"},"
               "{\"Variable\":\"$.n\",\"SomeNewOp\":[1],\"Next\":\"C\"},{\"Or\":[{\"Variable\":"
               "\"$.a\",\"NumericLessThanEquals\":0.5},{\"Variable\":\"$.b\",\"BooleanEqualsPath\":"
               "\"$.c\"}],\"Next\":\"C\"}]}"),
      GRAPH_TEXT, "  $.t < \"2024-01-01T00:00:00Z\" -> C\n  $.s matches \"log-*\" -> C\n"
                  "  $.n is not numeric -> C\n  $.n SomeNewOp [1] -> C\n"
                  "  Or($.a <= 0.5, $.b == $.c) -> C\n");
  has(ONE("W", "{\"Type\":\"Wait\",\"Timestamp\":\"2030-01-01T00:00:00Z\",\"End\":true}"),
      GRAPH_TEXT, "W (Wait, until 2030-01-01T00:00:00Z) -> End");
  has(ONE("W", "{\"Type\":\"Wait\",\"SecondsPath\":\"$.delay\",\"End\":true}"),
      GRAPH_TEXT, "W (Wait, $.delay s) -> End");
  has(ONE("T", "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:us-east-1:1:activity:review\","
               "\"End\":true}"), GRAPH_TEXT, "T (Task, Activity: review) -> End");
  has(ONE("T", "{\"Type\":\"Task\",\"Resource\":\"${Fn::GetAtt:Worker1234.Arn}\",\"End\":true}"),
      GRAPH_TEXT, "T (Task, Worker1234) -> End");
  has(ONE("T", "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
               "\"Parameters\":{\"FunctionName\":\"${Ref:Fn}\"},\"End\":true}"),
      GRAPH_TEXT, "T (Task, Lambda: Fn) -> End");
  has(ONE("M", "{\"Type\":\"Map\",\"End\":true,\"Iterator\":{\"StartAt\":\"I\",\"States\":"
               "{\"I\":{\"Type\":\"Pass\",\"End\":true}}}}"),
      GRAPH_MERMAID, "  subgraph c0[\"M: Iterator\"]\n    s1(\"I<br/>Pass\")\n  end\n");
  /* The same name in two branches: two nodes, the second with its own DOT id. */
  has(ONE("P", "{\"Type\":\"Parallel\",\"End\":true,\"Branches\":["
               "{\"StartAt\":\"Go\",\"States\":{\"Go\":{\"Type\":\"Pass\",\"End\":true}}},"
               "{\"StartAt\":\"Go\",\"States\":{\"Go\":{\"Type\":\"Pass\",\"End\":true}}}]}"),
      GRAPH_DOT, "  \"P\" -> \"Go\";\n  \"P\" -> \"Go (2)\";\n  \"Go\" -> \"__end__\";\n"
                 "  \"Go (2)\" -> \"__end__\";\n");
  /* Long lists of errors wrap in pictures, never in text. */
  const char *retry = ONE("T", "{\"Type\":\"Task\",\"Resource\":\"x\",\"End\":true,\"Retry\":"
                               "[{\"ErrorEquals\":[\"Error.Number.One\",\"Error.Number.Two\","
                               "\"Error.Number.Three\",\"Error.Number.Four\"]}]}");
  has(retry, GRAPH_DOT, "Retry: Error.Number.One, Error.Number.Two,<BR/>"
                        "Error.Number.Three, Error.Number.Four ×3");
  has(retry, GRAPH_TEXT, "  Retry: Error.Number.One, Error.Number.Two, Error.Number.Three, "
                         "Error.Number.Four ×3\n");
}

/* A chain of n Lambda tasks, every tenth with a Catch five states ahead. */
static cJSON *chain(int n)
{
  cJSON *asl = cJSON_CreateObject(), *states = cJSON_CreateObject();
  json_put_str(asl, "StartAt", "state 0");
  json_put(asl, "States", states);
  for(int i = 0; i < n; i++) {
    char name[32], next[32], fn[64];
    cJSON *st = cJSON_CreateObject(), *params = cJSON_CreateObject();
    snprintf(name, sizeof name, "state %d", i);
    snprintf(next, sizeof next, "state %d", i + 1);
    snprintf(fn, sizeof fn, "${Fn::GetAtt:Function%d.Arn}", i);
    json_put_str(st, "Type", "Task");
    json_put_str(st, "Resource", "arn:aws:states:::lambda:invoke");
    json_put_str(params, "FunctionName", fn);
    json_put(st, "Parameters", params);
    if(i + 1 < n)
      json_put_str(st, "Next", next);
    else
      json_put_bool(st, "End", 1);
    if(i % 10 == 0 && i + 5 < n) {
      cJSON *c = cJSON_CreateObject();
      snprintf(next, sizeof next, "state %d", i + 5);
      json_put(c, "ErrorEquals", cJSON_CreateStringArray((const char *[]){"States.ALL"}, 1));
      json_put_str(c, "Next", next);
      cJSON *catch = cJSON_CreateArray();
      json_push(catch, c);
      json_put(st, "Catch", catch);
    }
    json_put(states, name, st);
  }
  return asl;
}

static void check_large(void)
{
  static const enum graph_format fmts[] = {GRAPH_DOT, GRAPH_MERMAID, GRAPH_TEXT, GRAPH_SVG};
  cJSON *asl = chain(1000);
  printf("1,000 states:");
  for(size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
    struct strbuf out = {0};
    struct diag d = {0};
    double t0 = now_ms();
    enum sfl_status result = graph_write(asl, fmts[i], &out, &d);
    double ms = now_ms() - t0;
    printf(" %s %.1f ms (%zu bytes)%s", graph_format_name(fmts[i]), ms, out.len,
           i + 1 < sizeof fmts / sizeof *fmts ? "," : "\n");
    CHECK(result == SFL_OK);
    if(result)
      fprintf(stderr, "%s: %s\n", graph_format_name(fmts[i]), d.msg);
    CHECK(out.buf && strstr(out.buf, "state 999"));
    /* Writing is linear: generous bounds that still catch a quadratic walk. */
    CHECK(fmts[i] == GRAPH_SVG || ms < 1000);
    if(fmts[i] == GRAPH_SVG)
      CHECK(out.len > 8 && strstr(out.buf + out.len - 8, "</svg>"));
    strbuf_free(&out);
  }
  cJSON_Delete(asl);
}

/* Parallel states nested `depth` deep, the innermost branch a single Pass. */
static void check_deep(int depth)
{
  cJSON *inner = cJSON_CreateObject(), *pass = cJSON_CreateObject();
  json_put_str(pass, "Type", "Pass");
  json_put_bool(pass, "End", 1);
  json_put(inner, "leaf", pass);
  const char *start = "leaf";
  char names[2][32];
  for(int i = 0; i < depth; i++) {
    cJSON *branch = cJSON_CreateObject(), *par = cJSON_CreateObject();
    json_put_str(branch, "StartAt", start);
    json_put(branch, "States", inner);
    json_put_str(par, "Type", "Parallel");
    json_put_bool(par, "End", 1);
    cJSON *branches = cJSON_CreateArray();
    json_push(branches, branch);
    json_put(par, "Branches", branches);
    snprintf(names[i % 2], sizeof names[0], "level %d", depth - i);
    inner = cJSON_CreateObject();
    json_put(inner, names[i % 2], par);
    start = names[i % 2];
  }
  cJSON *asl = cJSON_CreateObject();
  json_put_str(asl, "StartAt", start);
  json_put(asl, "States", inner);
  struct strbuf out = {0};
  CHECK(graph_write(asl, GRAPH_TEXT, &out, NULL) == SFL_OK);
  struct strbuf want = {0};
  strbuf_printf(&want, "\n%*sleaf (Pass) -> (end of branch)\n", 4 * depth, "");
  CHECK(out.buf && want.buf && strstr(out.buf, want.buf));
  strbuf_free(&want);
  strbuf_free(&out);
  CHECK(graph_write(asl, GRAPH_DOT, &out, NULL) == SFL_OK);
  size_t clusters = 0;
  for(const char *p = out.buf; p && (p = strstr(p, "subgraph \"cluster_")); p++)
    clusters++;
  CHECK(clusters == (size_t)depth);
  CHECK(out.buf && strstr(out.buf, "  \"leaf\" -> \"__end__\";\n"));
  strbuf_free(&out);
  cJSON_Delete(asl);
}

int main(void)
{
  check_errors();
  check_bytes();
  check_labels();
  check_large();
  check_deep(300);
  return check_done("test_graph_limits");
}

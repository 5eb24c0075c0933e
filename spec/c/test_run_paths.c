/*
** test_run_paths.c: input and output processing (InputPath, Parameters, ResultSelector,
** ResultPath, OutputPath, the context object) and the JSONPath dialect, run through the
** interpreter from spec/run/paths.json; then the path compiler and evaluator on their own.
*/
#include "check.h"
#include "../run/harness.h"
#include "run/jpath.h"
#include "core/arena.h"

/* {"doc"} evaluated with `path` gives `want` (compact JSON), or nothing when want is NULL. */
static void select_is(struct arena *a, const char *path, const char *doc, const char *want)
{
  char err[256];
  cJSON *d = cJSON_Parse(doc), *owned;
  const cJSON *v = NULL;
  const struct jpath *p = jpath_compile(a, path, 0, err, sizeof err);
  check_count++;
  if(!p || !d) {
    case_failed(path, "did not compile: %s", err);
    cJSON_Delete(d);
    return;
  }
  int rc = jpath_select(p, d, &v, &owned);
  char *got = rc ? NULL : json_to_text(v, 0);
  if(want ? !got || strcmp(got, want) : rc != 1)
    case_failed(path, "expected %s, got %s", want ? want : "nothing", got ? got : "nothing");
  free(got);
  cJSON_Delete(owned);
  cJSON_Delete(d);
}

static void refused(struct arena *a, const char *path, int flags, const char *why)
{
  char err[256];
  check_count++;
  if(jpath_compile(a, path, flags, err, sizeof err) || !strstr(err, why))
    case_failed(path, "expected to be refused with \"%s\", got \"%s\"", why, err);
}

/* jpath_set on a copy of doc: the tree after it, or "unchanged" when it cannot apply. */
static void set_is(struct arena *a, const char *path, const char *doc, const char *want)
{
  char err[256];
  const struct jpath *p = jpath_compile(a, path, JPATH_REFERENCE, err, sizeof err);
  cJSON *d = cJSON_Parse(doc), *v = cJSON_CreateString("V");
  int rc = p ? jpath_set(p, &d, v) : -1;
  if(rc)
    cJSON_Delete(v);
  char *got = rc == 1 ? strdup("unchanged") : json_to_text(d, 0);
  CHECK_STR(got, want);
  free(got);
  cJSON_Delete(d);
}

int main(void)
{
  int n = run_cases("spec/run/paths.json");
  CHECK(n >= 30);

  struct arena *a = arena_new();
  select_is(a, "$", "{\"a\":1}", "{\"a\":1}");
  select_is(a, "$.a.b", "{\"a\":{\"b\":[1,2]}}", "[1,2]");
  select_is(a, "$.a[5]", "{\"a\":[1]}", NULL);
  select_is(a, "$.a[-2]", "{\"a\":[1,2,3]}", "2");
  select_is(a, "$.a[-4]", "{\"a\":[1,2,3]}", NULL);
  select_is(a, "$.a.b", "{\"a\":\"text\"}", NULL);
  select_is(a, "$[0].x", "[{\"x\":true}]", "true");
  select_is(a, "$.a[1:]", "{\"a\":[1,2,3]}", "[2,3]");
  select_is(a, "$.a[:-1]", "{\"a\":[1,2,3]}", "[1,2]");
  select_is(a, "$.a[*]", "{\"a\":{\"x\":1,\"y\":2}}", "[1,2]");
  select_is(a, "$.*", "{\"x\":1,\"y\":[2]}", "[1,[2]]");
  select_is(a, "$..*", "{\"x\":1,\"y\":[2]}", "[1,[2],2]");
  select_is(a, "$..[0]", "{\"x\":[1,[2]]}", "[1,2]");
  select_is(a, "$.a.length()", "{\"a\":\"four\"}", "4");
  select_is(a, "$.missing[*]", "{}", "[]");
  select_is(a, "$['a.b']", "{\"a.b\":7}", "7");
  select_is(a, "$['it\\'s']", "{\"it's\":1}", "1");
  select_is(a, "$.a[?(@ > 1)]", "{\"a\":[1,2,3]}", "[2,3]");
  select_is(a, "$.a[?(@.k == null)]", "{\"a\":[{\"k\":null},{\"k\":0}]}", "[{\"k\":null}]");
  select_is(a, "$.a[?(@.s < 'b')].s", "{\"a\":[{\"s\":\"a\"},{\"s\":\"c\"},{\"s\":1}]}",
            "[\"a\"]");

  refused(a, "$.a[", 0, "expected a number");
  refused(a, "$.a[?(@.x >)]", 0, "expected a value in filter");
  refused(a, "$.a[1:2:0]", 0, "slice step must not be 0");
  refused(a, "$..a", JPATH_REFERENCE, "Reference Path");
  refused(a, "$.a[0,1]", JPATH_REFERENCE, "Reference Path");
  refused(a, "$.a.length().b", 0, "length() must come last");
  refused(a, "x", 0, "must start with '$'");
  refused(a, "$.a[?(@.s =~ /x/)]", 0, "regular expressions (=~) are not supported");
  refused(a, "$.", 0, "expected a name");
  refused(a, "$[?(((((((((((((((((((((((((((((((((((@.a)))))))))))))))))))))))))))))))))]", 0,
          "filter nested too deeply");

  set_is(a, "$", "{\"a\":1}", "\"V\"");
  set_is(a, "$.a", "{\"a\":1}", "{\"a\":\"V\"}");
  set_is(a, "$.b.c", "{\"a\":1}", "{\"a\":1,\"b\":{\"c\":\"V\"}}");
  set_is(a, "$.a[0].x", "{\"a\":[{}]}", "{\"a\":[{\"x\":\"V\"}]}");
  set_is(a, "$.a[-1]", "{\"a\":[1,2]}", "{\"a\":[1,\"V\"]}");
  set_is(a, "$.a.b", "{\"a\":[]}", "unchanged");
  set_is(a, "$[0]", "{}", "unchanged");
  arena_free(a);
  return check_done("test_run_paths");
}

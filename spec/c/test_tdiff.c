/*
** test_tdiff.c: the template diff (src/deploy/tdiff.c). Each folder of spec/c/tdiff/ is a
** case: old.json (absent: an empty template), new.json, expected.txt (the exact report),
** and optionally options (words: strict, color) and paths.json (logical id -> path).
** Then checks written out here: no differences, colour, counts.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deploy/tdiff.h"

#define CASES "spec/c/tdiff"

static char *slurp(const char *dir, const char *name)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s/%s", CASES, dir, name);
  FILE *f = fopen(path, "rb");
  if(!f)
    return NULL;
  struct strbuf b = {0};
  char chunk[4096];
  size_t n;
  while((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    strbuf_add(&b, chunk, n);
  fclose(f);
  return strbuf_take(&b);
}

static cJSON *parse(const char *text)
{
  return text ? cJSON_Parse(text) : NULL;
}

/* The report of old -> new (texts; NULL: empty) with options; malloc'd. */
static char *report(const char *old, const char *new, struct tdiff_options *o, size_t *count)
{
  cJSON *a = parse(old), *b = parse(new);
  struct strbuf out = {0};
  size_t n = tdiff_write(&out, a, b, o);
  if(count)
    *count = n;
  cJSON_Delete(a);
  cJSON_Delete(b);
  return strbuf_take(&out);
}

static void run_case(const char *name)
{
  char *old = slurp(name, "old.json"), *new = slurp(name, "new.json");
  char *want = slurp(name, "expected.txt"), *opts = slurp(name, "options");
  char *paths_text = slurp(name, "paths.json");
  cJSON *paths = parse(paths_text);
  struct tdiff_options o = {.context_lines = -1, .paths = paths};
  o.strict = opts && strstr(opts, "strict");
  o.color = opts && strstr(opts, "color");
  CHECK(new && want);
  char *got = report(old, new, &o, NULL);
  if(!got || !want || strcmp(got, want))
    fprintf(stderr, "case %s:\n", name);
  CHECK_STR(got, want ? want : "");
  free(got);
  /* Backwards, every change turns round: as many differences either way. */
  size_t there, back;
  free(report(old, new, &o, &there));
  free(report(new, old, &o, &back));
  CHECK(there == back);
  cJSON_Delete(paths);
  free(paths_text);
  free(old);
  free(new);
  free(want);
  free(opts);
}

static void test_cases(void)
{
  DIR *d = opendir(CASES);
  CHECK(d != NULL);
  struct dirent *e;
  int n = 0;
  while(d && (e = readdir(d)))
    if(e->d_name[0] != '.') {
      run_case(e->d_name);
      n++;
    }
  if(d)
    closedir(d);
  CHECK(n >= 5);
}

static void test_no_differences(void)
{
  const char *t = "{\"Resources\":{\"Q\":{\"Type\":\"AWS::SQS::Queue\"}}}";
  struct tdiff_options o = {.context_lines = -1};
  size_t n = 1;
  char *got = report(t, t, &o, &n);
  CHECK_STR(got, "There were no differences\n");
  CHECK(n == 0);
  free(got);
  /* Keys in another order are no difference either. */
  got = report("{\"Outputs\":{\"A\":{\"Value\":1,\"Description\":\"d\"}}}",
               "{\"Outputs\":{\"A\":{\"Description\":\"d\",\"Value\":1}}}", &o, &n);
  CHECK_STR(got, "There were no differences\n");
  free(got);
  /* Only CDK's bookkeeping changed: hidden unless strict. */
  const char *a = "{\"Resources\":{\"CDKMetadata\":{\"Type\":\"AWS::CDK::Metadata\","
                  "\"Properties\":{\"Analytics\":\"v2:1\"}}}}";
  const char *b = "{\"Resources\":{\"CDKMetadata\":{\"Type\":\"AWS::CDK::Metadata\","
                  "\"Properties\":{\"Analytics\":\"v2:2\"}}}}";
  got = report(a, b, &o, &n);
  CHECK_STR(got, "There were no differences\n");
  free(got);
  o.strict = 1;
  got = report(a, b, &o, &n);
  CHECK_STR(got, "Resources\n"
                 "[~] AWS::CDK::Metadata CDKMetadata\n"
                 " └─ [~] Analytics\n"
                 "     ├─ [-] v2:1\n"
                 "     └─ [+] v2:2\n"
                 "\n");
  CHECK(n == 1);
  free(got);
}

static void test_empty_templates(void)
{
  struct tdiff_options o = {.context_lines = -1};
  size_t n = 1;
  char *got = report(NULL, NULL, &o, &n);
  CHECK_STR(got, "There were no differences\n");
  CHECK(n == 0);
  free(got);
  got = report(NULL, "{\"Resources\":{\"T\":{\"Type\":\"AWS::SNS::Topic\"}}}", &o, &n);
  CHECK_STR(got, "Resources\n[+] AWS::SNS::Topic T\n\n");
  free(got);
  got = report("{\"Resources\":{\"T\":{\"Type\":\"AWS::SNS::Topic\"}}}", NULL, &o, &n);
  CHECK_STR(got, "Resources\n[-] AWS::SNS::Topic T destroy\n\n");
  free(got);
}

static void test_color(void)
{
  struct tdiff_options o = {.context_lines = -1, .color = 1};
  char *got = report("{\"Resources\":{}}",
                     "{\"Resources\":{\"T\":{\"Type\":\"AWS::SNS::Topic\"}}}", &o, NULL);
  CHECK_STR(got, "\x1b[1m\x1b[4mResources\x1b[24m\x1b[22m\n"
                 "\x1b[32m[+]\x1b[39m \x1b[36mAWS::SNS::Topic\x1b[39m T\n\n");
  free(got);
}

static void test_context_lines(void)
{
  const char *a = "{\"Resources\":{\"F\":{\"Type\":\"X::Y::Z\",\"Properties\":"
                  "{\"L\":[1,2,3,4,5,6,7,8,9]}}}}";
  const char *b = "{\"Resources\":{\"F\":{\"Type\":\"X::Y::Z\",\"Properties\":"
                  "{\"L\":[1,2,3,4,50,6,7,8,9]}}}}";
  struct tdiff_options o = {.context_lines = 1};
  char *got = report(a, b, &o, NULL);
  CHECK_STR(got, "Resources\n"
                 "[~] X::Y::Z F\n"
                 " └─ [~] L\n"
                 "     └─ @@ -5,3 +5,3 @@\n"
                 "        [ ] 4,\n"
                 "        [-] 5,\n"
                 "        [+] 50,\n"
                 "        [ ] 6,\n"
                 "\n");
  free(got);
}

int main(void)
{
  test_cases();
  test_no_differences();
  test_empty_templates();
  test_color();
  test_context_lines();
  return check_done("tdiff");
}

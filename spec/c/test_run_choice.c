/*
** test_run_choice.c: Choice states. spec/run/choice_ops.json holds one row per comparison
** (a rule, an input, and whether it matches or raises), each run inside a two-way Choice
** state; spec/run/choice.json holds whole machines, the spec's example among them.
*/
#include "check.h"
#include "../run/harness.h"

/* {"StartAt": "C", "States": {"C": Choice(rule -> Yes, Default No), "Yes": true, "No": false}} */
static cJSON *wrap(const cJSON *rule)
{
  cJSON *asl = cJSON_Parse("{\"StartAt\":\"C\",\"States\":{"
    "\"C\":{\"Type\":\"Choice\",\"Choices\":[],\"Default\":\"No\"},"
    "\"Yes\":{\"Type\":\"Pass\",\"Result\":true,\"End\":true},"
    "\"No\":{\"Type\":\"Pass\",\"Result\":false,\"End\":true}}}");
  cJSON *r = cJSON_Duplicate(rule, 1);
  json_put_str(r, "Next", "Yes");
  json_push(json_get(json_get(json_get(asl, "States"), "C"), "Choices"), r);
  return asl;
}

static int run_rows(const char *path)
{
  cJSON *rows = read_json_file(path);
  int n = 0;
  CHECK(cJSON_IsArray(rows));
  for(const cJSON *row = rows ? rows->child : NULL; row; row = row->next, n++) {
    const cJSON *match = json_get(row, "match");
    cJSON *c = cJSON_CreateObject();
    char *name = json_to_text(json_get(row, "rule"), 0);
    char *input = json_to_text(json_get(row, "input"), 0);
    char label[600];
    snprintf(label, sizeof label, "%s on %s", name, input);
    json_put_str(c, "name", label);
    json_put(c, "asl", wrap(json_get(row, "rule")));
    json_put(c, "input", cJSON_Duplicate(json_get(row, "input"), 1));
    if(cJSON_IsString(match))
      json_put_str(c, "error", match->valuestring);
    else
      json_put(c, "output", cJSON_Duplicate(match, 1));
    run_one(c);
    cJSON_Delete(c);
    free(name);
    free(input);
  }
  cJSON_Delete(rows);
  return n;
}

int main(void)
{
  CHECK(run_rows("spec/run/choice_ops.json") >= 80);
  CHECK(run_cases("spec/run/choice.json") >= 20);
  return check_done("test_run_choice");
}

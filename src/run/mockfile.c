/*
** mockfile.c: reading a MockConfigFile (see mockfile.h). Each mocked response maps
** invocation numbers ("0", "1-2") to a Return or a Throw; they are laid out in order, one
** per invocation, for run_mock_task (which repeats the last one).
*/
#include "run/mockfile.h"
#include "core/json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct sfl_loc nowhere = {0};

/* Invocations laid out for one test case, all states together: ranges cannot make a small
   file into a huge table. */
#define MAX_ANSWERS 100000L

/* "3" or "1-2" -> first and last invocation. */
static int parse_range(const char *key, long *first, long *last)
{
  char *end;
  if(!isdigit((unsigned char)*key))
    return -1;
  *first = strtol(key, &end, 10);
  *last = *first;
  if(*end == '-') {
    if(!isdigit((unsigned char)end[1]))
      return -1;
    *last = strtol(end + 1, &end, 10);
  }
  return *end || *last < *first || *last >= MAX_ANSWERS ? -1 : 0;
}

static int is_answer(const cJSON *a)
{
  const cJSON *thr = json_get(a, "Throw");
  return cJSON_IsObject(a) && cJSON_GetArraySize(a) == 1
         && (json_get(a, "Return") || (cJSON_IsObject(thr)
                                       && cJSON_IsString(json_get(thr, "Error"))));
}

/*
** One mocked response as a list of answers, invocation by invocation; *budget is what is
** left of MAX_ANSWERS.
*/
static cJSON *expand(const cJSON *response, const char *name, long *budget, struct diag *d)
{
  if(!cJSON_IsObject(response))
    return diag_set(d, SFL_ERR_INVALID, nowhere, "mocked response '%s' must be an object of "
                    "invocations ({\"0\": {\"Return\": ...}})", name), NULL;
  cJSON *list = cJSON_CreateArray();
  long expected = 0;
  for(const cJSON *r = response ? response->child : NULL; r && list; r = r->next) {
    long first, last;
    if(parse_range(r->string, &first, &last) || first != expected) {
      diag_set(d, SFL_ERR_INVALID, nowhere, "mocked response '%s': invocation keys must be "
               "numbers or ranges (\"0\", \"1-2\") in order from 0; found '%s'", name,
               r->string);
      cJSON_Delete(list);
      return NULL;
    }
    if(!is_answer(r)) {
      diag_set(d, SFL_ERR_INVALID, nowhere, "mocked response '%s', invocation %s: give "
               "{\"Return\": ...} or {\"Throw\": {\"Error\": ..., \"Cause\": ...}}", name,
               r->string);
      cJSON_Delete(list);
      return NULL;
    }
    if((*budget -= last - first + 1) < 0) {
      diag_set(d, SFL_ERR_INVALID, nowhere, "mocked response '%s': a test case may lay out "
               "at most %ld invocations in all", name, MAX_ANSWERS);
      cJSON_Delete(list);
      return NULL;
    }
    for(long i = first; i <= last; i++)
      if(!json_push(list, json_dup(r))) {
        cJSON_Delete(list);
        diag_nomem(d);
        return NULL;
      }
    expected = last + 1;
  }
  if(list && !cJSON_GetArraySize(list)) {
    diag_set(d, SFL_ERR_INVALID, nowhere, "mocked response '%s' has no invocations", name);
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

static const cJSON *find_machine(const cJSON *machines, const char *machine,
                                 const char *const *aliases)
{
  if(cJSON_GetArraySize(machines) == 1)
    return machines->child;
  const cJSON *m = machine ? json_get(machines, machine) : NULL;
  for(size_t i = 0; !m && aliases && aliases[i]; i++)
    m = json_get(machines, aliases[i]);
  return m;
}

static void list_keys(const cJSON *o, char *buf, size_t size)
{
  buf[0] = '\0';
  for(const cJSON *c = o ? o->child : NULL; c; c = c->next) {
    if(buf[0])
      strncat(buf, ", ", size - strlen(buf) - 1);
    strncat(buf, c->string, size - strlen(buf) - 1);
  }
  if(!buf[0])
    strncat(buf, "(none)", size - 1);
}

cJSON *run_mock_table(const cJSON *config, const char *machine, const char *const *aliases,
                      const char *test_case, struct diag *d)
{
  char names[512];
  const cJSON *machines = json_get(config, "StateMachines");
  const cJSON *responses = json_get(config, "MockedResponses");
  if(!cJSON_IsObject(machines) || !cJSON_IsObject(responses))
    return diag_set(d, SFL_ERR_INVALID, nowhere, "a mock file needs \"StateMachines\" and "
                    "\"MockedResponses\" objects (Step Functions Local's MockConfigFile)"),
           NULL;
  const cJSON *m = find_machine(machines, machine, aliases);
  if(!m) {
    list_keys(machines, names, sizeof names);
    return diag_set(d, SFL_ERR_INVALID, nowhere, "the mock file has no state machine '%s' "
                    "(it has: %s)", machine ? machine : "", names), NULL;
  }
  const cJSON *cases = json_get(m, "TestCases");
  const cJSON *tc = test_case ? json_get(cases, test_case) : NULL;
  if(!cJSON_IsObject(tc)) {
    list_keys(cases, names, sizeof names);
    return diag_set(d, SFL_ERR_INVALID, nowhere, "the mock file has no test case '%s' for "
                    "state machine '%s' (it has: %s)", test_case ? test_case : "", m->string,
                    names), NULL;
  }
  cJSON *table = cJSON_CreateObject();
  long budget = MAX_ANSWERS;
  for(const cJSON *s = tc->child; s && table; s = s->next) {
    const cJSON *response = cJSON_IsString(s) ? json_get(responses, s->valuestring) : NULL;
    if(!response) {
      diag_set(d, SFL_ERR_INVALID, nowhere, "test case '%s': state '%s' names mocked response "
               "'%s', which MockedResponses does not have", test_case, s->string,
               cJSON_IsString(s) ? s->valuestring : "?");
      cJSON_Delete(table);
      return NULL;
    }
    cJSON *answers = expand(response, s->valuestring, &budget, d);
    if(!answers || !json_put(table, s->string, answers)) {
      if(answers)
        diag_nomem(d);
      cJSON_Delete(table);
      return NULL;
    }
  }
  if(!table)
    diag_nomem(d);
  return table;
}

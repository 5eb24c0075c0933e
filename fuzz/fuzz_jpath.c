/*
** fuzz_jpath.c: JSONPath and reference paths. Input: the path, optionally a NUL byte and
** a JSON document to apply it to. The path goes through the validator's checks
** (src/asl/path.c) and the interpreter's compiler (src/run/jpath*.c) as a path and as a
** reference path; a compiled path is then read, selected, set and taken on the document.
*/
#include "fuzz.h"
#include "asl/path.h"
#include "core/arena.h"
#include "run/jpath.h"

#include <cjson/cJSON.h>

static void apply(const struct jpath *p, const cJSON *doc)
{
  const cJSON *out;
  cJSON *owned = NULL;
  if(jpath_is_definite(p))
    (void)jpath_get(p, doc);
  jpath_select(p, doc, &out, &owned);
  cJSON_Delete(owned);
  if(jpath_is_context(p) || !jpath_is_definite(p))
    return;
  cJSON *root = cJSON_Duplicate(doc, 1);
  cJSON *value = cJSON_CreateString("v");
  if(root && value && jpath_set(p, &root, value) != 0)
    cJSON_Delete(value);
  cJSON_Delete(jpath_take(p, root));
  if(!jpath_is_root(p))
    cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *json, *path = fuzz_split(data, size, &json);
  if(!path)
    return 0;
  char buf[256], err[256];
  asl_check_path(path, ASL_PATH, buf, sizeof buf);
  asl_check_path(path, ASL_REFERENCE_PATH, buf, sizeof buf);
  asl_check_dollar_value(path, buf, sizeof buf);
  cJSON *doc = json ? cJSON_Parse(json) : cJSON_Parse("{\"a\":{\"b\":[1,{\"c\":2}]},\"d\":\"x\"}");
  struct arena *a = arena_new();
  for(int flags = 0; a && flags <= JPATH_REFERENCE; flags++) {
    struct jpath *p = jpath_compile(a, path, flags, err, sizeof err);
    if(p && doc)
      apply(p, doc);
  }
  arena_free(a);
  cJSON_Delete(doc);
  free(path);
  return 0;
}

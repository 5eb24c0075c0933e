/*
** fuzz_tdiff.c: the template diff (src/deploy/tdiff*.c), which reads templates sfl did not
** write (a deployed stack's, a --template file). The input is two JSON texts split at a
** NUL byte (the old template, then the new; one without a NUL is compared with nothing),
** diffed both ways, with colours and paths from the new template's resource names.
*/
#include "fuzz.h"
#include "core/json.h"
#include "deploy/tdiff.h"

/* Every resource of `t` gets a construct path, so the path code runs too. */
static cJSON *paths_of(const cJSON *t)
{
  cJSON *paths = cJSON_CreateObject();
  const cJSON *r;
  cJSON_ArrayForEach(r, json_get(t, "Resources"))
    if(r->string)
      json_put_str(paths, r->string, "/Stack/Fuzz/Resource");
  return paths;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *second;
  char *first = fuzz_split(data, size, &second);
  if(!first)
    return 0;
  cJSON *a = cJSON_Parse(first), *b = second ? cJSON_Parse(second) : NULL;
  cJSON *paths = paths_of(b);
  for(int way = 0; way < 2; way++) {
    struct tdiff_options o = {.color = way, .context_lines = way ? 1 : -1, .strict = way,
                              .paths = paths};
    struct strbuf out = {0};
    tdiff_write(&out, way ? b : a, way ? a : b, &o);
    strbuf_free(&out);
  }
  cJSON_Delete(paths);
  cJSON_Delete(a);
  cJSON_Delete(b);
  free(first);
  return 0;
}

/*
** fuzz_validate.c: ASL documents as `sfl validate` reads them: JSON text, parsed and
** checked by src/asl/validate.c (paths, intrinsics, transitions, Retry/Catch, ...).
*/
#include "fuzz.h"
#include "asl/validate.h"

static void count(const struct asl_problem *p, void *ctx)
{
  /* every string of a problem must be readable */
  size_t *n = ctx;
  *n += strlen(p->code) + strlen(p->pointer) + strlen(p->message)
        + (p->state ? strlen(p->state) : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
  if(doc) {
    size_t n = 0;
    asl_validate(doc, size, count, &n);
    cJSON_Delete(doc);
  }
  return 0;
}

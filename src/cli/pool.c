/*
** pool.c: the sfl command's allocator for cJSON. A run or a synth makes and drops millions
** of small JSON nodes and strings; free lists of a few sizes, carved from big slabs, serve
** them at a fraction of malloc's cost. Only the command installs it (it owns its process);
** libsfl leaves cJSON's allocator alone. Sanitizer builds keep malloc, so that use after
** free is still caught.
*/
#include <stdio.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "cli/cli.h"

#if defined(__SANITIZE_ADDRESS__)
#define POOL_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_OFF 1
#endif
#endif

#ifndef POOL_OFF

/* Every block starts with a header that names its class, so free() needs no size. */
union header {
  size_t cls;
  union header *next;     /* while on a free list */
  max_align_t align;
};

#define CLASSES 4                           /* 16, 32, 64 and 128 bytes */
#define LARGE ((size_t)CLASSES)
#define SLAB_SIZE (256 * 1024)

static union header *free_lists[CLASSES];
static char *slab_next, *slab_end;

static size_t class_of(size_t n)
{
  size_t cls = 0, size = 16;
  while(size < n && cls < CLASSES) {
    size *= 2;
    cls++;
  }
  return cls;
}

static void *pool_malloc(size_t n)
{
  size_t cls = class_of(n);
  union header *h;
  if(cls == LARGE) {
    h = malloc(sizeof *h + n);
    if(!h)
      return NULL;
  }
  else if(free_lists[cls]) {
    h = free_lists[cls];
    free_lists[cls] = h->next;
  }
  else {
    size_t block = sizeof *h + ((size_t)16 << cls);
    if((size_t)(slab_end - slab_next) < block) {
      /* The rest of the old slab is left unused; slabs live until the process ends. */
      slab_next = malloc(SLAB_SIZE);
      if(!slab_next) {
        slab_end = NULL;
        return NULL;
      }
      slab_end = slab_next + SLAB_SIZE;
    }
    h = (union header *)slab_next;
    slab_next += block;
  }
  h->cls = cls;
  return h + 1;
}

static void pool_free(void *p)
{
  if(!p)
    return;
  union header *h = (union header *)p - 1;
  size_t cls = h->cls;
  if(cls == LARGE) {
    free(h);
    return;
  }
  h->next = free_lists[cls];
  free_lists[cls] = h;
}

void cli_use_pool(void)
{
  cJSON_Hooks hooks = {pool_malloc, pool_free};
  cJSON_InitHooks(&hooks);
}

#else

void cli_use_pool(void)
{
}

#endif

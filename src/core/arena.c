/*
** arena.c: a bump allocator in chunks, plus a list of cJSON trees to delete.
** Models are built once and freed whole, so nothing is freed one by one.
*/
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#define CHUNK_SIZE (64 * 1024)

struct chunk {
  struct chunk *prev;
  size_t used, size;
  max_align_t data[];
};

struct owned {
  struct owned *prev;
  cJSON *json;
};

struct arena {
  struct chunk *chunk;
  struct owned *owned;
  struct mem_budget *budget;
};

int mem_budget_take(struct mem_budget *b, size_t n)
{
  if(b->limit && (n > b->limit || b->used > b->limit - n)) {
    b->exceeded = 1;
    return 0;
  }
  b->used += n;
  return 1;
}

void arena_set_budget(struct arena *a, struct mem_budget *b)
{
  a->budget = b;
}

struct arena *arena_new(void)
{
  return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
  if(!a)
    return;
  for(struct owned *o = a->owned; o;) {
    struct owned *prev = o->prev;
    cJSON_Delete(o->json);
    o = prev;
  }
  for(struct chunk *c = a->chunk; c;) {
    struct chunk *prev = c->prev;
    free(c);
    c = prev;
  }
  free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
  size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  struct chunk *c = a->chunk;
  if(!c || c->size - c->used < size) {
    size_t want = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;
    if(a->budget && !mem_budget_take(a->budget, sizeof(struct chunk) + want))
      return NULL;
    c = malloc(sizeof(struct chunk) + want);
    if(!c)
      return NULL;
    c->size = want;
    c->used = 0;
    /* A big one-off block goes behind the current chunk so the rest of it stays usable. */
    if(want != CHUNK_SIZE && a->chunk) {
      c->prev = a->chunk->prev;
      a->chunk->prev = c;
    }
    else {
      c->prev = a->chunk;
      a->chunk = c;
    }
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
  char *p = arena_alloc(a, n + 1);
  if(p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
  return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if(n < 0)
    return NULL;
  char *p = arena_alloc(a, (size_t)n + 1);
  if(p)
    vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

cJSON *arena_own_json(struct arena *a, cJSON *j)
{
  if(!j)
    return NULL;
  struct owned *o = arena_alloc(a, sizeof *o);
  if(!o) {
    cJSON_Delete(j);
    return NULL;
  }
  o->json = j;
  o->prev = a->owned;
  a->owned = o;
  return j;
}

int vec_push(struct arena *a, struct vec *v, void *item)
{
  if(v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    void **items = arena_alloc(a, cap * sizeof *items);
    if(!items)
      return -1;
    if(v->n)
      memcpy(items, v->items, v->n * sizeof *items);
    v->items = items;
    v->cap = cap;
  }
  v->items[v->n++] = item;
  return 0;
}

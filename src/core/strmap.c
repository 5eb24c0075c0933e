/*
** strmap.c: open addressing with linear probing; FNV-1a hashes.
*/
#include "core/strmap.h"
#include "core/arena.h"

#include <stdint.h>
#include <string.h>

static size_t hash(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for(; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return (size_t)h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key)
{
  size_t i = hash(key) & (m->cap - 1);
  while(m->slots[i].key && strcmp(m->slots[i].key, key))
    i = (i + 1) & (m->cap - 1);
  return &m->slots[i];
}

void *strmap_get(const struct strmap *m, const char *key)
{
  if(!m->cap)
    return NULL;
  struct strmap_slot *s = find(m, key);
  return s->key ? s->value : NULL;
}

int strmap_set(struct arena *a, struct strmap *m, const char *key, void *value)
{
  if((m->n + 1) * 4 > m->cap * 3) {
    struct strmap bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 16;
    bigger.slots = arena_alloc(a, bigger.cap * sizeof *bigger.slots);
    if(!bigger.slots)
      return -1;
    for(size_t i = 0; i < m->cap; i++)
      if(m->slots[i].key) {
        *find(&bigger, m->slots[i].key) = m->slots[i];
        bigger.n++;
      }
    *m = bigger;
  }
  struct strmap_slot *s = find(m, key);
  if(!s->key) {
    s->key = key;
    m->n++;
  }
  s->value = value;
  return 0;
}

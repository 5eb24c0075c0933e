/*
** strmap.h: a string-keyed hash map whose storage lives in an arena (keys are not
** copied: they must outlive the map, which arena strings do).
*/
#ifndef SFL_CORE_STRMAP_H
#define SFL_CORE_STRMAP_H

#include <stddef.h>

struct arena;
struct strmap_slot {
  const char *key;
  void *value;
};
struct strmap {
  struct strmap_slot *slots;
  size_t n, cap;
};

void *strmap_get(const struct strmap *m, const char *key);
/* Sets key to value (replacing); returns 0, or -1 when out of memory. */
int strmap_set(struct arena *a, struct strmap *m, const char *key, void *value);

#endif

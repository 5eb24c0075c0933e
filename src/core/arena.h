/*
** arena.h: one region of memory per app model.
**
** Ownership: everything allocated from an arena lives until arena_free(). Objects that
** own memory of their own (cJSON trees) are handed to the arena with arena_own_json()
** right after they are made, so an error raised half-way through building a model
** (a Lua error longjmps) never leaks them.
*/
#ifndef SFL_CORE_ARENA_H
#define SFL_CORE_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct cJSON;
struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

/*
** A memory budget shared by whoever charges it (an embedding host's Lua heap and its
** arena). limit 0: no limit. `exceeded` is set when an allocation was refused.
*/
struct mem_budget {
  size_t used, limit;
  int exceeded;
};
/* Charges n bytes; 0 when that would go over the limit (sets `exceeded`). */
int mem_budget_take(struct mem_budget *b, size_t n);
/* From now on the arena's chunks are charged to `b` (which must outlive the arena). */
void arena_set_budget(struct arena *a, struct mem_budget *b);

/* Zeroed memory; aborts the allocation (returns NULL) only when malloc fails. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* The arena deletes j at arena_free(); returns j. j may be NULL. */
struct cJSON *arena_own_json(struct arena *a, struct cJSON *j);

/* A growable array of pointers whose storage lives in the arena. */
struct vec {
  void **items;
  size_t n, cap;
};
int vec_push(struct arena *a, struct vec *v, void *item);

#endif

/*
** jpath.h: the JSONPath dialect of the States Language, compiled once when a document
** is loaded and evaluated on every transition.
**
** Ownership: a compiled path lives in the arena it was compiled into. jpath_get() returns
** a node borrowed from the document it was given; jpath_select() returns a new array the
** caller deletes. jpath_set() and jpath_take() change the tree they are given, as stated.
*/
#ifndef SFL_RUN_JPATH_H
#define SFL_RUN_JPATH_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct arena;
struct jpath;

#define JPATH_REFERENCE 1   /* only a Reference Path: names and indexes, one node */

/* NULL when `text` is not a path (err says why, in a sentence fragment) or memory ran out
   (err is "out of memory"). */
struct jpath *jpath_compile(struct arena *a, const char *text, int flags,
                            char *err, size_t errsize);

const char *jpath_text(const struct jpath *p);
int jpath_is_context(const struct jpath *p);   /* starts with $$ */
int jpath_is_definite(const struct jpath *p);  /* names at most one node */
int jpath_is_root(const struct jpath *p);      /* "$" or "$$" alone */

/* A definite path's node in `doc`, or NULL when it names nothing. */
const cJSON *jpath_get(const struct jpath *p, const cJSON *doc);

/*
** Any path: a definite one gives its node (borrowed, *owned = NULL), an indefinite one a new
** array of copies of every match (*owned is that array, to delete). Returns 0, 1 when a
** definite path names nothing, -1 when out of memory.
*/
int jpath_select(const struct jpath *p, const cJSON *doc, const cJSON **out, cJSON **owned);

/*
** ResultPath: puts `value` where the reference path p points in *root, creating missing
** object fields. Returns 0 (value is now part of *root, which may have been replaced),
** 1 when the path cannot be applied (nothing changed, value still the caller's), -1 when
** out of memory (nothing changed).
*/
int jpath_set(const struct jpath *p, cJSON **root, cJSON *value);

/* A definite path's node detached from root (root itself for "$"), or NULL if none. */
cJSON *jpath_take(const struct jpath *p, cJSON *root);

#endif

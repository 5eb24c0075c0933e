/*
** jpath_eval.c: evaluating compiled paths. A definite path (names and indexes only) is a
** plain walk; anything else goes through a list of matching nodes, one segment at a time,
** so no evaluation recurses deeper than the document's own nesting (`..` uses an explicit
** stack). ResultPath's writes are checked before anything changes, so a path that cannot
** be applied leaves the tree as it was.
*/
#include "run/jpath_impl.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

static const cJSON *index_item(const cJSON *arr, long i)
{
  if(!cJSON_IsArray(arr))
    return NULL;
  if(i < 0)
    i += cJSON_GetArraySize(arr);
  return i < 0 ? NULL : cJSON_GetArrayItem(arr, (int)i);
}

static const cJSON *walk(const struct seg *g, const cJSON *n)
{
  if(g->kind == SEG_NAME)
    return cJSON_IsObject(n) ? cJSON_GetObjectItemCaseSensitive(n, g->name) : NULL;
  return index_item(n, g->index);
}

const cJSON *jpath_get(const struct jpath *p, const cJSON *doc)
{
  const cJSON *n = doc;
  for(size_t i = 0; n && i < p->n; i++)
    n = walk(&p->segs[i], n);
  return n;
}

/* {============ evaluating indefinite paths over a list of nodes */

struct nodes {
  const cJSON **v;
  size_t n, cap;
  int failed;
};

static void push(struct nodes *l, const cJSON *j)
{
  if(!j || l->failed)
    return;
  if(l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    const cJSON **v = realloc(l->v, cap * sizeof *v);
    if(!v) {
      l->failed = 1;
      return;
    }
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = j;
}

static const cJSON *operand_value(const struct operand *o, const cJSON *node, const cJSON *root)
{
  if(o->literal)
    return o->literal;
  return jpath_is_definite(o->path) ? jpath_get(o->path, o->relative ? node : root) : NULL;
}

static int compare(const cJSON *a, const cJSON *b, enum fop op)
{
  int c;
  if(cJSON_IsNumber(a) && cJSON_IsNumber(b))
    c = a->valuedouble < b->valuedouble ? -1 : a->valuedouble > b->valuedouble;
  else if(cJSON_IsString(a) && cJSON_IsString(b))
    c = strcmp(a->valuestring, b->valuestring);
  else if(op == OP_EQ || op == OP_NE)
    c = cJSON_Compare(a, b, 1) ? 0 : 1;
  else
    return 0;
  switch(op) {
  case OP_EQ: return c == 0;
  case OP_NE: return c != 0;
  case OP_LT: return c < 0;
  case OP_LE: return c <= 0;
  case OP_GT: return c > 0;
  case OP_GE: return c >= 0;
  }
  return 0;
}

static int test(const struct fexpr *e, const cJSON *node, const cJSON *root)
{
  switch(e->kind) {
  case F_OR: return test(e->a, node, root) || test(e->b, node, root);
  case F_AND: return test(e->a, node, root) && test(e->b, node, root);
  case F_NOT: return !test(e->a, node, root);
  case F_EXISTS: return operand_value(&e->l, node, root) != NULL;
  case F_CMP: {
    const cJSON *a = operand_value(&e->l, node, root), *b = operand_value(&e->r, node, root);
    return a && b && compare(a, b, e->op);
  }
  }
  return 0;
}

static void apply(const struct seg *g, const cJSON *n, const cJSON *root, struct nodes *out)
{
  const cJSON *c;
  long size = cJSON_IsArray(n) ? cJSON_GetArraySize(n) : 0;
  switch(g->kind) {
  case SEG_NAME:
  case SEG_INDEX:
    push(out, walk(g, n));
    break;
  case SEG_WILD:
    if(cJSON_IsArray(n) || cJSON_IsObject(n))
      for(c = n->child; c; c = c->next)
        push(out, c);
    break;
  case SEG_NAMES:
    for(size_t i = 0; cJSON_IsObject(n) && i < g->n; i++)
      push(out, cJSON_GetObjectItemCaseSensitive(n, g->names[i]));
    break;
  case SEG_INDEXES:
    for(size_t i = 0; i < g->n; i++)
      push(out, index_item(n, g->indexes[i]));
    break;
  case SEG_SLICE: {
    if(!cJSON_IsArray(n))
      break;
    long lo = g->has_lo ? g->lo : (g->step > 0 ? 0 : size - 1);
    long hi = g->has_hi ? g->hi : (g->step > 0 ? size : -size - 1);
    if(lo < 0)
      lo += size;
    if(hi < 0)
      hi += size;
    /* only indexes inside the array can match: clamp, so [0:2000000000] is not a long loop */
    long first = g->step > 0 ? 0 : -1, last = g->step > 0 ? size : size - 1;
    lo = lo < first ? first : lo > last ? last : lo;
    hi = hi < first ? first : hi > last ? last : hi;
    for(long i = lo; g->step > 0 ? i < hi : i > hi; i += g->step)
      if(i >= 0 && i < size)
        push(out, cJSON_GetArrayItem(n, (int)i));
    break;
  }
  case SEG_FILTER:
    if(cJSON_IsArray(n)) {
      for(c = n->child; c; c = c->next)
        if(test(g->filter, c, root))
          push(out, c);
    }
    else if(cJSON_IsObject(n) && test(g->filter, n, root))
      push(out, n);
    break;
  case SEG_LENGTH:
    break;
  }
}

/* `..`: the segment applies to n and to every node below it, in document order. */
static void apply_descend(const struct seg *g, const cJSON *n, const cJSON *root,
                          struct nodes *out)
{
  struct nodes stack = {0};
  push(&stack, n);
  while(stack.n && !stack.failed) {
    const cJSON *top = stack.v[--stack.n];
    apply(g, top, root, out);
    size_t first = stack.n;
    if(cJSON_IsArray(top) || cJSON_IsObject(top))
      for(const cJSON *c = top->child; c; c = c->next)
        push(&stack, c);
    /* children were pushed in order; reverse them so the first is visited first */
    for(size_t i = first, j = stack.n; !stack.failed && i + 1 < j; i++, j--) {
      const cJSON *t = stack.v[i];
      stack.v[i] = stack.v[j - 1];
      stack.v[j - 1] = t;
    }
  }
  if(stack.failed)
    out->failed = 1;
  free(stack.v);
}

static cJSON *length_of(const cJSON *n)
{
  if(cJSON_IsArray(n) || cJSON_IsObject(n))
    return cJSON_CreateNumber(cJSON_GetArraySize(n));
  if(cJSON_IsString(n))
    return cJSON_CreateNumber((double)strlen(n->valuestring));
  return NULL;
}

int jpath_select(const struct jpath *p, const cJSON *doc, const cJSON **out, cJSON **owned)
{
  *owned = NULL;
  *out = NULL;
  if(p->definite) {
    *out = jpath_get(p, doc);
    return *out ? 0 : 1;
  }
  int length = p->n && p->segs[p->n - 1].kind == SEG_LENGTH;
  size_t nsegs = p->n - (length ? 1 : 0);
  struct nodes cur = {0};
  push(&cur, doc);
  int single = 1;
  for(size_t i = 0; i < nsegs && !cur.failed; i++) {
    const struct seg *g = &p->segs[i];
    struct nodes next = {0};
    single = single && !g->descend && (g->kind == SEG_NAME || g->kind == SEG_INDEX);
    for(size_t k = 0; k < cur.n; k++) {
      if(g->descend)
        apply_descend(g, cur.v[k], doc, &next);
      else
        apply(g, cur.v[k], doc, &next);
    }
    free(cur.v);
    if(cur.failed)
      next.failed = 1;
    cur = next;
  }
  cJSON *result = NULL;
  if(!cur.failed && length && single) {
    /* "$.a.length()": one number, or nothing when $.a is absent or has no length */
    result = cur.n ? length_of(cur.v[0]) : NULL;
    free(cur.v);
    if(!result)
      return cur.n ? -1 : 1;
    *out = *owned = result;
    return 0;
  }
  result = cur.failed ? NULL : cJSON_CreateArray();
  for(size_t k = 0; result && k < cur.n; k++)
    if(!json_push(result, length ? length_of(cur.v[k]) : cJSON_Duplicate(cur.v[k], 1))
       && !length) {
      cJSON_Delete(result);
      result = NULL;
    }
  free(cur.v);
  if(!result)
    return -1;
  *out = *owned = result;
  return 0;
}

/* }============ */

/* {============ changing a tree along a reference path */

/* Can `p` be applied to root? (Fields that are missing are created; nothing else is.) */
static int settable(const struct jpath *p, const cJSON *root)
{
  const cJSON *n = root;
  for(size_t i = 0; i < p->n; i++) {
    const struct seg *g = &p->segs[i];
    if(!n)   /* created from here on: only names can follow */
      return g->kind == SEG_NAME;
    if(g->kind == SEG_NAME ? !cJSON_IsObject(n) : !index_item(n, g->index))
      return 0;
    n = walk(g, n);
  }
  return 1;
}

int jpath_set(const struct jpath *p, cJSON **root, cJSON *value)
{
  if(!p->n) {
    cJSON_Delete(*root);
    *root = value;
    return 0;
  }
  for(size_t i = 0; i < p->n; i++)
    if(p->segs[i].kind != SEG_NAME && p->segs[i].kind != SEG_INDEX)
      return 1;
  if(!settable(p, *root))
    return 1;
  cJSON *n = *root;
  for(size_t i = 0; i < p->n; i++) {
    const struct seg *g = &p->segs[i];
    int last = i + 1 == p->n;
    cJSON *child = (cJSON *)walk(g, n);
    if(last) {
      /* replacing keeps the field's name (ReplaceItemViaPointer would not set it) */
      if(child && g->kind == SEG_NAME)
        return cJSON_ReplaceItemInObjectCaseSensitive(n, g->name, value) ? 0 : -1;
      if(child)
        return cJSON_ReplaceItemViaPointer(n, child, value) ? 0 : -1;
      return cJSON_AddItemToObject(n, g->name, value) ? 0 : -1;
    }
    if(!child) {
      child = cJSON_CreateObject();
      if(!child || !cJSON_AddItemToObject(n, g->name, child)) {
        cJSON_Delete(child);
        return -1;
      }
    }
    n = child;
  }
  return 0;
}

cJSON *jpath_take(const struct jpath *p, cJSON *root)
{
  cJSON *parent = NULL, *n = root;
  for(size_t i = 0; n && i < p->n; i++) {
    parent = n;
    n = (cJSON *)walk(&p->segs[i], n);
  }
  if(n && parent)
    cJSON_DetachItemViaPointer(parent, n);
  return n;
}

/* }============ */

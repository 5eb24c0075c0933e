/*
** model.c: from an ASL document to the drawing model of model.h. Two passes: the first
** walks the states in document order with an explicit stack (Parallel and Map states can
** nest as deep as the document does), making one node per state and one scope per
** branch; the second, once every name is known, resolves Next, Choice, Catch and StartAt
** into edges, and sends the last states of a branch to wherever its Parallel or Map goes
** on, as the Step Functions console draws them.
*/
#include "graph/model.h"
#include "core/json.h"
#include "core/strmap.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLUSTER_PENDING (-2)   /* a branch whose first state has not been reached yet */

/* One States object: the machine's own, or one branch's. */
struct scope {
  const cJSON *start_at;   /* its StartAt (may be missing: an error in pass 2) */
  struct strmap names;     /* state name -> node index + 1 */
  int owner;               /* the Parallel or Map node; -1 for the machine */
  int cluster;             /* -1 for the machine, CLUSTER_PENDING until made */
  int exit;                /* where its last states go: a node, or -1 */
  const char *part;        /* "Branch 2", "Item processor" */
};

struct frame {
  const cJSON *cursor;     /* the next state of this scope to visit */
  int scope;
};

/* What pass 2 needs to know about each node. */
struct node_info {
  const cJSON *state;      /* NULL for Start and End */
  int scope;
};

struct build {
  struct graph_model *m;
  struct diag *d;
  struct scope *scopes;
  struct frame *stack;
  struct node_info *info;
  size_t nscopes, cap_scopes, nstack, cap_stack, cap_info;
  struct strmap ids;       /* node ids taken */
};

static const struct kind_info {
  const char *type;
  enum graph_kind kind;
  const char *(*detail)(struct arena *a, const cJSON *state);
} kinds[] = {
  {"Task", GK_TASK, graph_task_detail},
  {"Pass", GK_PASS, NULL},
  {"Wait", GK_WAIT, graph_wait_detail},
  {"Choice", GK_CHOICE, NULL},
  {"Parallel", GK_PARALLEL, NULL},
  {"Map", GK_MAP, NULL},
  {"Succeed", GK_SUCCEED, NULL},
  {"Fail", GK_FAIL, graph_fail_detail},
  {NULL, GK_OTHER, NULL}
};

/*
** Makes room for element n of the malloc'd array whose pointer is at `where` (any object
** pointer type: it is read and written with memcpy, not through a void **); -1 when out
** of memory, the array left as it was.
*/
static int reserve(void *where, size_t *cap, size_t n, size_t size)
{
  if(n < *cap)
    return 0;
  void *items;
  size_t want = *cap ? *cap * 2 : 16;
  memcpy(&items, where, sizeof items);
  items = realloc(items, want * size);
  if(!items)
    return -1;
  memcpy(where, &items, sizeof items);
  *cap = want;
  return 0;
}

#define RESERVE(arr, cap, n) reserve(&(arr), &(cap), (n), sizeof *(arr))

static const char *str(const cJSON *obj, const char *key)
{
  const cJSON *j = json_get(obj, key);
  return cJSON_IsString(j) ? j->valuestring : NULL;
}

static enum sfl_status nomem(struct build *b)
{
  return diag_nomem(b->d);
}

static enum sfl_status invalid(struct build *b, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

static enum sfl_status invalid(struct build *b, const char *fmt, ...)
{
  char msg[sizeof b->d->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct sfl_loc none = {0};
  return diag_set(b->d, SFL_ERR_INVALID, none, "%s", msg);
}

/* {====== pass 1: nodes, scopes and clusters in document order */

/* The node's name if no node has it as id yet, else "name (2)", "name (3)"... */
static const char *unique_id(struct build *b, const char *name)
{
  struct arena *a = b->m->arena;
  const char *id = name;
  for(int n = 2; id && strmap_get(&b->ids, id); n++)
    id = arena_printf(a, "%s (%d)", name, n);
  if(!id || strmap_set(a, &b->ids, id, (void *)id))
    return NULL;
  return id;
}

static int add_node(struct build *b, enum graph_kind kind, const char *name,
                    const cJSON *st, int scope)
{
  struct graph_model *m = b->m;
  if(RESERVE(m->nodes, m->cap_nodes, m->nnodes) || RESERVE(b->info, b->cap_info, m->nnodes))
    return -1;
  struct graph_node *n = &m->nodes[m->nnodes];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->name = name;
  n->cluster = -1;
  n->next = -1;
  b->info[m->nnodes].state = st;
  b->info[m->nnodes].scope = scope;
  return (int)m->nnodes++;
}

static int add_scope(struct build *b, const cJSON *body, int owner, const char *part)
{
  if(RESERVE(b->scopes, b->cap_scopes, b->nscopes))
    return -1;
  struct scope *s = &b->scopes[b->nscopes];
  memset(s, 0, sizeof *s);
  s->start_at = json_get(body, "StartAt");
  s->owner = owner;
  s->cluster = owner < 0 ? -1 : CLUSTER_PENDING;
  s->exit = -1;
  s->part = part;
  return (int)b->nscopes++;
}

static int push(struct build *b, const cJSON *states, int scope)
{
  if(RESERVE(b->stack, b->cap_stack, b->nstack))
    return -1;
  b->stack[b->nstack].cursor = states ? states->child : NULL;
  b->stack[b->nstack++].scope = scope;
  return 0;
}

/* A branch's cluster is made when its first state is reached, so clusters are numbered
   in the order they are drawn. */
static enum sfl_status open_cluster(struct build *b, int scope)
{
  struct graph_model *m = b->m;
  struct scope *s = &b->scopes[scope];
  if(RESERVE(m->clusters, m->cap_clusters, m->nclusters))
    return nomem(b);
  struct graph_cluster *c = &m->clusters[m->nclusters];
  c->owner = s->owner;
  c->parent = m->nodes[s->owner].cluster;
  c->depth = c->parent < 0 ? 1 : m->clusters[c->parent].depth + 1;
  c->part = s->part;
  c->title = arena_printf(m->arena, "%s: %s", m->nodes[s->owner].name, s->part);
  if(!c->title)
    return nomem(b);
  s->cluster = (int)m->nclusters++;
  return SFL_OK;
}

/* The body of branch i: a Parallel's Branches[i], or a Map's single item processor. */
static const cJSON *branch_body(const cJSON *st, int is_map, size_t i, const char **part)
{
  const cJSON *body = json_get(st, "ItemProcessor");
  if(!is_map)
    return cJSON_GetArrayItem(json_get(st, "Branches"), (int)i);
  *part = body ? "Item processor" : "Iterator";
  return body ? body : json_get(st, "Iterator");
}

/* One scope per branch of a Parallel, or for a Map's item processor, walked next. */
static enum sfl_status add_branches(struct build *b, const cJSON *st, int node)
{
  int is_map = b->m->nodes[node].kind == GK_MAP;
  const char *part = NULL;
  size_t n = is_map ? (branch_body(st, 1, 0, &part) != NULL)
                    : (size_t)cJSON_GetArraySize(json_get(st, "Branches"));
  size_t first = b->nscopes;
  for(size_t i = 0; i < n; i++) {
    const cJSON *body = branch_body(st, is_map, i, &part);
    const char *name = is_map ? part : arena_printf(b->m->arena, "Branch %zu", i + 1);
    if(!name || add_scope(b, body, node, name) < 0)
      return nomem(b);
    if(!cJSON_IsObject(json_get(body, "States")))
      return invalid(b, "state '%s': %s has no States object", b->m->nodes[node].name, name);
  }
  /* Pushed last first, so the first branch is walked first. */
  for(size_t i = n; i-- > 0;) {
    const cJSON *body = branch_body(st, is_map, i, &part);
    if(push(b, json_get(body, "States"), (int)(first + i)))
      return nomem(b);
  }
  return SFL_OK;
}

static enum sfl_status add_retries(struct build *b, struct graph_node *n, const cJSON *st)
{
  const cJSON *retry = json_get(st, "Retry");
  size_t count = (size_t)cJSON_GetArraySize(retry);
  if(!count)
    return SFL_OK;
  n->retry = arena_alloc(b->m->arena, count * sizeof *n->retry);
  if(!n->retry)
    return nomem(b);
  const cJSON *r;
  cJSON_ArrayForEach(r, retry) {
    const char *text = graph_retry_text(b->m->arena, r);
    if(!text)
      return nomem(b);
    n->retry[n->nretry++] = text;
  }
  return SFL_OK;
}

static enum sfl_status add_state(struct build *b, const cJSON *st, int scope)
{
  struct scope *s = &b->scopes[scope];
  const char *name = st->string;
  const char *type = str(st, "Type");
  if(!cJSON_IsObject(st) || !type)
    return invalid(b, "state '%s' has no Type", name);
  if(strmap_get(&s->names, name))
    return invalid(b, "state name '%s' appears twice", name);
  const struct kind_info *k = kinds;
  while(k->type && strcmp(k->type, type))
    k++;
  int i = add_node(b, k->kind, name, st, scope);
  struct graph_model *m = b->m;
  if(i < 0 || strmap_set(m->arena, &s->names, name, (void *)(uintptr_t)(i + 1)))
    return nomem(b);
  struct graph_node *n = &m->nodes[i];
  n->type = type;
  n->cluster = s->cluster;
  n->ends = cJSON_IsTrue(json_get(st, "End")) || k->kind == GK_SUCCEED;
  n->id = unique_id(b, name);
  n->detail = k->detail ? k->detail(m->arena, st) : NULL;
  if(!n->id || add_retries(b, n, st))
    return nomem(b);
  if(k->kind == GK_PARALLEL || k->kind == GK_MAP)
    return add_branches(b, st, i);
  return SFL_OK;
}

static enum sfl_status walk(struct build *b, const cJSON *asl)
{
  const cJSON *states = json_get(asl, "States");
  if(!cJSON_IsObject(states))
    return invalid(b, "the state machine has no States object");
  if(add_scope(b, asl, -1, NULL) < 0 || push(b, states, 0))
    return nomem(b);
  while(b->nstack) {
    struct frame *f = &b->stack[b->nstack - 1];
    if(!f->cursor) {
      b->nstack--;
      continue;
    }
    const cJSON *st = f->cursor;
    int scope = f->scope;
    f->cursor = st->next;   /* before add_state, which may move the stack */
    enum sfl_status result = SFL_OK;
    if(b->scopes[scope].cluster == CLUSTER_PENDING)
      result = open_cluster(b, scope);
    if(!result)
      result = add_state(b, st, scope);
    if(result)
      return result;
  }
  return SFL_OK;
}

/* }====== */

/* {====== pass 2: edges */

static enum sfl_status add_edge(struct build *b, int from, int to, enum graph_edge_kind kind,
                                const char *label)
{
  struct graph_model *m = b->m;
  if(RESERVE(m->edges, m->cap_edges, m->nedges))
    return nomem(b);
  struct graph_edge *e = &m->edges[m->nedges++];
  e->from = from;
  e->to = to;
  e->kind = kind;
  e->label = label;
  return SFL_OK;
}

/*
** The node called `target` in `scope`, for the `what` field of node `from` (-1: the
** machine); -1 with `d` filled when there is none.
*/
static int lookup(struct build *b, int scope, const cJSON *target, int from, const char *what)
{
  const char *name = cJSON_IsString(target) ? target->valuestring : NULL;
  void *v = name ? strmap_get(&b->scopes[scope].names, name) : NULL;
  if(v)
    return (int)(uintptr_t)v - 1;
  const char *who = from < 0 ? "the state machine" : "state '";
  const char *state = from < 0 ? "" : b->m->nodes[from].name;
  const char *quote = from < 0 ? "" : "'";
  if(!name)
    invalid(b, "%s%s%s: %s is missing", who, state, quote, what);
  else
    invalid(b, "%s%s%s: %s '%s' is not a state%s", who, state, quote, what, name,
            scope ? " of its branch" : "");
  return -1;
}

/* Next, and where the last states of each branch go on to. */
static enum sfl_status resolve_next(struct build *b)
{
  struct graph_model *m = b->m;
  for(size_t i = GRAPH_FIRST_STATE; i < m->nnodes; i++) {
    const cJSON *next = json_get(b->info[i].state, "Next");
    if(!next)
      continue;
    m->nodes[i].next = lookup(b, b->info[i].scope, next, (int)i, "Next");
    if(m->nodes[i].next < 0)
      return SFL_ERR_INVALID;
  }
  b->scopes[0].exit = 1;
  /* A scope comes after its owner's scope, so that one's exit is known already. */
  for(size_t s = 1; s < b->nscopes; s++) {
    const struct graph_node *owner = &m->nodes[b->scopes[s].owner];
    int outer = b->info[b->scopes[s].owner].scope;
    b->scopes[s].exit = owner->next >= 0 ? owner->next
                      : owner->ends ? b->scopes[outer].exit : -1;
  }
  return SFL_OK;
}

static enum sfl_status choice_edges(struct build *b, int i)
{
  const cJSON *st = b->info[i].state, *rule;
  int scope = b->info[i].scope;
  cJSON_ArrayForEach(rule, json_get(st, "Choices")) {
    int to = lookup(b, scope, json_get(rule, "Next"), i, "a Choice rule's Next");
    if(to < 0)
      return SFL_ERR_INVALID;
    const char *label = graph_rule_text(b->m->arena, rule);
    if(!label || add_edge(b, i, to, GE_RULE, label))
      return nomem(b);
  }
  const cJSON *def = json_get(st, "Default");
  if(!def)
    return SFL_OK;
  int to = lookup(b, scope, def, i, "Default");
  return to < 0 ? SFL_ERR_INVALID : add_edge(b, i, to, GE_DEFAULT, "Default");
}

/* Into each branch of a Parallel or Map (scopes from *s on, in order of their owners). */
static enum sfl_status branch_edges(struct build *b, int i, size_t *s, int *count)
{
  for(; *s < b->nscopes && b->scopes[*s].owner == i; (*s)++, (*count)++) {
    const char *what = arena_printf(b->m->arena, "%s's StartAt", b->scopes[*s].part);
    if(!what)
      return nomem(b);
    int to = lookup(b, (int)*s, b->scopes[*s].start_at, i, what);
    if(to < 0)
      return SFL_ERR_INVALID;
    if(add_edge(b, i, to, GE_BRANCH, NULL))
      return SFL_ERR_NOMEM;
  }
  return SFL_OK;
}

static enum sfl_status state_edges(struct build *b, int i, size_t *s)
{
  const struct graph_node *n = &b->m->nodes[i];
  int scope = b->info[i].scope, branches = 0;
  enum sfl_status result = SFL_OK;
  if(n->kind == GK_CHOICE)
    result = choice_edges(b, i);
  if(!result)
    result = branch_edges(b, i, s, &branches);
  if(result)
    return result;
  /* A Parallel or Map goes on from the ends of its branches, not from its own box. */
  if(!branches) {
    int exit = b->scopes[scope].exit;
    if(n->next >= 0)
      result = add_edge(b, i, n->next, GE_NEXT, NULL);
    else if(n->ends && exit >= 0)
      result = add_edge(b, i, exit, GE_EXIT, NULL);
    else if(n->kind == GK_FAIL && scope == 0)
      result = add_edge(b, i, 1, GE_EXIT, NULL);
  }
  const cJSON *c;
  cJSON_ArrayForEach(c, json_get(b->info[i].state, "Catch")) {
    if(result)
      return result;
    int to = lookup(b, scope, json_get(c, "Next"), i, "a Catch's Next");
    if(to < 0)
      return SFL_ERR_INVALID;
    const char *label = graph_errors_text(b->m->arena, c);
    result = label ? add_edge(b, i, to, GE_CATCH, label) : nomem(b);
  }
  return result;
}

static enum sfl_status add_edges(struct build *b, const cJSON *asl)
{
  int first = lookup(b, 0, json_get(asl, "StartAt"), -1, "StartAt");
  if(first < 0)
    return SFL_ERR_INVALID;
  enum sfl_status result = add_edge(b, 0, first, GE_NEXT, NULL);
  size_t s = 1;
  for(size_t i = GRAPH_FIRST_STATE; !result && i < b->m->nnodes; i++)
    result = state_edges(b, (int)i, &s);
  return result;
}

/* }====== */

static enum sfl_status start_end(struct build *b)
{
  static const char *const names[] = {"Start", "End"};
  static const char *const ids[] = {"__start__", "__end__"};
  static const enum graph_kind k[] = {GK_START, GK_END};
  for(int i = 0; i < 2; i++) {
    int n = add_node(b, k[i], names[i], NULL, 0);
    if(n < 0 || strmap_set(b->m->arena, &b->ids, ids[i], (void *)ids[i]))
      return nomem(b);
    b->m->nodes[n].id = ids[i];
  }
  return SFL_OK;
}

enum sfl_status graph_model_build(const cJSON *asl, struct graph_model **out, struct diag *d)
{
  struct graph_model *m = calloc(1, sizeof *m);
  *out = NULL;
  if(m)
    m->arena = arena_new();
  if(!m || !m->arena) {
    free(m);
    return diag_nomem(d);
  }
  struct build b = {.m = m, .d = d};
  enum sfl_status result = start_end(&b);
  if(!result)
    result = walk(&b, asl);
  if(!result)
    result = resolve_next(&b);
  if(!result)
    result = add_edges(&b, asl);
  free(b.scopes);
  free(b.stack);
  free(b.info);
  if(result)
    graph_model_free(m);
  else
    *out = m;
  return result;
}

void graph_model_free(struct graph_model *m)
{
  if(!m)
    return;
  arena_free(m->arena);
  free(m->nodes);
  free(m->edges);
  free(m->clusters);
  free(m);
}

/* Whether cluster c is `outer` or inside it (every cluster is inside -1, the top). */
static int within(const struct graph_model *m, int c, int outer)
{
  if(outer < 0)
    return 1;
  while(c >= 0 && m->clusters[c].depth > m->clusters[outer].depth)
    c = m->clusters[c].parent;
  return c == outer;
}

void graph_model_enter(const struct graph_model *m, int *cur, int to,
                       void (*fn)(void *ctx, int cluster, int entering), void *ctx)
{
  while(!within(m, to, *cur)) {
    fn(ctx, *cur, 0);
    *cur = m->clusters[*cur].parent;
  }
  /* Nodes come in pre-order, so this enters one cluster at a time in practice. */
  while(*cur != to) {
    int c = to;
    while(m->clusters[c].parent != *cur)
      c = m->clusters[c].parent;
    fn(ctx, c, 1);
    *cur = c;
  }
}

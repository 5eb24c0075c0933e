/*
** state.c: building states, chaining them, and binding them into graphs in the
** order aws-stepfunctions' State.bindToGraph visits them (without its recursion, so
** a chain of 100,000 states binds as easily as one of ten).
*/
#include "asl/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct asl_type_info asl_types[ASL_TYPE_COUNT] = {
#define STATE(e, type, cls, flags) {type, cls, flags},
#include "asl/states.def"
#undef STATE
};

struct asl_state *asl_state_new(struct arena *a, enum asl_type type, const char *id,
                                struct sfl_loc loc)
{
  struct asl_state *s = arena_alloc(a, sizeof *s);
  if(!s)
    return NULL;
  s->type = type;
  s->arena = a;
  s->id = arena_strdup(a, id);
  s->loc = loc;
  return s->id ? s : NULL;
}

const char *asl_state_name(const struct asl_state *s)
{
  return s->prefixed ? s->prefixed : s->state_name ? s->state_name : s->id;
}

int asl_state_add_prefix(struct asl_state *s, const char *prefix)
{
  const char *name = arena_printf(s->arena, "%s%s", prefix, asl_state_name(s));
  if(!name)
    return -1;
  s->prefixed = name;
  return 0;
}

struct asl_chain *asl_chain_make(struct arena *a, struct asl_state *start,
                                 struct asl_state **ends, size_t nends, const char *last_id)
{
  struct asl_chain *c = arena_alloc(a, sizeof *c);
  if(!c)
    return NULL;
  c->start = start;
  c->last_id = last_id;
  c->nends = nends;
  if(nends) {
    c->ends = arena_alloc(a, nends * sizeof *c->ends);
    if(!c->ends)
      return NULL;
    memcpy(c->ends, ends, nends * sizeof *ends);
  }
  return c;
}

struct asl_chain *asl_chain_of_state(struct arena *a, struct asl_state *s)
{
  int nextable = asl_types[s->type].flags & ASL_NEXTABLE;
  struct asl_chain *c = asl_chain_make(a, s, &s, nextable ? 1 : 0, s->id);
  /* A chain that ends in a Choice continues through its default (see asl_chain_next). */
  if(c && s->type == ASL_CHOICE)
    c->otherwise_of = s;
  return c;
}

/* {============ binding into graphs */

static enum sfl_status bind(struct asl_state *root, struct asl_graph *g, struct sfl_loc loc,
                            struct diag *d);

static struct asl_graph *top_graph(struct asl_graph *g)
{
  while(g->super)
    g = g->super;
  return g;
}

static enum sfl_status register_name(struct asl_graph *g, const char *name,
                                     struct asl_state *s, struct sfl_loc loc, struct diag *d)
{
  g = top_graph(g);
  struct asl_state *other = strmap_get(&g->names, name);
  if(other && other != s)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "State with name '%s' occurs twice in %s (states made at %s:%d and %s:%d); "
                    "all states must have unique names: change one id or give it a state_name",
                    name, g->description, other->loc.file ? other->loc.file : "?",
                    other->loc.line, s->loc.file ? s->loc.file : "?", s->loc.line);
  if(!other && (strmap_set(g->arena, &g->names, name, s) || vec_push(g->arena, &g->named, s)))
    return diag_nomem(d);
  return SFL_OK;
}

static enum sfl_status add_policy(struct asl_graph *g, cJSON *statement, struct diag *d)
{
  g = top_graph(g);
  return vec_push(g->arena, &g->policies, statement) ? diag_nomem(d) : SFL_OK;
}

/* CDK's registerSuperGraph: the branch's names and statements move up. */
static enum sfl_status register_super(struct asl_graph *sub, struct asl_graph *super,
                                      struct sfl_loc loc, struct diag *d)
{
  if(sub->super == super)
    return SFL_OK;
  if(sub->super)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s is already part of %s",
                    sub->description, top_graph(sub)->description);
  sub->super = super;
  /* Names in registration order, so the first clash reported is the first made. */
  for(size_t i = 0; i < sub->named.n; i++) {
    struct asl_state *s = sub->named.items[i];
    enum sfl_status st = register_name(super, asl_state_name(s), s, loc, d);
    if(st)
      return st;
  }
  for(size_t i = 0; i < sub->policies.n; i++)
    if(add_policy(super, sub->policies.items[i], d))
      return SFL_ERR_NOMEM;
  return SFL_OK;
}

/* The i-th outgoing transition: Next, the Choice default, each when, each Catch. */
struct asl_state *asl_state_outgoing(const struct asl_state *s, size_t i)
{
  if(s->next && i-- == 0)
    return s->next;
  if(s->default_next && i-- == 0)
    return s->default_next;
  if(i < s->choices.n)
    return ((struct asl_choice *)s->choices.items[i])->next;
  i -= s->choices.n;
  if(i < s->catches.n)
    return ((struct asl_catch *)s->catches.items[i])->next;
  return NULL;
}

enum sfl_status asl_parallel_bind_branches(struct asl_state *s, struct sfl_loc loc,
                                           struct diag *d)
{
  for(size_t i = 0; i < s->pending_branches.n; i++) {
    struct asl_chain *c = s->pending_branches.items[i];
    const char *desc = arena_printf(s->arena, "Parallel '%s' branch %zu",
                                    asl_state_name(s), s->branches.n + 1);
    if(!desc)
      return diag_nomem(d);
    struct asl_graph *bg = asl_graph_new(s->arena, c->start, desc, loc, d);
    if(!bg)
      return d->status;
    if(vec_push(s->arena, &s->branches, bg))
      return diag_nomem(d);
  }
  s->pending_branches.n = 0;
  return SFL_OK;
}

/* First visit of a state: (branch graphs made), registered, its IAM statements added. */
static enum sfl_status enter(struct asl_state *s, struct asl_graph *g, struct sfl_loc loc,
                             struct diag *d)
{
  enum sfl_status st = asl_parallel_bind_branches(s, loc, d);
  if(st)
    return st;
  s->graph = g;
  if(vec_push(g->arena, &g->states, s))
    return diag_nomem(d);
  st = register_name(g, asl_state_name(s), s, loc, d);
  for(cJSON *p = s->policies ? s->policies->child : NULL; p && !st; p = p->next)
    st = add_policy(g, p, d);
  return st;
}

int asl_each_subgraph(const struct asl_state *s, int (*fn)(struct asl_graph *g, void *ctx),
                      void *ctx)
{
  for(size_t i = 0; i < s->branches.n; i++) {
    int rc = fn(s->branches.items[i], ctx);
    if(rc)
      return rc;
  }
  if(s->iterator) {
    int rc = fn(s->iterator, ctx);
    if(rc)
      return rc;
  }
  return s->processor ? fn(s->processor, ctx) : 0;
}

struct super_ctx {
  struct asl_graph *super;
  struct sfl_loc loc;
  struct diag *d;
  enum sfl_status status;
};

static int register_sub(struct asl_graph *sub, void *ctx)
{
  struct super_ctx *sc = ctx;
  sc->status = register_super(sub, sc->super, sc->loc, sc->d);
  return sc->status != SFL_OK;
}

struct frame {
  struct asl_state *s;
  int phase;   /* 0 enter, 1 incoming, 2 outgoing, 3 branches */
  size_t i;
};

static enum sfl_status bind(struct asl_state *root, struct asl_graph *g, struct sfl_loc loc,
                            struct diag *d)
{
  size_t n = 0, cap = 64;
  struct frame *stack = malloc(cap * sizeof *stack);
  enum sfl_status st = SFL_OK;
  if(!stack)
    return diag_nomem(d);
  stack[n++] = (struct frame){root, 0, 0};
  while(n && !st) {
    struct frame *f = &stack[n - 1];
    struct asl_state *s = f->s, *push = NULL;
    if(f->phase == 0) {
      if(s->graph == g) {
        n--;
        continue;
      }
      if(s->graph) {
        st = diag_set(d, SFL_ERR_INVALID, loc,
                      "Trying to use state '%s' in %s, but is already in %s. Every state can "
                      "only be used in one graph.", asl_state_name(s), g->description,
                      top_graph(s->graph)->description);
        break;
      }
      st = enter(s, g, loc, d);
      f->phase = 1;
      f->i = 0;
    }
    else if(f->phase == 1) {
      if(f->i < s->incoming.n)
        push = s->incoming.items[f->i++];
      else {
        f->phase = 2;
        f->i = 0;
      }
    }
    else if(f->phase == 2) {
      push = asl_state_outgoing(s, f->i++);
      if(!push)
        f->phase = 3;
    }
    else {
      struct super_ctx sc = {g, loc, d, SFL_OK};
      asl_each_subgraph(s, register_sub, &sc);
      st = sc.status;
      n--;
    }
    if(push) {
      if(n == cap) {
        struct frame *bigger = realloc(stack, cap * 2 * sizeof *stack);
        if(!bigger) {
          st = diag_nomem(d);
          break;
        }
        stack = bigger;
        cap *= 2;
      }
      stack[n++] = (struct frame){push, 0, 0};
    }
  }
  free(stack);
  return st;
}

struct asl_graph *asl_graph_new(struct arena *a, struct asl_state *start,
                                const char *description, struct sfl_loc loc, struct diag *d)
{
  struct asl_graph *g = arena_alloc(a, sizeof *g);
  if(!g)
    return diag_nomem(d), NULL;
  g->arena = a;
  g->start = start;
  g->description = description;
  if(bind(start, g, loc, d))
    return NULL;
  return g;
}

/* }============ */

/* {============ wiring */

static enum sfl_status link(struct asl_state *from, struct asl_state *to, struct sfl_loc loc,
                            struct diag *d)
{
  if(vec_push(from->arena, &to->incoming, from))
    return diag_nomem(d);
  return from->graph ? bind(to, from->graph, loc, d) : SFL_OK;
}

enum sfl_status asl_state_next(struct asl_state *s, struct asl_state *next,
                               struct sfl_loc loc, struct diag *d)
{
  if(!(asl_types[s->type].flags & ASL_NEXTABLE))
    return diag_set(d, SFL_ERR_INVALID, loc, "%s state '%s' cannot have a next state",
                    asl_types[s->type].cls, s->id);
  if(s->next)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "State '%s' already has a next state (set at %s:%d); build that part of "
                    "the chain once, keep it in a variable and reuse it", s->id,
                    s->next_loc.file ? s->next_loc.file : "?", s->next_loc.line);
  s->next = next;
  s->next_loc = loc;
  return link(s, next, loc, d);
}

/*
** Two things CDK refuses that the ASL allows (aws-cdk issues 7920, 9843, 8680, 11159):
** a chain ending in a Choice without a default goes on through the default, and a
** branch that already arrives at the state being joined is left as it is rather than
** pointed at itself.
*/
struct asl_chain *asl_chain_next(struct asl_chain *chain, struct asl_chain *next,
                                 struct sfl_loc loc, struct diag *d)
{
  struct arena *a = chain->start->arena;
  struct asl_state *choice = chain->otherwise_of && !chain->otherwise_of->default_next
                             ? chain->otherwise_of : NULL;
  if(!chain->nends && !choice)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Cannot add to chain: last state in chain (%s) does not allow it",
                    chain->last_id), NULL;
  for(size_t i = 0; i < chain->nends; i++)
    if(chain->ends[i] != next->start && asl_state_next(chain->ends[i], next->start, loc, d))
      return NULL;
  if(choice && asl_choice_otherwise(choice, next->start, loc, d))
    return NULL;
  struct asl_chain *c = asl_chain_make(a, chain->start, next->ends, next->nends, next->last_id);
  if(!c)
    return diag_nomem(d), NULL;
  c->otherwise_of = next->otherwise_of;
  return c;
}

enum sfl_status asl_choice_when(struct asl_state *choice, cJSON *condition,
                                struct asl_state *next, const char *comment, cJSON *assign,
                                struct sfl_loc loc, struct diag *d)
{
  struct asl_choice *c = arena_alloc(choice->arena, sizeof *c);
  if(!c || vec_push(choice->arena, &choice->choices, c))
    return diag_nomem(d);
  c->condition = condition;
  c->next = next;
  c->comment = comment;
  c->assign = assign;
  return link(choice, next, loc, d);
}

enum sfl_status asl_choice_otherwise(struct asl_state *choice, struct asl_state *next,
                                     struct sfl_loc loc, struct diag *d)
{
  if(choice->default_next)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Choice '%s' already has a default next state (set at %s:%d)", choice->id,
                    choice->default_loc.file ? choice->default_loc.file : "?",
                    choice->default_loc.line);
  choice->default_next = next;
  choice->default_loc = loc;
  /* CDK's makeDefault records no incoming edge: the default is reached as an outgoing one. */
  return choice->graph ? bind(next, choice->graph, loc, d) : SFL_OK;
}

/* The first transitions of s that are not Catch handlers: Next, Default, the Choices. */
static size_t plain_transitions(const struct asl_state *s)
{
  return (s->next ? 1u : 0u) + (s->default_next ? 1u : 0u) + s->choices.n;
}

enum sfl_status asl_reachable(struct asl_state *start, int include_error_handlers,
                              struct vec *out, struct diag *d)
{
  struct arena *a = start->arena;
  struct vec queue = {0};
  struct strmap seen = {0};   /* keyed by the state's address */
  if(vec_push(a, &queue, start))
    return diag_nomem(d);
  for(size_t q = 0; q < queue.n; q++) {
    struct asl_state *s = queue.items[q];
    char key[32];
    snprintf(key, sizeof key, "%p", (void *)s);
    if(strmap_get(&seen, key))
      continue;
    const char *k = arena_strdup(a, key);
    if(!k || strmap_set(a, &seen, k, s) || vec_push(a, out, s))
      return diag_nomem(d);
    size_t limit = include_error_handlers ? (size_t)-1 : plain_transitions(s);
    struct asl_state *t;
    for(size_t i = 0; i < limit && (t = asl_state_outgoing(s, i)); i++)
      if(vec_push(a, &queue, t))
        return diag_nomem(d);
  }
  return SFL_OK;
}

/* The nextable states reachable from `from` that have no way out (findReachableEndStates). */
struct asl_chain *asl_choice_afterwards(struct asl_state *choice, int include_error_handlers,
                                        int include_otherwise, struct sfl_loc loc,
                                        struct diag *d)
{
  struct arena *a = choice->arena;
  if(include_otherwise && choice->default_next)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "'include_otherwise' set but Choice state %s already has an 'otherwise' "
                    "transition", asl_state_name(choice)), NULL;
  struct vec reached = {0}, ends = {0};
  if(asl_reachable(choice, include_error_handlers, &reached, d))
    return NULL;
  for(size_t i = 0; i < reached.n; i++) {
    struct asl_state *s = reached.items[i];
    int way_out = asl_state_outgoing(s, 0) && (include_error_handlers || plain_transitions(s));
    if(!way_out && (asl_types[s->type].flags & ASL_NEXTABLE) && vec_push(a, &ends, s))
      return diag_nomem(d), NULL;
  }
  struct asl_chain *c = asl_chain_make(a, choice, (struct asl_state **)ends.items, ends.n,
                                       choice->id);
  if(!c)
    return diag_nomem(d), NULL;
  if(include_otherwise)
    c->otherwise_of = choice;
  return c;
}

const char *asl_check_errors(const cJSON *errors)
{
  int n = cJSON_GetArraySize(errors);
  for(const cJSON *e = errors ? errors->child : NULL; e; e = e->next)
    if(cJSON_IsString(e) && !strcmp(e->valuestring, "States.ALL") && n > 1)
      return "States.ALL must appear alone in an error list";
  return NULL;
}

enum sfl_status asl_add_retry(struct asl_state *s, struct asl_retry *r, struct sfl_loc loc,
                              struct diag *d)
{
  const char *bad = asl_check_errors(r->errors);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s", bad);
  return vec_push(s->arena, &s->retries, r) ? diag_nomem(d) : SFL_OK;
}

enum sfl_status asl_add_catch(struct asl_state *s, struct asl_state *handler, cJSON *errors,
                              cJSON *result_path, cJSON *assign, struct sfl_loc loc,
                              struct diag *d)
{
  const char *bad = asl_check_errors(errors);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s", bad);
  struct asl_catch *c = arena_alloc(s->arena, sizeof *c);
  if(!c || vec_push(s->arena, &s->catches, c))
    return diag_nomem(d);
  c->errors = errors;
  c->result_path = result_path;
  c->assign = assign;
  c->next = handler;
  return link(s, handler, loc, d);
}

enum sfl_status asl_map_processor(struct asl_state *map, struct asl_chain *processor,
                                  cJSON *config, int legacy_iterator, struct sfl_loc loc,
                                  struct diag *d)
{
  const char *desc = arena_printf(map->arena, "Map %s %s", asl_state_name(map),
                                  legacy_iterator ? "Iterator" : "Item Processor");
  if(!desc)
    return diag_nomem(d);
  struct asl_graph *g = asl_graph_new(map->arena, processor->start, desc, loc, d);
  if(!g)
    return d->status;
  if(legacy_iterator)
    map->iterator = g;
  else {
    map->processor = g;
    map->processor_config = config;
  }
  return map->graph ? register_super(g, map->graph, loc, d) : SFL_OK;
}

enum sfl_status asl_parallel_branch(struct asl_state *s, struct asl_chain *branch,
                                    struct sfl_loc loc, struct diag *d)
{
  if(vec_push(s->arena, &s->pending_branches, branch))
    return diag_nomem(d);
  /* CDK drops branches added after binding; sfl binds them at once instead. */
  if(s->graph) {
    enum sfl_status st = asl_parallel_bind_branches(s, loc, d);
    if(st)
      return st;
    return register_super(s->branches.items[s->branches.n - 1], s->graph, loc, d);
  }
  return SFL_OK;
}

/* }============ */

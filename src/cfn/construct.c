/*
** construct.c: building the construct tree and allocating logical IDs the way
** aws-cdk-lib's Stack.allocateLogicalId / makeUniqueId do.
*/
#include "cfn/construct.h"
#include "core/hash.h"

#include <ctype.h>
#include <string.h>

#define MAX_HUMAN_LEN 240
#define MAX_ID_LEN 255

struct cfn_app *cfn_app_new(struct arena *a, struct sfl_loc loc)
{
  struct cfn_app *app = arena_alloc(a, sizeof *app);
  struct cfn_node *root = arena_alloc(a, sizeof *root);
  if(!app || !root)
    return NULL;
  app->arena = a;
  root->id = "App";
  root->fqn = "aws-cdk-lib.App";
  root->app = app;
  root->loc = loc;
  app->root = root;
  return app;
}

/* constructs' sanitizeId: a path separator inside an id becomes "--". */
static const char *sanitize_id(struct arena *a, const char *id)
{
  if(!strchr(id, '/'))
    return arena_strdup(a, id);
  size_t n = 0;
  for(const char *p = id; *p; p++)
    n += *p == '/' ? 2 : 1;
  char *out = arena_alloc(a, n + 1);
  if(!out)
    return NULL;
  char *o = out;
  for(const char *p = id; *p; p++) {
    if(*p == '/') {
      *o++ = '-';
      *o++ = '-';
    }
    else
      *o++ = *p;
  }
  return out;
}

struct cfn_node *cfn_node_new(struct cfn_node *parent, const char *id, const char *fqn,
                              struct sfl_loc loc, struct diag *d)
{
  struct arena *a = parent->app->arena;
  const char *clean = sanitize_id(a, id);
  if(!clean)
    return diag_nomem(d), NULL;
  struct cfn_node *dup = strmap_get(&parent->children, clean);
  if(dup) {
    const char *where = parent->stack || parent == parent->app->root
      ? cfn_node_path(a, parent) : "";
    if(dup->loc.file)
      diag_set(d, SFL_ERR_INVALID, loc,
               "There is already a Construct with name '%s' in %s [%s] (made at %s:%d); "
               "give each construct a different id", clean, cfn_node_kind(parent),
               where && *where ? where : "App", dup->loc.file, dup->loc.line);
    else
      diag_set(d, SFL_ERR_INVALID, loc,
               "There is already a Construct with name '%s' in %s [%s]; "
               "give each construct a different id", clean, cfn_node_kind(parent),
               where && *where ? where : "App");
    return NULL;
  }
  struct cfn_node *n = arena_alloc(a, sizeof *n);
  if(!n || strmap_set(a, &parent->children, clean, n))
    return diag_nomem(d), NULL;
  n->id = clean;
  n->fqn = fqn;
  n->parent = parent;
  n->app = parent->app;
  n->stack = parent->stack;
  n->loc = loc;
  if(parent->last_child)
    parent->last_child->next_sibling = n;
  else
    parent->first_child = n;
  parent->last_child = n;
  return n;
}

static int valid_stack_name(const char *s)
{
  if(!isalpha((unsigned char)s[0]) || (unsigned char)s[0] > 127)
    return 0;
  for(; *s; s++)
    if(!(isalnum((unsigned char)*s) || *s == '-') || (unsigned char)*s > 127)
      return 0;
  return 1;
}

struct cfn_stack *cfn_stack_new(struct cfn_app *app, const char *id, const char *stack_name,
                                struct sfl_loc loc, struct diag *d)
{
  const char *name = stack_name ? stack_name : id;
  if(!valid_stack_name(name)) {
    diag_set(d, SFL_ERR_INVALID, loc,
             "Stack name must match the regular expression: /^[A-Za-z][A-Za-z0-9-]*$/, "
             "got '%s'", name);
    return NULL;
  }
  for(size_t i = 0; i < app->stacks.n; i++) {
    struct cfn_stack *other = app->stacks.items[i];
    if(!strcmp(other->name, name)) {
      diag_set(d, SFL_ERR_INVALID, loc,
               "stack name '%s' is already used by the stack made at %s:%d; "
               "stack names must be unique in an app", name,
               other->node->loc.file ? other->node->loc.file : "?", other->node->loc.line);
      return NULL;
    }
  }
  struct cfn_node *n = cfn_node_new(app->root, id, "aws-cdk-lib.Stack", loc, d);
  if(!n)
    return NULL;
  struct cfn_stack *st = arena_alloc(app->arena, sizeof *st);
  if(!st || vec_push(app->arena, &app->stacks, st))
    return diag_nomem(d), NULL;
  st->node = n;
  st->name = arena_strdup(app->arena, name);
  /* Stack.artifactId: the id with characters outside [A-Za-z0-9_.-] replaced by '_'. */
  char *artifact = arena_strdup(app->arena, n->id);
  for(char *p = artifact; p && *p; p++)
    if(!isalnum((unsigned char)*p) && !strchr("_-.", *p))
      *p = '_';
  st->artifact_id = artifact;
  n->stack = st;
  n->model = st;
  return st;
}

/* Path components from just below the stack down to n. */
static size_t components_below_stack(const struct cfn_node *n, const char **out, size_t max)
{
  size_t depth = 0;
  for(const struct cfn_node *p = n; p && p->parent && p != p->stack->node; p = p->parent)
    depth++;
  if(depth > max)
    return 0;
  size_t i = depth;
  for(const struct cfn_node *p = n; i > 0; p = p->parent)
    out[--i] = p->id;
  return depth;
}

struct cfn_resource *cfn_resource_new(struct cfn_node *parent, const char *id,
                                      const char *type, const char *fqn,
                                      struct sfl_loc loc, struct diag *d)
{
  struct arena *a = parent->app->arena;
  struct cfn_node *n = cfn_node_new(parent, id, fqn, loc, d);
  if(!n)
    return NULL;
  struct cfn_resource *r = arena_alloc(a, sizeof *r);
  if(!r)
    return diag_nomem(d), NULL;
  const char *comps[256];
  size_t nc = components_below_stack(n, comps, 256);
  if(!nc)
    return diag_set(d, SFL_ERR_INVALID, loc, "construct tree too deep under '%s'", id), NULL;
  r->logical_id = cfn_logical_id(a, comps, nc);
  r->props = arena_own_json(a, cJSON_CreateObject());
  if(!r->logical_id || !r->props)
    return diag_nomem(d), NULL;
  r->node = n;
  r->type = type;
  n->resource = r;
  return r;
}

int cfn_depends_on(struct cfn_resource *r, struct cfn_node *target)
{
  return vec_push(r->node->app->arena, &r->depends_on, target);
}

const char *cfn_node_path(struct arena *a, const struct cfn_node *n)
{
  size_t len = 0, depth = 0;
  for(const struct cfn_node *p = n; p && p->parent; p = p->parent) {
    len += strlen(p->id) + 1;
    depth++;
  }
  char *out = arena_alloc(a, len + 1);
  if(!out)
    return NULL;
  size_t pos = len ? len - 1 : 0;
  out[pos] = '\0';
  for(const struct cfn_node *p = n; p && p->parent; p = p->parent) {
    size_t l = strlen(p->id);
    pos -= l;
    memcpy(out + pos, p->id, l);
    if(pos)
      out[--pos] = '/';
  }
  return out;
}

enum sfl_status cfn_stack_add_asset(struct cfn_stack *st, const struct cfn_asset *asset,
                                    const char *display_name, struct diag *d)
{
  struct arena *a = st->node->app->arena;
  struct cfn_stack_asset *sa = arena_alloc(a, sizeof *sa);
  if(!sa || vec_push(a, &st->assets, sa))
    return diag_nomem(d);
  sa->asset = asset;
  sa->display_name = display_name;
  return SFL_OK;
}

const char *cfn_node_kind(const struct cfn_node *n)
{
  const char *dot = n->fqn ? strrchr(n->fqn, '.') : NULL;
  return dot ? dot + 1 : n->fqn ? n->fqn : "Construct";
}

const char *cfn_unique_id(struct arena *a, const struct cfn_node *n)
{
  const char *comps[256];
  size_t depth = 0;
  for(const struct cfn_node *p = n; p && p->parent; p = p->parent)
    depth++;
  if(depth == 0 || depth > 256)
    return NULL;
  size_t i = depth;
  for(const struct cfn_node *p = n; i > 0; p = p->parent)
    comps[--i] = p->id;
  return cfn_logical_id(a, comps, depth);
}

/* {============ logical IDs (aws-cdk-lib/core/lib/private/uniqueid.js) */

static void append_alnum(struct strbuf *b, const char *s)
{
  for(; *s; s++)
    if(isalnum((unsigned char)*s) && (unsigned char)*s < 128)
      strbuf_putc(b, *s);
}

/* MD5 of the components joined by '/', before any cleaning; nonzero when out of memory. */
static int path_md5(const char *const *comps, size_t n, char md5[HASH_MD5_HEX])
{
  struct strbuf joined = {0};
  for(size_t i = 0; i < n; i++) {
    if(i)
      strbuf_putc(&joined, '/');
    strbuf_puts(&joined, comps[i]);
  }
  int bad = joined.failed || hash_md5_hex(joined.buf ? joined.buf : "", joined.len, md5);
  strbuf_free(&joined);
  return bad;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t ls = strlen(s), lx = strlen(suffix);
  return lx <= ls && !memcmp(s + ls - lx, suffix, lx);
}

const char *cfn_logical_id(struct arena *a, const char *const *components, size_t n)
{
  const char *kept[256];
  kept[0] = NULL;   /* gcc cannot tell that nk > 0 below */
  size_t nk = 0;
  for(size_t i = 0; i < n && nk < 256; i++)
    if(strcmp(components[i], "Default"))
      kept[nk++] = components[i];
  struct strbuf b = {0};
  if(nk == 1) {
    append_alnum(&b, kept[0]);
    if(b.len <= MAX_ID_LEN) {
      const char *id = b.failed ? NULL : arena_strdup(a, b.buf ? b.buf : "");
      strbuf_free(&b);
      return id;
    }
    strbuf_free(&b);
  }
  char md5[HASH_MD5_HEX];
  if(path_md5(kept, nk, md5))
    return NULL;
  /* Human part: drop a component the previous kept one ends with, and "Resource". */
  const char *prev = NULL;
  for(size_t i = 0; i < nk; i++) {
    if(prev && ends_with(prev, kept[i]))
      continue;
    prev = kept[i];
    if(!strcmp(kept[i], "Resource"))
      continue;
    append_alnum(&b, kept[i]);
  }
  size_t human = b.len > MAX_HUMAN_LEN ? MAX_HUMAN_LEN : b.len;
  char *id = arena_alloc(a, human + 9);
  if(id && !b.failed) {
    if(human)
      memcpy(id, b.buf, human);
    for(int i = 0; i < 8; i++)
      id[human + (size_t)i] = (char)toupper((unsigned char)md5[i]);
  }
  strbuf_free(&b);
  return b.failed ? NULL : id;
}

/* }============ */

/* core/lib/private/unique-resource-name.js, for a construct below a stack. */
const char *cfn_unique_resource_name(struct arena *a, const struct cfn_node *n,
                                     size_t max_len, const char *separator)
{
  const char *comps[256];
  size_t depth = 0;
  for(const struct cfn_node *p = n; p && p->stack && p != p->stack->node; p = p->parent)
    depth++;
  if(!n->stack || depth == 0 || depth > 255)
    return NULL;
  size_t nc = 0;
  comps[nc++] = n->stack->name;
  const struct cfn_node *path[256];
  size_t i = depth;
  for(const struct cfn_node *p = n; i > 0; p = p->parent)
    path[--i] = p;
  for(i = 0; i < depth; i++)
    if(strcmp(path[i]->id, "Default"))
      comps[nc++] = path[i]->id;
  char md5[HASH_MD5_HEX];
  if(path_md5(comps, nc, md5))
    return NULL;
  struct strbuf b = {0};
  const char *prev = NULL;
  for(i = 0; i < nc; i++) {
    if(prev && ends_with(prev, comps[i]))
      continue;
    prev = comps[i];
    size_t before = b.len;
    if(strcmp(comps[i], "Resource"))
      append_alnum(&b, comps[i]);
    if(b.len != before)
      strbuf_puts(&b, separator);
  }
  if(!b.len)
    strbuf_puts(&b, separator);
  size_t max_human = max_len - 8, human = b.len;
  /* splitInMiddle: the first and last half of what fits. */
  size_t half = max_human / 2;
  char *out = arena_alloc(a, (human > max_human ? 2 * half : human) + 9);
  if(out && !b.failed) {
    if(human > max_human) {
      memcpy(out, b.buf, half);
      memcpy(out + half, b.buf + human - half, half);
      human = 2 * half;
    } else if(human) {
      memcpy(out, b.buf, human);
    }
    for(int k = 0; k < 8; k++)
      out[human + (size_t)k] = (char)toupper((unsigned char)md5[k]);
    out[human + 8] = '\0';
  }
  int failed = b.failed;
  strbuf_free(&b);
  return failed ? NULL : out;
}

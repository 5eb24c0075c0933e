/*
** host.c: the embedding API (include/sfl.h) over a Lua state with sfl loaded.
** This is the boundary: below it everything raises Lua errors or fills diags; here
** every failure becomes a return code and a message kept in the host.
*/
#define _GNU_SOURCE
#include "sfl.h"
#include "lua/lsfl.h"
#include "asl/render.h"
#include "asl/validate.h"
#include "graph/graph.h"
#include "run/mockfile.h"
#include "run/run.h"
#include "cfn/assembly.h"
#include "cfn/template.h"
#include "cfn/token.h"
#include "constructs/sfn.h"
#include "core/clock.h"

#include <fnmatch.h>
#include <stdio.h>
#include <time.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#define MACHINE_FQN "aws-cdk-lib.aws_stepfunctions.StateMachine"

struct sfl_host {
  lua_State *L;
  char *error;       /* last failure, malloc'd ("" when none) */
  char *traceback;
  char *result;      /* the last string handed out */
  struct sfl_host_options options;
  struct mem_budget budget;        /* the Lua heap and the arena */
  unsigned long instructions;      /* counted since the load began */
  struct timespec started;
  int limit_hit;                   /* an instruction or time limit stopped the app */
};

static const char traceback_key = 't';

SFL_API const char *sfl_version(void)
{
  return SFL_VERSION;
}

static void set_string(char **slot, const char *s)
{
  free(*slot);
  *slot = strdup(s ? s : "");
}

static int fail(sfl_host *h, int code, const char *msg)
{
  set_string(&h->error, msg);
  return code;
}

static int fail_diag(sfl_host *h, const struct diag *d)
{
  if(d->status == SFL_ERR_NOMEM)
    return fail(h, SFL_ENOMEM, "out of memory");
  if(!d->loc.file)
    return fail(h, d->status == SFL_ERR_IO ? SFL_EIO : SFL_EAPP, d->msg);
  char *msg = NULL;
  if(asprintf(&msg, "%s:%d: %s", d->loc.file, d->loc.line, d->msg) < 0)
    return fail(h, SFL_ENOMEM, "out of memory");
  fail(h, SFL_EAPP, msg);
  free(msg);
  return SFL_EAPP;
}

static const char *keep(sfl_host *h, char *s)
{
  free(h->result);
  h->result = s;
  return s;
}

/* {============ the host and its limits */

/* The Lua allocator, charging the host's budget. */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
  struct mem_budget *b = ud;
  size_t old = ptr ? osize : 0;
  if(nsize == 0) {
    free(ptr);
    b->used -= old;
    return NULL;
  }
  if(nsize > old && !mem_budget_take(b, nsize - old))
    return NULL;
  void *p = realloc(ptr, nsize);
  if(!p) {
    if(nsize > old)
      b->used -= nsize - old;
    return NULL;
  }
  if(nsize < old)
    b->used -= old - nsize;
  return p;
}

#define HOOK_EVERY 1000

/* Every HOOK_EVERY instructions (coroutines inherit the hook): the count and time caps. */
static void limit_hook(lua_State *L, lua_Debug *ar)
{
  (void)ar;
  sfl_host *h = *(sfl_host **)lua_getextraspace(L);
  h->instructions += HOOK_EVERY;
  unsigned long max = h->options.instruction_limit;
  double secs = h->options.time_limit;
  char msg[128];
  if(max && h->instructions > max)
    snprintf(msg, sizeof msg, "the app ran past the host's limit of %lu Lua instructions",
             max);
  else if(secs > 0 && clock_seconds_since(&h->started) > secs)
    snprintf(msg, sizeof msg, "the app ran past the host's time limit of %g seconds", secs);
  else
    return;
  h->limit_hit = 1;
  /* A hook has no frame of its own: level 0 is the app's function that was running. */
  luaL_where(L, 0);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  lua_error(L);
}

static int open_host(lua_State *L)
{
  sfl_host *h = lua_touserdata(L, 1);
  luaL_openlibs(L);
  lsfl_open(L);
  arena_set_budget(lsfl_ctx(L)->arena, &h->budget);
  if(h->options.sandbox && lsfl_sandbox(L, h->options.sandbox_root))
    return luaL_error(L, "the sandbox folder %s does not exist", h->options.sandbox_root);
  return 0;
}

SFL_API sfl_host *sfl_host_new_with(const struct sfl_host_options *options)
{
  sfl_host *h = calloc(1, sizeof *h);
  if(!h)
    return NULL;
  if(options)
    h->options = *options;
  h->budget.limit = h->options.memory_limit;
  h->L = lua_newstate(limited_alloc, &h->budget);
  if(!h->L) {
    free(h);
    return NULL;
  }
  *(sfl_host **)lua_getextraspace(h->L) = h;
  lua_pushcfunction(h->L, open_host);
  lua_pushlightuserdata(h->L, h);
  if(lua_pcall(h->L, 1, 0, 0) != LUA_OK) {
    lua_close(h->L);
    free(h);
    return NULL;
  }
  /* The sandbox root is the caller's string: keep no pointer to it. */
  h->options.sandbox_root = NULL;
  if(h->options.instruction_limit || h->options.time_limit > 0)
    lua_sethook(h->L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY);
  set_string(&h->error, "");
  set_string(&h->traceback, "");
  return h;
}

SFL_API sfl_host *sfl_host_new(void)
{
  return sfl_host_new_with(NULL);
}

SFL_API void sfl_host_free(sfl_host *h)
{
  if(!h)
    return;
  lua_close(h->L);
  free(h->error);
  free(h->traceback);
  free(h->result);
  free(h);
}

/* {============ running apps */

/* Keeps the traceback aside; the message itself stays "file:line: msg". */
static int msghandler(lua_State *L)
{
  const char *msg = lua_tostring(L, 1);
  if(!msg) {
    if(luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &traceback_key);
  lua_pushstring(L, msg);
  return 1;
}

/* Lets `require` find modules next to the app: "<dir>/?.lua;<dir>/?/init.lua;...". */
static void add_app_dir(lua_State *L, const char *path)
{
  const char *slash = strrchr(path, '/');
  lua_getglobal(L, "package");
  if(!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  if(slash)
    lua_pushlstring(L, path, (size_t)(slash - path));
  else
    lua_pushliteral(L, ".");
  const char *dir = lua_tostring(L, -1);
  lua_getfield(L, -2, "path");
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;%s", dir, dir, lua_tostring(L, -1));
  lua_setfield(L, -4, "path");
  lua_pop(L, 3);
}

static int run_loaded(sfl_host *h, int status)
{
  lua_State *L = h->L;
  set_string(&h->traceback, "");
  h->instructions = 0;
  h->limit_hit = 0;
  h->budget.exceeded = 0;
  clock_gettime(CLOCK_MONOTONIC, &h->started);
  if(status == LUA_OK) {
    lua_pushcfunction(L, msghandler);
    lua_insert(L, -2);
    status = lua_pcall(L, 0, 0, -2);
    lua_remove(L, status == LUA_OK ? -1 : -2);
  }
  if(status == LUA_OK) {
    set_string(&h->error, "");
    return 0;
  }
  set_string(&h->error, lua_tostring(L, -1));
  lua_pop(L, 1);
  if(lua_rawgetp(L, LUA_REGISTRYINDEX, &traceback_key) == LUA_TSTRING)
    set_string(&h->traceback, lua_tostring(L, -1));
  lua_pop(L, 1);
  if(h->budget.exceeded) {
    char msg[128];
    snprintf(msg, sizeof msg, "the app went over the host's memory limit of %zu bytes",
             h->budget.limit);
    set_string(&h->error, msg);
    return SFL_ELIMIT;
  }
  if(h->limit_hit)
    return SFL_ELIMIT;
  if(status == LUA_ERRMEM)
    return SFL_ENOMEM;
  if(status == LUA_ERRFILE)
    return SFL_EIO;
  return SFL_EAPP;
}

SFL_API int sfl_host_load_file(sfl_host *h, const char *path)
{
  if(!h || !path)
    return SFL_EUSAGE;
  add_app_dir(h->L, path);
  const char *slash = strrchr(path, '/');
  struct lsfl_ctx *ctx = lsfl_ctx(h->L);
  ctx->app_dir = slash ? arena_strndup(ctx->arena, path, (size_t)(slash - path)) : NULL;
  return run_loaded(h, luaL_loadfilex(h->L, path, "t"));
}

SFL_API int sfl_host_load_string(sfl_host *h, const char *source, size_t len,
                                 const char *name)
{
  if(!h || !source)
    return SFL_EUSAGE;
  lua_pushfstring(h->L, "@%s", name ? name : "app.lua");
  int status = luaL_loadbufferx(h->L, source, len, lua_tostring(h->L, -1), "t");
  lua_remove(h->L, -2);
  return run_loaded(h, status);
}

SFL_API const char *sfl_host_last_error(const sfl_host *h)
{
  return h && h->error ? h->error : "";
}

SFL_API const char *sfl_host_last_traceback(const sfl_host *h)
{
  return h && h->traceback ? h->traceback : "";
}

/* }============ */

/* {============ stacks and machines */

static struct lsfl_ctx *ctx_of(const sfl_host *h)
{
  return lsfl_ctx(h->L);
}

/* The i-th stack over all apps. */
static struct cfn_stack *stack_at(const sfl_host *h, size_t i)
{
  struct lsfl_ctx *ctx = ctx_of(h);
  for(size_t a = 0; a < ctx->apps.n; a++) {
    struct lsfl_app *app = ctx->apps.items[a];
    if(i < app->cfn->stacks.n)
      return app->cfn->stacks.items[i];
    i -= app->cfn->stacks.n;
  }
  return NULL;
}

SFL_API size_t sfl_host_stack_count(const sfl_host *h)
{
  size_t n = 0;
  struct lsfl_ctx *ctx = ctx_of(h);
  for(size_t a = 0; a < ctx->apps.n; a++)
    n += ((struct lsfl_app *)ctx->apps.items[a])->cfn->stacks.n;
  return n;
}

SFL_API const char *sfl_host_stack_name(const sfl_host *h, size_t i)
{
  struct cfn_stack *st = stack_at(h, i);
  return st ? st->name : NULL;
}

struct machines {
  struct cfn_node **found;
  size_t n, want;
};

static int collect_machine(struct cfn_node *n, void *ctx)
{
  struct machines *m = ctx;
  if(n->fqn && !strcmp(n->fqn, MACHINE_FQN)) {
    if(m->n == m->want) {
      m->found[0] = n;
      m->n++;
      return 1;
    }
    m->n++;
  }
  return 0;
}

static struct cfn_node *machine_node(const struct cfn_stack *st, size_t i, size_t *count)
{
  struct cfn_node *found = NULL;
  struct machines m = {&found, 0, i};
  cfn_walk(st->node, collect_machine, &m);
  if(count)
    *count = m.n;
  return m.n > i ? found : NULL;
}

SFL_API size_t sfl_host_machine_count(const sfl_host *h, size_t stack)
{
  struct cfn_stack *st = stack_at(h, stack);
  size_t n = 0;
  if(st)
    machine_node(st, (size_t)-1, &n);
  return n;
}

SFL_API const char *sfl_host_machine_path(const sfl_host *h, size_t stack, size_t i)
{
  struct cfn_stack *st = stack_at(h, stack);
  struct cfn_node *n = st ? machine_node(st, i, NULL) : NULL;
  return n ? cfn_node_path(ctx_of(h)->arena, n) : NULL;
}

static struct cfn_stack *find_stack(const sfl_host *h, const char *name)
{
  for(size_t i = 0, n = sfl_host_stack_count(h); i < n; i++) {
    struct cfn_stack *st = stack_at(h, i);
    if(!strcmp(st->name, name) || !strcmp(st->node->id, name))
      return st;
  }
  return NULL;
}

SFL_API const char *sfl_host_template(sfl_host *h, const char *stack)
{
  struct cfn_stack *st = stack ? find_stack(h, stack) : NULL;
  if(!st) {
    fail(h, SFL_ENOTFOUND, "no stack by that name");
    return NULL;
  }
  struct diag d = {0};
  cJSON *t = cfn_stack_template(st, &d);
  if(!t) {
    fail_diag(h, &d);
    return NULL;
  }
  char *text = cfn_template_text(t);
  cJSON_Delete(t);
  return keep(h, text);
}

/* A machine by construct path, or by id when only one machine has it. */
static struct sfn_machine *find_machine(sfl_host *h, const char *name)
{
  struct sfn_machine *hit = NULL;
  int hits = 0;
  for(size_t s = 0, ns = sfl_host_stack_count(h); s < ns; s++) {
    struct cfn_stack *st = stack_at(h, s);
    size_t nm = 0;
    machine_node(st, (size_t)-1, &nm);
    for(size_t i = 0; i < nm; i++) {
      struct cfn_node *n = machine_node(st, i, NULL);
      if(!strcmp(cfn_node_path(ctx_of(h)->arena, n), name))
        return n->model;
      if(!strcmp(n->id, name)) {
        hit = n->model;
        hits++;
      }
    }
  }
  return hits == 1 ? hit : NULL;
}

SFL_API const char *sfl_host_definition(sfl_host *h, const char *machine)
{
  struct sfn_machine *m = machine ? find_machine(h, machine) : NULL;
  if(!m) {
    fail(h, SFL_ENOTFOUND, "no state machine by that name");
    return NULL;
  }
  struct diag d = {0};
  if(sfn_machine_validate(m, &d)) {
    fail_diag(h, &d);
    return NULL;
  }
  cJSON *doc = sfn_machine_definition(m);
  cJSON *plain = cfn_placeholders(doc);
  cJSON_Delete(doc);
  char *text = plain ? json_to_text(plain, 2) : NULL;
  cJSON_Delete(plain);
  if(!text)
    fail(h, SFL_ENOMEM, "out of memory");
  return keep(h, text);
}

/* }============ */

/* {============ synthesis */

static int selected(const struct cfn_stack *st, const char *const *patterns, size_t n)
{
  if(!n)
    return 1;
  for(size_t i = 0; i < n; i++)
    if(!fnmatch(patterns[i], st->name, 0) || !fnmatch(patterns[i], st->node->id, 0))
      return 1;
  return 0;
}

static int check_patterns(sfl_host *h, const char *const *patterns, size_t n)
{
  size_t total = sfl_host_stack_count(h);
  for(size_t i = 0; i < n; i++) {
    int hit = 0;
    for(size_t s = 0; s < total && !hit; s++)
      hit = selected(stack_at(h, s), &patterns[i], 1);
    if(!hit) {
      char msg[512];
      snprintf(msg, sizeof msg, "no stack matches '%s'; the app's stacks: ", patterns[i]);
      for(size_t s = 0; s < total; s++) {
        strncat(msg, stack_at(h, s)->name, sizeof msg - strlen(msg) - 3);
        if(s + 1 < total)
          strncat(msg, ", ", sizeof msg - strlen(msg) - 1);
      }
      if(!total)
        strncat(msg, "(none)", sizeof msg - strlen(msg) - 1);
      return fail(h, SFL_ENOTFOUND, msg);
    }
  }
  return 0;
}

SFL_API int sfl_host_synth(sfl_host *h, const char *outdir, const char *const *stacks,
                           size_t n)
{
  if(!h || !outdir)
    return SFL_EUSAGE;
  int rc = check_patterns(h, stacks, n);
  if(rc)
    return rc;
  size_t total = sfl_host_stack_count(h), k = 0;
  struct cfn_synth *out = calloc(total ? total : 1, sizeof *out);
  if(!out)
    return fail(h, SFL_ENOMEM, "out of memory");
  struct diag d = {0};
  for(size_t i = 0; i < total && !rc; i++) {
    struct cfn_stack *st = stack_at(h, i);
    if(!selected(st, stacks, n))
      continue;
    out[k].stack = st;
    out[k].template = cfn_stack_template(st, &d);
    out[k].text = out[k].template ? cfn_template_text(out[k].template) : NULL;
    if(!out[k].template)
      rc = fail_diag(h, &d);
    else if(!out[k].text)
      rc = fail(h, SFL_ENOMEM, "out of memory");
    k++;
  }
  if(!rc) {
    struct lsfl_ctx *ctx = ctx_of(h);
    struct cfn_app **apps = calloc(ctx->apps.n + 1, sizeof *apps);
    for(size_t a = 0; apps && a < ctx->apps.n; a++)
      apps[a] = ((struct lsfl_app *)ctx->apps.items[a])->cfn;
    if(!apps)
      rc = fail(h, SFL_ENOMEM, "out of memory");
    else if(cfn_write_assembly(outdir, apps, ctx->apps.n, out, k, &d))
      rc = fail_diag(h, &d);
    free(apps);
  }
  for(size_t i = 0; i < k; i++) {
    cJSON_Delete(out[i].template);
    free(out[i].text);
  }
  free(out);
  if(!rc)
    set_string(&h->error, "");
  return rc;
}

/* {============ validation */

struct validation {
  sfl_problem_fn fn;
  void *ud;
  size_t errors, warnings;
  const char *name;                 /* a definition file's name */
  const struct sfn_machine *machine;  /* or the machine being checked */
};

static void count(struct validation *v, int severity)
{
  if(severity)
    v->warnings++;
  else
    v->errors++;
}

/* Escaped for one line: a control character in a state name or a file name (a newline, an
** ESC that would move the terminal's cursor) is written as JSON writes it, in the place
** (file#pointer) as in the message. */
static const char *visible(struct strbuf *b, const char *s)
{
  json_write_visible(b, s);
  return b->failed ? "(out of memory)" : b->buf ? b->buf : "";
}

static void deliver(struct validation *v, int severity, const char *where, const char *code,
                    const char *message)
{
  struct strbuf w = {0}, m = {0};
  count(v, severity);
  v->fn(v->ud, severity, visible(&w, where), code, visible(&m, message));
  strbuf_free(&w);
  strbuf_free(&m);
}

static void report_at(struct validation *v, int severity, struct sfl_loc loc, const char *code,
                      const char *message)
{
  char where[512];
  if(loc.file)
    snprintf(where, sizeof where, "%s:%d", loc.file, loc.line);
  else
    snprintf(where, sizeof where, "%s", v->name ? v->name : "?");
  deliver(v, severity, where, code, message);
}

/* A problem in an app's machine is located where the app made the state. */
static void machine_problem(const struct asl_problem *p, void *ctx)
{
  struct validation *v = ctx;
  struct sfl_loc loc = v->machine->node->loc;
  if(p->state && v->machine->graph) {
    struct asl_graph *top = v->machine->graph;
    const struct asl_state *s = strmap_get(&top->names, p->state);
    if(s)
      loc = s->loc;
  }
  report_at(v, p->severity == ASL_WARNING, loc, p->code, p->message);
}

static void file_problem(const struct asl_problem *p, void *ctx)
{
  struct validation *v = ctx;
  char where[1024];
  snprintf(where, sizeof where, "%s%s%s", v->name, *p->pointer ? "#" : "", p->pointer);
  deliver(v, p->severity == ASL_WARNING, where, p->code, p->message);
}


static void validate_machine(struct validation *v, const struct sfn_machine *m)
{
  v->machine = m;
  struct diag d = {0};
  if(sfn_machine_validate(m, &d)) {
    report_at(v, 0, d.loc.file ? d.loc : m->node->loc, "SCHEMA_VALIDATION_FAILED", d.msg);
    return;
  }
  cJSON *doc = sfn_machine_document(m);
  cJSON *plain = doc ? cfn_placeholders(doc) : NULL;
  char *text = plain ? json_to_text(plain, 0) : NULL;
  if(!doc)
    report_at(v, 0, m->node->loc, "INVALID_JSON_DESCRIPTION",
              m->props.definition_file_text ? "the definition file is not valid JSON"
                                            : "the definition string is not valid JSON");
  else if(!plain || !text)
    report_at(v, 0, m->node->loc, "INTERNAL", "out of memory");
  else
    asl_validate(plain, strlen(text), machine_problem, v);
  free(text);
  cJSON_Delete(plain);
  cJSON_Delete(doc);
}

SFL_API int sfl_host_validate(sfl_host *h, sfl_problem_fn fn, void *ud, size_t *errors,
                              size_t *warnings)
{
  struct validation v = {fn, ud, 0, 0, NULL, NULL};
  for(size_t s = 0, ns = sfl_host_stack_count(h); s < ns; s++) {
    struct cfn_stack *st = stack_at(h, s);
    size_t nm = 0;
    machine_node(st, (size_t)-1, &nm);
    for(size_t i = 0; i < nm; i++)
      validate_machine(&v, machine_node(st, i, NULL)->model);
  }
  if(errors)
    *errors = v.errors;
  if(warnings)
    *warnings = v.warnings;
  return 0;
}

/* "line L, column C" of a position in text. */
static void line_col(const char *text, size_t pos, int *line, int *col)
{
  *line = 1;
  *col = 1;
  for(size_t i = 0; i < pos && text[i]; i++) {
    if(text[i] == '\n') {
      (*line)++;
      *col = 1;
    }
    else
      (*col)++;
  }
}

SFL_API int sfl_validate_definition(const char *text, size_t len, const char *name,
                                    sfl_problem_fn fn, void *ud, size_t *errors,
                                    size_t *warnings)
{
  if(!text || !fn)
    return SFL_EUSAGE;
  struct validation v = {fn, ud, 0, 0, name ? name : "definition", NULL};
  char ptr[256];
  const char *end = NULL;
  size_t bad = json_utf8_check(text, len);
  cJSON *doc = bad < len ? NULL : cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if(bad < len) {
    int line, col;
    line_col(text, bad, &line, &col);
    char where[512], msg[128];
    snprintf(where, sizeof where, "%s:%d:%d", v.name, line, col);
    snprintf(msg, sizeof msg, "not UTF-8: byte 0x%02X at line %d, column %d",
             (unsigned char)text[bad], line, col);
    deliver(&v, 0, where, "INVALID_JSON_DESCRIPTION", msg);
  }
  else if(!doc) {
    int line, col;
    line_col(text, end ? (size_t)(end - text) : 0, &line, &col);
    char where[512], msg[128];
    snprintf(where, sizeof where, "%s:%d:%d", v.name, line, col);
    if(json_text_too_deep(text, len))
      snprintf(msg, sizeof msg, "JSON nested deeper than %d levels near line %d, column %d",
               CJSON_NESTING_LIMIT, line, col);
    else
      snprintf(msg, sizeof msg, "JSON syntax error near line %d, column %d", line, col);
    deliver(&v, 0, where, "INVALID_JSON_DESCRIPTION", msg);
  }
  else if(json_find_nonfinite(doc, ptr, sizeof ptr)) {
    char where[512];
    snprintf(where, sizeof where, "%s#%s", v.name, ptr);
    deliver(&v, 0, where, "INVALID_JSON_DESCRIPTION", "a number too large for a double");
  }
  else
    asl_validate(doc, len, file_problem, &v);
  cJSON_Delete(doc);
  if(errors)
    *errors = v.errors;
  if(warnings)
    *warnings = v.warnings;
  return 0;
}

/* }============ */

/* {============ pictures */

static int draw(sfl_host *h, const cJSON *asl, const char *format, const char **out,
                size_t *len)
{
  enum graph_format fmt;
  if(!format || graph_format_parse(format, &fmt))
    return fail(h, SFL_EUSAGE, "unknown picture format (dot, mermaid, text, svg or png)");
  struct strbuf b = {0};
  struct diag d = {0};
  if(graph_write(asl, fmt, &b, &d)) {
    strbuf_free(&b);
    if(d.status != SFL_ERR_IO)
      return fail_diag(h, &d);
    char msg[1100];   /* Graphviz's own trouble: say who is talking */
    snprintf(msg, sizeof msg, "sfl graph: %s", d.msg);
    return fail(h, SFL_EIO, msg);
  }
  size_t n = b.len;
  char *bytes = strbuf_take(&b);
  if(!bytes)
    return fail(h, SFL_ENOMEM, "out of memory");
  *out = keep(h, bytes);
  *len = n;
  return 0;
}

/*
** The app's machine named `machine`, checked, and its definition as plain ASL (tokens
** shown as placeholders) in *plain, the caller's to delete; or the host's error code.
*/
static int machine_asl(sfl_host *h, const char *machine, struct sfn_machine **out,
                       cJSON **plain)
{
  struct sfn_machine *m = machine ? find_machine(h, machine) : NULL;
  if(!m) {
    char msg[512];
    snprintf(msg, sizeof msg, "sfl: no state machine '%s' in the app (sfl ls lists them)",
             machine ? machine : "");
    return fail(h, SFL_ENOTFOUND, msg);
  }
  struct diag d = {0};
  if(sfn_machine_validate(m, &d))
    return fail_diag(h, &d);
  cJSON *doc = sfn_machine_document(m);
  *plain = doc ? cfn_placeholders(doc) : NULL;
  cJSON_Delete(doc);
  if(!*plain)
    return fail(h, SFL_EAPP, "the state machine's definition is not valid JSON");
  *out = m;
  return 0;
}

SFL_API int sfl_host_graph(sfl_host *h, const char *machine, const char *format,
                           const char **out, size_t *len)
{
  struct sfn_machine *m;
  cJSON *plain;
  int rc = machine_asl(h, machine, &m, &plain);
  if(rc)
    return rc;
  rc = draw(h, plain, format, out, len);
  cJSON_Delete(plain);
  return rc;
}

SFL_API int sfl_host_graph_definition(sfl_host *h, const char *text, size_t len,
                                      const char *format, const char **out, size_t *outlen)
{
  cJSON *doc = cJSON_ParseWithLength(text, len);
  if(!doc)
    return fail(h, SFL_EAPP, "the definition is not valid JSON (sfl validate says where)");
  int rc = draw(h, doc, format, out, outlen);
  cJSON_Delete(doc);
  return rc;
}

/* }============ */

/* {============ local runs */

struct run_ctx {
  sfl_host *h;
  struct run_mock mock;
  const char *test_case;
  const struct sfl_run_options *opt;
  char *problem;            /* a task no mock answers */
};

/* Tasks are answered by the mock table; a task it does not name is the user's mistake. */
static enum sfl_status answer_task(void *ud, const char *state, const cJSON *resource,
                                   const cJSON *input, cJSON **result, char **error,
                                   char **cause)
{
  struct run_ctx *rc = ud;
  if(!json_get(rc->mock.table, state)) {
    char msg[512];
    if(rc->mock.table)
      snprintf(msg, sizeof msg, "task state '%s' has no mocked response in test case '%s'; "
               "add one to the mock file", state, rc->test_case);
    else
      snprintf(msg, sizeof msg, "task state '%s' needs an answer: give a mock file with "
               "--mocks FILE --test-case NAME", state);
    free(rc->problem);
    rc->problem = strdup(msg);
    return SFL_ERR_INVALID;
  }
  return run_mock_task(&rc->mock, state, resource, input, result, error, cause);
}

static void trace_event(void *ud, const cJSON *event)
{
  const struct sfl_run_options *opt = ud;
  char *line = json_to_text(event, 0);
  if(line)
    opt->trace(opt->trace_ud, line);
  free(line);
}

/* Parses optional JSON text; *bad names the field when it is not JSON. */
static cJSON *parse_opt(const char *text, const char *what, sfl_host *h, int *bad)
{
  if(!text)
    return NULL;
  cJSON *j = cJSON_Parse(text);
  char ptr[256], msg[400];
  size_t stray = json_utf8_check(text, strlen(text));
  if(text[stray]) {
    cJSON_Delete(j);
    j = NULL;
    snprintf(msg, sizeof msg, "sfl: the %s is not UTF-8 (byte 0x%02X at offset %zu)", what,
             (unsigned char)text[stray], stray);
  }
  else if(!j && json_text_too_deep(text, strlen(text)))
    snprintf(msg, sizeof msg, "sfl: the %s is nested deeper than %d levels", what,
             CJSON_NESTING_LIMIT);
  else if(!j)
    snprintf(msg, sizeof msg, "sfl: the %s is not valid JSON", what);
  else if(json_find_nonfinite(j, ptr, sizeof ptr))
    snprintf(msg, sizeof msg, "sfl: the %s has a number too large for a double at '%s'",
             what, ptr);
  else
    return j;
  cJSON_Delete(j);
  fail(h, SFL_EUSAGE, msg);
  *bad = 1;
  return NULL;
}

static int run_asl(sfl_host *h, const cJSON *asl, const char *const *names,
                   const struct sfl_run_options *opt, const char **result, int *failed)
{
  struct sfl_run_options none = {0};
  if(!opt)
    opt = &none;
  int bad = 0;
  cJSON *input = parse_opt(opt->input, "input", h, &bad);
  cJSON *context = bad ? NULL : parse_opt(opt->context, "context", h, &bad);
  cJSON *mocks = bad ? NULL : parse_opt(opt->mocks, "mock file", h, &bad);
  struct run_ctx rc = {h, {NULL, NULL}, opt->test_case, opt, NULL};
  struct diag d = {0};
  int code = bad ? SFL_EUSAGE : 0;
  if(!code && mocks) {
    rc.mock.table = run_mock_table(mocks, names[0], names + 1, opt->test_case, &d);
    if(!rc.mock.table) {
      char msg[1100];
      snprintf(msg, sizeof msg, "sfl: %s", d.msg);
      code = fail(h, SFL_EUSAGE, msg);
    }
  }
  struct run_result out = {0};
  if(!code) {
    struct run_options ro = {opt->max_transitions, opt->real_time, context, 0, 0};
    enum sfl_status st = run_execute_take(asl, input, &ro, answer_task, &rc,
                                          opt->trace ? trace_event : NULL, (void *)opt, &out,
                                          &d);
    input = NULL;
    if(rc.problem) {
      char msg[600];
      snprintf(msg, sizeof msg, "sfl: %s", rc.problem);
      code = fail(h, SFL_EUSAGE, msg);
    }
    else if(st) {
      char msg[1100];
      snprintf(msg, sizeof msg, "sfl: %s", d.msg);
      code = fail(h, st == SFL_ERR_NOMEM ? SFL_ENOMEM : SFL_EAPP, msg);
    }
    else {
      cJSON *doc = out.succeeded ? out.output : cJSON_CreateObject();
      if(!out.succeeded) {
        json_put_str(doc, "Error", out.error ? out.error : "");
        json_put(doc, "Cause", out.cause ? cJSON_CreateString(out.cause) : cJSON_CreateNull());
      }
      char *text = doc ? json_to_text(doc, 0) : NULL;
      if(!out.succeeded)
        cJSON_Delete(doc);
      *result = text ? keep(h, text) : "null";
      *failed = !out.succeeded;
    }
  }
  run_result_free(&out);
  free(rc.problem);
  cJSON_Delete((cJSON *)rc.mock.table);
  cJSON_Delete(rc.mock.counts);
  cJSON_Delete(input);
  cJSON_Delete(context);
  cJSON_Delete(mocks);
  return code;
}

SFL_API int sfl_host_run(sfl_host *h, const char *machine, const struct sfl_run_options *opt,
                         const char **result, int *failed)
{
  struct sfn_machine *m;
  cJSON *plain;
  int rc = machine_asl(h, machine, &m, &plain);
  if(rc)
    return rc;
  /* The mock file may name the machine by its id, its path or its state_machine_name. */
  const char *path = cfn_node_path(ctx_of(h)->arena, m->node);
  const char *names[4] = {m->node->id, path, NULL, NULL};
  if(cJSON_IsString(m->props.state_machine_name))
    names[2] = m->props.state_machine_name->valuestring;
  rc = run_asl(h, plain, names, opt, result, failed);
  cJSON_Delete(plain);
  return rc;
}

SFL_API int sfl_host_run_definition(sfl_host *h, const char *text, size_t len,
                                    const char *name, const struct sfl_run_options *opt,
                                    const char **result, int *failed)
{
  cJSON *doc = json_utf8_check(text, len) < len ? NULL : cJSON_ParseWithLength(text, len);
  if(!doc)
    return fail(h, SFL_EAPP, "sfl: the definition is not valid JSON (sfl validate says where)");
  char ptr[256];
  if(json_find_nonfinite(doc, ptr, sizeof ptr)) {
    cJSON_Delete(doc);
    return fail(h, SFL_EAPP, "sfl: the definition has a number too large for a double "
                "(sfl validate says where)");
  }
  const char *names[] = {name, NULL};
  int rc = run_asl(h, doc, names, opt, result, failed);
  cJSON_Delete(doc);
  return rc;
}

/* }============ */

SFL_API const char *sfl_host_app_outdir(const sfl_host *h)
{
  struct lsfl_ctx *ctx = ctx_of(h);
  for(size_t a = 0; a < ctx->apps.n; a++) {
    struct lsfl_app *app = ctx->apps.items[a];
    if(app->outdir)
      return app->outdir;
  }
  return NULL;
}

/* }============ */

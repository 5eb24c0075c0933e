/*
** jpath.c: JSONPath as Step Functions reads it (Jayway's dialect, which AWS uses): dot and
** bracket names, indexes (negative ones count from the end), slices, unions, `*`, `..`,
** `[?(...)]` filters with comparisons, `&&`, `||` and `!`, and a final `.length()`. A path is
** compiled once into an array of segments (jpath_impl.h), which jpath_eval.c evaluates.
** Filters are parsed by recursive descent, their nesting bounded by MAX_FILTER_DEPTH.
*/
#include "run/jpath_impl.h"
#include "core/arena.h"
#include "core/json.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* {============ filters: [?( expression )] */

struct parser {
  struct arena *a;
  const char *s;
  size_t i;
  int depth;
  char *err;
  size_t errsize;
};

#define MAX_FILTER_DEPTH 32

static void *fail(struct parser *p, const char *msg)
{
  if(p->err && !p->err[0])
    snprintf(p->err, p->errsize, "%s at character %zu", msg, p->i + 1);
  return NULL;
}

static void skip_spaces(struct parser *p)
{
  while(p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n')
    p->i++;
}

static struct jpath *parse_path(struct parser *p, int in_filter);

static int parse_operand(struct parser *p, struct operand *o)
{
  skip_spaces(p);
  const char *s = p->s + p->i;
  if(*s == '@' || *s == '$') {
    o->relative = *s == '@';
    o->path = parse_path(p, 1);
    return o->path ? 0 : -1;
  }
  cJSON *lit = NULL;
  if(*s == '\'' || *s == '"') {
    char quote = *s;
    struct strbuf b = {0};
    size_t k = 1;
    for(; s[k] && s[k] != quote; k++) {
      if(s[k] == '\\' && s[k + 1])
        k++;
      strbuf_putc(&b, s[k]);
    }
    if(s[k] != quote) {
      strbuf_free(&b);
      fail(p, "unterminated string in filter");
      return -1;
    }
    lit = cJSON_CreateString(b.buf ? b.buf : "");
    strbuf_free(&b);
    p->i += k + 1;
  }
  else if(!strncmp(s, "true", 4) || !strncmp(s, "false", 5) || !strncmp(s, "null", 4)) {
    lit = *s == 'n' ? cJSON_CreateNull() : cJSON_CreateBool(*s == 't');
    p->i += *s == 'f' ? 5 : 4;
  }
  else {
    char *end;
    double d = strtod(s, &end);
    if(end == s) {
      fail(p, "expected a value in filter");
      return -1;
    }
    lit = cJSON_CreateNumber(d);
    p->i += (size_t)(end - s);
  }
  if(!lit || !arena_own_json(p->a, lit)) {
    cJSON_Delete(lit);
    snprintf(p->err, p->errsize, "out of memory");
    return -1;
  }
  o->literal = lit;
  return 0;
}

static struct fexpr *new_expr(struct parser *p, enum fkind kind)
{
  struct fexpr *e = arena_alloc(p->a, sizeof *e);
  if(!e)
    snprintf(p->err, p->errsize, "out of memory");
  else
    e->kind = kind;
  return e;
}

static struct fexpr *parse_or(struct parser *p);

static struct fexpr *parse_unary(struct parser *p)
{
  static const struct { const char *text; enum fop op; } ops[] = {
    {"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"<", OP_LT}, {">", OP_GT}
  };
  skip_spaces(p);
  if(p->s[p->i] == '!' && p->s[p->i + 1] != '=') {
    p->i++;
    struct fexpr *e = new_expr(p, F_NOT);
    if(!e || !(e->a = parse_unary(p)))
      return NULL;
    return e;
  }
  if(p->s[p->i] == '(') {
    if(++p->depth > MAX_FILTER_DEPTH)
      return fail(p, "filter nested too deeply");
    p->i++;
    struct fexpr *e = parse_or(p);
    skip_spaces(p);
    if(!e)
      return NULL;
    if(p->s[p->i] != ')')
      return fail(p, "expected ')' in filter");
    p->i++;
    p->depth--;
    return e;
  }
  struct fexpr *e = new_expr(p, F_EXISTS);
  if(!e || parse_operand(p, &e->l))
    return NULL;
  skip_spaces(p);
  if(!strncmp(p->s + p->i, "=~", 2))
    return fail(p, "regular expressions (=~) are not supported in filters");
  for(size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
    if(!strncmp(p->s + p->i, ops[k].text, strlen(ops[k].text))) {
      p->i += strlen(ops[k].text);
      e->kind = F_CMP;
      e->op = ops[k].op;
      return parse_operand(p, &e->r) ? NULL : e;
    }
  if(!e->l.path)
    return fail(p, "expected a comparison after a value in filter");
  return e;
}

static struct fexpr *parse_binary(struct parser *p, const char *op, enum fkind kind)
{
  struct fexpr *left = kind == F_OR ? parse_binary(p, "&&", F_AND) : parse_unary(p);
  for(;;) {
    skip_spaces(p);
    if(!left || strncmp(p->s + p->i, op, 2))
      return left;
    p->i += 2;
    struct fexpr *e = new_expr(p, kind);
    if(!e)
      return NULL;
    e->a = left;
    e->b = kind == F_OR ? parse_binary(p, "&&", F_AND) : parse_unary(p);
    if(!e->b)
      return NULL;
    left = e;
  }
}

static struct fexpr *parse_or(struct parser *p)
{
  return parse_binary(p, "||", F_OR);
}

/* }============ */

/* {============ parsing segments */

static int name_end(char c)
{
  return !c || strchr(".[]()=!<>&|, \t\n", c) != NULL;
}

static struct seg *add_seg(struct parser *p, struct jpath *path, size_t *cap)
{
  if(path->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    struct seg *segs = arena_alloc(p->a, ncap * sizeof *segs);
    if(!segs) {
      snprintf(p->err, p->errsize, "out of memory");
      return NULL;
    }
    if(path->n)
      memcpy(segs, path->segs, path->n * sizeof *segs);
    path->segs = segs;
    *cap = ncap;
  }
  return &path->segs[path->n++];
}

static char *parse_quoted(struct parser *p)
{
  char quote = p->s[p->i++];
  size_t start = p->i, k = 0;
  char *out = arena_alloc(p->a, strlen(p->s + start) + 1);
  if(!out) {
    snprintf(p->err, p->errsize, "out of memory");
    return NULL;
  }
  while(p->s[p->i] && p->s[p->i] != quote) {
    if(p->s[p->i] == '\\' && p->s[p->i + 1])
      p->i++;
    out[k++] = p->s[p->i++];
  }
  if(p->s[p->i] != quote)
    return fail(p, "unterminated quoted name");
  p->i++;
  return out;
}

static int parse_long(struct parser *p, long *v)
{
  char *end;
  skip_spaces(p);
  errno = 0;
  *v = strtol(p->s + p->i, &end, 10);
  if(end == p->s + p->i) {
    fail(p, "expected a number");
    return -1;
  }
  if(errno == ERANGE || *v > INT_MAX || *v < -INT_MAX) {
    fail(p, "a number out of range (at most 2147483647 either way)");
    return -1;
  }
  p->i = (size_t)(end - p->s);
  skip_spaces(p);
  return 0;
}

static int parse_list(struct parser *p, struct seg *g, int quoted)
{
  size_t cap = 0;
  for(;;) {
    if(g->n == cap) {
      cap = cap ? cap * 2 : 4;
      void *grown = arena_alloc(p->a, cap * sizeof(long) + cap * sizeof(char *));
      if(!grown) {
        snprintf(p->err, p->errsize, "out of memory");
        return -1;
      }
      long *ix = grown;
      const char **nm = (const char **)(ix + cap);
      if(g->n) {
        memcpy(ix, g->indexes, g->n * sizeof *ix);
        memcpy(nm, g->names, g->n * sizeof *nm);
      }
      g->indexes = ix;
      g->names = nm;
    }
    skip_spaces(p);
    if(quoted) {
      if(p->s[p->i] != '\'' && p->s[p->i] != '"') {
        fail(p, "expected a quoted name");
        return -1;
      }
      if(!(g->names[g->n] = parse_quoted(p)))
        return -1;
      skip_spaces(p);
    }
    else if(parse_long(p, &g->indexes[g->n]))
      return -1;
    g->n++;
    if(p->s[p->i] != ',')
      return 0;
    p->i++;
  }
}

static int parse_slice(struct parser *p, struct seg *g)
{
  g->kind = SEG_SLICE;
  g->step = 1;
  for(int part = 0; part < 3; part++) {
    skip_spaces(p);
    char c = p->s[p->i];
    if(c != ':' && c != ']') {
      long v;
      if(parse_long(p, &v))
        return -1;
      if(part == 0) {
        g->lo = v;
        g->has_lo = 1;
      }
      else if(part == 1) {
        g->hi = v;
        g->has_hi = 1;
      }
      else if(!(g->step = v)) {
        fail(p, "slice step must not be 0");
        return -1;
      }
    }
    if(p->s[p->i] != ':')
      break;
    p->i++;
  }
  return 0;
}

static int parse_bracket(struct parser *p, struct seg *g)
{
  p->i++;
  skip_spaces(p);
  char c = p->s[p->i];
  if(c == '\'' || c == '"') {
    if(parse_list(p, g, 1))
      return -1;
    g->kind = g->n == 1 ? SEG_NAME : SEG_NAMES;
    g->name = g->names[0];
  }
  else if(c == '*') {
    p->i++;
    g->kind = SEG_WILD;
  }
  else if(c == '?') {
    p->i++;
    skip_spaces(p);
    if(p->s[p->i] != '(') {
      fail(p, "expected '(' after '?'");
      return -1;
    }
    g->kind = SEG_FILTER;
    if(!(g->filter = parse_unary(p)))
      return -1;
  }
  else {
    size_t save = p->i;
    long v = 0;
    if(c != ':' && parse_long(p, &v))
      return -1;
    if(p->s[p->i] == ':') {
      p->i = save;
      if(parse_slice(p, g))
        return -1;
    }
    else if(p->s[p->i] == ',') {
      p->i = save;
      if(parse_list(p, g, 0))
        return -1;
      g->kind = SEG_INDEXES;
    }
    else {
      g->kind = SEG_INDEX;
      g->index = v;
    }
  }
  skip_spaces(p);
  if(p->s[p->i] != ']') {
    fail(p, "expected ']'");
    return -1;
  }
  p->i++;
  return 0;
}

static int parse_dot(struct parser *p, struct seg *g)
{
  const char *s = p->s + p->i;
  if(*s == '*') {
    p->i++;
    g->kind = SEG_WILD;
    return 0;
  }
  if(!strncmp(s, "length()", 8)) {
    p->i += 8;
    g->kind = SEG_LENGTH;
    return 0;
  }
  size_t k = 0;
  while(!name_end(s[k]))
    k++;
  if(!k) {
    fail(p, "expected a name");
    return -1;
  }
  if(!(g->name = arena_strndup(p->a, s, k))) {
    snprintf(p->err, p->errsize, "out of memory");
    return -1;
  }
  g->kind = SEG_NAME;
  p->i += k;
  return 0;
}

/* Parses "$...", "$$..." or (in a filter) "@..." from p->i. */
static struct jpath *parse_path(struct parser *p, int in_filter)
{
  struct jpath *path = arena_alloc(p->a, sizeof *path);
  size_t cap = 0, start = p->i;
  if(!path) {
    snprintf(p->err, p->errsize, "out of memory");
    return NULL;
  }
  if(p->s[p->i] == '@' && in_filter)
    p->i++;
  else if(p->s[p->i] == '$') {
    p->i++;
    if(p->s[p->i] == '$' && !in_filter) {
      path->context = 1;
      p->i++;
    }
  }
  else
    return fail(p, "a path must start with '$'");
  path->definite = 1;
  while(p->s[p->i]) {
    char c = p->s[p->i];
    if(c != '.' && c != '[') {
      if(in_filter)
        break;
      return fail(p, "unexpected character in path");
    }
    if(c == '.' && p->s[p->i + 1] == '[') {   /* "$.abc.['def ghi']", as AWS writes it */
      p->i++;
      c = '[';
    }
    struct seg *g = add_seg(p, path, &cap);
    if(!g)
      return NULL;
    if(c == '.' && p->s[p->i + 1] == '.') {
      g->descend = 1;
      p->i += 2;
      if(p->s[p->i] == '[' ? parse_bracket(p, g) : parse_dot(p, g))
        return NULL;
    }
    else if(c == '.') {
      p->i++;
      if(parse_dot(p, g))
        return NULL;
    }
    else if(parse_bracket(p, g))
      return NULL;
    if(g->descend || (g->kind != SEG_NAME && g->kind != SEG_INDEX))
      path->definite = 0;
    if(path->n > 1 && path->segs[path->n - 2].kind == SEG_LENGTH)
      return fail(p, "length() must come last");
  }
  path->text = arena_strndup(p->a, p->s + start, p->i - start);
  if(!path->text) {
    snprintf(p->err, p->errsize, "out of memory");
    return NULL;
  }
  return path;
}

struct jpath *jpath_compile(struct arena *a, const char *text, int flags,
                            char *err, size_t errsize)
{
  struct parser p = {a, text, 0, 0, err, errsize};
  err[0] = '\0';
  struct jpath *path = parse_path(&p, 0);
  if(!path)
    return NULL;
  if(flags & JPATH_REFERENCE && !path->definite) {
    snprintf(err, errsize, "a Reference Path may only use names and indexes "
                           "(no '..', '*', slices, unions, filters or functions)");
    return NULL;
  }
  return path;
}

/* }============ */

const char *jpath_text(const struct jpath *p) { return p->text; }
int jpath_is_context(const struct jpath *p) { return p->context; }
int jpath_is_definite(const struct jpath *p) { return p->definite; }
int jpath_is_root(const struct jpath *p) { return p->n == 0; }

/*
** tdiff_tree.c: the tree of nested changes under a resource, the way `cdk diff` draws it
** ("├─ [~] .Key:" down to "[-] old" / "[+] new"), unified diffs of JSON text for arrays and
** objects that changed shape, and CloudFormation intrinsics written as ${Logical.Attr}.
*/
#include "deploy/tdiff_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* {============ writing with colours */

/* SGR codes to open and close each colour (closing only what was opened, as chalk does, so
** colours nest). */
static const char *const color_on[] = {"", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[34m",
                                       "\x1b[35m", "\x1b[36m", "\x1b[90m", "\x1b[1m",
                                       "\x1b[1m\x1b[4m"};
static const char *const color_off[] = {"", "\x1b[39m", "\x1b[39m", "\x1b[39m", "\x1b[39m",
                                        "\x1b[39m", "\x1b[39m", "\x1b[39m", "\x1b[22m",
                                        "\x1b[24m\x1b[22m"};

void t_put(struct tctx *t, enum tcolor c, const char *s)
{
  int paint = t->o->color && c != T_PLAIN;
  if(paint)
    strbuf_puts(t->out, color_on[c]);
  strbuf_puts(t->out, s);
  if(paint)
    strbuf_puts(t->out, color_off[c]);
}

void t_nl(struct tctx *t)
{
  strbuf_putc(t->out, '\n');
}

void t_tag(struct tctx *t, enum tchange k)
{
  static const char *const text[] = {"[+]", "[-]", "[~]", "[ ]"};
  static const enum tcolor color[] = {T_GREEN, T_RED, T_YELLOW, T_GRAY};
  t_put(t, color[k], text[k]);
}

void t_value(struct tctx *t, const cJSON *v, enum tcolor c)
{
  if(cJSON_IsString(v)) {
    t_put(t, c, v->valuestring);
    return;
  }
  char *s = json_to_text(v, 0);
  if(!s) {
    t->out->failed = 1;
    return;
  }
  t_put(t, c, s);
  free(s);
}
/* }============ */

/* {============ the tree */

void t_item(struct tctx *t, int last)
{
  strbuf_puts(t->out, t->pfx.buf ? t->pfx.buf : "");
  strbuf_puts(t->out, last ? "└─ " : "├─ ");
}

size_t t_push(struct tctx *t, int last)
{
  size_t mark = t->pfx.len;
  strbuf_puts(&t->pfx, last ? "    " : "│   ");
  return mark;
}

void t_pop(struct tctx *t, size_t mark)
{
  if(t->pfx.buf && mark <= t->pfx.len) {
    t->pfx.len = mark;
    t->pfx.buf[mark] = '\0';
  }
}

enum tchange t_change(const cJSON *old, const cJSON *new)
{
  return !old ? T_ADD : !new ? T_DEL : T_UPD;
}

int t_equal(const cJSON *a, const cJSON *b)
{
  if(!a || !b)
    return a == b;
  return cJSON_Compare(a, b, 1);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int has_key(const char **keys, size_t n, const char *k)
{
  for(size_t i = 0; i < n; i++)
    if(!strcmp(keys[i], k))
      return 1;
  return 0;
}

const char **t_changed_keys_ordered(const cJSON *old, const cJSON *new, size_t *n)
{
  size_t cap = (size_t)cJSON_GetArraySize(old) + (size_t)cJSON_GetArraySize(new) + 1;
  const char **keys = malloc(cap * sizeof *keys);
  *n = 0;
  if(!keys)
    return NULL;
  const cJSON *sides[2] = {old, new};
  for(int s = 0; s < 2; s++) {
    const cJSON *e;
    cJSON_ArrayForEach(e, sides[s]) {
      if(!e->string || has_key(keys, *n, e->string))
        continue;
      if(!t_equal(json_get(old, e->string), json_get(new, e->string)))
        keys[(*n)++] = e->string;
    }
  }
  return keys;
}

const char **t_changed_keys(const cJSON *old, const cJSON *new, size_t *n)
{
  const char **keys = t_changed_keys_ordered(old, new, n);
  if(keys)
    qsort(keys, *n, sizeof *keys, cmp_str);
  return keys;
}

void t_key_diff(struct tctx *t, int last, const char *key, const cJSON *old, const cJSON *new)
{
  enum tchange k = t_change(old, new);
  t_item(t, last);
  t_tag(t, k);
  t_put(t, T_PLAIN, k == T_ADD ? " Added: " : k == T_DEL ? " Removed: " : " ");
  t_put(t, T_BLUE, ".");
  t_put(t, T_BLUE, key);
  if(k != T_UPD) {
    t_nl(t);
    return;
  }
  t_put(t, T_PLAIN, ":");
  t_nl(t);
  size_t mark = t_push(t, last);
  t_value_diff(t, old, new);
  t_pop(t, mark);
}

static void object_diff(struct tctx *t, const cJSON *old, const cJSON *new)
{
  size_t n;
  const char **keys = t_changed_keys(old, new, &n);
  if(!keys) {
    t->out->failed = 1;
    return;
  }
  for(size_t i = 0; i < n; i++)
    t_key_diff(t, i + 1 == n, keys[i], json_get(old, keys[i]), json_get(new, keys[i]));
  free(keys);
}

static int is_container(const cJSON *v)
{
  return cJSON_IsObject(v) || cJSON_IsArray(v);
}

/* A value on its own line of the tree, with or without its tag. */
static void leaf(struct tctx *t, int last, int tagged, enum tchange k, const cJSON *v)
{
  t_item(t, last);
  if(tagged) {
    t_tag(t, k);
    t_put(t, T_PLAIN, " ");
  }
  t_value(t, v, k == T_ADD ? T_GREEN : T_RED);
  t_nl(t);
}

void t_value_diff(struct tctx *t, const cJSON *old, const cJSON *new)
{
  if(t_equal(old, new))
    return;
  if(cJSON_IsObject(old) && cJSON_IsObject(new)) {
    object_diff(t, old, new);
    return;
  }
  if(old && new && (is_container(old) || is_container(new))) {
    char *a = json_to_text(old, 2), *b = json_to_text(new, 2);
    if(a && b)
      t_text_diff(t, a, b);
    else
      t->out->failed = 1;
    free(a);
    free(b);
  }
  else if(old && new) {
    leaf(t, 0, 1, T_DEL, old);
    leaf(t, 1, 1, T_ADD, new);
  }
  else
    leaf(t, 1, 0, t_change(old, new), old ? old : new);
}
/* }============ */

/* {============ unified text diff */

struct lines {
  const char **at;
  size_t *len;
  size_t n;
};

static int split_lines(const char *s, struct lines *l)
{
  size_t n = 1;
  for(const char *p = s; *p; p++)
    n += *p == '\n';
  l->at = malloc(n * sizeof *l->at);
  l->len = malloc(n * sizeof *l->len);
  l->n = 0;
  if(!l->at || !l->len)
    return -1;
  for(const char *p = s;;) {
    const char *e = strchr(p, '\n');
    l->at[l->n] = p;
    l->len[l->n++] = e ? (size_t)(e - p) : strlen(p);
    if(!e)
      break;
    p = e + 1;
  }
  return 0;
}

static void free_lines(struct lines *l)
{
  free(l->at);
  free(l->len);
}

static int same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
  return a->len[i] == b->len[j] && !memcmp(a->at[i], b->at[j], a->len[i]);
}

/* One edit: ' ' both (i, j), '-' old line i, '+' new line j. */
struct edit {
  char op;
  size_t i, j;
};

/* Past this many cells the middle of two texts is shown as all removed, then all added. */
#define LCS_MAX_CELLS ((size_t)4 << 20)

/* The middle of a diff (after common head and tail): longest common subsequence, removals
** first within each change, as jsdiff orders them. */
static size_t edit_middle(const struct lines *a, const struct lines *b, size_t i0, size_t ia,
                          size_t j0, size_t jb, struct edit *e, size_t ne)
{
  size_t n = ia - i0, m = jb - j0;
  uint32_t *L = NULL;
  if(n && m && (n + 1) * (m + 1) <= LCS_MAX_CELLS)
    L = calloc((n + 1) * (m + 1), sizeof *L);
#define CELL(x, y) L[(x) * (m + 1) + (y)]
  if(L)
    for(size_t x = n; x-- > 0;)
      for(size_t y = m; y-- > 0;)
        CELL(x, y) = same_line(a, i0 + x, b, j0 + y) ? CELL(x + 1, y + 1) + 1
                     : CELL(x + 1, y) >= CELL(x, y + 1) ? CELL(x + 1, y) : CELL(x, y + 1);
  size_t x = 0, y = 0;
  while(x < n || y < m) {
    if(L && x < n && y < m && same_line(a, i0 + x, b, j0 + y)) {
      e[ne++] = (struct edit){' ', i0 + x++, j0 + y++};
    }
    else if(x < n && (!L || y == m || CELL(x + 1, y) >= CELL(x, y + 1))) {
      e[ne++] = (struct edit){'-', i0 + x++, j0 + y};
    }
    else
      e[ne++] = (struct edit){'+', i0 + x, j0 + y++};
  }
#undef CELL
  free(L);
  return ne;
}

static struct edit *edit_script(const struct lines *a, const struct lines *b, size_t *ne)
{
  struct edit *e = malloc((a->n + b->n + 1) * sizeof *e);
  if(!e)
    return NULL;
  size_t head = 0, tail = 0;
  while(head < a->n && head < b->n && same_line(a, head, b, head))
    head++;
  while(tail < a->n - head && tail < b->n - head &&
        same_line(a, a->n - 1 - tail, b, b->n - 1 - tail))
    tail++;
  size_t n = 0;
  for(size_t k = 0; k < head; k++)
    e[n++] = (struct edit){' ', k, k};
  n = edit_middle(a, b, head, a->n - tail, head, b->n - tail, e, n);
  for(size_t k = tail; k > 0; k--)
    e[n++] = (struct edit){' ', a->n - k, b->n - k};
  *ne = n;
  return e;
}

/* The indent every line of a hunk shares (after its marker), which is not shown. */
static size_t hunk_indent(const struct lines *a, const struct lines *b, const struct edit *e,
                          size_t from, size_t to)
{
  size_t indent = SIZE_MAX;
  for(size_t k = from; k < to; k++) {
    const struct lines *l = e[k].op == '+' ? b : a;
    size_t idx = e[k].op == '+' ? e[k].j : e[k].i, s = 0;
    while(s < l->len[idx] && l->at[idx][s] == ' ')
      s++;
    if(s < l->len[idx] && s < indent)
      indent = s;
  }
  return indent == SIZE_MAX ? 0 : indent;
}

static void hunk_line(struct tctx *t, int first, enum tchange k, const char *s, size_t len)
{
  strbuf_puts(t->out, t->pfx.buf ? t->pfx.buf : "");
  strbuf_puts(t->out, first ? "└─ " : "   ");
  t_tag(t, k);
  strbuf_putc(t->out, ' ');
  char *copy = strndup(s, len);
  if(!copy) {
    t->out->failed = 1;
    return;
  }
  t_put(t, k == T_ADD ? T_GREEN : k == T_DEL ? T_RED : T_PLAIN, copy);
  free(copy);
  t_nl(t);
}

static void write_hunk(struct tctx *t, const struct lines *a, const struct lines *b,
                       const struct edit *e, size_t from, size_t to, int first)
{
  size_t ol = 0, nl = 0;
  for(size_t k = from; k < to; k++) {
    ol += e[k].op != '+';
    nl += e[k].op != '-';
  }
  size_t os = ol ? e[from].i + 1 : e[from].i, ns = nl ? e[from].j + 1 : e[from].j;
  char head[96];
  snprintf(head, sizeof head, "@@ -%zu,%zu +%zu,%zu @@", os, ol, ns, nl);
  strbuf_puts(t->out, t->pfx.buf ? t->pfx.buf : "");
  strbuf_puts(t->out, first ? "└─ " : "   ");
  t_put(t, T_MAGENTA, head);
  t_nl(t);
  size_t indent = hunk_indent(a, b, e, from, to);
  for(size_t k = from; k < to; k++) {
    const struct lines *l = e[k].op == '+' ? b : a;
    size_t idx = e[k].op == '+' ? e[k].j : e[k].i;
    size_t skip = indent < l->len[idx] ? indent : l->len[idx];
    enum tchange kind = e[k].op == '+' ? T_ADD : e[k].op == '-' ? T_DEL : T_CTX;
    hunk_line(t, 0, kind, l->at[idx] + skip, l->len[idx] - skip);
  }
}

void t_text_diff(struct tctx *t, const char *old, const char *new)
{
  struct lines a = {0}, b = {0};
  size_t ne = 0;
  struct edit *e = NULL;
  if(split_lines(old, &a) || split_lines(new, &b) || !(e = edit_script(&a, &b, &ne))) {
    t->out->failed = 1;
    goto done;
  }
  size_t c = (size_t)t->context;
  int first = 1;
  for(size_t k = 0; k < ne;) {
    if(e[k].op == ' ') {
      k++;
      continue;
    }
    /* A hunk: back `c` lines of context, then changes until more than 2c unchanged lines. */
    size_t from = k > c ? k - c : 0, end = k;
    for(;;) {
      while(end < ne && e[end].op != ' ')
        end++;
      size_t run = 0;
      while(end + run < ne && e[end + run].op == ' ')
        run++;
      if(end + run < ne && run <= 2 * c) {
        end += run;
        continue;
      }
      end += run < c ? run : c;
      break;
    }
    write_hunk(t, &a, &b, e, from, end, first);
    first = 0;
    k = end;
  }
done:
  free(e);
  free_lines(&a);
  free_lines(&b);
}
/* }============ */

/* {============ intrinsics as text */

const char *t_intrinsic(const cJSON *x)
{
  if(!cJSON_IsObject(x) || !x->child || x->child->next || !x->child->string)
    return NULL;
  const char *k = x->child->string;
  return !strcmp(k, "Ref") || !strncmp(k, "Fn::", 4) ? k : NULL;
}

static int is_novalue(const cJSON *x)
{
  const char *fn = t_intrinsic(x);
  return fn && !strcmp(fn, "Ref") && cJSON_IsString(x->child) &&
         !strcmp(x->child->valuestring, "AWS::NoValue");
}

static cJSON *placeholder(const char *a, const char *b)
{
  struct strbuf s = {0};
  strbuf_printf(&s, "${%s%s%s}", a, b ? "." : "", b ? b : "");
  char *text = strbuf_take(&s);
  cJSON *j = text ? cJSON_CreateString(text) : NULL;
  free(text);
  return j;
}

/* An intrinsic that is not one of the three read as text: {"Fn::X": args} as JSON text. */
static cJSON *as_json_text(const char *fn, const cJSON *args)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, fn, t_render_intrinsics(args));
  char *text = o ? json_to_text(o, 0) : NULL;
  cJSON_Delete(o);
  cJSON *j = text ? cJSON_CreateString(text) : NULL;
  free(text);
  return j;
}

static cJSON *join(const cJSON *args)
{
  const cJSON *sep = cJSON_GetArrayItem(args, 0), *list = cJSON_GetArrayItem(args, 1);
  if(!cJSON_IsString(sep) || !cJSON_IsArray(list) || cJSON_GetArraySize(args) != 2)
    return as_json_text("Fn::Join", args);
  struct strbuf s = {0};
  int n = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, list) {
    if(is_novalue(e))
      continue;
    cJSON *r = t_render_intrinsics(e);
    if(n++)
      strbuf_puts(&s, sep->valuestring);
    if(cJSON_IsString(r))
      strbuf_puts(&s, r->valuestring);
    else if(r)
      json_write(&s, r, 0);
    else
      s.failed = 1;
    cJSON_Delete(r);
  }
  char *text = strbuf_take(&s);
  cJSON *j = text ? cJSON_CreateString(text) : NULL;
  free(text);
  return j;
}

static cJSON *render_intrinsic(const char *fn, const cJSON *args)
{
  if(!strcmp(fn, "Ref") && cJSON_IsString(args))
    return placeholder(args->valuestring, NULL);
  if(!strcmp(fn, "Fn::GetAtt") && cJSON_GetArraySize(args) == 2 &&
     cJSON_IsString(args->child) && cJSON_IsString(args->child->next))
    return placeholder(args->child->valuestring, args->child->next->valuestring);
  if(!strcmp(fn, "Fn::Join"))
    return join(args);
  return as_json_text(fn, args);
}

cJSON *t_render_intrinsics(const cJSON *x)
{
  if(!x || is_novalue(x))
    return NULL;
  const char *fn = t_intrinsic(x);
  if(fn)
    return render_intrinsic(fn, x->child);
  if(!is_container(x))
    return cJSON_Duplicate(x, 0);
  cJSON *r = cJSON_IsArray(x) ? cJSON_CreateArray() : cJSON_CreateObject();
  const cJSON *e;
  cJSON_ArrayForEach(e, x) {
    if(is_novalue(e))
      continue;
    if(cJSON_IsArray(x))
      json_push(r, t_render_intrinsics(e));
    else
      json_put(r, e->string, t_render_intrinsics(e));
  }
  return r;
}
/* }============ */

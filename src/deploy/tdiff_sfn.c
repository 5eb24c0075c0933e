/*
** tdiff_sfn.c: a state machine's definition compared state by state. CloudFormation holds
** it as one string (or an Fn::Join of strings and references), which `cdk diff` shows as
** one opaque line (aws-cdk issue 18880). Here the text is put back together with
** references as ${Logical} / ${Logical.Attr}, parsed, and compared as the States Language
** document it is: StartAt, Comment, TimeoutSeconds..., then each state added, removed or
** changed field by field, Parallel branches and Map processors likewise.
*/
#include "deploy/tdiff_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* {============ the definition as a document */

/* Whether the text so far ends inside a JSON string (quotes not escaped by a backslash). */
static int inside_string(const char *s, int in)
{
  for(; *s; s++) {
    if(in && *s == '\\' && s[1])
      s++;
    else if(*s == '"')
      in = !in;
  }
  return in;
}

/* One reference in the definition text. Inside a JSON string what stands for it is escaped
** as string content; between values (a number from a parameter) it is made a string. */
static void join_ref(struct strbuf *s, const cJSON *part, int in_string)
{
  cJSON *r = t_render_intrinsics(part);
  char *text = cJSON_IsString(r) ? strdup(r->valuestring) : r ? json_to_text(r, 0) : NULL;
  if(!text)
    s->failed = 1;
  else if(in_string)
    json_write_escaped(s, text);
  else
    json_write_string(s, text);
  free(text);
  cJSON_Delete(r);
}

/* The definition text of a DefinitionString value: a string, or Fn::Join of parts. */
static char *definition_text(const cJSON *v)
{
  if(cJSON_IsString(v))
    return strdup(v->valuestring);
  const char *fn = t_intrinsic(v);
  const cJSON *args = fn && !strcmp(fn, "Fn::Join") ? v->child : NULL;
  const cJSON *sep = cJSON_GetArrayItem(args, 0), *parts = cJSON_GetArrayItem(args, 1);
  if(!cJSON_IsString(sep) || !cJSON_IsArray(parts))
    return NULL;
  struct strbuf s = {0};
  int in = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, parts) {
    if(p != parts->child) {
      strbuf_puts(&s, sep->valuestring);
      in = inside_string(sep->valuestring, in);
    }
    if(cJSON_IsString(p)) {
      strbuf_puts(&s, p->valuestring);
      in = inside_string(p->valuestring, in);
    }
    else
      join_ref(&s, p, in);
  }
  return strbuf_take(&s);
}

/* The States Language document a property holds (DefinitionString text, or a Definition
** object with its intrinsics written as text), or NULL when it is not one. */
static cJSON *definition_of(const cJSON *v)
{
  cJSON *doc = NULL;
  if(cJSON_IsObject(v) && !t_intrinsic(v))
    doc = t_render_intrinsics(v);
  else {
    char *text = definition_text(v);
    doc = text ? cJSON_Parse(text) : NULL;
    free(text);
  }
  if(cJSON_IsObject(json_get(doc, "States")))
    return doc;
  cJSON_Delete(doc);
  return NULL;
}
/* }============ */

/* {============ comparing */

static void def_diff(struct tctx *t, const cJSON *old, const cJSON *new);

/* A whole state, branch... on one line, added or removed: "[+] State Name: {...}". */
static void whole(struct tctx *t, int last, const char *what, const char *name,
                  const cJSON *old, const cJSON *new)
{
  enum tchange k = t_change(old, new);
  t_item(t, last);
  t_tag(t, k);
  t_put(t, T_PLAIN, " ");
  t_put(t, T_PLAIN, what);
  t_put(t, T_PLAIN, name);
  t_put(t, T_PLAIN, ": ");
  t_value(t, old ? old : new, k == T_ADD ? T_GREEN : T_RED);
  t_nl(t);
}

static void branches_diff(struct tctx *t, const cJSON *old, const cJSON *new)
{
  int n = cJSON_GetArraySize(old), m = cJSON_GetArraySize(new);
  int count = n > m ? n : m, lastk = -1;
  for(int i = 0; i < count; i++)
    if(!t_equal(cJSON_GetArrayItem(old, i), cJSON_GetArrayItem(new, i)))
      lastk = i;
  for(int i = 0; i <= lastk; i++) {
    const cJSON *o = cJSON_GetArrayItem(old, i), *b = cJSON_GetArrayItem(new, i);
    if(t_equal(o, b))
      continue;
    char name[32];
    snprintf(name, sizeof name, "%d", i + 1);
    if(!o || !b) {
      whole(t, i == lastk, "Branch ", name, o, b);
      continue;
    }
    t_item(t, i == lastk);
    t_tag(t, T_UPD);
    t_put(t, T_PLAIN, " Branch ");
    t_put(t, T_PLAIN, name);
    t_nl(t);
    size_t mark = t_push(t, i == lastk);
    def_diff(t, o, b);
    t_pop(t, mark);
  }
}

/* A field of a state holding nested definitions: Parallel's Branches, Map's processor. */
static int nested_field(const char *key, const cJSON *old, const cJSON *new)
{
  if(!strcmp(key, "Branches"))
    return cJSON_IsArray(old) && cJSON_IsArray(new);
  if(!strcmp(key, "ItemProcessor") || !strcmp(key, "Iterator"))
    return cJSON_IsObject(json_get(old, "States")) && cJSON_IsObject(json_get(new, "States"));
  return 0;
}

static void state_diff(struct tctx *t, const cJSON *old, const cJSON *new)
{
  if(!cJSON_IsObject(old) || !cJSON_IsObject(new)) {
    t_value_diff(t, old, new);
    return;
  }
  size_t n;
  const char **keys = t_changed_keys(old, new, &n);
  if(!keys) {
    t->out->failed = 1;
    return;
  }
  for(size_t i = 0; i < n; i++) {
    const cJSON *o = json_get(old, keys[i]), *b = json_get(new, keys[i]);
    int last = i + 1 == n;
    if(!o || !b) {   /* a field added or removed: with its value, unlike `cdk diff` */
      t_item(t, last);
      t_tag(t, t_change(o, b));
      t_put(t, T_BLUE, " .");
      t_put(t, T_BLUE, keys[i]);
      t_put(t, T_PLAIN, ": ");
      t_value(t, o ? o : b, o ? T_RED : T_GREEN);
      t_nl(t);
      continue;
    }
    if(!nested_field(keys[i], o, b)) {
      t_key_diff(t, last, keys[i], o, b);
      continue;
    }
    t_item(t, last);
    t_tag(t, T_UPD);
    t_put(t, T_BLUE, " .");
    t_put(t, T_BLUE, keys[i]);
    t_put(t, T_PLAIN, ":");
    t_nl(t);
    size_t mark = t_push(t, last);
    if(cJSON_IsArray(o))
      branches_diff(t, o, b);
    else
      def_diff(t, o, b);
    t_pop(t, mark);
  }
  free(keys);
}

/* What differs in a definition: its own fields (sorted), then its states in the order of
** the new definition, then the states only the old one has. */
struct entry {
  const char *name;
  const cJSON *old, *new;
  int state;
};

static size_t collect(const cJSON *old, const cJSON *new, struct entry *e)
{
  size_t n = 0, nk;
  const char **keys = t_changed_keys(old, new, &nk);
  for(size_t i = 0; keys && i < nk; i++)
    if(strcmp(keys[i], "States"))
      e[n++] = (struct entry){keys[i], json_get(old, keys[i]), json_get(new, keys[i]), 0};
  free(keys);
  const cJSON *os = json_get(old, "States"), *ns = json_get(new, "States"), *s;
  cJSON_ArrayForEach(s, ns)
    if(!t_equal(json_get(os, s->string), s))
      e[n++] = (struct entry){s->string, json_get(os, s->string), s, 1};
  cJSON_ArrayForEach(s, os)
    if(!json_get(ns, s->string))
      e[n++] = (struct entry){s->string, s, NULL, 1};
  return n;
}

static void entry_diff(struct tctx *t, const struct entry *e, int last)
{
  if(e->state && (!e->old || !e->new)) {
    whole(t, last, "State ", e->name, e->old, e->new);
    return;
  }
  t_item(t, last);
  t_tag(t, t_change(e->old, e->new));
  t_put(t, T_PLAIN, e->state ? " State " : " ");
  t_put(t, T_PLAIN, e->name);
  t_nl(t);
  size_t mark = t_push(t, last);
  if(e->state)
    state_diff(t, e->old, e->new);
  else
    t_value_diff(t, e->old, e->new);
  t_pop(t, mark);
}

static void def_diff(struct tctx *t, const cJSON *old, const cJSON *new)
{
  size_t cap = (size_t)cJSON_GetArraySize(old) + (size_t)cJSON_GetArraySize(new) +
               (size_t)cJSON_GetArraySize(json_get(old, "States")) +
               (size_t)cJSON_GetArraySize(json_get(new, "States")) + 1;
  struct entry *e = malloc(cap * sizeof *e);
  if(!e) {
    t->out->failed = 1;
    return;
  }
  size_t n = collect(old, new, e);
  for(size_t i = 0; i < n; i++)
    entry_diff(t, &e[i], i + 1 == n);
  free(e);
}
/* }============ */

int tdiff_definition(struct tctx *t, const cJSON *old, const cJSON *new)
{
  cJSON *a = definition_of(old), *b = a ? definition_of(new) : NULL;
  int ok = a && b;
  if(ok && t_equal(a, b)) {
    t_item(t, 1);
    t_put(t, T_GRAY, "(the same states, written differently)");
    t_nl(t);
  }
  else if(ok)
    def_diff(t, a, b);
  cJSON_Delete(a);
  cJSON_Delete(b);
  return ok;
}

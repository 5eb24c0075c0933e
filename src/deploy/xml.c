/*
** xml.c: libexpat reads a response; every element becomes a leaf holding its path and its
** own character data (AWS responses put text only in leaves, so mixed content is not
** kept apart). Linked, not opened with dlopen(): loading libexpat costs a synth about
** 40 thousand instructions (6.20M -> 6.25M on seed01), inside the noise.
*/
#include "deploy/xml.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

struct reader {
  XML_Parser p;
  struct xml_doc *doc;
  struct strbuf path;
  size_t at[XML_MAX_DEPTH + 1];   /* path.len before each open element */
  size_t open[XML_MAX_DEPTH + 1]; /* the leaf index of each open element */
  int depth;
  const char *refusal;            /* why the reader stopped expat, or NULL */
  int nomem;
};

static void stop(struct reader *r, const char *why)
{
  if(!r->refusal)
    r->refusal = why;
  XML_StopParser(r->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
  struct reader *r = ud;
  struct xml_doc *doc = r->doc;
  if(r->depth >= XML_MAX_DEPTH)
    return stop(r, "elements are nested too deeply");
  if(doc->n == doc->cap) {
    size_t cap = doc->cap ? 2 * doc->cap : 16;
    struct xml_leaf *grown = realloc(doc->leaf, cap * sizeof *grown);
    if(!grown)
      return r->nomem = 1, stop(r, "out of memory");
    doc->leaf = grown, doc->cap = cap;
  }
  r->at[r->depth] = r->path.len;
  if(r->depth)
    strbuf_putc(&r->path, '/');
  strbuf_puts(&r->path, name);
  char *path = strdup(r->path.failed ? "" : r->path.buf);
  char *text = strdup("");
  if(r->path.failed || !path || !text) {
    free(path), free(text);
    return r->nomem = 1, stop(r, "out of memory");
  }
  doc->leaf[doc->n] = (struct xml_leaf){path, text};
  r->open[r->depth++] = doc->n++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
  struct reader *r = ud;
  r->depth--;
  r->path.len = r->at[r->depth];
  if(r->path.buf)
    r->path.buf[r->path.len] = '\0';
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
  struct reader *r = ud;
  if(!r->depth)
    return;
  struct xml_leaf *l = &r->doc->leaf[r->open[r->depth - 1]];
  size_t n = strlen(l->text);
  char *grown = realloc(l->text, n + (size_t)len + 1);
  if(!grown)
    return r->nomem = 1, stop(r, "out of memory");
  memcpy(grown + n, s, (size_t)len);
  grown[n + (size_t)len] = '\0';
  l->text = grown;
}

/* A DOCTYPE could declare entities: responses never carry one. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
  stop(ud, "a DOCTYPE declaration is not accepted");
}

enum sfl_status xml_parse(const char *buf, size_t len, struct xml_doc *doc, struct diag *d)
{
  struct sfl_loc none = {0};
  struct reader r = {.doc = doc};
  memset(doc, 0, sizeof *doc);
  if(len > (size_t)0x7fffffff)
    return diag_set(d, SFL_ERR_IO, none, "the XML response is larger than 2 GiB");
  if(!(r.p = XML_ParserCreate("UTF-8")))
    return diag_nomem(d);
  XML_SetUserData(r.p, &r);
  XML_SetElementHandler(r.p, on_start, on_end);
  XML_SetCharacterDataHandler(r.p, on_text);
  XML_SetStartDoctypeDeclHandler(r.p, on_doctype);
  enum XML_Status ok = XML_Parse(r.p, buf, (int)len, XML_TRUE);
  enum sfl_status st = SFL_OK;
  if(r.nomem)
    st = diag_nomem(d);
  else if(ok != XML_STATUS_OK || r.refusal)
    st = diag_set(d, SFL_ERR_IO, none, "the XML response is not valid at line %lu, column "
                  "%lu: %s", (unsigned long)XML_GetCurrentLineNumber(r.p),
                  (unsigned long)XML_GetCurrentColumnNumber(r.p) + 1,
                  r.refusal ? r.refusal : XML_ErrorString(XML_GetErrorCode(r.p)));
  XML_ParserFree(r.p);
  strbuf_free(&r.path);
  if(st)
    xml_free(doc);
  return st;
}

/* Whether path ends with tail at a '/' boundary. */
static int has_tail(const char *path, const char *tail)
{
  size_t n = strlen(path), t = strlen(tail);
  return n >= t && !strcmp(path + n - t, tail) && (n == t || path[n - t - 1] == '/');
}

const char *xml_find(const struct xml_doc *doc, const char *tail)
{
  for(size_t i = 0; i < doc->n; i++)
    if(has_tail(doc->leaf[i].path, tail))
      return doc->leaf[i].text;
  return NULL;
}

/* Leaves are in document order, so an element's descendants follow it: every leaf whose
** path continues the element's path past a '/'. */
int xml_next(const struct xml_doc *doc, const char *tail, size_t *cursor,
             struct xml_doc *member)
{
  for(size_t i = *cursor; i < doc->n; i++) {
    const char *p = doc->leaf[i].path;
    if(!has_tail(p, tail))
      continue;
    size_t len = strlen(p), end = i + 1;
    while(end < doc->n && !strncmp(doc->leaf[end].path, p, len)
          && doc->leaf[end].path[len] == '/')
      end++;
    *member = (struct xml_doc){doc->leaf + i, end - i, 0};
    *cursor = end;
    return 1;
  }
  *cursor = doc->n;
  return 0;
}

size_t xml_count(const struct xml_doc *doc, const char *tail)
{
  size_t n = 0, at = 0;
  for(struct xml_doc m; xml_next(doc, tail, &at, &m);)
    n++;
  return n;
}

char *xml_aws_error(const struct xml_doc *doc)
{
  const char *code = xml_find(doc, "Error/Code");
  const char *message = xml_find(doc, "Error/Message");
  if(!code)
    return NULL;
  struct strbuf b = {0};
  strbuf_puts(&b, code);
  if(message && *message)
    strbuf_printf(&b, ": %s", message);
  return strbuf_take(&b);
}

void xml_free(struct xml_doc *doc)
{
  for(size_t i = 0; i < doc->n; i++) {
    free(doc->leaf[i].path);
    free(doc->leaf[i].text);
  }
  free(doc->leaf);
  memset(doc, 0, sizeof *doc);
}

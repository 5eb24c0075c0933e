/*
** graph.c: graph_write(), the entry point. It builds the drawing model once and hands it
** to the writer of the format asked for (a table, one row per format); SVG and PNG are
** the DOT text laid out by Graphviz's dot engine and rendered by libgvc in the process.
** Graphviz reports problems through a process-wide error channel that prints to stderr:
** while it runs, its error level is raised so nothing is printed, and the message it kept
** (aglasterr) becomes the diag text when a step fails.
*/
#include "graph/graph.h"
#include "graph/model.h"

#include <stdlib.h>
#include <string.h>
#include <gvc.h>

/*
** PNG is drawn at 144 dpi, sharp on high-density screens (SVG keeps Graphviz's 72). Cairo
** cannot make a bitmap over 32767 pixels a side; past that it shrinks the picture and says
** so on stderr, so a bigger drawing is shrunk beforehand to 220 inches (31680 pixels).
*/
#define PNG_DPI "144"
#define PNG_SIZE "220,220"

static const struct format_info {
  const char *name;
  enum graph_format fmt;
  void (*write)(const struct graph_model *m, struct strbuf *b);   /* NULL: via Graphviz */
  const char *gv_format;   /* Graphviz's name for the output */
  const char *dpi, *size;  /* graph attributes set for Graphviz only, or NULL */
} formats[] = {
  {"dot", GRAPH_DOT, graph_dot_write, NULL, NULL, NULL},
  {"mermaid", GRAPH_MERMAID, graph_mermaid_write, NULL, NULL, NULL},
  {"text", GRAPH_TEXT, graph_text_write, NULL, NULL, NULL},
  {"svg", GRAPH_SVG, NULL, "svg", NULL, NULL},
  {"png", GRAPH_PNG, NULL, "png", PNG_DPI, PNG_SIZE},
  {NULL, GRAPH_DOT, NULL, NULL, NULL, NULL}
};

static const struct format_info *find(enum graph_format fmt)
{
  for(const struct format_info *f = formats; f->name; f++)
    if(f->fmt == fmt)
      return f;
  return NULL;
}

int graph_format_parse(const char *name, enum graph_format *fmt)
{
  for(const struct format_info *f = formats; f->name; f++)
    if(name && !strcmp(f->name, name)) {
      *fmt = f->fmt;
      return 0;
    }
  return -1;
}

const char *graph_format_name(enum graph_format fmt)
{
  const struct format_info *f = find(fmt);
  return f ? f->name : "?";
}

int graph_format_binary(enum graph_format fmt)
{
  return fmt == GRAPH_PNG;
}

/* {====== Graphviz */

static enum sfl_status gv_failed(struct diag *d, const char *step)
{
  char *msg = aglasterr();   /* malloc'd, or NULL when Graphviz said nothing */
  size_t n = msg ? strlen(msg) : 0;
  while(n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    msg[--n] = '\0';
  struct sfl_loc none = {0};
  diag_set(d, SFL_ERR_IO, none, "Graphviz could not %s%s%s", step, n ? ": " : "",
           n ? msg : "");
  free(msg);
  return SFL_ERR_IO;
}

/*
** The Graphviz context, one for the whole process and never freed. Graphviz 2.43's pango
** text-layout plugin remembers the last font name in a static pointer into the context's
** font table; once that context is freed, the next context's first label makes the plugin
** read freed memory (ASan: heap-use-after-free in pango_textlayout, reached from
** gvLayout). Keeping the first context alive is the only cure short of patching Graphviz,
** so this pointer is sfl's one piece of process-wide state, as thread-unsafe as Graphviz.
*/
static GVC_t *context(void)
{
  static GVC_t *gvc;
  if(!gvc)
    gvc = gvContext();
  return gvc;
}

/* Lays out `dot` and appends it rendered as f->gv_format to `out`. */
static enum sfl_status render(const char *dot, const struct format_info *f,
                              struct strbuf *out, struct diag *d)
{
  agerrlevel_t level = agseterr(AGMAX);
  enum sfl_status result = SFL_OK;
  Agraph_t *g = NULL;
  char *data = NULL;
  unsigned int len = 0;
  int laid_out = 0;
  GVC_t *gvc = context();
  if(gvc)
    g = agmemread(dot);
  if(!gvc)
    result = gv_failed(d, "start");
  else if(!g)
    result = gv_failed(d, "read the graph");
  else {
    if(f->dpi)
      agsafeset(g, "dpi", (char *)f->dpi, "");
    if(f->size)
      agsafeset(g, "size", (char *)f->size, "");
    laid_out = !gvLayout(gvc, g, "dot");
    if(!laid_out)
      result = gv_failed(d, "lay out the graph");
    else if(gvRenderData(gvc, g, f->gv_format, &data, &len))
      result = gv_failed(d, "render the graph");
    else
      strbuf_add(out, data, len);
  }
  gvFreeRenderData(data);
  if(laid_out)
    gvFreeLayout(gvc, g);
  if(g)
    agclose(g);
  agseterr(level);
  return result;
}

/* }====== */

enum sfl_status graph_write(const cJSON *asl, enum graph_format fmt, struct strbuf *out,
                            struct diag *d)
{
  const struct format_info *f = find(fmt);
  struct sfl_loc none = {0};
  if(!f)
    return diag_set(d, SFL_ERR_INVALID, none, "unknown graph format %d", (int)fmt);
  size_t before = out->len;
  struct graph_model *m;
  enum sfl_status result = graph_model_build(asl, &m, d);
  if(result)
    return result;
  if(f->write)
    f->write(m, out);
  else {
    struct strbuf dot = {0};
    graph_dot_write(m, &dot);
    result = dot.failed ? diag_nomem(d) : render(dot.buf, f, out, d);
    strbuf_free(&dot);
  }
  graph_model_free(m);
  if(!result && out->failed)
    result = diag_nomem(d);
  if(result && out->buf && !out->failed) {
    out->len = before;
    out->buf[before] = '\0';
  }
  return result;
}

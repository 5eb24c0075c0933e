/*
** graph.c: graph_write(), the entry point. It builds the drawing model once and hands it
** to the writer of the format asked for (a table, one row per format); SVG and PNG are
** the DOT text laid out by Graphviz's dot engine and rendered by libgvc in the process.
** Graphviz reports problems through a process-wide error channel that prints to stderr:
** while it runs, its error level is raised so nothing is printed, and the message it kept
** (aglasterr) becomes the diag text when a step fails.
**
** libgvc and libcgraph are opened with dlopen() the first time a picture needs them, not
** linked: they and the five libraries under them took ~2 ms off the start of every sfl
** process, synth included, that never draws.
*/
#include "graph/graph.h"
#include "graph/model.h"

#include "core/dynlib.h"

#include <stddef.h>
#include <stdio.h>
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

/* The Graphviz calls sfl makes, typed from Graphviz's own headers. */
static struct gv_api {
  __typeof__(&gvContext) context;
  __typeof__(&gvLayout) layout;
  __typeof__(&gvRenderData) render_data;
  __typeof__(&gvFreeRenderData) free_render_data;
  __typeof__(&gvFreeLayout) free_layout;
  __typeof__(&agmemread) memread;
  __typeof__(&agsafeset) safeset;
  __typeof__(&agclose) close;
  __typeof__(&agseterr) seterr;
  __typeof__(&aglasterr) lasterr;
} gv;

static const struct dynlib_symbol gvc_symbols[] = {
  DYNLIB_SYMBOL(gv, "gvContext", context),
  DYNLIB_SYMBOL(gv, "gvLayout", layout),
  DYNLIB_SYMBOL(gv, "gvRenderData", render_data),
  DYNLIB_SYMBOL(gv, "gvFreeRenderData", free_render_data),
  DYNLIB_SYMBOL(gv, "gvFreeLayout", free_layout),
};

static const struct dynlib_symbol cgraph_symbols[] = {
  DYNLIB_SYMBOL(gv, "agmemread", memread),
  DYNLIB_SYMBOL(gv, "agsafeset", safeset),
  DYNLIB_SYMBOL(gv, "agclose", close),
  DYNLIB_SYMBOL(gv, "agseterr", seterr),
  DYNLIB_SYMBOL(gv, "aglasterr", lasterr),
};

/*
** Opens Graphviz once for the process (the libraries stay loaded, like the context below).
** A machine without the runtime packages gets a message that names them.
*/
static enum sfl_status gv_load(struct diag *d)
{
  static const struct {
    const char *soname;
    const struct dynlib_symbol *symbols;
    size_t n;
  } libs[] = {
    {SFL_GVC_SONAME, gvc_symbols, sizeof gvc_symbols / sizeof *gvc_symbols},
    {SFL_CGRAPH_SONAME, cgraph_symbols, sizeof cgraph_symbols / sizeof *cgraph_symbols},
  };
  static int loaded;
  if(loaded)
    return SFL_OK;
  for(size_t i = 0; i < sizeof libs / sizeof *libs; i++) {
    void *h;
    enum sfl_status st = dynlib_open(libs[i].soname, "SVG and PNG pictures need Graphviz",
                                     "libgvc6, or ask for --format dot, mermaid or text", 1, &h,
                                     d);
    if(!st)
      st = dynlib_find(h, libs[i].soname, libs[i].symbols, libs[i].n, &gv, d);
    if(st)
      return st;
  }
  loaded = 1;
  return SFL_OK;
}

static enum sfl_status gv_failed(struct diag *d, const char *step)
{
  char *msg = gv.lasterr();   /* malloc'd, or NULL when Graphviz said nothing */
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
    gvc = gv.context();
  return gvc;
}

/* Lays out `dot` and appends it rendered as f->gv_format to `out`. */
static enum sfl_status render(const char *dot, const struct format_info *f,
                              struct strbuf *out, struct diag *d)
{
  enum sfl_status result = gv_load(d);
  if(result)
    return result;
  agerrlevel_t level = gv.seterr(AGMAX);
  Agraph_t *g = NULL;
  char *data = NULL;
  unsigned int len = 0;
  int laid_out = 0;
  GVC_t *gvc = context();
  if(gvc)
    g = gv.memread(dot);
  if(!gvc)
    result = gv_failed(d, "start");
  else if(!g)
    result = gv_failed(d, "read the graph");
  else {
    if(f->dpi)
      gv.safeset(g, "dpi", (char *)f->dpi, "");
    if(f->size)
      gv.safeset(g, "size", (char *)f->size, "");
    laid_out = !gv.layout(gvc, g, "dot");
    if(!laid_out)
      result = gv_failed(d, "lay out the graph");
    else if(gv.render_data(gvc, g, f->gv_format, &data, &len))
      result = gv_failed(d, "render the graph");
    else
      strbuf_add(out, data, len);
  }
  gv.free_render_data(data);
  if(laid_out)
    gv.free_layout(gvc, g);
  if(g)
    gv.close(g);
  gv.seterr(level);
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

/*
** dot.c: the model as Graphviz DOT, drawn the way the Step Functions console draws a
** workflow: Start and End circles, a rounded box per state with its name in bold and its
** type (and Lambda function, retries) in small print, a diamond per Choice, Succeed green
** and Fail red, Catch edges dashed and red, and every Parallel branch or Map item
** processor a dashed cluster. Node ids are the quoted state names; every label is an
** HTML-like label (XML-escaped), so no name can reach DOT's own escape sequences.
*/
#include "graph/model.h"

#include <stdio.h>

static const char *const node_attrs[GK_COUNT] = {
  [GK_START] = "shape=circle, fixedsize=true, width=0.55, fillcolor=\"#e9edf1\", fontsize=9",
  [GK_END] = "shape=doublecircle, fixedsize=true, width=0.45, fillcolor=\"#e9edf1\", "
             "fontsize=9",
  [GK_PASS] = "fillcolor=\"#f3f4f6\"",
  [GK_CHOICE] = "shape=diamond, style=filled, fillcolor=\"#fff5d6\", color=\"#b08800\"",
  [GK_PARALLEL] = "fillcolor=\"#eaf0fb\"",
  [GK_MAP] = "fillcolor=\"#eaf0fb\"",
  [GK_SUCCEED] = "fillcolor=\"#e2f3e0\", color=\"#2e7d32\"",
  [GK_FAIL] = "fillcolor=\"#fbe4e2\", color=\"#c62828\"",
};

static const struct {
  const char *attrs;     /* NULL for a plain arrow */
  const char *font;      /* how the label is set: "I" (italic) or NULL */
} edge_style[] = {
  [GE_NEXT] = {NULL, NULL},
  [GE_RULE] = {NULL, NULL},
  [GE_DEFAULT] = {"style=bold", "I"},
  [GE_CATCH] = {"style=dashed, color=\"#c62828\", fontcolor=\"#c62828\"", NULL},
  [GE_BRANCH] = {NULL, NULL},
  [GE_EXIT] = {NULL, NULL},
};

#define SMALL "<FONT POINT-SIZE=\"9\" COLOR=\"#5b6777\">"
#define RETRY "<FONT POINT-SIZE=\"8\" COLOR=\"#8a5a00\">"

struct dot {
  const struct graph_model *m;
  struct strbuf *b;
  int depth;             /* clusters open */
};

/* Inside a quoted DOT id: only '"' and '\' are special; controls are made visible. */
static const char *id_esc(int c, char *tmp)
{
  if(c == '"')
    return "\\\"";
  if(c == '\\')
    return "\\\\";
  if(c == '\n')
    return "\\n";
  if(c < 0x20 || c == 0x7f || (c & GRAPH_BAD_BYTE)) {
    snprintf(tmp, 16, "\\x%02x", c & 0xff);
    return tmp;
  }
  return NULL;
}

/* Inside an HTML-like label: XML's escapes, a line break per newline. */
static const char *html_esc(int c, char *tmp)
{
  switch(c) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\n': return "<BR/>";
  case '\t': return " ";
  }
  if(c < 0x20 || c == 0x7f || (c & GRAPH_BAD_BYTE))
    return GRAPH_REPLACEMENT;
  return NULL;
}

static void indent(struct dot *w)
{
  for(int i = 0; i <= w->depth; i++)
    strbuf_puts(w->b, "  ");
}

static void put_id(struct strbuf *b, const char *id)
{
  strbuf_putc(b, '"');
  graph_escape(b, id, id_esc);
  strbuf_putc(b, '"');
}

static void put_html(struct dot *w, const char *s)
{
  graph_escape(w->b, graph_wrap(w->m->arena, s, GRAPH_WRAP), html_esc);
}

static void put_label(struct dot *w, const struct graph_node *n)
{
  struct strbuf *b = w->b;
  if(n->kind == GK_START || n->kind == GK_END) {
    strbuf_printf(b, "label=\"%s\"", n->name);
    return;
  }
  strbuf_puts(b, "label=<<B>");
  graph_escape(b, n->name, html_esc);
  strbuf_puts(b, "</B><BR/>" SMALL);
  graph_escape(b, n->type, html_esc);
  if(n->detail) {
    strbuf_puts(b, " \xC2\xB7 ");   /* · */
    graph_escape(b, n->detail, html_esc);
  }
  strbuf_puts(b, "</FONT>");
  for(size_t i = 0; i < n->nretry; i++) {
    strbuf_puts(b, "<BR/>" RETRY);
    put_html(w, n->retry[i]);
    strbuf_puts(b, "</FONT>");
  }
  strbuf_putc(b, '>');
}

static void put_node(struct dot *w, const struct graph_node *n)
{
  indent(w);
  put_id(w->b, n->id);
  strbuf_puts(w->b, " [");
  put_label(w, n);
  if(node_attrs[n->kind]) {
    strbuf_puts(w->b, ", ");
    strbuf_puts(w->b, node_attrs[n->kind]);
  }
  strbuf_puts(w->b, "];\n");
}

static void put_edge(struct dot *w, const struct graph_edge *e)
{
  struct strbuf *b = w->b;
  const char *attrs = edge_style[e->kind].attrs, *font = edge_style[e->kind].font;
  strbuf_puts(b, "  ");
  put_id(b, w->m->nodes[e->from].id);
  strbuf_puts(b, " -> ");
  put_id(b, w->m->nodes[e->to].id);
  if(!e->label && !attrs) {
    strbuf_puts(b, ";\n");
    return;
  }
  strbuf_puts(b, " [");
  if(e->label) {
    strbuf_puts(b, "label=<");
    if(font)
      strbuf_printf(b, "<%s>", font);
    put_html(w, e->label);
    if(font)
      strbuf_printf(b, "</%s>", font);
    strbuf_puts(b, attrs ? ">, " : ">");
  }
  if(attrs)
    strbuf_puts(b, attrs);
  strbuf_puts(b, "];\n");
}

static void cluster(void *ctx, int c, int entering)
{
  struct dot *w = ctx;
  const struct graph_cluster *cl = &w->m->clusters[c];
  if(!entering) {
    w->depth--;
    indent(w);
    strbuf_puts(w->b, "}\n");
    return;
  }
  indent(w);
  strbuf_printf(w->b, "subgraph \"cluster_%d\" {\n", c);
  w->depth++;
  indent(w);
  strbuf_puts(w->b, "graph [label=<<B>");
  graph_escape(w->b, w->m->nodes[cl->owner].name, html_esc);
  strbuf_puts(w->b, "</B> \xC2\xB7 ");
  graph_escape(w->b, cl->part, html_esc);
  strbuf_puts(w->b, ">, labeljust=l, style=\"rounded,dashed\", color=\"#8d99a6\", "
                    "fontcolor=\"#5b6777\", fontsize=10];\n");
}

void graph_dot_write(const struct graph_model *m, struct strbuf *b)
{
  struct dot w = {m, b, 0};
  int cur = -1;
  strbuf_puts(b,
    "digraph \"state machine\" {\n"
    "  graph [fontname=\"Helvetica\", nodesep=0.4, ranksep=0.45, pad=0.2];\n"
    "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#5b6777\", "
    "fontname=\"Helvetica\", fontsize=11, margin=\"0.16,0.06\"];\n"
    "  edge [color=\"#5b6777\", fontname=\"Helvetica\", fontsize=9, fontcolor=\"#3d4752\", "
    "arrowsize=0.7];\n");
  put_node(&w, &m->nodes[0]);
  for(size_t i = GRAPH_FIRST_STATE; i < m->nnodes; i++) {
    graph_model_enter(m, &cur, m->nodes[i].cluster, cluster, &w);
    put_node(&w, &m->nodes[i]);
  }
  graph_model_enter(m, &cur, -1, cluster, &w);
  put_node(&w, &m->nodes[1]);
  for(size_t i = 0; i < m->nedges; i++)
    put_edge(&w, &m->edges[i]);
  strbuf_puts(b, "}\n");
}

/*
** mermaid.c: the model as a Mermaid flowchart (for Markdown on GitHub and in docs). Node
** ids are made up (start, s0, s1, ..., finish) because Mermaid ids cannot hold arbitrary
** text; names go into quoted labels with Mermaid's entity escapes (#quot; and friends),
** so brackets, pipes and quotes in a state name cannot end a label early. Shapes follow
** the DOT picture: circles for Start and End, rounded boxes, a rhombus per Choice,
** subroutine boxes for Parallel and Map, dashed Catch links, one subgraph per branch.
*/
#include "graph/model.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *open, *close;
  const char *cls;        /* classDef it gets, or NULL */
} shapes[GK_COUNT] = {
  [GK_START] = {"((", "))", "terminal"},
  [GK_END] = {"(((", ")))", "terminal"},
  [GK_TASK] = {"(", ")", NULL},
  [GK_PASS] = {"(", ")", "pass"},
  [GK_WAIT] = {"(", ")", NULL},
  [GK_CHOICE] = {"{", "}", "choice"},
  [GK_PARALLEL] = {"[[", "]]", "parallel"},
  [GK_MAP] = {"[[", "]]", "parallel"},
  [GK_SUCCEED] = {"([", "])", "succeed"},
  [GK_FAIL] = {"([", "])", "fail"},
  [GK_OTHER] = {"(", ")", NULL},
};

static const struct {
  const char *name, *style;
} classes[] = {
  {"terminal", "fill:#e9edf1,stroke:#5b6777"},
  {"pass", "fill:#f3f4f6,stroke:#5b6777"},
  {"choice", "fill:#fff5d6,stroke:#b08800"},
  {"parallel", "fill:#eaf0fb,stroke:#5b6777"},
  {"succeed", "fill:#e2f3e0,stroke:#2e7d32"},
  {"fail", "fill:#fbe4e2,stroke:#c62828"},
  {NULL, NULL}
};

static const char *const arrows[] = {
  [GE_NEXT] = "-->", [GE_RULE] = "-->", [GE_DEFAULT] = "==>", [GE_CATCH] = "-.->",
  [GE_BRANCH] = "-->", [GE_EXIT] = "-->",
};

struct mermaid {
  const struct graph_model *m;
  struct strbuf *b;
  int depth;
};

/* Inside a quoted Mermaid label: entity codes for what Mermaid or HTML would read. */
static const char *label_esc(int c, char *tmp)
{
  switch(c) {
  case '"': return "#quot;";
  case '#': return "#35;";
  case '&': return "#amp;";
  case '<': return "#lt;";
  case '>': return "#gt;";
  case '|': return "#124;";
  case '\n': return "<br/>";
  case '\t': return " ";
  }
  if(c < 0x20 || c == 0x7f || (c & GRAPH_BAD_BYTE))
    return GRAPH_REPLACEMENT;
  return NULL;
}

static void put_id(struct strbuf *b, size_t i)
{
  if(i == 0)
    strbuf_puts(b, "start");
  else if(i == 1)
    strbuf_puts(b, "finish");
  else
    strbuf_printf(b, "s%zu", i - GRAPH_FIRST_STATE);
}

/* The k-th node in the order they are drawn: Start, the states, End. */
static size_t drawn(const struct graph_model *m, size_t k)
{
  return k == 0 ? 0 : k == m->nnodes - 1 ? 1 : k + 1;
}

static void indent(struct mermaid *w)
{
  for(int i = 0; i <= w->depth; i++)
    strbuf_puts(w->b, "  ");
}

static void put_text(struct mermaid *w, const char *s)
{
  graph_escape(w->b, graph_wrap(w->m->arena, s, GRAPH_WRAP), label_esc);
}

static void put_node(struct mermaid *w, size_t i)
{
  const struct graph_node *n = &w->m->nodes[i];
  struct strbuf *b = w->b;
  indent(w);
  put_id(b, i);
  strbuf_puts(b, shapes[n->kind].open);
  strbuf_putc(b, '"');
  graph_escape(b, n->name, label_esc);
  if(n->type) {
    strbuf_puts(b, "<br/>");
    graph_escape(b, n->type, label_esc);
  }
  if(n->detail) {
    strbuf_puts(b, " \xC2\xB7 ");   /* · */
    graph_escape(b, n->detail, label_esc);
  }
  for(size_t r = 0; r < n->nretry; r++) {
    strbuf_puts(b, "<br/>");
    put_text(w, n->retry[r]);
  }
  strbuf_putc(b, '"');
  strbuf_puts(b, shapes[n->kind].close);
  strbuf_putc(b, '\n');
}

static void subgraph(void *ctx, int c, int entering)
{
  struct mermaid *w = ctx;
  if(!entering) {
    w->depth--;
    indent(w);
    strbuf_puts(w->b, "end\n");
    return;
  }
  indent(w);
  strbuf_printf(w->b, "subgraph c%d[\"", c);
  graph_escape(w->b, w->m->clusters[c].title, label_esc);
  strbuf_puts(w->b, "\"]\n");
  w->depth++;
}

static void put_edge(struct mermaid *w, const struct graph_edge *e)
{
  struct strbuf *b = w->b;
  strbuf_puts(b, "  ");
  put_id(b, (size_t)e->from);
  strbuf_printf(b, " %s", arrows[e->kind]);
  if(e->label) {
    strbuf_puts(b, "|\"");
    put_text(w, e->label);
    strbuf_puts(b, "\"|");
  }
  strbuf_putc(b, ' ');
  put_id(b, (size_t)e->to);
  strbuf_putc(b, '\n');
}

/* "classDef fail ..." and "class s3,s7 fail" for each class some node has. */
static void put_classes(struct mermaid *w)
{
  const struct graph_model *m = w->m;
  for(size_t c = 0; classes[c].name; c++) {
    const char *sep = NULL;
    for(size_t i = 0; i < m->nnodes; i++) {
      size_t node = drawn(m, i);
      const char *cls = shapes[m->nodes[node].kind].cls;
      if(!cls || strcmp(cls, classes[c].name))
        continue;
      if(!sep)
        strbuf_printf(w->b, "  classDef %s %s\n  class ", classes[c].name, classes[c].style);
      strbuf_puts(w->b, sep ? sep : "");
      put_id(w->b, node);
      sep = ",";
    }
    if(sep)
      strbuf_printf(w->b, " %s\n", classes[c].name);
  }
}

void graph_mermaid_write(const struct graph_model *m, struct strbuf *b)
{
  struct mermaid w = {m, b, 0};
  int cur = -1;
  strbuf_puts(b, "flowchart TD\n");
  put_node(&w, 0);
  for(size_t i = GRAPH_FIRST_STATE; i < m->nnodes; i++) {
    graph_model_enter(m, &cur, m->nodes[i].cluster, subgraph, &w);
    put_node(&w, i);
  }
  graph_model_enter(m, &cur, -1, subgraph, &w);
  put_node(&w, 1);
  for(size_t i = 0; i < m->nedges; i++)
    put_edge(&w, &m->edges[i]);
  put_classes(&w);
}

/*
** text.c: the model as plain text, for a terminal over SSH where no picture can be shown.
** One line per state in document order, "name (Type, detail) -> next", then its retries,
** Choice rules, Default and Catches indented under it; a Parallel's branches and a Map's
** item processor are indented under their state as "Branch 1:" blocks. Unlike the
** pictures, a branch's last state says "(end of branch)": the Parallel's own line says
** where things go on. Control characters in names are escaped C-style, so a hostile name
** cannot move the cursor or fake a line.
*/
#include "graph/model.h"

#include <stdio.h>

struct text {
  const struct graph_model *m;
  struct strbuf *b;
};

static const char *text_esc(int c, char *tmp)
{
  switch(c) {
  case '\n': return "\\n";
  case '\r': return "\\r";
  case '\t': return "\\t";
  }
  if(c < 0x20 || c == 0x7f || (c & GRAPH_BAD_BYTE)) {
    snprintf(tmp, 16, "\\x%02x", c & 0xff);
    return tmp;
  }
  return NULL;
}

static void spaces(struct strbuf *b, int n)
{
  for(int i = 0; i < n; i++)
    strbuf_putc(b, ' ');
}

/* States of clusters at depth d start at column 4d; their notes and branches at 4d + 2. */
static int column(const struct graph_model *m, int cluster)
{
  return cluster < 0 ? 0 : 4 * m->clusters[cluster].depth;
}

static void put(struct strbuf *b, const char *s)
{
  graph_escape(b, s, text_esc);
}

static void put_target(struct text *w, int to)
{
  strbuf_puts(w->b, " -> ");
  put(w->b, w->m->nodes[to].name);
}

static void branch(void *ctx, int c, int entering)
{
  struct text *w = ctx;
  if(!entering)
    return;
  spaces(w->b, column(w->m, c) - 2);
  put(w->b, w->m->clusters[c].part);
  strbuf_puts(w->b, ":\n");
}

/* What a state that ends says: End for the machine, the end of its branch inside one. */
static void put_end(struct text *w, const struct graph_node *n)
{
  const struct graph_model *m = w->m;
  if(n->cluster < 0) {
    strbuf_puts(w->b, " -> End");
    return;
  }
  int map = m->nodes[m->clusters[n->cluster].owner].kind == GK_MAP;
  strbuf_puts(w->b, map ? " -> (end of item)" : " -> (end of branch)");
}

static void put_header(struct text *w, const struct graph_node *n)
{
  struct strbuf *b = w->b;
  spaces(b, column(w->m, n->cluster));
  put(b, n->name);
  strbuf_puts(b, " (");
  put(b, n->type);
  if(n->detail) {
    strbuf_puts(b, ", ");
    put(b, n->detail);
  }
  strbuf_putc(b, ')');
  if(n->next >= 0)
    put_target(w, n->next);
  else if(n->ends)
    put_end(w, n);
  strbuf_putc(b, '\n');
}

/* The state's notes, then its Choice rules, Default and Catches (edges from it, in order). */
static void put_notes(struct text *w, const struct graph_node *n, size_t i, size_t *e)
{
  const struct graph_model *m = w->m;
  struct strbuf *b = w->b;
  int col = column(m, n->cluster) + 2;
  for(size_t r = 0; r < n->nretry; r++) {
    spaces(b, col);
    put(b, n->retry[r]);
    strbuf_putc(b, '\n');
  }
  for(; *e < m->nedges && m->edges[*e].from == (int)i; (*e)++) {
    const struct graph_edge *edge = &m->edges[*e];
    if(edge->kind != GE_RULE && edge->kind != GE_DEFAULT && edge->kind != GE_CATCH)
      continue;
    spaces(b, col);
    if(edge->kind == GE_CATCH)
      strbuf_puts(b, "Catch: ");
    put(b, edge->label);
    put_target(w, edge->to);
    strbuf_putc(b, '\n');
  }
}

void graph_text_write(const struct graph_model *m, struct strbuf *b)
{
  struct text w = {m, b};
  int cur = -1;
  size_t e = 0;
  for(; e < m->nedges && m->edges[e].from == 0; e++) {
    strbuf_puts(b, "Start");
    put_target(&w, m->edges[e].to);
    strbuf_putc(b, '\n');
  }
  for(size_t i = GRAPH_FIRST_STATE; i < m->nnodes; i++) {
    const struct graph_node *n = &m->nodes[i];
    graph_model_enter(m, &cur, n->cluster, branch, &w);
    while(e < m->nedges && m->edges[e].from < (int)i)
      e++;
    put_header(&w, n);
    put_notes(&w, n, i, &e);
  }
}

/*
** model.h: the one drawing model every graph writer reads (internal to src/graph/).
**
** graph_model_build() turns an ASL document into nodes, edges and clusters in document
** order: node 0 is Start, node 1 is End, the states follow in pre-order (a Parallel or Map
** state, then the states of its branches, then the states after it). A cluster is one
** Parallel branch or one Map item processor; its nodes are contiguous in that order.
** Edges come grouped by the node they leave, in node order (Start's first).
** Everything (strings included) lives in the model's arena and goes with
** graph_model_free(); state names point into the ASL document, which must outlive it.
** Writers may put scratch strings (wrapped labels) into that arena too.
*/
#ifndef SFL_GRAPH_MODEL_H
#define SFL_GRAPH_MODEL_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/strbuf.h"

#define GRAPH_FIRST_STATE 2   /* nodes[0] is Start, nodes[1] is End */
#define GRAPH_WRAP 56         /* long labels break after ", " past this many characters */

enum graph_kind {
  GK_START, GK_END, GK_TASK, GK_PASS, GK_WAIT, GK_CHOICE, GK_PARALLEL, GK_MAP,
  GK_SUCCEED, GK_FAIL, GK_OTHER,
  GK_COUNT
};

enum graph_edge_kind {
  GE_NEXT,      /* Next, or Start to the first state */
  GE_RULE,      /* a Choice rule; label: the condition */
  GE_DEFAULT,   /* a Choice's Default; label "Default" */
  GE_CATCH,     /* a Catch; label: the error names */
  GE_BRANCH,    /* a Parallel or Map to the first state of a branch */
  GE_EXIT       /* a last state of a branch (or of the machine) to where things go on */
};

struct graph_node {
  enum graph_kind kind;
  const char *name;      /* the state's name; "Start" / "End" */
  const char *type;      /* "Task" as written; NULL for Start and End */
  const char *detail;    /* "Lambda: HelloFn", "Error: Failed", "10 s"; or NULL */
  const char **retry;    /* nretry lines, "Retry: States.ALL ×3" */
  size_t nretry;
  const char *id;        /* unique among nodes: the name unless taken (DOT ids) */
  int cluster;           /* innermost cluster, -1 at the top level */
  int next;              /* the node "Next" names, else -1 */
  int ends;              /* End: true, or a Succeed state */
};

struct graph_edge {
  int from, to;
  enum graph_edge_kind kind;
  const char *label;     /* unwrapped (writers wrap it); NULL when unlabelled */
};

struct graph_cluster {
  int parent;            /* enclosing cluster, -1 at the top level */
  int owner;             /* the Parallel or Map node */
  int depth;             /* 1 for a cluster at the top level */
  const char *part;      /* "Branch 1", "Item processor", "Iterator" */
  const char *title;     /* "<owner name>: <part>" */
};

struct graph_model {
  struct arena *arena;
  struct graph_node *nodes;
  struct graph_edge *edges;
  struct graph_cluster *clusters;
  size_t nnodes, nedges, nclusters;
  size_t cap_nodes, cap_edges, cap_clusters;
};

/* Sets *out to a new model (graph_model_free), or fails with `d` filled and *out NULL. */
enum sfl_status graph_model_build(const cJSON *asl, struct graph_model **out, struct diag *d);
void graph_model_free(struct graph_model *m);

/*
** Walking the nodes in order, the writers keep the clusters open that hold the current
** node. graph_model_enter() moves from cluster *cur to cluster `to`, calling fn(ctx, c, 0)
** for each cluster left (innermost first) and fn(ctx, c, 1) for each entered.
*/
void graph_model_enter(const struct graph_model *m, int *cur, int to,
                       void (*fn)(void *ctx, int cluster, int entering), void *ctx);

/* {====== labels (label.c) */

/* What the box shows under a Task's name: "Lambda: Fn", "elasticmapreduce:addStep.sync". */
const char *graph_task_detail(struct arena *a, const cJSON *state);
/* "10 s", "until $.when" for a Wait; "Error: X" for a Fail; NULL when there is nothing. */
const char *graph_wait_detail(struct arena *a, const cJSON *state);
const char *graph_fail_detail(struct arena *a, const cJSON *state);
/* "Retry: A, B ×6" for one retrier; "A, B" for the errors of a catcher. */
const char *graph_retry_text(struct arena *a, const cJSON *retrier);
const char *graph_errors_text(struct arena *a, const cJSON *catcher);
/* A Choice rule in short: `$.x == "hello"`, `And($.a > 1, $.b is present)`. */
const char *graph_rule_text(struct arena *a, const cJSON *rule);
/* `s` with ", " turned into ",\n" where a line would pass `width` characters. */
const char *graph_wrap(struct arena *a, const char *s, size_t width);

/*
** Escaping for the writers: graph_escape() copies `s` into `b`, valid UTF-8 sequences as
** they are, and asks `fn` about each ASCII byte (c < 0x80) and each byte that is not
** valid UTF-8 (c = GRAPH_BAD_BYTE | byte). `fn` returns the text to write instead, or NULL
** to copy an ASCII byte; `tmp` (16 bytes) is room for a made-up replacement.
*/
#define GRAPH_BAD_BYTE 0x100
#define GRAPH_REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */
typedef const char *(*graph_esc_fn)(int c, char *tmp);
void graph_escape(struct strbuf *b, const char *s, graph_esc_fn fn);

/* }====== */

/* The writers (dot.c, mermaid.c, text.c). They cannot fail but for memory (b->failed). */
void graph_dot_write(const struct graph_model *m, struct strbuf *b);
void graph_mermaid_write(const struct graph_model *m, struct strbuf *b);
void graph_text_write(const struct graph_model *m, struct strbuf *b);

#endif

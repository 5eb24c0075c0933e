/*
** graph.h: pictures of a state machine (`sfl graph`), drawn from its ASL document alone,
** so a machine synthesized from an app and a FILE.asl.json are drawn the same way.
**
** Ownership: graph_write() only reads `asl` and keeps no pointer into it once it returns.
** It appends to `out`, which the caller owns (strbuf_free); on failure `out` is put back
** to the length it had and `d` (caller-owned, may be NULL) says why. PNG output is binary:
** use out->len, not strlen. Nothing here prints or exits.
**
** SVG and PNG are laid out by Graphviz (libgvc) in-process. Graphviz keeps process-wide
** state (its DOT parser, its error level, its plugins), and sfl keeps one Graphviz context
** for the life of the process (graph.c says why), so those two formats must not be drawn
** from two threads at once. While drawing, Graphviz's messages are kept from stderr and
** the last one becomes the diag message when something fails. Graphviz 2.43 itself leaks
** a little memory per picture (spec/graph/lsan.supp lists where).
*/
#ifndef SFL_GRAPH_GRAPH_H
#define SFL_GRAPH_GRAPH_H

#include <cjson/cJSON.h>

#include "core/diag.h"
#include "core/strbuf.h"

enum graph_format {
  GRAPH_DOT,       /* Graphviz DOT text, written by sfl */
  GRAPH_MERMAID,   /* a Mermaid flowchart, written by sfl */
  GRAPH_TEXT,      /* an indented list of states and transitions, for a terminal */
  GRAPH_SVG,       /* the DOT laid out and drawn by Graphviz */
  GRAPH_PNG        /* the same as a PNG image (binary) */
};

/*
** Draws the state machine `asl` ({"StartAt", "States"}, with nested Parallel "Branches"
** and Map "ItemProcessor"/"Iterator") in format `fmt`, appending to `out`. Fails with
** SFL_ERR_INVALID when the document cannot be drawn (no States, a Next naming no state),
** SFL_ERR_NOMEM, or SFL_ERR_IO when Graphviz cannot lay out or render the graph.
*/
enum sfl_status graph_write(const cJSON *asl, enum graph_format fmt, struct strbuf *out,
                            struct diag *d);

/* "dot", "mermaid", "text", "svg", "png" to a format: 0, or -1 for an unknown name. */
int graph_format_parse(const char *name, enum graph_format *fmt);
/* The name of a format ("svg"); "?" for a value that is not one. */
const char *graph_format_name(enum graph_format fmt);
/* Whether the format's output is binary (PNG): write it with its length, not as text. */
int graph_format_binary(enum graph_format fmt);

#endif

/*
** jpath_impl.h: the compiled form of a path, shared by the parser (jpath.c) and the
** evaluator (jpath_eval.c) and by no one else.
*/
#ifndef SFL_RUN_JPATH_IMPL_H
#define SFL_RUN_JPATH_IMPL_H

#include "run/jpath.h"

enum seg_kind { SEG_NAME, SEG_INDEX, SEG_WILD, SEG_SLICE, SEG_NAMES, SEG_INDEXES, SEG_FILTER,
                SEG_LENGTH };

struct fexpr;

struct seg {
  enum seg_kind kind;
  int descend;             /* `..` before it: applies to the node and all its descendants */
  const char *name;        /* SEG_NAME */
  long index;              /* SEG_INDEX */
  long lo, hi, step;       /* SEG_SLICE */
  int has_lo, has_hi;
  const char **names;      /* SEG_NAMES */
  long *indexes;           /* SEG_INDEXES */
  size_t n;
  struct fexpr *filter;    /* SEG_FILTER */
};

struct jpath {
  const char *text;
  int context, definite;
  size_t n;
  struct seg *segs;
};

enum fkind { F_OR, F_AND, F_NOT, F_EXISTS, F_CMP };
enum fop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct operand {
  const cJSON *literal;      /* or a path: */
  const struct jpath *path;
  int relative;              /* @ (the node being filtered) rather than $ (the document) */
};

struct fexpr {
  enum fkind kind;
  struct fexpr *a, *b;
  enum fop op;
  struct operand l, r;
};

#endif

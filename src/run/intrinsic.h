/*
** intrinsic.h: the values a "key.$" field can compute (a path or an intrinsic function
** call), Payload Templates made of such fields (Parameters, ItemSelector, ResultSelector),
** and the eighteen intrinsic functions.
**
** Ownership: compiled forms live in the arena they were compiled into. Evaluation returns
** new trees the caller deletes, or a borrowed node where stated. The return convention is
** eval.h's: 0 done, 1 a States error was raised (env->fail), -1 out of memory.
*/
#ifndef SFL_RUN_INTRINSIC_H
#define SFL_RUN_INTRINSIC_H

#include <stddef.h>
#include "run/eval.h"

struct arena;
struct jpath;
struct intrinsic;
struct tmpl;

/* {============ dynamic values: "$.path", "$$.path" or "States.Fn(...)" */

struct dynval {
  const struct jpath *path;
  const struct intrinsic *call;
};

/* 0, or -1 with a message in err (a syntax error, or "out of memory"). */
int dynval_compile(struct arena *a, const char *text, struct dynval *out,
                   char *err, size_t errsize);
const char *dynval_text(const struct dynval *v);

/*
** The value: borrowed from the input or context (*owned NULL), or new (*owned is it).
** A path that names nothing raises `error_name` with a cause naming the path and `field`.
*/
int dynval_eval(const struct dynval *v, const struct eval_env *env, const char *error_name,
                const char *field, const cJSON **out, cJSON **owned);

/* }============ */

/* {============ Payload Templates */

/* NULL with err set when the template is malformed or memory ran out. */
struct tmpl *tmpl_compile(struct arena *a, const cJSON *json, char *err, size_t errsize);
/* A new tree; paths that name nothing raise States.ParameterPathFailure. */
int tmpl_eval(const struct tmpl *t, const struct eval_env *env, cJSON **out);

/* }============ */

/* {============ intrinsic functions (intrinsic.c parses, intrinsic_fns.c computes) */

struct intrinsic *intr_compile(struct arena *a, const char *text, char *err, size_t errsize);
const char *intr_text(const struct intrinsic *f);
/* A new value; problems raise States.IntrinsicFailure. */
int intr_eval(const struct intrinsic *f, const struct eval_env *env, cJSON **out);

/* One evaluated call, as the function implementations see it. */
struct icall {
  const char *name;           /* "States.Format" */
  size_t n;
  const cJSON **v;            /* the argument values */
  const char *format;         /* States.Format with a literal first argument: its raw text */
  const struct eval_env *env;
};

typedef int (*intr_fn)(const struct icall *c, cJSON **out);

struct intr_def {
  const char *name;
  int min_args, max_args;     /* max -1: any number */
  intr_fn fn;
};

/* The table of functions, ending with a NULL name. */
extern const struct intr_def intr_defs[];

/* }============ */

#endif

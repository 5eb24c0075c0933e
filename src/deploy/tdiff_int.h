/*
** tdiff_int.h: what the parts of the template diff share (tdiff.c: sections and resources;
** tdiff_tree.c: the tree of nested changes, text diffs, intrinsics written as text;
** tdiff_sfn.c: state machine definitions state by state; tdiff_iam.c: IAM statement tables).
*/
#ifndef SFL_DEPLOY_TDIFF_INT_H
#define SFL_DEPLOY_TDIFF_INT_H

#include "deploy/tdiff.h"

enum tcolor { T_PLAIN, T_RED, T_GREEN, T_YELLOW, T_BLUE, T_MAGENTA, T_CYAN, T_GRAY, T_BOLD,
              T_HEADER };
enum tchange { T_ADD, T_DEL, T_UPD, T_CTX };

struct tctx {
  struct strbuf *out;
  const struct tdiff_options *o;
  int context;            /* context lines of text diffs */
  struct strbuf pfx;      /* the tree prefix of the line being written */
};

/* {============ writing */
void t_put(struct tctx *t, enum tcolor c, const char *s);
void t_nl(struct tctx *t);
/* "[+]" green, "[-]" red, "[~]" yellow, "[ ]" grey. */
void t_tag(struct tctx *t, enum tchange k);
/* A value: strings as they are, anything else as compact JSON. */
void t_value(struct tctx *t, const cJSON *v, enum tcolor c);
/* A logical id, after its construct path when one is known. */
void t_logical_id(struct tctx *t, const char *id);
/* The construct path shown for an id (stack name and a final Resource/Default dropped);
** malloc'd, NULL when unknown. */
char *t_path_of(const struct tctx *t, const char *id);
/* }============ */

/* {============ the tree of changes (tdiff_tree.c) */
/* Starts a line of the tree: the prefix, then "├─ " or "└─ ". */
void t_item(struct tctx *t, int last);
/* Children of the item just started go one level deeper; t_pop returns to `mark`. */
size_t t_push(struct tctx *t, int last);
void t_pop(struct tctx *t, size_t mark);
/* The change tag of a pair of values (either may be NULL). */
enum tchange t_change(const cJSON *old, const cJSON *new);
int t_equal(const cJSON *a, const cJSON *b);
/* The keys of two objects whose values differ (n of them; the caller frees the array):
** sorted, or in the order of the templates (old's keys, then new's). */
const char **t_changed_keys(const cJSON *old, const cJSON *new, size_t *n);
const char **t_changed_keys_ordered(const cJSON *old, const cJSON *new, size_t *n);
/* The changes between two values, as the children of the current item. */
void t_value_diff(struct tctx *t, const cJSON *old, const cJSON *new);
/* One key of an object diff: "[~] .key:" and its changes below, or Added / Removed. */
void t_key_diff(struct tctx *t, int last, const char *key, const cJSON *old, const cJSON *new);
/* A unified diff of two texts, line by line, as children of the current item. */
void t_text_diff(struct tctx *t, const char *old, const char *new);

/*
** Intrinsics as people read them: {"Ref": X} -> "${X}", {"Fn::GetAtt": [X, Y]} -> "${X.Y}",
** Fn::Join of a literal list joined, {"Ref": "AWS::NoValue"} dropped, other intrinsics
** written as JSON text. A new tree (NULL for NoValue or when out of memory).
*/
cJSON *t_render_intrinsics(const cJSON *x);
/* An intrinsic's function name when x is one ({"Ref"|"Fn::*": args}), else NULL. */
const char *t_intrinsic(const cJSON *x);
/* }============ */

/* {============ the parts with their own knowledge */
/* A state machine definition property (DefinitionString or Definition) diffed state by
** state, as the children of the current item; 0 when either side is not a definition
** (the caller falls back to a plain value diff). */
int tdiff_definition(struct tctx *t, const cJSON *old, const cJSON *new);
/* The "IAM Statement Changes" and "IAM Policy Changes" tables; 1 when anything was
** written. */
int tdiff_iam(struct tctx *t, const cJSON *old, const cJSON *new);
/* }============ */

#endif

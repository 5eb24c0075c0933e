/*
** construct.h: the construct tree (App -> Stack -> constructs), as CDK's `constructs`
** library has it, and the CloudFormation resources that hang from it.
**
** Ownership: every node, resource and string lives in the app's arena; property trees
** (cJSON) are owned by the arena too (arena_own_json). Nothing here is freed one by one.
*/
#ifndef SFL_CFN_CONSTRUCT_H
#define SFL_CFN_CONSTRUCT_H

#include "core/arena.h"
#include "core/diag.h"
#include "core/json.h"
#include "core/strmap.h"

struct cfn_app;
struct cfn_stack;
struct cfn_resource;
struct cfn_asset;

struct cfn_node {
  const char *id;                  /* construct id, after CDK's sanitizing ('/' -> '--') */
  const char *fqn;                 /* CDK class, e.g. "aws-cdk-lib.aws_lambda.Function" */
  struct cfn_node *parent, *first_child, *last_child, *next_sibling;
  struct strmap children;          /* id -> child, for the duplicate-id check */
  struct cfn_app *app;
  struct cfn_stack *stack;         /* enclosing stack; NULL for the app itself */
  struct sfl_loc loc;              /* where the app created it */
  struct cfn_resource *resource;   /* set on L1 (CloudFormation resource) nodes */
  void *model;                     /* what the node stands for (a state, a function...) */
  struct vec tags;                 /* struct cfn_tag_op*: Tags.of(this) (cfn/tags.h) */
};

/* Hooks that fill in lazily computed properties right before a template is rendered. */
typedef enum sfl_status (*cfn_prepare_fn)(struct cfn_resource *r, struct diag *d);

struct cfn_resource {
  struct cfn_node *node;
  const char *type;                /* "AWS::IAM::Role" */
  const char *logical_id;
  cJSON *props;                    /* object; may hold intrinsics (see token.h) */
  struct vec depends_on;           /* cfn_node*: every resource below each of them */
  const char *update_replace_policy, *deletion_policy;   /* NULL: not written */
  cJSON *metadata;                 /* the resource's Metadata object, or NULL */
  cfn_prepare_fn prepare;
  void *prepare_ctx;
  int omit;                        /* set by `prepare`: not written (an empty Policy) */
  const char *section;             /* NULL: a resource; else the template section it goes to
                                      ("Outputs", "Parameters"), `props` being its body */
};

struct cfn_app {
  struct arena *arena;
  struct cfn_node *root;
  struct vec stacks;               /* cfn_stack*, in creation order */
  int merge_policies;              /* context "sfl:dedupe-iam": iam_merge_statements */
};

struct cfn_stack {
  struct cfn_node *node;
  const char *name;                /* CloudFormation stack name */
  const char *artifact_id;         /* its name in the cloud assembly (from the construct id) */
  const char *description;
  struct vec assets;               /* struct cfn_stack_asset*, in the order they were added */
};

/* A file asset a construct of the stack uses (see cfn/asset.h). */
struct cfn_stack_asset {
  const struct cfn_asset *asset;
  const char *display_name;        /* the using construct's path below the stack */
};
/* Adds the asset to the stack's asset manifest (once per hash, the first name kept). */
enum sfl_status cfn_stack_add_asset(struct cfn_stack *st, const struct cfn_asset *asset,
                                    const char *display_name, struct diag *d);

struct cfn_app *cfn_app_new(struct arena *a, struct sfl_loc loc);
struct cfn_stack *cfn_stack_new(struct cfn_app *app, const char *id, const char *stack_name,
                                struct sfl_loc loc, struct diag *d);
/*
** A child construct; fails when `parent` already has a child with that id. `fqn` is kept
** as it is: a literal or a string in the app's arena (never a Lua string, which the
** collector may free).
*/
struct cfn_node *cfn_node_new(struct cfn_node *parent, const char *id, const char *fqn,
                              struct sfl_loc loc, struct diag *d);
/* A CloudFormation resource as child `id` of `parent` (usually "Resource"). */
struct cfn_resource *cfn_resource_new(struct cfn_node *parent, const char *id,
                                      const char *type, const char *fqn,
                                      struct sfl_loc loc, struct diag *d);
int cfn_depends_on(struct cfn_resource *r, struct cfn_node *target);

/* "stack/a/b" (the app's own id is not part of paths). */
const char *cfn_node_path(struct arena *a, const struct cfn_node *n);
/* The class name without its module: "Function" for "aws-cdk-lib.aws_lambda.Function". */
const char *cfn_node_kind(const struct cfn_node *n);

/* Names.uniqueId(node): the same algorithm over the path from the stack down (generated
** physical names, e.g. an Activity's). An arena string, or NULL when out of memory. */
const char *cfn_unique_id(struct arena *a, const struct cfn_node *n);

/* Names.uniqueResourceName(node, {maxLength, separator}): the stack's name and the ids
** below it, "Stack-Id-Child-HASH" with separator "-" (generated physical names such as a
** FIFO topic's). An arena string, or NULL when out of memory. */
const char *cfn_unique_resource_name(struct arena *a, const struct cfn_node *n,
                                     size_t max_len, const char *separator);

/*
** CDK's makeUniqueId: path components below the stack -> "HumanPartHASH".
** Returns an arena string, or NULL when out of memory.
*/
const char *cfn_logical_id(struct arena *a, const char *const *components, size_t n);

#endif

/*
** cfn.h: CloudFormation as the CDK CLI drives it, over the client (client.h): stack lookup,
** change sets (create, wait, describe, execute, delete), GetTemplate, DeleteStack, and the
** watcher that waits for a stack operation to end while it prints the stack's events as
** CDK's history printer does:
**
**   MyStack | 3/7 | 12:00:01 PM | CREATE_COMPLETE         | AWS::IAM::Role             | MyStack/Role/Resource (Role)
**
** with a progress line redrawn below the events when the output is a terminal, and each
** failed resource's reason again at the end. On top of these, cfn_deploy() runs the whole
** change-set deployment and cfn_destroy() the deletion (sfl deploy, sfl bootstrap,
** sfl destroy).
**
** Facts taken from the CDK CLI (aws-cdk-cli toolkit-lib): a stack that does not exist is
** DescribeStacks' "ValidationError: Stack with id NAME does not exist", and one in
** DELETE_COMPLETE is gone too; a stack in REVIEW_IN_PROGRESS (a CREATE change set never
** executed, e.g. a failed first deploy) gets a CREATE change set again; a stack whose
** creation failed (ROLLBACK_COMPLETE) is deleted before it is created again; a change set
** with nothing to do ends FAILED with a StatusReason starting "The submitted information
** didn't contain changes." or "No updates are to be performed."; change sets ask for
** CAPABILITY_IAM, CAPABILITY_NAMED_IAM and CAPABILITY_AUTO_EXPAND.
**
** Printing: only the watcher and cfn_deploy/cfn_destroy print, and only to the FILE* the
** caller gives in struct cfn_watch (the CLI passes stdout). Nothing here installs signal
** handlers: the caller's SIGINT handler sets the flag cfn_watch.stop points at.
**
** Ownership: every struct this file fills owns its malloc'd strings and arrays; free it
** with its _free function (which also accepts a zeroed struct). Strings passed in are
** borrowed for the duration of the call.
*/
#ifndef SFL_DEPLOY_CFN_H
#define SFL_DEPLOY_CFN_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "core/diag.h"

struct aws_client;

/* CDK's change set name: a change set left over by cdk or sfl is replaced by the next. */
#define CFN_CHANGE_SET_NAME "cdk-deploy-change-set"

struct cfn_kv {
  char *key, *value;
};

/* {============ stacks */

struct cfn_stack_info {
  int exists;             /* 0: no such stack (or DELETE_COMPLETE); the rest is then NULL */
  char *id;               /* StackId (the ARN: DescribeStackEvents needs it once deleted) */
  char *name;
  char *status;           /* StackStatus, e.g. "UPDATE_COMPLETE" */
  char *status_reason;    /* StackStatusReason or NULL */
  char *description;      /* the template's Description or NULL */
  struct cfn_kv *outputs; /* OutputKey / OutputValue in CloudFormation's order */
  size_t noutputs;
  struct cfn_kv *parameters;   /* ParameterKey / ParameterValue */
  size_t nparameters;
};

/* DescribeStacks. A missing stack is not an error: out->exists is 0. */
enum sfl_status cfn_stack_lookup(struct aws_client *c, const char *stack,
                                 struct cfn_stack_info *out, struct diag *d);
/* The value of an output (or, with cfn_stack_param, a parameter), or NULL. */
const char *cfn_stack_output(const struct cfn_stack_info *s, const char *key);
const char *cfn_stack_param(const struct cfn_stack_info *s, const char *key);
void cfn_stack_info_free(struct cfn_stack_info *s);

/* Status classes (CDK's StackStatus). */
int cfn_status_in_progress(const char *status);     /* ..._IN_PROGRESS, REVIEW_ included */
int cfn_status_failed(const char *status);          /* ..._FAILED or ...ROLLBACK_COMPLETE */
int cfn_status_creation_failed(const char *status); /* ROLLBACK_COMPLETE / ROLLBACK_FAILED */
/* 1 when a deployment of `s` needs a CREATE change set: no stack, or REVIEW_IN_PROGRESS. */
int cfn_stack_is_new(const struct cfn_stack_info *s);

/* GetTemplate (TemplateStage Original): the deployed template's text, malloc'd. */
enum sfl_status cfn_get_template(struct aws_client *c, const char *stack, char **body,
                                 struct diag *d);
/* DeleteStack: starts the deletion (watch it with a cfn_watcher). */
enum sfl_status cfn_delete_stack(struct aws_client *c, const char *stack, struct diag *d);

/* }============ change sets */

struct cfn_change_set_input {
  const char *stack;           /* the stack's name */
  const char *name;            /* NULL: CFN_CHANGE_SET_NAME */
  int create;                  /* 1: ChangeSetType CREATE, 0: UPDATE */
  const char *template_body;   /* exactly one of these two */
  const char *template_url;
  const struct cfn_kv *parameters;   /* ParameterKey / ParameterValue */
  size_t nparameters;
  const char *description;     /* NULL: none */
};

struct cfn_change {
  char *action;        /* Add, Modify, Remove, Import, Dynamic */
  char *logical_id;
  char *physical_id;   /* NULL for Add */
  char *type;          /* AWS::IAM::Role */
  char *replacement;   /* True, False, Conditional, or NULL */
};

struct cfn_change_set {
  char *id, *stack_id;         /* ARNs, from CreateChangeSet */
  char *status, *status_reason, *execution_status;
  char *creation_time;         /* ISO 8601, as CloudFormation wrote it */
  int no_changes;              /* FAILED because there was nothing to do */
  struct cfn_change *changes;  /* every page of Changes */
  size_t nchanges;
};

/* CreateChangeSet, after a DeleteChangeSet of the same name (one a former run left). */
enum sfl_status cfn_change_set_create(struct aws_client *c, const struct cfn_change_set_input *in,
                                      struct cfn_change_set *out, struct diag *d);
/* Polls DescribeChangeSet every poll_ms (0: 5000, CDK's) until it is no longer being
** created; fills status, reason, changes and no_changes. A change set that FAILED for
** another reason is an error: "Failed to create ChangeSet NAME on STACK: FAILED, REASON".
** *stop (may be NULL) set by a signal handler ends the wait early with *stopped = 1. */
enum sfl_status cfn_change_set_wait(struct aws_client *c, struct cfn_change_set *cs,
                                    unsigned poll_ms, volatile sig_atomic_t *stop,
                                    int *stopped, struct diag *d);
/* ExecuteChangeSet, DisableRollback as asked (--no-rollback). */
enum sfl_status cfn_change_set_execute(struct aws_client *c, const struct cfn_change_set *cs,
                                       int disable_rollback, struct diag *d);
enum sfl_status cfn_change_set_delete(struct aws_client *c, const char *stack,
                                      const char *name, struct diag *d);
void cfn_change_set_free(struct cfn_change_set *cs);

/* }============ watching a stack operation */

struct cfn_watch {
  FILE *out;                   /* event lines (NULL: print nothing) */
  int tty;                     /* out is a terminal: keep a progress line below the events */
  volatile sig_atomic_t *stop; /* set by the caller's SIGINT handler (may be NULL) */
  unsigned poll_ms;            /* between polls (0: 2000, CDK's activity monitor) */
  size_t resources_total;      /* resources the operation touches (the change set's changes;
                               ** 0: unknown, the progress column then counts only) */
  const cJSON *template;       /* the stack's template (may be NULL): the resource-type
                               ** column is as wide as its longest Type */
  const cJSON *paths;          /* {"LogicalId": "Stack/Construct/Resource"} (may be NULL):
                               ** names resources by construct path as CDK does; see
                               ** cfn_paths_from_metadata() */
  int update;                  /* an UPDATE: DELETE_FAILED is provisional, not a failure */
};

struct cfn_event {             /* one StackEvents member */
  const char *stack_name, *timestamp, *status, *type, *logical_id, *physical_id,
             *stack_id, *reason;
};

/* One event as CDK's history printer writes it, without colours or a newline:
** "STACK | PROGRESS | TIME | STATUS(23) | TYPE(type_width) | NAME (LOGICAL) REASON".
** `progress` NULL leaves that column out (the failure summary); `path` is the construct
** path (NULL: the logical ID). TIME is the local time, "12:00:01 PM". Malloc'd. */
char *cfn_event_line(const struct cfn_event *e, const char *progress, int type_width,
                     const char *path);
/* The progress column: "3/7" padded as CDK pads it ("  3" when total is 0); done is
** shown at most total. Writes buf. */
void cfn_progress_format(char *buf, size_t size, size_t done, size_t total);

/* The construct paths of a cloud assembly's <stack>.metadata.json (its aws:cdk:logicalId
** entries) as cfn_watch.paths wants them; NULL when the text is not such a file. */
cJSON *cfn_paths_from_metadata(const char *text);

struct cfn_watcher;            /* opaque */

/* Starts watching `stack_id` (an ARN; a name works until the stack is deleted): reads the
** events there are now and marks them as seen, so call it BEFORE starting the operation
** (ExecuteChangeSet, DeleteStack) and only what the operation does is printed. */
enum sfl_status cfn_watcher_new(struct aws_client *c, const char *stack_id,
                                const struct cfn_watch *w, struct cfn_watcher **out,
                                struct diag *d);

struct cfn_wait_result {
  int interrupted;             /* *stop was set: sfl stopped waiting */
  int started;                 /* the operation had been started (with interrupted: it goes
                               ** on in CloudFormation; without: nothing was changed) */
  int ok;                      /* ended in CREATE/UPDATE/IMPORT/DELETE_COMPLETE */
  char *status;                /* the final status (DELETE_COMPLETE when the stack is gone) */
  size_t failures;             /* failed resources printed in the summary */
  char *first_failure;         /* "LogicalId: reason" of the first, for messages, or NULL */
};

/* Polls events and the stack's status until the status is no longer in progress (or *stop
** is set), printing each new event; then prints "Failed resources:" and each failed
** resource again. Transient errors while polling are retried by the client; an error
** that outlives those retries ends the wait with that error. */
enum sfl_status cfn_watcher_run(struct cfn_watcher *wt, struct cfn_wait_result *res,
                                struct diag *d);
void cfn_watcher_free(struct cfn_watcher *wt);
void cfn_wait_result_free(struct cfn_wait_result *r);

/* }============ whole operations */

struct cfn_deploy_input {
  struct cfn_change_set_input change_set;   /* .create is worked out from the stack */
  int disable_rollback;                     /* --no-rollback */
  /* Called once the change set is ready and has changes, before it is executed: return 0
  ** to execute it, nonzero not to (it is then deleted and result.declined set). NULL: go. */
  int (*review)(void *ud, const struct cfn_change_set *cs);
  void *review_ud;
  struct cfn_watch watch;                   /* resources_total is filled in */
};

struct cfn_deploy_result {
  int no_changes;              /* nothing to do: the change set was deleted, nothing executed */
  int declined;                /* review() said no */
  struct cfn_wait_result wait; /* when the change set was executed */
  struct cfn_stack_info stack; /* the stack afterwards (outputs), when it ended */
};

/* The CDK CLI's change-set deployment: looks the stack up (one whose creation failed is
** deleted first, with its events shown), creates a CREATE or UPDATE change set, waits for
** it, and, when it has changes, executes it and watches until the stack settles. Progress
** notes ("MyStack: creating CloudFormation changeset...") go to watch.out. A deployment
** that fails in CloudFormation is not an error: see result.wait.ok / status. */
enum sfl_status cfn_deploy(struct aws_client *c, const struct cfn_deploy_input *in,
                           struct cfn_deploy_result *out, struct diag *d);
void cfn_deploy_result_free(struct cfn_deploy_result *r);

/* DeleteStack and watch until DELETE_COMPLETE. *missing is set (and nothing is done) when
** the stack does not exist. */
enum sfl_status cfn_destroy(struct aws_client *c, const char *stack, const struct cfn_watch *w,
                            int *missing, struct cfn_wait_result *res, struct diag *d);

/* "Outputs:" and one "STACK.KEY = VALUE" line each, then "Stack ARN:" and the ARN, as CDK
** prints them after a deployment. */
void cfn_print_outputs(FILE *out, const struct cfn_stack_info *s);

/* }============ */

#endif

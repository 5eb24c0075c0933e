/*
** cfn_ops.c: whole CloudFormation operations as the CDK CLI runs them (cfn.h): a
** change-set deployment (deploy-stack.ts) and a stack deletion (destroyStack), each
** watched to its end.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deploy/cfn.h"
#include "deploy/cfn_private.h"

static void note(const struct cfn_watch *w, const char *stack, const char *what)
{
  if(w->out) {
    fprintf(w->out, "%s: %s\n", stack, what);
    fflush(w->out);
  }
}

static int stopped(const struct cfn_watch *w)
{
  return w->stop && *w->stop;
}

/* A call failed because Ctrl-C stopped it (the client gives up mid-call): not an error. */
static enum sfl_status interrupted(struct cfn_wait_result *res, struct diag *d)
{
  memset(d, 0, sizeof *d);
  res->interrupted = 1;
  return SFL_OK;
}

/* Starts watching, runs the operation, waits for it: the operation is started only after
** the watcher has marked the events that were there before. */
static enum sfl_status watched(struct aws_client *c, const char *stack_id,
                               const struct cfn_watch *w,
                               enum sfl_status (*start)(struct aws_client *, const void *,
                                                        struct diag *),
                               const void *arg, struct cfn_wait_result *res, struct diag *d)
{
  memset(res, 0, sizeof *res);
  struct cfn_watcher *wt;
  enum sfl_status st = cfn_watcher_new(c, stack_id, w, &wt, d);
  if(!st && stopped(w))
    st = SFL_ERR_INVALID;           /* Ctrl-C came before anything was started */
  if(!st)
    st = start(c, arg, d);
  if(!st) {
    st = cfn_watcher_run(wt, res, d);
    res->started = 1;
  }
  cfn_watcher_free(wt);
  return st && stopped(w) ? interrupted(res, d) : st;
}

static enum sfl_status start_delete(struct aws_client *c, const void *stack, struct diag *d)
{
  return cfn_delete_stack(c, stack, d);
}

struct exec_arg {
  const struct cfn_change_set *cs;
  int disable_rollback;
};

static enum sfl_status start_execute(struct aws_client *c, const void *arg, struct diag *d)
{
  const struct exec_arg *e = arg;
  return cfn_change_set_execute(c, e->cs, e->disable_rollback, d);
}

enum sfl_status cfn_destroy(struct aws_client *c, const char *stack, const struct cfn_watch *w,
                            int *missing, struct cfn_wait_result *res, struct diag *d)
{
  memset(res, 0, sizeof *res);
  *missing = 0;
  struct cfn_stack_info s;
  enum sfl_status st = cfn_stack_lookup(c, stack, &s, d);
  if(st)
    return stopped(w) ? interrupted(res, d) : st;
  if(!s.exists) {
    *missing = 1;
    return SFL_OK;
  }
  note(w, stack, "destroying...");
  st = watched(c, s.id, w, start_delete, s.id, res, d);
  cfn_stack_info_free(&s);
  return st;
}

/* A stack whose creation failed cannot be updated: CDK deletes it and creates it anew. */
static enum sfl_status clear_failed_creation(struct aws_client *c, const char *stack,
                                             struct cfn_stack_info *s,
                                             const struct cfn_watch *w, struct diag *d)
{
  char msg[160];
  snprintf(msg, sizeof msg, "the stack is in %s after a failed creation: deleting it first",
           s->status);
  note(w, stack, msg);
  struct cfn_wait_result res;
  enum sfl_status st = watched(c, s->id, w, start_delete, s->id, &res, d);
  if(!st && !res.interrupted && !res.ok)
    st = diag_set(d, SFL_ERR_INVALID, (struct sfl_loc){0},
                  "stack %s could not be deleted (%s)%s%s: delete it in the AWS console", stack,
                  res.status, res.first_failure ? ": " : "",
                  res.first_failure ? res.first_failure : "");
  int interrupted = res.interrupted;
  cfn_wait_result_free(&res);
  cfn_stack_info_free(s);
  if(interrupted)
    return diag_set(d, SFL_ERR_INVALID, (struct sfl_loc){0},
                    "interrupted while stack %s was being deleted", stack);
  return st;
}

/* Looks the stack up and says which kind of change set it needs. */
static enum sfl_status prepare(struct aws_client *c, const struct cfn_deploy_input *in,
                               int *create, struct diag *d)
{
  const char *stack = in->change_set.stack;
  struct cfn_stack_info s;
  enum sfl_status st = cfn_stack_lookup(c, stack, &s, d);
  if(st)
    return st;
  if(s.exists && cfn_status_creation_failed(s.status)) {
    st = clear_failed_creation(c, stack, &s, &in->watch, d);
    *create = 1;
    return st;
  }
  if(s.exists && cfn_status_in_progress(s.status) && strcmp(s.status, "REVIEW_IN_PROGRESS"))
    st = diag_set(d, SFL_ERR_INVALID, (struct sfl_loc){0},
                  "stack %s is busy (%s): wait until CloudFormation is done with it, then try "
                  "again", stack, s.status);
  *create = cfn_stack_is_new(&s);
  cfn_stack_info_free(&s);
  return st;
}

static enum sfl_status run_change_set(struct aws_client *c, const struct cfn_deploy_input *in,
                                      struct cfn_change_set *cs, struct cfn_deploy_result *out,
                                      struct diag *d)
{
  int stopped = 0;
  enum sfl_status st = cfn_change_set_wait(c, cs, in->watch.poll_ms, in->watch.stop, &stopped, d);
  if(st || stopped) {
    out->wait.interrupted = stopped;
    return st;
  }
  if(cs->no_changes || (in->review && in->review(in->review_ud, cs))) {
    out->no_changes = cs->no_changes;
    out->declined = !cs->no_changes;
    return cfn_change_set_delete(c, cs->stack_id, cs->id, d);
  }
  struct cfn_watch w = in->watch;
  w.resources_total = cs->nchanges;
  w.update = !in->change_set.create;
  struct exec_arg arg = {cs, in->disable_rollback};
  return watched(c, cs->stack_id, &w, start_execute, &arg, &out->wait, d);
}

enum sfl_status cfn_deploy(struct aws_client *c, const struct cfn_deploy_input *in,
                           struct cfn_deploy_result *out, struct diag *d)
{
  memset(out, 0, sizeof *out);
  struct cfn_deploy_input my = *in;
  enum sfl_status st = prepare(c, in, &my.change_set.create, d);
  if(!st) {
    note(&in->watch, in->change_set.stack, "creating CloudFormation changeset...");
    struct cfn_change_set cs;
    st = cfn_change_set_create(c, &my.change_set, &cs, d);
    if(!st)
      st = run_change_set(c, &my, &cs, out, d);
    cfn_change_set_free(&cs);
  }
  if(!st && !out->wait.interrupted && !out->declined)
    st = cfn_stack_lookup(c, in->change_set.stack, &out->stack, d);
  return st && stopped(&in->watch) ? interrupted(&out->wait, d) : st;
}

void cfn_deploy_result_free(struct cfn_deploy_result *r)
{
  cfn_wait_result_free(&r->wait);
  cfn_stack_info_free(&r->stack);
  memset(r, 0, sizeof *r);
}

void cfn_print_outputs(FILE *out, const struct cfn_stack_info *s)
{
  if(!s->exists)
    return;
  if(s->noutputs)
    fputs("Outputs:\n", out);
  for(size_t i = 0; i < s->noutputs; i++)
    fprintf(out, "%s.%s = %s\n", s->name, s->outputs[i].key,
            s->outputs[i].value ? s->outputs[i].value : "");
  fprintf(out, "Stack ARN:\n%s\n", s->id ? s->id : "");
}

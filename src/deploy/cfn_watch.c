/*
** cfn_watch.c: waiting for a stack operation while printing its events as the CDK CLI's
** history activity printer does (cfn.h). Events come from DescribeStackEvents newest
** first; each poll reads back to the first event already seen and prints the new ones
** oldest first. The progress column counts resources that reached a _COMPLETE status
** (one completing again is a rollback and counts down), out of the change set's changes
** plus one for the stack itself, as CDK's StackProgressMonitor does.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "deploy/cfn.h"
#include "deploy/cfn_private.h"
#include "deploy/xml.h"

#define QUIET_NOTE_SECONDS 30     /* CDK's inProgressDelay */

/* {============ the watcher */

struct cfn_watcher {
  struct aws_client *c;
  struct cfn_watch w;
  struct arena *a;
  const char *stack_id;
  struct strmap seen;          /* EventId -> non-NULL */
  struct strmap completed;     /* LogicalResourceId -> status of its last _COMPLETE */
  struct strmap active;        /* LogicalResourceId -> 1 while in progress (value: name) */
  struct vec active_order;     /* logical IDs in the order they started */
  struct vec failures;         /* lines for the summary */
  const char *first_failure;
  size_t done;
  int type_width;
  int drawn;                   /* a progress line is on the terminal */
  int quiet_noted;             /* "Currently in progress" said since the last line */
  time_t started, last_print;
  const char *last_status;     /* the stack's, for the progress line */
};

static const char *keep(struct cfn_watcher *wt, const char *s)
{
  return s ? arena_strdup(wt->a, s) : NULL;
}

static void clear_progress(struct cfn_watcher *wt)
{
  if(wt->drawn) {
    fputs("\r\033[K", wt->w.out);
    wt->drawn = 0;
  }
}

static void print_line(struct cfn_watcher *wt, const char *line)
{
  if(!wt->w.out || !line)
    return;
  clear_progress(wt);
  fprintf(wt->w.out, "%s\n", line);
  fflush(wt->w.out);
  wt->last_print = time(NULL);
  wt->quiet_noted = 0;
}

static const char *path_of(const struct cfn_watcher *wt, const char *logical)
{
  const cJSON *p = logical ? json_get(wt->w.paths, logical) : NULL;
  return cJSON_IsString(p) ? p->valuestring : NULL;
}

static int root_event(const struct cfn_event *e)
{
  return e->physical_id && e->stack_id && !strcmp(e->physical_id, e->stack_id);
}

static int ends_with(const char *s, const char *suffix)
{
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/* CDK's StackProgressMonitor.process. */
static void count_progress(struct cfn_watcher *wt, const struct cfn_event *e)
{
  if(ends_with(e->status, "_COMPLETE_CLEANUP_IN_PROGRESS"))
    wt->done++;
  if(!ends_with(e->status, "_COMPLETE"))
    return;
  if(!strmap_get(&wt->completed, e->logical_id))
    wt->done++;
  else if(wt->done)
    wt->done--;
  strmap_set(wt->a, &wt->completed, e->logical_id, (void *)e->status);
}

static void track_active(struct cfn_watcher *wt, const struct cfn_event *e)
{
  if(root_event(e))
    return;
  if(ends_with(e->status, "_IN_PROGRESS")) {
    if(!strmap_get(&wt->active, e->logical_id))
      vec_push(wt->a, &wt->active_order, (void *)e->logical_id);
    strmap_set(wt->a, &wt->active, e->logical_id, (void *)e->logical_id);
  }
  else if(ends_with(e->status, "_COMPLETE") || ends_with(e->status, "_FAILED"))
    strmap_set(wt->a, &wt->active, e->logical_id, NULL);
}

static int is_failure(const struct cfn_watcher *wt, const struct cfn_event *e)
{
  if(!ends_with(e->status, "_FAILED") || root_event(e))
    return 0;
  if(e->reason && strstr(e->reason, "cancelled"))
    return 0;
  return !(wt->w.update && !strcmp(e->status, "DELETE_FAILED"));
}

static void record_failure(struct cfn_watcher *wt, const struct cfn_event *e)
{
  char *line = cfn_event_line(e, NULL, wt->type_width, path_of(wt, e->logical_id));
  vec_push(wt->a, &wt->failures, (void *)keep(wt, line));
  free(line);
  if(!wt->first_failure)
    wt->first_failure = arena_printf(wt->a, "%s: %s", e->logical_id,
                                     e->reason ? e->reason : e->status);
}

static void handle_event(struct cfn_watcher *wt, const struct cfn_event *e)
{
  if(!e->status || !e->logical_id)
    return;
  count_progress(wt, e);
  track_active(wt, e);
  if(is_failure(wt, e))
    record_failure(wt, e);
  char progress[48];
  cfn_progress_format(progress, sizeof progress, wt->done,
                      wt->w.resources_total ? wt->w.resources_total + 1 : 0);
  char *line = cfn_event_line(e, progress, wt->type_width, path_of(wt, e->logical_id));
  print_line(wt, line);
  free(line);
}

static struct cfn_event *read_event(struct cfn_watcher *wt, const struct xml_doc *m)
{
  struct cfn_event *e = arena_alloc(wt->a, sizeof *e);
  if(!e)
    return NULL;
  e->stack_name = keep(wt, xml_find(m, "StackEvents/member/StackName"));
  e->timestamp = keep(wt, xml_find(m, "StackEvents/member/Timestamp"));
  e->status = keep(wt, xml_find(m, "StackEvents/member/ResourceStatus"));
  e->type = keep(wt, xml_find(m, "StackEvents/member/ResourceType"));
  e->logical_id = keep(wt, xml_find(m, "StackEvents/member/LogicalResourceId"));
  e->physical_id = keep(wt, xml_find(m, "StackEvents/member/PhysicalResourceId"));
  e->stack_id = keep(wt, xml_find(m, "StackEvents/member/StackId"));
  e->reason = keep(wt, xml_find(m, "StackEvents/member/ResourceStatusReason"));
  return e;
}

/* One page of events; new ones are appended to fresh (newest first). *more: read on. */
static enum sfl_status events_page(struct cfn_watcher *wt, const char *token, struct vec *fresh,
                                   char **next, struct diag *d)
{
  struct cfn_params q = {0};
  cfn_params_add(&q, "StackName", wt->stack_id);
  cfn_params_add(&q, "NextToken", token);
  struct xml_doc doc;
  *next = NULL;
  enum sfl_status st = cfn_call(wt->c, "DescribeStackEvents", &q, &doc, d);
  if(st) {
    xml_free(&doc);
    if(!cfn_missing_stack(wt->c, d))
      return st;
    memset(d, 0, sizeof *d);
    return SFL_OK;
  }
  size_t at = 0;
  int reached_seen = 0;
  for(struct xml_doc m; !reached_seen && xml_next(&doc, "StackEvents/member", &at, &m);) {
    const char *id = xml_find(&m, "StackEvents/member/EventId");
    if(!id || strmap_get(&wt->seen, id)) {
      reached_seen = id != NULL;
      continue;
    }
    const char *kept = keep(wt, id);
    struct cfn_event *e = read_event(wt, &m);
    if(!kept || !e || strmap_set(wt->a, &wt->seen, kept, (void *)kept)
       || vec_push(wt->a, fresh, e)) {
      xml_free(&doc);
      return diag_nomem(d);
    }
  }
  const char *tok = reached_seen ? NULL : xml_find(&doc, "DescribeStackEventsResult/NextToken");
  if(tok && !(*next = strdup(tok)))
    st = diag_nomem(d);
  xml_free(&doc);
  return st;
}

/* Reads the events since the last poll (newest first) into fresh. `first_page_only`: the
** start, where only the newest page is marked as seen. */
static enum sfl_status poll_events(struct cfn_watcher *wt, struct vec *fresh, int first_page_only,
                                   struct diag *d)
{
  char *token = NULL;
  enum sfl_status st;
  do {
    char *next = NULL;
    st = events_page(wt, token, fresh, &next, d);
    free(token);
    token = next;
  } while(!st && token && !first_page_only);
  free(token);
  return st;
}

enum sfl_status cfn_watcher_new(struct aws_client *c, const char *stack_id,
                                const struct cfn_watch *w, struct cfn_watcher **out,
                                struct diag *d)
{
  *out = NULL;
  struct arena *a = arena_new();
  struct cfn_watcher *wt = a ? arena_alloc(a, sizeof *wt) : NULL;
  if(!wt) {
    arena_free(a);
    return diag_nomem(d);
  }
  wt->a = a;
  wt->c = c;
  wt->w = *w;
  wt->stack_id = keep(wt, stack_id);
  wt->type_width = cfn_type_width(w->template);
  wt->started = wt->last_print = time(NULL);
  struct vec old = {0};
  enum sfl_status st = wt->stack_id ? poll_events(wt, &old, 1, d) : diag_nomem(d);
  if(st) {
    arena_free(a);
    return st;
  }
  *out = wt;
  return SFL_OK;
}

static void draw_progress(struct cfn_watcher *wt)
{
  struct strbuf b = {0};
  char progress[48];
  cfn_progress_format(progress, sizeof progress, wt->done,
                      wt->w.resources_total ? wt->w.resources_total + 1 : 0);
  long secs = (long)(time(NULL) - wt->started);
  char name[256];
  strbuf_printf(&b, "%s | %s | %ld:%02ld | %s", cfn_arn_name(wt->stack_id, name, sizeof name),
                progress, secs / 60, secs % 60, wt->last_status ? wt->last_status : "waiting");
  const char *sep = " | ";
  for(size_t i = 0; i < wt->active_order.n; i++) {
    const char *id = wt->active_order.items[i];
    if(!strmap_get(&wt->active, id))
      continue;
    strbuf_printf(&b, "%s%s", sep, id);
    sep = ", ";
  }
  if(!b.failed) {
    /* One terminal row: a longer line would wrap and \r could not redraw it. */
    if(b.len > 100)
      strcpy(b.buf + 96, "...");
    fprintf(wt->w.out, "\r\033[K%s", b.buf);
    fflush(wt->w.out);
    wt->drawn = 1;
  }
  strbuf_free(&b);
}

/* Without a terminal, after a quiet while, say once what is still going on (CDK). */
static void note_quiet(struct cfn_watcher *wt)
{
  if(wt->quiet_noted || time(NULL) - wt->last_print < QUIET_NOTE_SECONDS)
    return;
  struct strbuf b = {0};
  const char *sep = "";
  for(size_t i = 0; i < wt->active_order.n; i++) {
    const char *id = wt->active_order.items[i];
    if(strmap_get(&wt->active, id)) {
      strbuf_printf(&b, "%s%s", sep, id);
      sep = ", ";
    }
  }
  if(b.len) {
    char progress[48];
    cfn_progress_format(progress, sizeof progress, wt->done,
                        wt->w.resources_total ? wt->w.resources_total + 1 : 0);
    fprintf(wt->w.out, "%s Currently in progress: %s\n", progress, b.buf);
    fflush(wt->w.out);
  }
  strbuf_free(&b);
  wt->quiet_noted = 1;
}

/* Polls the events once and prints the new ones, oldest first. */
static enum sfl_status show_new_events(struct cfn_watcher *wt, struct diag *d)
{
  struct vec fresh = {0};
  enum sfl_status st = poll_events(wt, &fresh, 0, d);
  for(size_t i = fresh.n; !st && i > 0; i--)
    handle_event(wt, fresh.items[i - 1]);
  return st;
}

/* The stack's status now (DELETE_COMPLETE once it is gone), kept in the arena. */
static enum sfl_status stack_status(struct cfn_watcher *wt, const char **status, struct diag *d)
{
  struct cfn_stack_info s;
  enum sfl_status st = cfn_stack_lookup(wt->c, wt->stack_id, &s, d);
  if(st)
    return st;
  *status = keep(wt, s.exists ? s.status : "DELETE_COMPLETE");
  cfn_stack_info_free(&s);
  return *status ? SFL_OK : diag_nomem(d);
}

static int status_ok(const char *status)
{
  static const char *const ok[] = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE",
                                   "DELETE_COMPLETE"};
  for(size_t i = 0; i < sizeof ok / sizeof *ok; i++)
    if(!strcmp(status, ok[i]))
      return 1;
  return 0;
}

static void print_summary(struct cfn_watcher *wt)
{
  if(!wt->w.out || !wt->failures.n)
    return;
  clear_progress(wt);
  fputs("\nFailed resources:\n", wt->w.out);
  for(size_t i = 0; i < wt->failures.n; i++)
    fprintf(wt->w.out, "%s\n", (const char *)wt->failures.items[i]);
  fflush(wt->w.out);
}

static enum sfl_status finish(struct cfn_watcher *wt, const char *status,
                              struct cfn_wait_result *res, struct diag *d)
{
  print_summary(wt);
  res->ok = status_ok(status);
  res->failures = wt->failures.n;
  res->status = strdup(status);
  if(wt->first_failure)
    res->first_failure = strdup(wt->first_failure);
  if(!res->status || (wt->first_failure && !res->first_failure))
    return diag_nomem(d);
  return SFL_OK;
}

enum sfl_status cfn_watcher_run(struct cfn_watcher *wt, struct cfn_wait_result *res,
                                struct diag *d)
{
  memset(res, 0, sizeof *res);
  unsigned poll_ms = wt->w.poll_ms ? wt->w.poll_ms : 2000;
  for(;;) {
    const char *status = NULL;
    if(show_new_events(wt, d) || stack_status(wt, &status, d))
      break;
    wt->last_status = status;
    if(!cfn_status_in_progress(status)) {
      /* The last events can trail the status by a moment. */
      if(show_new_events(wt, d))
        break;
      return finish(wt, status, res, d);
    }
    if(wt->w.out && wt->w.tty)
      draw_progress(wt);
    else if(wt->w.out)
      note_quiet(wt);
    if(cfn_nap(poll_ms, wt->w.stop)) {
      clear_progress(wt);
      res->interrupted = 1;
      return SFL_OK;
    }
  }
  clear_progress(wt);
  /* A client given the same stop flag gives up mid-call: that is Ctrl-C, not a failure. */
  if(wt->w.stop && *wt->w.stop) {
    memset(d, 0, sizeof *d);
    res->interrupted = 1;
    return SFL_OK;
  }
  return d->status ? d->status : SFL_ERR_INVALID;
}

void cfn_watcher_free(struct cfn_watcher *wt)
{
  if(wt)
    arena_free(wt->a);
}

void cfn_wait_result_free(struct cfn_wait_result *r)
{
  free(r->status);
  free(r->first_failure);
  memset(r, 0, sizeof *r);
}

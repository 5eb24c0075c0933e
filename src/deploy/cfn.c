/*
** cfn.c: CloudFormation's query API as the CDK CLI uses it: stack lookup, change sets,
** GetTemplate and DeleteStack (cfn.h). The watcher is cfn_watch.c; whole operations
** (cfn_deploy, cfn_destroy) are cfn_ops.c.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deploy/cfn.h"
#include "deploy/cfn_private.h"
#include "deploy/client.h"

#define CFN_VERSION "2010-05-15"

/* {============ request parameters: names such as "Parameters.member.2.ParameterKey"
** are built, so the list owns what it formats. */

void cfn_params_add(struct cfn_params *q, const char *name, const char *value)
{
  if(q->failed || !value)
    return;
  if(q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 16;
    struct aws_param *p = realloc(q->p, cap * sizeof *p);
    char **owned = realloc(q->owned, cap * sizeof *owned);
    if(p)
      q->p = p;
    if(owned)
      q->owned = owned;
    if(!p || !owned) {
      q->failed = 1;
      return;
    }
    q->cap = cap;
  }
  q->owned[q->n] = NULL;
  q->p[q->n].name = name;
  q->p[q->n].value = value;
  q->n++;
}

/* A parameter whose name is formatted (the list keeps the name). */
void cfn_params_addf(struct cfn_params *q, const char *value, const char *fmt, ...)
{
  char name[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  char *copy = strdup(name);
  size_t before = q->n;
  if(!copy)
    q->failed = 1;
  cfn_params_add(q, copy, value);
  if(q->n == before)
    free(copy);
  else
    q->owned[before] = copy;
}

void cfn_params_free(struct cfn_params *q)
{
  for(size_t i = 0; i < q->n; i++)
    free(q->owned[i]);
  free(q->owned);
  free(q->p);
  memset(q, 0, sizeof *q);
}

enum sfl_status cfn_call(struct aws_client *c, const char *action, struct cfn_params *q,
                         struct xml_doc *out, struct diag *d)
{
  memset(out, 0, sizeof *out);
  if(q->failed) {
    cfn_params_free(q);
    return diag_nomem(d);
  }
  enum sfl_status st = aws_query(c, "cloudformation", CFN_VERSION, action, q->p, q->n, out, d);
  cfn_params_free(q);
  return st;
}

/* }============ small helpers */

char *cfn_strdup(const char *s, int *failed)
{
  if(!s)
    return NULL;
  char *copy = strdup(s);
  if(!copy)
    *failed = 1;
  return copy;
}

/* Sleeps ms in short steps so that a SIGINT is noticed at once; 1 when *stop was set. */
int cfn_nap(unsigned ms, volatile sig_atomic_t *stop)
{
  while(ms && !(stop && *stop)) {
    unsigned step = ms < 100 ? ms : 100;
    struct timespec ts = {0, (long)step * 1000000L};
    nanosleep(&ts, NULL);
    ms -= step;
  }
  return stop && *stop;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && !strcmp(s + ls - lx, suffix);
}

int cfn_status_in_progress(const char *status)
{
  return status && ends_with(status, "_IN_PROGRESS");
}

int cfn_status_failed(const char *status)
{
  return status && (ends_with(status, "_FAILED") || ends_with(status, "ROLLBACK_COMPLETE"));
}

int cfn_status_creation_failed(const char *status)
{
  return status && (!strcmp(status, "ROLLBACK_COMPLETE") || !strcmp(status, "ROLLBACK_FAILED"));
}

int cfn_stack_is_new(const struct cfn_stack_info *s)
{
  return !s->exists || !strcmp(s->status, "REVIEW_IN_PROGRESS");
}

/* }============ stacks */

static enum sfl_status read_pairs(const struct xml_doc *doc, const char *list,
                                  const char *kname, const char *vname,
                                  struct cfn_kv **out, size_t *n)
{
  char tail[96], ktail[128], vtail[128];
  snprintf(tail, sizeof tail, "%s/member", list);
  snprintf(ktail, sizeof ktail, "%s/%s", tail, kname);
  snprintf(vtail, sizeof vtail, "%s/%s", tail, vname);
  size_t count = xml_count(doc, tail);
  *n = 0;
  *out = count ? calloc(count, sizeof **out) : NULL;
  if(count && !*out)
    return SFL_ERR_NOMEM;
  int failed = 0;
  size_t at = 0;
  for(struct xml_doc m; *n < count && xml_next(doc, tail, &at, &m); (*n)++) {
    (*out)[*n].key = cfn_strdup(xml_find(&m, ktail), &failed);
    (*out)[*n].value = cfn_strdup(xml_find(&m, vtail), &failed);
  }
  return failed ? SFL_ERR_NOMEM : SFL_OK;
}

static enum sfl_status read_stack(const struct xml_doc *stack, struct cfn_stack_info *out)
{
  int failed = 0;
  out->exists = 1;
  out->id = cfn_strdup(xml_find(stack, "Stacks/member/StackId"), &failed);
  out->name = cfn_strdup(xml_find(stack, "Stacks/member/StackName"), &failed);
  out->status = cfn_strdup(xml_find(stack, "Stacks/member/StackStatus"), &failed);
  out->status_reason = cfn_strdup(xml_find(stack, "Stacks/member/StackStatusReason"), &failed);
  out->description = cfn_strdup(xml_find(stack, "Stacks/member/Description"), &failed);
  if(!out->status && !failed)
    out->status = cfn_strdup("", &failed);
  if(failed
     || read_pairs(stack, "Stacks/member/Outputs", "OutputKey", "OutputValue", &out->outputs,
                   &out->noutputs)
     || read_pairs(stack, "Stacks/member/Parameters", "ParameterKey", "ParameterValue",
                   &out->parameters, &out->nparameters))
    return SFL_ERR_NOMEM;
  return SFL_OK;
}

/* DescribeStacks' answer for a stack that is not there. */
int cfn_missing_stack(struct aws_client *c, const struct diag *d)
{
  const char *code = aws_client_error_code(c);
  return code && !strcmp(code, "ValidationError") && strstr(d->msg, "does not exist");
}

enum sfl_status cfn_stack_lookup(struct aws_client *c, const char *stack,
                                 struct cfn_stack_info *out, struct diag *d)
{
  memset(out, 0, sizeof *out);
  struct cfn_params q = {0};
  cfn_params_add(&q, "StackName", stack);
  struct xml_doc doc;
  enum sfl_status st = cfn_call(c, "DescribeStacks", &q, &doc, d);
  if(st) {
    xml_free(&doc);
    if(cfn_missing_stack(c, d)) {
      memset(d, 0, sizeof *d);
      return SFL_OK;
    }
    return st;
  }
  size_t at = 0;
  struct xml_doc m;
  if(xml_next(&doc, "Stacks/member", &at, &m)) {
    const char *status = xml_find(&m, "Stacks/member/StackStatus");
    if(!status || strcmp(status, "DELETE_COMPLETE"))
      st = read_stack(&m, out);
  }
  xml_free(&doc);
  if(st) {
    cfn_stack_info_free(out);
    return diag_nomem(d);
  }
  return SFL_OK;
}

static const char *find_kv(const struct cfn_kv *kv, size_t n, const char *key)
{
  for(size_t i = 0; i < n; i++)
    if(kv[i].key && !strcmp(kv[i].key, key))
      return kv[i].value ? kv[i].value : "";
  return NULL;
}

const char *cfn_stack_output(const struct cfn_stack_info *s, const char *key)
{
  return find_kv(s->outputs, s->noutputs, key);
}

const char *cfn_stack_param(const struct cfn_stack_info *s, const char *key)
{
  return find_kv(s->parameters, s->nparameters, key);
}

static void free_kv(struct cfn_kv *kv, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    free(kv[i].key);
    free(kv[i].value);
  }
  free(kv);
}

void cfn_stack_info_free(struct cfn_stack_info *s)
{
  free(s->id);
  free(s->name);
  free(s->status);
  free(s->status_reason);
  free(s->description);
  free_kv(s->outputs, s->noutputs);
  free_kv(s->parameters, s->nparameters);
  memset(s, 0, sizeof *s);
}

enum sfl_status cfn_get_template(struct aws_client *c, const char *stack, char **body,
                                 struct diag *d)
{
  *body = NULL;
  struct cfn_params q = {0};
  cfn_params_add(&q, "StackName", stack);
  cfn_params_add(&q, "TemplateStage", "Original");
  struct xml_doc doc;
  enum sfl_status st = cfn_call(c, "GetTemplate", &q, &doc, d);
  if(!st) {
    const char *text = xml_find(&doc, "GetTemplateResult/TemplateBody");
    *body = strdup(text ? text : "");
    if(!*body)
      st = diag_nomem(d);
  }
  xml_free(&doc);
  return st;
}

enum sfl_status cfn_delete_stack(struct aws_client *c, const char *stack, struct diag *d)
{
  struct cfn_params q = {0};
  cfn_params_add(&q, "StackName", stack);
  struct xml_doc doc;
  enum sfl_status st = cfn_call(c, "DeleteStack", &q, &doc, d);
  xml_free(&doc);
  return st;
}

/* }============ change sets */

static void add_change_set_params(struct cfn_params *q, const struct cfn_change_set_input *in)
{
  static const char *const caps[] = {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                                     "CAPABILITY_AUTO_EXPAND"};
  cfn_params_add(q, "StackName", in->stack);
  cfn_params_add(q, "ChangeSetName", in->name ? in->name : CFN_CHANGE_SET_NAME);
  cfn_params_add(q, "ChangeSetType", in->create ? "CREATE" : "UPDATE");
  cfn_params_add(q, "Description", in->description);
  cfn_params_add(q, "TemplateBody", in->template_body);
  cfn_params_add(q, "TemplateURL", in->template_url);
  for(size_t i = 0; i < in->nparameters; i++) {
    cfn_params_addf(q, in->parameters[i].key, "Parameters.member.%zu.ParameterKey", i + 1);
    cfn_params_addf(q, in->parameters[i].value, "Parameters.member.%zu.ParameterValue", i + 1);
  }
  for(size_t i = 0; i < sizeof caps / sizeof *caps; i++)
    cfn_params_addf(q, caps[i], "Capabilities.member.%zu", i + 1);
}

enum sfl_status cfn_change_set_create(struct aws_client *c, const struct cfn_change_set_input *in,
                                      struct cfn_change_set *out, struct diag *d)
{
  memset(out, 0, sizeof *out);
  const char *name = in->name ? in->name : CFN_CHANGE_SET_NAME;
  /* Change set names are unique per stack: remove the one a former run left (also on a
  ** stack in REVIEW_IN_PROGRESS; one that does not exist has none). */
  if(cfn_change_set_delete(c, in->stack, name, d))
    return d->status;
  struct cfn_params q = {0};
  add_change_set_params(&q, in);
  struct xml_doc doc;
  enum sfl_status st = cfn_call(c, "CreateChangeSet", &q, &doc, d);
  if(!st) {
    int failed = 0;
    out->id = cfn_strdup(xml_find(&doc, "CreateChangeSetResult/Id"), &failed);
    out->stack_id = cfn_strdup(xml_find(&doc, "CreateChangeSetResult/StackId"), &failed);
    if(!out->id && !failed)
      out->id = cfn_strdup(name, &failed);
    if(!out->stack_id && !failed)
      out->stack_id = cfn_strdup(in->stack, &failed);
    if(failed)
      st = diag_nomem(d);
  }
  xml_free(&doc);
  return st;
}

static void free_changes(struct cfn_change *ch, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    free(ch[i].action);
    free(ch[i].logical_id);
    free(ch[i].physical_id);
    free(ch[i].type);
    free(ch[i].replacement);
  }
  free(ch);
}

/* Appends one page's Changes to cs. */
static enum sfl_status read_changes(const struct xml_doc *doc, struct cfn_change_set *cs)
{
  static const char tail[] = "Changes/member";
  size_t count = xml_count(doc, tail);
  if(!count)
    return SFL_OK;
  struct cfn_change *grown = realloc(cs->changes, (cs->nchanges + count) * sizeof *grown);
  if(!grown)
    return SFL_ERR_NOMEM;
  cs->changes = grown;
  int failed = 0;
  size_t at = 0;
  for(struct xml_doc m; xml_next(doc, tail, &at, &m) && count; count--) {
    struct cfn_change *ch = &cs->changes[cs->nchanges++];
    ch->action = cfn_strdup(xml_find(&m, "ResourceChange/Action"), &failed);
    ch->logical_id = cfn_strdup(xml_find(&m, "ResourceChange/LogicalResourceId"), &failed);
    ch->physical_id = cfn_strdup(xml_find(&m, "ResourceChange/PhysicalResourceId"), &failed);
    ch->type = cfn_strdup(xml_find(&m, "ResourceChange/ResourceType"), &failed);
    ch->replacement = cfn_strdup(xml_find(&m, "ResourceChange/Replacement"), &failed);
  }
  return failed ? SFL_ERR_NOMEM : SFL_OK;
}

static void replace(char **field, const char *value, int *failed)
{
  free(*field);
  *field = cfn_strdup(value, failed);
}

/* One DescribeChangeSet page (NULL token: the first). *next is the next page's token. */
static enum sfl_status describe_page(struct aws_client *c, struct cfn_change_set *cs,
                                     const char *token, char **next, struct diag *d)
{
  struct cfn_params q = {0};
  cfn_params_add(&q, "StackName", cs->stack_id);
  cfn_params_add(&q, "ChangeSetName", cs->id);
  cfn_params_add(&q, "NextToken", token);
  struct xml_doc doc;
  enum sfl_status st = cfn_call(c, "DescribeChangeSet", &q, &doc, d);
  if(!st) {
    int failed = 0;
    replace(&cs->status, xml_find(&doc, "DescribeChangeSetResult/Status"), &failed);
    replace(&cs->status_reason, xml_find(&doc, "DescribeChangeSetResult/StatusReason"), &failed);
    replace(&cs->execution_status, xml_find(&doc, "DescribeChangeSetResult/ExecutionStatus"),
            &failed);
    replace(&cs->creation_time, xml_find(&doc, "DescribeChangeSetResult/CreationTime"), &failed);
    *next = cfn_strdup(xml_find(&doc, "DescribeChangeSetResult/NextToken"), &failed);
    if(failed || read_changes(&doc, cs))
      st = diag_nomem(d);
  }
  xml_free(&doc);
  return st;
}

/* Every page of the change set as it is now. */
static enum sfl_status describe_change_set(struct aws_client *c, struct cfn_change_set *cs,
                                           struct diag *d)
{
  free_changes(cs->changes, cs->nchanges);
  cs->changes = NULL;
  cs->nchanges = 0;
  char *token = NULL;
  enum sfl_status st;
  do {
    char *next = NULL;
    st = describe_page(c, cs, token, &next, d);
    free(token);
    token = next;
  } while(!st && token);
  free(token);
  return st;
}

/* CDK's changeSetHasNoChanges. */
static int has_no_changes(const struct cfn_change_set *cs)
{
  static const char *const prefixes[] = {
    "The submitted information didn't contain changes.",
    "No updates are to be performed."};
  if(!cs->status || strcmp(cs->status, "FAILED") || !cs->status_reason)
    return 0;
  for(size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
    if(!strncmp(cs->status_reason, prefixes[i], strlen(prefixes[i])))
      return 1;
  return 0;
}

static int still_creating(const struct cfn_change_set *cs)
{
  return cs->status && (!strcmp(cs->status, "CREATE_PENDING")
                        || !strcmp(cs->status, "CREATE_IN_PROGRESS"));
}

enum sfl_status cfn_change_set_wait(struct aws_client *c, struct cfn_change_set *cs,
                                    unsigned poll_ms, volatile sig_atomic_t *stop,
                                    int *stopped, struct diag *d)
{
  *stopped = 0;
  for(;;) {
    if(describe_change_set(c, cs, d) && !(stop && *stop))
      return d->status;
    if(stop && *stop) {   /* Ctrl-C, perhaps in the middle of that call */
      memset(d, 0, sizeof *d);
      *stopped = 1;
      return SFL_OK;
    }
    if(!still_creating(cs))
      break;
    if(cfn_nap(poll_ms ? poll_ms : 5000, stop)) {
      *stopped = 1;
      return SFL_OK;
    }
  }
  cs->no_changes = has_no_changes(cs);
  char name[256], stack[256];
  if(!cs->no_changes && strcmp(cs->status ? cs->status : "", "CREATE_COMPLETE"))
    return diag_set(d, SFL_ERR_INVALID, (struct sfl_loc){0},
                    "Failed to create ChangeSet %s on %s: %s, %s",
                    cfn_arn_name(cs->id, name, sizeof name),
                    cfn_arn_name(cs->stack_id, stack, sizeof stack),
                    cs->status ? cs->status : "?",
                    cs->status_reason ? cs->status_reason : "no reason given");
  return SFL_OK;
}

enum sfl_status cfn_change_set_execute(struct aws_client *c, const struct cfn_change_set *cs,
                                       int disable_rollback, struct diag *d)
{
  struct cfn_params q = {0};
  cfn_params_add(&q, "StackName", cs->stack_id);
  cfn_params_add(&q, "ChangeSetName", cs->id);
  cfn_params_add(&q, "DisableRollback", disable_rollback ? "true" : "false");
  struct xml_doc doc;
  enum sfl_status st = cfn_call(c, "ExecuteChangeSet", &q, &doc, d);
  xml_free(&doc);
  return st;
}

enum sfl_status cfn_change_set_delete(struct aws_client *c, const char *stack,
                                      const char *name, struct diag *d)
{
  struct cfn_params q = {0};
  cfn_params_add(&q, "StackName", stack);
  cfn_params_add(&q, "ChangeSetName", name);
  struct xml_doc doc;
  enum sfl_status st = cfn_call(c, "DeleteChangeSet", &q, &doc, d);
  xml_free(&doc);
  /* Deleting a change set that is not there succeeds while the stack exists; a stack
  ** that is gone has no change sets to remove either. */
  if(st && (cfn_missing_stack(c, d) || (aws_client_error_code(c)
                                        && !strcmp(aws_client_error_code(c),
                                                   "ChangeSetNotFound")))) {
    memset(d, 0, sizeof *d);
    st = SFL_OK;
  }
  return st;
}

void cfn_change_set_free(struct cfn_change_set *cs)
{
  free(cs->id);
  free(cs->stack_id);
  free(cs->status);
  free(cs->status_reason);
  free(cs->execution_status);
  free(cs->creation_time);
  free_changes(cs->changes, cs->nchanges);
  memset(cs, 0, sizeof *cs);
}

/* The name part of a CloudFormation ARN ("arn:...:stack/NAME/uuid" -> NAME), or the text
** itself when it is not one, written to buf. */
const char *cfn_arn_name(const char *s, char *buf, size_t size)
{
  const char *slash = s && !strncmp(s, "arn:", 4) ? strchr(s, '/') : NULL;
  if(!slash) {
    snprintf(buf, size, "%s", s ? s : "");
    return buf;
  }
  const char *end = strchr(slash + 1, '/');
  int n = end ? (int)(end - slash - 1) : (int)strlen(slash + 1);
  snprintf(buf, size, "%.*s", n, slash + 1);
  return buf;
}

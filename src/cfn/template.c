/*
** template.c: rendering a stack to a CloudFormation template.
*/
#include "cfn/template.h"
#include "cfn/tags.h"
#include "cfn/token.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define BOOTSTRAP_PARAMETER "/cdk-bootstrap/hnb659fds/version"

int cfn_walk(struct cfn_node *top, int (*fn)(struct cfn_node *n, void *ctx), void *ctx)
{
  /* Iterative pre-order walk: deep trees must not exhaust the C stack. */
  struct cfn_node *n = top;
  while(n) {
    int rc = fn(n, ctx);
    if(rc)
      return rc;
    if(n->first_child) {
      n = n->first_child;
      continue;
    }
    while(n != top && !n->next_sibling)
      n = n->parent;
    if(n == top)
      break;
    n = n->next_sibling;
  }
  return 0;
}

/* {============ localeCompare */

/* ICU root collation's primary order of ASCII punctuation and symbols (before digits). */
static const char punct_order[] = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

static int primary(unsigned char c)
{
  if(c < 0x20 || c == 0x7f)
    return 0;
  const char *p = strchr(punct_order, c);
  if(p)
    return 1 + (int)(p - punct_order);
  if(isdigit(c))
    return 100 + (c - '0');
  if(isalpha(c))
    return 200 + (tolower(c) - 'a');
  return 300 + c;  /* beyond ASCII: code order after letters */
}

int cfn_locale_compare(const char *a, const char *b)
{
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
  for(; *x && *y; x++, y++) {
    int d = primary(*x) - primary(*y);
    if(d)
      return d < 0 ? -1 : 1;
  }
  if(*x || *y)
    return *x ? 1 : -1;
  /* Equal but for case: lowercase sorts first. */
  for(x = (const unsigned char *)a, y = (const unsigned char *)b; *x; x++, y++)
    if(*x != *y)
      return islower(*x) ? -1 : 1;
  return 0;
}

/* }============ */

struct dep {
  const char *path;
  const char *logical_id;
};

struct dep_collect {
  struct arena *arena;
  struct dep *deps;
  size_t n, cap;
  const struct cfn_resource *self;
  int failed;
};

static int collect_dep(struct cfn_node *n, void *ctx)
{
  struct dep_collect *c = ctx;
  if(!n->resource || n->resource == c->self || n->resource->omit || n->resource->section)
    return 0;
  for(size_t i = 0; i < c->n; i++)
    if(!strcmp(c->deps[i].logical_id, n->resource->logical_id))
      return 0;
  if(c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 8;
    struct dep *d = realloc(c->deps, cap * sizeof *d);
    if(!d) {
      c->failed = 1;
      return 1;
    }
    c->deps = d;
    c->cap = cap;
  }
  c->deps[c->n].path = cfn_node_path(c->arena, n);
  c->deps[c->n].logical_id = n->resource->logical_id;
  if(!c->deps[c->n].path) {
    c->failed = 1;
    return 1;
  }
  c->n++;
  return 0;
}

static int compare_deps(const void *a, const void *b)
{
  return cfn_locale_compare(((const struct dep *)a)->path, ((const struct dep *)b)->path);
}

/* DependsOn: every resource under each dependency, sorted by construct path. */
static cJSON *render_depends_on(const struct cfn_resource *r)
{
  struct dep_collect c = {.arena = r->node->app->arena, .self = r};
  for(size_t i = 0; i < r->depends_on.n && !c.failed; i++)
    cfn_walk(r->depends_on.items[i], collect_dep, &c);
  if(c.failed) {
    free(c.deps);
    return NULL;
  }
  qsort(c.deps, c.n, sizeof *c.deps, compare_deps);
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < c.n && list; i++)
    if(!json_push(list, cJSON_CreateString(c.deps[i].logical_id))) {
      cJSON_Delete(list);
      list = NULL;
    }
  free(c.deps);
  return list;
}

static cJSON *render_resource(const struct cfn_resource *r)
{
  cJSON *res = cJSON_CreateObject();
  json_put_str(res, "Type", r->type);
  cJSON *props = r->props ? cfn_resolve(r->props) : cJSON_CreateObject();
  if(!props || !cfn_tags_apply(r, props)) {
    cJSON_Delete(props);
    cJSON_Delete(res);
    return NULL;
  }
  if(props->child)
    json_put(res, "Properties", props);
  else
    cJSON_Delete(props);
  if(r->depends_on.n) {
    cJSON *deps = render_depends_on(r);
    if(!deps || !deps->child)
      cJSON_Delete(deps);
    else
      json_put(res, "DependsOn", deps);
  }
  json_put_str(res, "UpdateReplacePolicy", r->update_replace_policy);
  json_put_str(res, "DeletionPolicy", r->deletion_policy);
  if(r->metadata)
    json_put(res, "Metadata", cfn_resolve(r->metadata));
  return res;
}

struct render_ctx {
  cJSON *template;
  struct diag *d;
  enum sfl_status status;
};

static int prepare_node(struct cfn_node *n, void *ctx)
{
  struct render_ctx *rc = ctx;
  struct cfn_resource *r = n->resource;
  if(r && r->prepare) {
    rc->status = r->prepare(r, rc->d);
    return rc->status != SFL_OK;
  }
  return 0;
}

static int render_node(struct cfn_node *n, void *ctx)
{
  struct render_ctx *rc = ctx;
  const struct cfn_resource *r = n->resource;
  if(!r || r->omit)
    return 0;
  /* Sections come in the order their first element is met. */
  const char *name = r->section ? r->section : "Resources";
  cJSON *section = json_get(rc->template, name);
  if(!section)
    section = json_put(rc->template, name, cJSON_CreateObject());
  cJSON *body = r->section ? cfn_resolve(r->props) : render_resource(r);
  if(!section || !json_put(section, r->logical_id, body)) {
    rc->status = diag_nomem(rc->d);
    return 1;
  }
  return 0;
}

static cJSON *bootstrap_parameter(void)
{
  cJSON *params = cJSON_CreateObject();
  cJSON *p = json_put(params, "BootstrapVersion", cJSON_CreateObject());
  json_put_str(p, "Type", "AWS::SSM::Parameter::Value<String>");
  json_put_str(p, "Default", BOOTSTRAP_PARAMETER);
  json_put_str(p, "Description",
               "Version of the CDK Bootstrap resources in this environment, automatically "
               "retrieved from SSM Parameter Store. [cdk:skip]");
  return params;
}

static cJSON *bootstrap_rule(void)
{
  static const char *const old[] = {"1", "2", "3", "4", "5"};
  cJSON *contains = cJSON_CreateArray();
  json_push(contains, json_strings(old, 5));
  json_push(contains, cfn_ref("BootstrapVersion"));
  cJSON *fn_contains = cJSON_CreateObject();
  json_put(fn_contains, "Fn::Contains", contains);
  cJSON *not_list = cJSON_CreateArray();
  json_push(not_list, fn_contains);
  cJSON *assert_ = cJSON_CreateObject();
  json_put(assert_, "Fn::Not", not_list);
  cJSON *assertion = cJSON_CreateObject();
  json_put(assertion, "Assert", assert_);
  json_put_str(assertion, "AssertDescription",
               "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a "
               "recent version of the CDK CLI.");
  cJSON *assertions = cJSON_CreateArray();
  json_push(assertions, assertion);
  cJSON *rules = cJSON_CreateObject();
  cJSON *check = json_put(rules, "CheckBootstrapVersion", cJSON_CreateObject());
  json_put(check, "Assertions", assertions);
  return rules;
}

cJSON *cfn_stack_template(struct cfn_stack *st, struct diag *d)
{
  struct render_ctx rc = {.d = d, .status = SFL_OK};
  if(cfn_walk(st->node, prepare_node, &rc))
    return NULL;
  cJSON *t = cJSON_CreateObject();
  json_put_str(t, "Description", st->description);
  rc.template = t;
  if(!t || cfn_walk(st->node, render_node, &rc)) {
    cJSON_Delete(t);
    if(rc.status == SFL_OK)
      diag_nomem(d);
    return NULL;
  }
  /* The synthesizer's BootstrapVersion comes after the app's own parameters. */
  cJSON *params = json_get(t, "Parameters");
  cJSON *boot = bootstrap_parameter();
  cJSON *boot_param = boot ? cJSON_DetachItemFromObjectCaseSensitive(boot, "BootstrapVersion")
                           : NULL;
  cJSON_Delete(boot);
  if(!params)
    params = json_put(t, "Parameters", cJSON_CreateObject());
  if(!json_put(params, "BootstrapVersion", boot_param)
     || !json_put(t, "Rules", bootstrap_rule())) {
    cJSON_Delete(t);
    diag_nomem(d);
    return NULL;
  }
  return t;
}

char *cfn_template_text(const cJSON *template)
{
  return json_to_text(template, 1);
}

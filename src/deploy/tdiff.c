/*
** tdiff.c: two CloudFormation templates compared section by section, written as `cdk diff`
** writes them: "[+] AWS::IAM::Role Role Role1ABCD", a changed resource's properties as a
** tree below it, "(requires replacement)" where CloudFormation replaces the resource for
** that property, and "There were no differences" when nothing changed.
*/
#include "deploy/tdiff_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* {============ names */

char *t_path_of(const struct tctx *t, const char *id)
{
  const cJSON *p = json_get(t->o->paths, id);
  if(!cJSON_IsString(p))
    return NULL;
  const char *s = p->valuestring + (p->valuestring[0] == '/');
  /* Without the stack's name, and without a last "Resource" or "Default" part. */
  const char *slash = strchr(s, '/');
  if(!slash)
    return strdup(s);
  char *path = strdup(slash + 1);
  char *last = path ? strrchr(path, '/') : NULL;
  if(last && (!strcmp(last + 1, "Resource") || !strcmp(last + 1, "Default")))
    *last = '\0';
  return path;
}

void t_logical_id(struct tctx *t, const char *id)
{
  char *path = t_path_of(t, id);
  if(path) {
    t_put(t, T_PLAIN, path);
    t_put(t, T_PLAIN, " ");
    t_put(t, T_GRAY, id);
  }
  else
    t_put(t, T_PLAIN, id);
  free(path);
}
/* }============ */

/* {============ replacement: the properties whose change makes CloudFormation replace the
** resource (the "Update requires: Replacement" of its reference), for the types sfl writes */
static const struct {
  const char *type, *prop;
} replacing[] = {
  {"AWS::DynamoDB::Table", "KeySchema"},
  {"AWS::DynamoDB::Table", "TableName"},
  {"AWS::Events::EventBus", "Name"},
  {"AWS::Events::Rule", "Name"},
  {"AWS::IAM::ManagedPolicy", "ManagedPolicyName"},
  {"AWS::IAM::ManagedPolicy", "Path"},
  {"AWS::IAM::Role", "Path"},
  {"AWS::IAM::Role", "RoleName"},
  {"AWS::KMS::Alias", "AliasName"},
  {"AWS::Lambda::Alias", "FunctionName"},
  {"AWS::Lambda::Alias", "Name"},
  {"AWS::Lambda::Function", "FunctionName"},
  {"AWS::Lambda::Version", "FunctionName"},
  {"AWS::Logs::LogGroup", "LogGroupName"},
  {"AWS::S3::Bucket", "BucketName"},
  {"AWS::SNS::Topic", "FifoTopic"},
  {"AWS::SNS::Topic", "TopicName"},
  {"AWS::SQS::Queue", "FifoQueue"},
  {"AWS::SQS::Queue", "QueueName"},
  {"AWS::StepFunctions::Activity", "Name"},
  {"AWS::StepFunctions::StateMachine", "StateMachineName"},
  {"AWS::StepFunctions::StateMachine", "StateMachineType"},
};

static int replaces(const char *type, const char *prop)
{
  for(size_t i = 0; i < sizeof replacing / sizeof *replacing; i++)
    if(!strcmp(replacing[i].type, type) && !strcmp(replacing[i].prop, prop))
      return 1;
  return 0;
}
/* }============ */

/* {============ resources */

static const char *type_of(const cJSON *r)
{
  const cJSON *t = json_get(r, "Type");
  return cJSON_IsString(t) ? t->valuestring : "?";
}

static int is_sfn(const char *type)
{
  return !strcmp(type, "AWS::StepFunctions::StateMachine");
}

static int is_definition(const char *type, const char *prop)
{
  return is_sfn(type) && (!strcmp(prop, "DefinitionString") || !strcmp(prop, "Definition"));
}

/* One changed property (or other attribute: DependsOn, Metadata...) of a resource. */
static void member_diff(struct tctx *t, int last, const char *type, const char *name,
                        const cJSON *old, const cJSON *new, int prop)
{
  t_item(t, last);
  t_tag(t, t_change(old, new));
  t_put(t, T_PLAIN, " ");
  t_put(t, T_PLAIN, name);
  if(prop && old && new && replaces(type, name))
    t_put(t, T_PLAIN, " (requires replacement)");
  t_nl(t);
  size_t mark = t_push(t, last);
  if(prop && old && new && is_definition(type, name) && tdiff_definition(t, old, new))
    ;
  else if(prop && is_sfn(type) && !strcmp(name, "DefinitionSubstitutions")) {
    /* What replaces ${Name} in the definition: shown as the definition's references are. */
    cJSON *a = t_render_intrinsics(old), *b = t_render_intrinsics(new);
    t_value_diff(t, a, b);
    cJSON_Delete(a);
    cJSON_Delete(b);
  }
  else
    t_value_diff(t, old, new);
  t_pop(t, mark);
}

static void members_diff(struct tctx *t, const cJSON *old, const cJSON *new, const char *type)
{
  static const cJSON empty = {0};
  const cJSON *op = json_get(old, "Properties"), *np = json_get(new, "Properties");
  size_t np_n, nr_n;
  const char **props = t_changed_keys(cJSON_IsObject(op) ? op : &empty,
                                      cJSON_IsObject(np) ? np : &empty, &np_n);
  const char **rest = t_changed_keys(old, new, &nr_n);
  if(!props || !rest)
    t->out->failed = 1;
  size_t total = np_n, k = 0;
  for(size_t i = 0; rest && i < nr_n; i++)
    total += strcmp(rest[i], "Type") && strcmp(rest[i], "Properties");
  for(size_t i = 0; props && i < np_n; i++, k++)
    member_diff(t, k + 1 == total, type, props[i], json_get(op, props[i]),
                json_get(np, props[i]), 1);
  for(size_t i = 0; rest && i < nr_n; i++) {
    if(!strcmp(rest[i], "Type") || !strcmp(rest[i], "Properties"))
      continue;
    member_diff(t, ++k == total, type, rest[i], json_get(old, rest[i]), json_get(new, rest[i]),
                0);
  }
  free(props);
  free(rest);
}

static int replaced(const cJSON *old, const cJSON *new)
{
  if(strcmp(type_of(old), type_of(new)))
    return 1;
  size_t n;
  const char **keys = t_changed_keys(json_get(old, "Properties"), json_get(new, "Properties"),
                                     &n);
  int r = 0;
  for(size_t i = 0; keys && i < n; i++)
    if(json_get(json_get(old, "Properties"), keys[i]) &&
       json_get(json_get(new, "Properties"), keys[i]))
      r |= replaces(type_of(new), keys[i]);
  free(keys);
  return r;
}

static void resource_diff(struct tctx *t, const char *id, const cJSON *old, const cJSON *new)
{
  enum tchange k = t_change(old, new);
  t_tag(t, k);
  t_put(t, T_PLAIN, " ");
  t_put(t, T_CYAN, type_of(new ? new : old));
  if(k == T_UPD && strcmp(type_of(old), type_of(new))) {
    t_put(t, T_PLAIN, " (was ");
    t_put(t, T_CYAN, type_of(old));
    t_put(t, T_PLAIN, ")");
  }
  t_put(t, T_PLAIN, " ");
  t_logical_id(t, id);
  if(k == T_DEL) {
    const cJSON *policy = json_get(old, "DeletionPolicy");
    int retain = cJSON_IsString(policy) && !strcmp(policy->valuestring, "Retain");
    t_put(t, T_PLAIN, " ");
    t_put(t, retain ? T_YELLOW : T_RED, retain ? "orphan" : "destroy");
  }
  else if(k == T_UPD && replaced(old, new)) {
    t_put(t, T_PLAIN, " ");
    t_put(t, T_RED, "replace");
  }
  t_nl(t);
  if(k == T_UPD) {
    strbuf_puts(&t->pfx, " ");
    members_diff(t, old, new, type_of(new));
    t_pop(t, 0);
  }
}
/* }============ */

/* {============ sections */

/* A change of a whole named entry of a section: "[~] Parameter Name: old to new". */
static void entry_diff(struct tctx *t, const char *kind, const char *id, const cJSON *old,
                       const cJSON *new)
{
  enum tchange k = t_change(old, new);
  t_tag(t, k);
  t_put(t, T_PLAIN, " ");
  t_put(t, T_CYAN, kind);
  t_put(t, T_PLAIN, " ");
  t_logical_id(t, id);
  t_put(t, T_PLAIN, ": ");
  if(old)
    t_value(t, old, T_RED);
  if(old && new)
    t_put(t, T_PLAIN, " to ");
  if(new)
    t_value(t, new, T_GREEN);
  t_nl(t);
}

/* Whether a template entry is left out unless --strict, as `cdk diff` leaves it out. */
static int hidden(const struct tctx *t, const char *section, const cJSON *v)
{
  if(t->o->strict || !v)
    return 0;
  if(!strcmp(section, "Resources"))
    return !strcmp(type_of(v), "AWS::CDK::Metadata");
  return !strcmp(section, "Rules") && json_get(v, "CheckBootstrapVersion");
}

static const cJSON *visible(const struct tctx *t, const char *section, const cJSON *v)
{
  return hidden(t, section, v) ? NULL : v;
}

/* The changed entries of a section (NULL sections are empty): printed under its title. */
static size_t section_diff(struct tctx *t, const char *title, const char *section,
                           const char *kind, const cJSON *old, const cJSON *new)
{
  const cJSON *os = json_get(old, section), *ns = json_get(new, section);
  size_t n, shown = 0;
  const char **keys = t_changed_keys_ordered(cJSON_IsObject(os) ? os : NULL,
                                     cJSON_IsObject(ns) ? ns : NULL, &n);
  if(!keys) {
    t->out->failed = 1;
    return 0;
  }
  for(size_t i = 0; i < n; i++) {
    const cJSON *o = visible(t, section, json_get(os, keys[i]));
    const cJSON *b = visible(t, section, json_get(ns, keys[i]));
    if(t_equal(o, b))
      continue;
    if(!shown++) {
      t_put(t, T_HEADER, title);
      t_nl(t);
    }
    if(!strcmp(section, "Resources"))
      resource_diff(t, keys[i], o, b);
    else
      entry_diff(t, kind, keys[i], o, b);
  }
  if(shown)
    t_nl(t);
  free(keys);
  return shown;
}

/* The top-level keys that are single values: the Template section. */
static const char *const template_keys[] = {"AWSTemplateFormatVersion", "Transform",
                                            "Description"};
/* The sections `cdk diff` knows, in its order after IAM. */
static const struct {
  const char *title, *key, *kind;
} sections[] = {
  {"Parameters", "Parameters", "Parameter"},
  {"Metadata", "Metadata", "Metadata"},
  {"Mappings", "Mappings", "Mapping"},
  {"Conditions", "Conditions", "Condition"},
  {"Resources", "Resources", "Resource"},
  {"Outputs", "Outputs", "Output"},
};

static int known_key(const char *k)
{
  for(size_t i = 0; i < sizeof template_keys / sizeof *template_keys; i++)
    if(!strcmp(k, template_keys[i]))
      return 1;
  for(size_t i = 0; i < sizeof sections / sizeof *sections; i++)
    if(!strcmp(k, sections[i].key))
      return 1;
  return 0;
}

static size_t template_diff(struct tctx *t, const cJSON *old, const cJSON *new)
{
  size_t shown = 0;
  for(size_t i = 0; i < sizeof template_keys / sizeof *template_keys; i++) {
    const cJSON *o = json_get(old, template_keys[i]), *b = json_get(new, template_keys[i]);
    if(t_equal(o, b))
      continue;
    if(!shown++) {
      t_put(t, T_HEADER, "Template");
      t_nl(t);
    }
    entry_diff(t, template_keys[i], template_keys[i], o, b);
  }
  if(shown)
    t_nl(t);
  return shown;
}

/* Top-level keys no section knows (Rules, ...): "Other Changes", each as a whole. */
static size_t other_diff(struct tctx *t, const cJSON *old, const cJSON *new)
{
  size_t n, shown = 0;
  const char **keys = t_changed_keys_ordered(old, new, &n);
  for(size_t i = 0; keys && i < n; i++) {
    const cJSON *o = json_get(old, keys[i]), *b = json_get(new, keys[i]);
    if(known_key(keys[i]) || hidden(t, keys[i], o) || hidden(t, keys[i], b))
      continue;
    if(!shown++) {
      t_put(t, T_HEADER, "Other Changes");
      t_nl(t);
    }
    entry_diff(t, "Unknown", keys[i], o, b);
  }
  if(shown)
    t_nl(t);
  free(keys);
  return shown;
}
/* }============ */

size_t tdiff_write(struct strbuf *out, const cJSON *old, const cJSON *new,
                   const struct tdiff_options *o)
{
  struct tctx t = {.out = out, .o = o, .context = o->context_lines < 0 ? 3 : o->context_lines};
  strbuf_puts(&t.pfx, "");
  if(!cJSON_IsObject(old))
    old = NULL;
  if(!cJSON_IsObject(new))
    new = NULL;
  size_t count = template_diff(&t, old, new);
  if(tdiff_iam(&t, old, new)) {
    t_put(&t, T_YELLOW, "(NOTE: there may be security-related changes not in these tables)");
    t_nl(&t);
    t_nl(&t);
  }
  for(size_t i = 0; i < sizeof sections / sizeof *sections; i++)
    count += section_diff(&t, sections[i].title, sections[i].key, sections[i].kind, old, new);
  count += other_diff(&t, old, new);
  if(!count)
    strbuf_puts(out, "There were no differences\n");
  if(t.pfx.failed)
    out->failed = 1;
  strbuf_free(&t.pfx);
  return count;
}

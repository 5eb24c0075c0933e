/*
** approval.c: the security facts of a template (where CDK's IAM and security group diff
** looks), and the facts added and removed between two templates.
*/
#define _GNU_SOURCE
#include "deploy/approval.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* {============ where security facts live */

enum holder {
  STATEMENTS,   /* a policy document: each Statement */
  POLICIES,     /* a list of inline policies: each statement of each PolicyDocument */
  ITEMS,        /* a list: each item (managed policy ARNs, security group rules) */
  WHOLE         /* the resource's Properties are one fact (a Lambda permission, a rule) */
};

static const struct {
  const char *type, *prop;
  enum holder holder;
} places[] = {
  {"AWS::IAM::Policy", "PolicyDocument", STATEMENTS},
  {"AWS::IAM::ManagedPolicy", "PolicyDocument", STATEMENTS},
  {"AWS::IAM::RolePolicy", "PolicyDocument", STATEMENTS},
  {"AWS::IAM::Role", "AssumeRolePolicyDocument", STATEMENTS},
  {"AWS::IAM::Role", "Policies", POLICIES},
  {"AWS::IAM::Role", "ManagedPolicyArns", ITEMS},
  {"AWS::IAM::User", "Policies", POLICIES},
  {"AWS::IAM::User", "ManagedPolicyArns", ITEMS},
  {"AWS::IAM::Group", "Policies", POLICIES},
  {"AWS::IAM::Group", "ManagedPolicyArns", ITEMS},
  {"AWS::S3::BucketPolicy", "PolicyDocument", STATEMENTS},
  {"AWS::SQS::QueuePolicy", "PolicyDocument", STATEMENTS},
  {"AWS::SNS::TopicPolicy", "PolicyDocument", STATEMENTS},
  {"AWS::KMS::Key", "KeyPolicy", STATEMENTS},
  {"AWS::Lambda::Permission", NULL, WHOLE},
  {"AWS::EC2::SecurityGroup", "SecurityGroupIngress", ITEMS},
  {"AWS::EC2::SecurityGroup", "SecurityGroupEgress", ITEMS},
  {"AWS::EC2::SecurityGroupIngress", NULL, WHOLE},
  {"AWS::EC2::SecurityGroupEgress", NULL, WHOLE},
};

struct fact {
  const char *logical_id, *type, *what;   /* borrowed from the template and places[] */
  char *json;   /* cJSON_PrintUnformatted's: cJSON_free() */
};

struct facts {
  struct fact *f;
  size_t n;
  int nomem;
};

static void add_fact(struct facts *fs, const char *id, const char *type, const char *what,
                     const cJSON *v)
{
  char *json = cJSON_PrintUnformatted(v);
  struct fact *grown = json ? realloc(fs->f, (fs->n + 1) * sizeof *grown) : NULL;
  if(!grown) {
    cJSON_free(json);
    fs->nomem = 1;
    return;
  }
  fs->f = grown;
  fs->f[fs->n++] = (struct fact){id, type, what, json};
}

static const cJSON *list(const cJSON *v)
{
  return cJSON_IsArray(v) ? v : NULL;
}

/* A Statement is a list, or one statement on its own. */
static void add_statements(struct facts *fs, const char *id, const char *type,
                           const char *what, const cJSON *doc)
{
  const cJSON *st = json_get(doc, "Statement"), *s;
  if(cJSON_IsObject(st)) {
    add_fact(fs, id, type, what, st);
    return;
  }
  cJSON_ArrayForEach(s, list(st))
    add_fact(fs, id, type, what, s);
}

static void add_place(struct facts *fs, const char *id, const char *type, size_t p,
                      const cJSON *props)
{
  const char *what = places[p].prop ? places[p].prop : "Properties";
  const cJSON *v = places[p].prop ? json_get(props, places[p].prop) : props, *item;
  if(!v)
    return;
  switch(places[p].holder) {
  case STATEMENTS:
    add_statements(fs, id, type, what, v);
    break;
  case POLICIES:
    cJSON_ArrayForEach(item, list(v))
      add_statements(fs, id, type, what, json_get(item, "PolicyDocument"));
    break;
  case ITEMS:
    cJSON_ArrayForEach(item, list(v))
      add_fact(fs, id, type, what, item);
    break;
  case WHOLE:
    add_fact(fs, id, type, what, v);
    break;
  }
}

static void collect(struct facts *fs, const cJSON *template)
{
  const cJSON *r;
  cJSON_ArrayForEach(r, json_get(template, "Resources")) {
    const cJSON *type = json_get(r, "Type");
    if(!cJSON_IsString(type))
      continue;
    for(size_t p = 0; p < sizeof places / sizeof *places; p++)
      if(!strcmp(places[p].type, type->valuestring))
        add_place(fs, r->string, type->valuestring, p, json_get(r, "Properties"));
  }
}

static void facts_free(struct facts *fs)
{
  for(size_t i = 0; i < fs->n; i++)
    cJSON_free(fs->f[i].json);
  free(fs->f);
}

/* }============ */

/* {============ comparing */

static int same(const struct fact *a, const struct fact *b)
{
  return !strcmp(a->logical_id, b->logical_id) && !strcmp(a->what, b->what) &&
         !strcmp(a->json, b->json);
}

static int has(const struct facts *fs, const struct fact *f)
{
  for(size_t i = 0; i < fs->n; i++)
    if(same(&fs->f[i], f))
      return 1;
  return 0;
}

static int add_change(struct approval_report *r, char sign, const struct fact *f)
{
  struct approval_change *grown = realloc(r->changes, (r->n + 1) * sizeof *grown);
  if(!grown)
    return 0;
  r->changes = grown;
  struct approval_change *c = &r->changes[r->n++];
  *c = (struct approval_change){sign, strdup(f->logical_id), strdup(f->type), strdup(f->what),
                                strdup(f->json)};
  if(sign == '+')
    r->broadening = 1;
  return c->logical_id && c->type && c->what && c->json;
}

/* Each fact of `a` missing from `b`, as a change with `sign`. */
static int differences(struct approval_report *r, char sign, const struct facts *a,
                       const struct facts *b)
{
  for(size_t i = 0; i < a->n; i++)
    if(!has(b, &a->f[i]) && !add_change(r, sign, &a->f[i]))
      return 0;
  return 1;
}

enum sfl_status approval_compare(const cJSON *old, const cJSON *new, struct approval_report *r,
                                 struct diag *d)
{
  *r = (struct approval_report){0};
  struct facts was = {0}, is = {0};
  collect(&was, old);
  collect(&is, new);
  int ok = !was.nomem && !is.nomem && differences(r, '-', &was, &is) &&
           differences(r, '+', &is, &was);
  facts_free(&was);
  facts_free(&is);
  if(ok)
    return SFL_OK;
  approval_free(r);
  return diag_nomem(d);
}

int approval_needed(enum approval_level level, const struct approval_report *r)
{
  if(level == APPROVAL_ANY_CHANGE)
    return r->n > 0;
  return level == APPROVAL_BROADENING && r->broadening;
}

void approval_print(FILE *out, const struct approval_report *r)
{
  fprintf(out, "IAM Statement Changes\n");
  for(size_t i = 0; i < r->n; i++) {
    const struct approval_change *c = &r->changes[i];
    fprintf(out, "%c %s %s %s %s\n", c->sign, c->logical_id, c->type, c->what, c->json);
  }
}

void approval_free(struct approval_report *r)
{
  for(size_t i = 0; i < r->n; i++) {
    free(r->changes[i].logical_id);
    free(r->changes[i].type);
    free(r->changes[i].what);
    free(r->changes[i].json);
  }
  free(r->changes);
  *r = (struct approval_report){0};
}

int approval_level_parse(const char *s)
{
  static const char *const names[] = {"never", "any-change", "broadening"};
  for(int i = 0; i < 3; i++)
    if(!strcmp(s, names[i]))
      return i;
  return -1;
}

/* }============ */

/*
** tdiff_iam.c: the "IAM Statement Changes" and "IAM Policy Changes" tables of `cdk diff`:
** every policy statement of the old and new templates (AWS::IAM::Policy and ManagedPolicy,
** a role's, user's or group's inline policies, trust policies, KMS key policies, bucket,
** queue and topic policies, Lambda permissions) and every managed policy attachment, read
** with intrinsics as ${Logical.Attr}; those only in the new template are "+", those only in
** the old "-".
*/
#include "deploy/tdiff_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* {============ statements as rows */

enum { COL_SIGN, COL_RESOURCE, COL_EFFECT, COL_ACTION, COL_PRINCIPAL, COL_CONDITION, NCOLS };

struct row {
  char *cell[NCOLS];
  char *sid;
};

struct rows {
  struct row *r;
  size_t n, cap;
  int failed;
};

static void free_rows(struct rows *rs)
{
  for(size_t i = 0; i < rs->n; i++) {
    for(int c = 0; c < NCOLS; c++)
      free(rs->r[i].cell[c]);
    free(rs->r[i].sid);
  }
  free(rs->r);
}

static struct row *new_row(struct rows *rs)
{
  if(rs->n == rs->cap) {
    size_t cap = rs->cap ? rs->cap * 2 : 16;
    struct row *r = realloc(rs->r, cap * sizeof *r);
    if(!r) {
      rs->failed = 1;
      return NULL;
    }
    rs->r = r;
    rs->cap = cap;
  }
  struct row *row = &rs->r[rs->n++];
  memset(row, 0, sizeof *row);
  return row;
}

/* The values of a Resource/Action/Principal field as strings (an object's entries as
** "Key:value", an array's elements joined), sorted. */
struct targets {
  char **v;
  size_t n;
  int not;
};

static void add_target(struct targets *t, char *s, int *failed)
{
  char **v = s ? realloc(t->v, (t->n + 1) * sizeof *v) : NULL;
  if(!v) {
    free(s);
    *failed = 1;
    return;
  }
  t->v = v;
  t->v[t->n++] = s;
}

static void free_targets(struct targets *t)
{
  for(size_t i = 0; i < t->n; i++)
    free(t->v[i]);
  free(t->v);
}

static char *scalar_text(const cJSON *x)
{
  return cJSON_IsString(x) ? strdup(x->valuestring) : json_to_text(x, 0);
}

static void flatten(const cJSON *x, const char *key, struct targets *t, int *failed)
{
  if(!x || cJSON_IsNull(x))
    return;
  if(cJSON_IsArray(x) || cJSON_IsObject(x)) {
    const cJSON *e;
    cJSON_ArrayForEach(e, x) {
      struct targets inner = {0};
      flatten(e, cJSON_IsObject(x) ? e->string : NULL, &inner, failed);
      if(cJSON_IsObject(x)) {
        for(size_t i = 0; i < inner.n; i++) {
          struct strbuf s = {0};
          strbuf_printf(&s, "%s%s%s", key ? key : "", key ? ":" : "", inner.v[i]);
          add_target(t, strbuf_take(&s), failed);
        }
      }
      else {
        struct strbuf s = {0};
        for(size_t i = 0; i < inner.n; i++)
          strbuf_printf(&s, "%s%s", i ? "," : "", inner.v[i]);
        add_target(t, strbuf_take(&s), failed);
      }
      free_targets(&inner);
    }
    return;
  }
  char *text = scalar_text(x);
  if(key && text) {
    struct strbuf s = {0};
    strbuf_printf(&s, "%s:%s", key, text);
    free(text);
    text = strbuf_take(&s);
  }
  add_target(t, text, failed);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct targets read_targets(const cJSON *st, const char *pos, const char *neg,
                                   int *failed)
{
  struct targets t = {0};
  const cJSON *v = json_get(st, neg);
  t.not = v != NULL;
  if(!v)
    v = json_get(st, pos);
  if(cJSON_IsObject(v)) {
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
      struct targets inner = {0};
      flatten(e, NULL, &inner, failed);
      for(size_t i = 0; i < inner.n; i++) {
        struct strbuf s = {0};
        strbuf_printf(&s, "%s:%s", e->string, inner.v[i]);
        add_target(&t, strbuf_take(&s), failed);
      }
      free_targets(&inner);
    }
  }
  else
    flatten(v, NULL, &t, failed);
  return t;
}

/* An empty field gets the default (the role a policy is attached to, the resource a
** resource policy sits on), and so does "*". */
static void default_target(struct targets *t, const char *def, int *failed)
{
  if(!def)
    return;
  if(!t->n)
    add_target(t, strdup(def), failed);
  for(size_t i = 0; i < t->n; i++)
    if(!strcmp(t->v[i], "*")) {
      char *d = strdup(def);
      if(!d) {
        *failed = 1;
        continue;
      }
      free(t->v[i]);
      t->v[i] = d;
    }
}

static char *render_targets(struct targets *t)
{
  if(t->n)
    qsort(t->v, t->n, sizeof *t->v, cmp_str);
  struct strbuf s = {0};
  strbuf_puts(&s, "");
  for(size_t i = 0; i < t->n; i++)
    strbuf_printf(&s, "%s%s%s", i ? "\n" : "", t->not ? "NOT " : "", t->v[i]);
  return strbuf_take(&s);
}

/* The Condition column: its JSON without the outer braces and their indent. */
static char *render_condition(const cJSON *c)
{
  if(!cJSON_IsObject(c) || !c->child)
    return strdup("");
  char *text = json_to_text(c, 2);
  if(!text)
    return NULL;
  struct strbuf s = {0};
  strbuf_puts(&s, "");
  char *line = strchr(text, '\n'), *end = strrchr(text, '\n');
  while(line && line < end) {
    char *next = strchr(line + 1, '\n');
    if(s.len)
      strbuf_putc(&s, '\n');
    size_t len = (size_t)(next - line - 1);
    strbuf_add(&s, line + 1 + (len >= 2 ? 2 : len), len >= 2 ? len - 2 : 0);
    line = next;
  }
  free(text);
  return strbuf_take(&s);
}

static void add_statement(struct rows *rs, const cJSON *st, const char *principal,
                          const char *resource)
{
  struct row *row = new_row(rs);
  if(!row)
    return;
  if(cJSON_IsString(st)) {   /* an intrinsic such as Fn::If, written as text */
    row->cell[COL_RESOURCE] = strdup(st->valuestring);
    for(int c = COL_EFFECT; c < NCOLS; c++)
      row->cell[c] = strdup(c == COL_PRINCIPAL && principal ? principal : "");
    return;
  }
  const cJSON *effect = json_get(st, "Effect"), *sid = json_get(st, "Sid");
  int ok = cJSON_IsString(effect) && (!strcmp(effect->valuestring, "Allow") ||
                                      !strcmp(effect->valuestring, "Deny"));
  row->cell[COL_EFFECT] = strdup(ok ? effect->valuestring : "Unknown");
  row->sid = cJSON_IsString(sid) ? strdup(sid->valuestring) : NULL;
  struct targets res = read_targets(st, "Resource", "NotResource", &rs->failed);
  struct targets act = read_targets(st, "Action", "NotAction", &rs->failed);
  struct targets pri = read_targets(st, "Principal", "NotPrincipal", &rs->failed);
  default_target(&res, resource, &rs->failed);
  default_target(&pri, principal, &rs->failed);
  row->cell[COL_RESOURCE] = render_targets(&res);
  row->cell[COL_ACTION] = render_targets(&act);
  row->cell[COL_PRINCIPAL] = render_targets(&pri);
  row->cell[COL_CONDITION] = render_condition(json_get(st, "Condition"));
  free_targets(&res);
  free_targets(&act);
  free_targets(&pri);
}

static void add_statements(struct rows *rs, const cJSON *doc, const char *principal,
                           const char *resource)
{
  const cJSON *st = json_get(doc, "Statement");
  if(!cJSON_IsArray(st)) {
    if(st)
      add_statement(rs, st, principal, resource);
    return;
  }
  const cJSON *e;
  cJSON_ArrayForEach(e, st)
    add_statement(rs, e, principal, resource);
}
/* }============ */

/* {============ where statements are, by resource type */

struct source {
  const char *id;
  const cJSON *props;   /* intrinsics already written as text */
  struct rows *stmts, *managed;
};

static char *braced(const char *id, const char *suffix)
{
  struct strbuf s = {0};
  strbuf_printf(&s, "${%s%s}", id, suffix);
  return strbuf_take(&s);
}

/* AWS::IAM::Policy and ManagedPolicy: the statements apply to each role, user and group. */
static void read_identity_policy(const struct source *s)
{
  static const char *const who[] = {"Groups", "Users", "Roles"};
  for(int w = 0; w < 3; w++) {
    const cJSON *e;
    cJSON_ArrayForEach(e, json_get(s->props, who[w])) {
      char *text = scalar_text(e);
      struct strbuf p = {0};
      strbuf_printf(&p, "AWS:%s", text ? text : "");
      char *principal = strbuf_take(&p);
      if(principal)
        add_statements(s->stmts, json_get(s->props, "PolicyDocument"), principal, NULL);
      free(principal);
      free(text);
    }
  }
}

static void add_managed(const struct source *s, const cJSON *arns)
{
  const cJSON *e;
  cJSON_ArrayForEach(e, arns) {
    struct row *row = new_row(s->managed);
    if(!row)
      return;
    row->cell[COL_RESOURCE] = braced(s->id, "");
    row->cell[COL_EFFECT] = scalar_text(e);
  }
}

/* A role, user or group: inline policies apply to it, a trust policy to its ARN. */
static void read_identity(const struct source *s)
{
  char *principal = braced(s->id, ""), *arn = braced(s->id, ".Arn");
  struct strbuf p = {0};
  strbuf_printf(&p, "AWS:%s", principal ? principal : "");
  char *aws = strbuf_take(&p);
  const cJSON *pol;
  cJSON_ArrayForEach(pol, json_get(s->props, "Policies"))
    if(aws)
      add_statements(s->stmts, json_get(pol, "PolicyDocument"), aws, NULL);
  if(arn && json_get(s->props, "AssumeRolePolicyDocument"))
    add_statements(s->stmts, json_get(s->props, "AssumeRolePolicyDocument"), NULL, arn);
  add_managed(s, json_get(s->props, "ManagedPolicyArns"));
  free(principal);
  free(arn);
  free(aws);
}

static void read_key(const struct source *s)
{
  char *arn = braced(s->id, ".Arn");
  if(arn)
    add_statements(s->stmts, json_get(s->props, "KeyPolicy"), NULL, arn);
  free(arn);
}

/* Bucket, queue and topic policies: the document applies to the resources the one other
** property names (Bucket, Queues, Topics). */
static void read_resource_policy(const struct source *s)
{
  const cJSON *doc = NULL, *targets = NULL, *e;
  int others = 0;
  cJSON_ArrayForEach(e, s->props) {
    size_t len = strlen(e->string);
    if(strstr(e->string, "Policy"))
      doc = doc ? doc : e;
    else if(!(len >= 4 && !strcmp(e->string + len - 4, "Name"))) {
      targets = e;
      others++;
    }
  }
  if(!doc)
    return;
  if(others != 1 || !cJSON_IsArray(targets)) {
    char *text = others == 1 ? scalar_text(targets) : strdup("???");
    if(text)
      add_statements(s->stmts, doc, NULL, text);
    free(text);
    return;
  }
  cJSON_ArrayForEach(e, targets) {
    char *text = scalar_text(e);
    if(text)
      add_statements(s->stmts, doc, NULL, text);
    free(text);
  }
}

/* AWS::Lambda::Permission: the statement Lambda adds to the function's policy. */
static void read_permission(const struct source *s)
{
  cJSON *st = cJSON_CreateObject();
  json_put_str(st, "Effect", "Allow");
  json_put(st, "Action", cJSON_Duplicate(json_get(s->props, "Action"), 1));
  json_put(st, "Resource", cJSON_Duplicate(json_get(s->props, "FunctionName"), 1));
  const cJSON *p = json_get(s->props, "Principal");
  if(cJSON_IsString(p)) {
    size_t len = strlen(p->valuestring), digits = strspn(p->valuestring, "0123456789");
    cJSON *pr = cJSON_CreateObject();
    if(!strcmp(p->valuestring, "*"))
      json_put_str(st, "Principal", "*");
    else if(len == 12 && digits == 12) {
      struct strbuf s2 = {0};
      strbuf_printf(&s2, "arn:aws:iam::%s:root", p->valuestring);
      char *arn = strbuf_take(&s2);
      json_put_str(pr, "AWS", arn);
      free(arn);
    }
    else
      json_put_str(pr, "Service", p->valuestring);
    if(pr && pr->child && json_put(st, "Principal", pr))
      pr = NULL;
    cJSON_Delete(pr);
  }
  cJSON *cond = cJSON_CreateObject();
  const cJSON *arn = json_get(s->props, "SourceArn"), *acct = json_get(s->props, "SourceAccount");
  if(arn)
    json_put(json_put(cond, "ArnLike", cJSON_CreateObject()), "AWS:SourceArn",
             cJSON_Duplicate(arn, 1));
  if(acct)
    json_put(json_put(cond, "StringEquals", cJSON_CreateObject()), "AWS:SourceAccount",
             cJSON_Duplicate(acct, 1));
  json_put(st, "Condition", cond);
  if(st)
    add_statement(s->stmts, st, NULL, NULL);
  cJSON_Delete(st);
}

static const struct {
  const char *type;
  void (*read)(const struct source *s);
} readers[] = {
  {"AWS::IAM::Policy", read_identity_policy},
  {"AWS::IAM::ManagedPolicy", read_identity_policy},
  {"AWS::IAM::Role", read_identity},
  {"AWS::IAM::User", read_identity},
  {"AWS::IAM::Group", read_identity},
  {"AWS::KMS::Key", read_key},
  {"AWS::S3::BucketPolicy", read_resource_policy},
  {"AWS::SQS::QueuePolicy", read_resource_policy},
  {"AWS::SNS::TopicPolicy", read_resource_policy},
  {"AWS::Lambda::Permission", read_permission},
};

static void read_template(const cJSON *tpl, struct rows *stmts, struct rows *managed)
{
  const cJSON *r;
  cJSON_ArrayForEach(r, json_get(tpl, "Resources")) {
    const cJSON *type = json_get(r, "Type");
    for(size_t i = 0; cJSON_IsString(type) && i < sizeof readers / sizeof *readers; i++) {
      if(strcmp(readers[i].type, type->valuestring))
        continue;
      cJSON *props = t_render_intrinsics(json_get(r, "Properties"));
      struct source s = {r->string, props, stmts, managed};
      if(cJSON_IsObject(props))
        readers[i].read(&s);
      cJSON_Delete(props);
    }
  }
}
/* }============ */

/* {============ the tables */

static int same_row(const struct row *a, const struct row *b)
{
  if((a->sid == NULL) != (b->sid == NULL) || (a->sid && strcmp(a->sid, b->sid)))
    return 0;
  for(int c = COL_RESOURCE; c < NCOLS; c++)
    if((a->cell[c] == NULL) != (b->cell[c] == NULL) ||
       (a->cell[c] && strcmp(a->cell[c], b->cell[c])))
      return 0;
  return 1;
}

static int found(const struct rows *rs, const struct row *r)
{
  for(size_t i = 0; i < rs->n; i++)
    if(same_row(&rs->r[i], r))
      return 1;
  return 0;
}

/* The rows of a table: "+" for rows only in `add`, "-" for rows only in `del`, sorted by
** resource (stable: additions first). Borrowed pointers into the two lists. */
static size_t changed_rows(struct rows *add, struct rows *del, struct row **out)
{
  size_t n = 0;
  for(size_t i = 0; i < add->n; i++)
    if(!found(del, &add->r[i]))
      out[n++] = &add->r[i];
  size_t adds = n;
  for(size_t i = 0; i < del->n; i++)
    if(!found(add, &del->r[i]))
      out[n++] = &del->r[i];
  for(size_t i = 0; i < n; i++) {   /* insertion sort keeps the order of equal resources */
    out[i]->cell[COL_SIGN] = strdup(i < adds ? "+" : "-");
    for(size_t j = i; j > 0 && strcmp(out[j - 1]->cell[COL_RESOURCE] ? out[j - 1]->cell[1] : "",
                                      out[j]->cell[COL_RESOURCE] ? out[j]->cell[1] : "") > 0;
        j--) {
      struct row *tmp = out[j];
      out[j] = out[j - 1];
      out[j - 1] = tmp;
    }
  }
  return n;
}

/* Columns on screen: UTF-8 code points. */
static size_t width(const char *s, size_t len)
{
  size_t w = 0;
  for(size_t i = 0; i < len; i++)
    w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

/* Line `k` of a cell (cells may hold several lines): its start and length, or NULL. */
static const char *cell_line(const char *cell, size_t k, size_t *len)
{
  const char *p = cell ? cell : "";
  for(; k > 0; k--) {
    p = strchr(p, '\n');
    if(!p)
      return NULL;
    p++;
  }
  const char *e = strchr(p, '\n');
  *len = e ? (size_t)(e - p) : strlen(p);
  return p;
}

struct table {
  const char *const *head;
  int ncols;
  size_t w[NCOLS];
};

static void rule(struct tctx *t, const struct table *tb, const char *l, const char *m,
                 const char *r)
{
  struct strbuf s = {0};
  strbuf_puts(&s, l);
  for(int c = 0; c < tb->ncols; c++) {
    for(size_t i = 0; i < tb->w[c] + 2; i++)
      strbuf_puts(&s, "─");
    strbuf_puts(&s, c + 1 < tb->ncols ? m : r);
  }
  char *text = strbuf_take(&s);
  t_put(t, T_GRAY, text ? text : "");
  t_nl(t);
  free(text);
}

static void table_row(struct tctx *t, const struct table *tb, char *const *cells,
                      enum tcolor color)
{
  size_t lines = 1;
  for(int c = 0; c < tb->ncols; c++) {
    size_t k = 1, len;
    while(cell_line(cells[c], k, &len))
      k++;
    lines = k > lines ? k : lines;
  }
  for(size_t k = 0; k < lines; k++) {
    for(int c = 0; c < tb->ncols; c++) {
      size_t len = 0;
      const char *p = cell_line(cells[c], k, &len);
      char *text = strndup(p ? p : "", p ? len : 0);
      t_put(t, T_GRAY, "│");
      strbuf_putc(t->out, ' ');
      t_put(t, color, text ? text : "");
      for(size_t i = width(p ? p : "", p ? len : 0); i < tb->w[c] + 1; i++)
        strbuf_putc(t->out, ' ');
      free(text);
    }
    t_put(t, T_GRAY, "│");
    t_nl(t);
  }
}

static void table(struct tctx *t, const char *title, const char *const *head, int ncols,
                  struct row **rows, size_t n)
{
  struct table tb = {head, ncols, {0}};
  for(int c = 0; c < ncols; c++) {
    tb.w[c] = width(head[c], strlen(head[c]));
    for(size_t i = 0; i < n; i++)
      for(size_t k = 0, len; cell_line(rows[i]->cell[c], k, &len); k++) {
        const char *p = cell_line(rows[i]->cell[c], k, &len);
        size_t w = width(p, len);
        tb.w[c] = w > tb.w[c] ? w : tb.w[c];
      }
  }
  t_put(t, T_HEADER, title);
  t_nl(t);
  rule(t, &tb, "┌", "┬", "┐");
  table_row(t, &tb, (char *const *)head, T_PLAIN);
  for(size_t i = 0; i < n; i++) {
    const char *prev = i ? rows[i - 1]->cell[COL_RESOURCE] : NULL;
    if(!i || strcmp(prev ? prev : "", rows[i]->cell[COL_RESOURCE] ? rows[i]->cell[1] : ""))
      rule(t, &tb, "├", "┼", "┤");
    table_row(t, &tb, rows[i]->cell, rows[i]->cell[COL_SIGN] &&
              rows[i]->cell[COL_SIGN][0] == '+' ? T_GREEN : T_RED);
  }
  rule(t, &tb, "└", "┴", "┘");
}

/* ${Logical...} in a cell becomes ${Construct/Path...} when the path is known. */
static void show_paths(struct tctx *t, struct row **rows, size_t n, int ncols)
{
  for(size_t i = 0; i < n; i++)
    for(int c = 1; c < ncols; c++) {
      const char *s = rows[i]->cell[c];
      if(!s || !strstr(s, "${"))
        continue;
      struct strbuf b = {0};
      strbuf_puts(&b, "");
      while(*s) {
        const char *open = strstr(s, "${");
        if(!open) {
          strbuf_puts(&b, s);
          break;
        }
        size_t idlen = strcspn(open + 2, ".}");
        char *id = strndup(open + 2, idlen);
        char *path = id ? t_path_of(t, id) : NULL;
        strbuf_add(&b, s, (size_t)(open - s) + 2);
        strbuf_puts(&b, path ? path : id ? id : "");
        free(id);
        free(path);
        s = open + 2 + idlen;
      }
      char *text = strbuf_take(&b);
      if(text) {
        free(rows[i]->cell[c]);
        rows[i]->cell[c] = text;
      }
    }
}

static int write_table(struct tctx *t, const char *title, const char *const *head, int ncols,
                       struct rows *newer, struct rows *older)
{
  struct row **rows = malloc((newer->n + older->n + 1) * sizeof *rows);
  if(!rows) {
    t->out->failed = 1;
    return 0;
  }
  size_t n = changed_rows(newer, older, rows);
  show_paths(t, rows, n, ncols);
  if(n)
    table(t, title, head, ncols, rows, n);
  free(rows);
  return n > 0;
}
/* }============ */

int tdiff_iam(struct tctx *t, const cJSON *old, const cJSON *new)
{
  static const char *const stmt_head[] = {"", "Resource", "Effect", "Action", "Principal",
                                          "Condition"};
  static const char *const managed_head[] = {"", "Resource", "Managed Policy ARN"};
  struct rows os = {0}, ns = {0}, om = {0}, nm = {0};
  read_template(old, &os, &om);
  read_template(new, &ns, &nm);
  int any = write_table(t, "IAM Statement Changes", stmt_head, NCOLS, &ns, &os);
  any |= write_table(t, "IAM Policy Changes", managed_head, 3, &nm, &om);
  if(os.failed || ns.failed || om.failed || nm.failed)
    t->out->failed = 1;
  free_rows(&os);
  free_rows(&ns);
  free_rows(&om);
  free_rows(&nm);
  return any;
}

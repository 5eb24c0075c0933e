/*
** dmap.c: DistributedMap's readers, writers, batcher, checks and IAM statements.
*/
#include "constructs/dmap.h"
#include "constructs/s3.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <stdio.h>
#include <string.h>

/* {============ rendering the parts */

/* "arn:<Partition>:states:::s3:<api>" */
static cJSON *s3_integration(const char *api)
{
  char tail[64];
  snprintf(tail, sizeof tail, ":states:::s3:%s", api);
  return cfn_concat(3, cJSON_CreateString("arn:"), cfn_partition(), cJSON_CreateString(tail));
}

const struct dmap_bucket *dmap_bucket_of(struct arena *a, const struct s3_bucket *b)
{
  struct dmap_bucket *db = arena_alloc(a, sizeof *db);
  if(!db)
    return NULL;
  db->name = arena_own_json(a, s3_bucket_name(b));
  db->arn = arena_own_json(a, s3_bucket_arn(b));
  return db->name && db->arn ? db : NULL;
}

/* {"Bucket": name or path, ...}: the reader's or writer's Parameters. */
static cJSON *bucket_params(const struct dmap_bucket *bucket, const cJSON *path)
{
  cJSON *params = cJSON_CreateObject();
  if(bucket)
    json_put(params, "Bucket", json_dup(bucket->name));
  else if(path)
    json_put(params, "Bucket", json_dup(path));
  return params;
}

static const char *const input_types[] = {NULL, "JSON", "JSONL", "CSV", "MANIFEST"};

static cJSON *render_reader(const struct dmap_reader *r)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "Resource", s3_integration(r->kind == DMAP_S3_OBJECTS ? "listObjectsV2"
                                                                     : "getObject"));
  cJSON *config = cJSON_CreateObject();
  json_put_str(config, "InputType", input_types[r->kind]);
  json_put(config, "MaxItems", json_dup(r->max_items));
  if(r->kind == DMAP_S3_CSV) {
    json_put(config, "CSVDelimiter", json_dup(r->csv_delimiter));
    json_put_str(config, "CSVHeaderLocation", r->csv_headers ? "GIVEN" : "FIRST_ROW");
    json_put(config, "CSVHeaders", json_dup(r->csv_headers));
  }
  if(config && config->child)
    json_put(o, "ReaderConfig", config);
  else
    cJSON_Delete(config);
  cJSON *params = json_put(o, "Parameters", bucket_params(r->bucket, r->bucket_name_path));
  json_put(params, "Prefix", json_dup(r->prefix));
  json_put(params, "Key", json_dup(r->key));
  return o;
}

static cJSON *render_writer(const struct dmap_writer *w)
{
  cJSON *o = cJSON_CreateObject();
  if(w->bucket || w->bucket_name_path) {
    json_put(o, "Resource", s3_integration("putObject"));
    cJSON *params = json_put(o, "Parameters", bucket_params(w->bucket, w->bucket_name_path));
    json_put(params, "Prefix", json_dup(w->prefix));
  }
  if(w->has_writer_config) {
    cJSON *config = json_put(o, "WriterConfig", cJSON_CreateObject());
    json_put(config, "OutputType", json_dup(w->output_type));
    json_put(config, "Transformation", json_dup(w->transformation));
  }
  return o;
}

/* }============ */

/* {============ IAM (providePolicyStatements) */

/* "arn:<Partition>:s3:::<bucket name>/" then "*" */
static cJSON *objects_arn(const struct dmap_bucket *b)
{
  return cfn_concat(4, cJSON_CreateString("arn:"), cfn_partition(),
                    cJSON_CreateString(":s3:::"),
                    cfn_concat(2, json_dup(b->name), cJSON_CreateString("/*")));
}

static enum sfl_status add_statement(struct asl_state *s, const char *const *actions,
                                     size_t n, cJSON *resource, struct diag *d)
{
  cJSON *list = cJSON_CreateArray();
  if(!json_push(list, resource)) {
    cJSON_Delete(list);
    return diag_nomem(d);
  }
  return json_push(s->policies, iam_statement(actions, n, list, NULL, NULL))
    ? SFL_OK : diag_nomem(d);
}

static enum sfl_status writer_policies(struct asl_state *s, const struct dmap_writer *w,
                                       struct diag *d)
{
  static const char *const put[] = {"s3:PutObject", "s3:GetObject",
                                    "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"};
  if(w->bucket)
    return add_statement(s, put, 4, objects_arn(w->bucket), d);
  if(w->v2 && w->bucket_name_path)
    return add_statement(s, put, 4, cJSON_CreateString("*"), d);
  return SFL_OK;
}

static enum sfl_status reader_policies(struct asl_state *s, const struct dmap_reader *r,
                                       struct diag *d)
{
  static const char *const list[] = {"s3:ListBucket"};
  static const char *const get[] = {"s3:GetObject"};
  if(r->kind == DMAP_S3_OBJECTS)
    return add_statement(s, list, 1, r->bucket ? json_dup(r->bucket->arn)
                                               : cJSON_CreateString("*"), d);
  return r->bucket ? add_statement(s, get, 1, objects_arn(r->bucket), d) : SFL_OK;
}

/* }============ */

/* {============ checks (validateState of the map and its parts) */

static int label_char_ok(unsigned char c)
{
  return c > 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f)
         && !strchr("?*<>{}\\[]:;,|^~$#%&`\"", c);
}

static const char *check_label(const cJSON *label)
{
  if(!cJSON_IsString(label) || json_has(label, JSON_PATH))
    return NULL;
  if(strlen(label->valuestring) > 40)
    return "label must be 40 characters or less";
  for(const char *c = label->valuestring; *c; c++)
    if(!label_char_ok((unsigned char)*c))
      return "label cannot contain any whitespace or special characters";
  return NULL;
}

static const char *check_props(const struct asl_state *map, const struct dmap_props *p)
{
  if(map->items_path && p->reader)
    return "Provide either `items_path` or `item_reader`, but not both";
  if(p->tolerated_percentage && p->tolerated_percentage_path)
    return "Provide either `tolerated_failure_percentage` or "
           "`tolerated_failure_percentage_path`, but not both";
  const cJSON *pct = p->tolerated_percentage;
  if(cJSON_IsNumber(pct) && (pct->valuedouble < 0 || pct->valuedouble > 100))
    return "tolerated_failure_percentage must be between 0 and 100";
  if(p->tolerated_count && p->tolerated_count_path)
    return "Provide either `tolerated_failure_count` or `tolerated_failure_count_path`, "
           "but not both";
  const struct dmap_reader *r = p->reader;
  if(r && r->bucket && r->bucket_name_path)
    return "item_reader: Provide either `bucket` or `bucket_name_path`, but not both";
  if(r && !r->bucket && !r->bucket_name_path)
    return "item_reader: Provide either `bucket` or `bucket_name_path`";
  const struct dmap_writer *w = p->writer;
  if(w && w->bucket && w->bucket_name_path)
    return "result_writer_v2: Provide either `bucket` or `bucket_name_path`, but not both";
  return check_label(p->label);
}

/* }============ */

enum sfl_status dmap_apply(struct asl_state *map, const struct dmap_props *p,
                           struct sfl_loc loc, struct diag *d)
{
  const char *bad = check_props(map, p);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "DistributedMap '%s': %s", map->id, bad);
  struct arena *a = map->arena;
  struct asl_distributed *m = arena_alloc(a, sizeof *m);
  if(!m)
    return diag_nomem(d);
  m->execution_type = p->execution_type ? p->execution_type
                                        : arena_own_json(a, cJSON_CreateString("STANDARD"));
  m->item_reader = p->reader ? arena_own_json(a, render_reader(p->reader)) : NULL;
  m->result_writer = p->writer ? arena_own_json(a, render_writer(p->writer)) : NULL;
  m->item_batcher = p->batcher;
  m->tolerated_percentage = p->tolerated_percentage;
  m->tolerated_percentage_path = p->tolerated_percentage_path;
  m->tolerated_count = p->tolerated_count;
  m->tolerated_count_path = p->tolerated_count_path;
  m->label = p->label;
  if(!m->execution_type || (p->reader && !m->item_reader) || (p->writer && !m->result_writer))
    return diag_nomem(d);
  map->distributed = m;
  if(!map->policies && !(map->policies = arena_own_json(a, cJSON_CreateArray())))
    return diag_nomem(d);
  /* whenBoundToGraph: the writer's statements, then the reader's. */
  enum sfl_status st = p->writer ? writer_policies(map, p->writer, d) : SFL_OK;
  if(!st && p->reader)
    st = reader_policies(map, p->reader, d);
  return st;
}

/* {============ the machine's DistributedMapPolicy (state-graph.js bind) */

struct dmap_scan {
  size_t count, unlabelled;
  cJSON *labels;   /* array of label strings */
};

static int scan_graph(struct asl_graph *g, void *ctx);

static int scan_state(struct asl_state *s, struct dmap_scan *scan)
{
  if(s->distributed) {
    scan->count++;
    if(!s->distributed->label)
      scan->unlabelled++;
    else if(!json_push(scan->labels, json_dup(s->distributed->label)))
      return 1;
  }
  return asl_each_subgraph(s, scan_graph, scan);
}

static int scan_graph(struct asl_graph *g, void *ctx)
{
  for(size_t i = 0; i < g->states.n; i++)
    if(scan_state(g->states.items[i], ctx))
      return 1;
  return 0;
}

/* "arn:...:execution:<machine name>/<label>:*" */
static cJSON *labelled_execution_arn(const struct sfn_machine *m, cJSON *label)
{
  return cfn_concat(7, cJSON_CreateString("arn:"), cfn_partition(),
                    cJSON_CreateString(":states:"), cfn_region(), cJSON_CreateString(":"),
                    cfn_account(),
                    cfn_concat(5, cJSON_CreateString(":execution:"), sfn_machine_name(m),
                               cJSON_CreateString("/"), label, cJSON_CreateString(":*")));
}

static cJSON *redrive_resources(const struct sfn_machine *m, const struct dmap_scan *scan)
{
  cJSON *list = cJSON_CreateArray();
  if(scan->unlabelled)
    json_push(list, labelled_execution_arn(m, cJSON_CreateString("*")));
  else
    for(const cJSON *l = scan->labels->child; l; l = l->next)
      if(!json_push(list, labelled_execution_arn(m, json_dup(l)))) {
        cJSON_Delete(list);
        return NULL;
      }
  return list;
}

static cJSON *policy_statements(const struct sfn_machine *m, const struct dmap_scan *scan)
{
  static const char *const start[] = {"states:StartExecution"};
  static const char *const exec[] = {"states:DescribeExecution", "states:StopExecution"};
  static const char *const redrive[] = {"states:RedriveExecution"};
  cJSON *list = cJSON_CreateArray();
  cJSON *arn = cJSON_CreateArray();
  cJSON *executions = cJSON_CreateArray();
  json_push(arn, sfn_machine_arn(m));
  json_push(executions, sfn_machine_execution_arn(m, ":*"));
  json_push(list, iam_statement(start, 1, arn, NULL, NULL));
  json_push(list, iam_statement(exec, 2, executions, NULL, NULL));
  json_push(list, iam_statement(redrive, 1, redrive_resources(m, scan), NULL, NULL));
  if(cJSON_GetArraySize(list) != 3) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

struct dmap_policy {
  struct sfn_machine *machine;
  cJSON *statements;
};

/* The policy's properties, once its logical ID (its PolicyName) is known. */
static enum sfl_status prepare_policy(struct cfn_resource *res, struct diag *d)
{
  struct dmap_policy *p = res->prepare_ctx;
  struct sfn_machine *m = p->machine;
  cJSON *props = cJSON_CreateObject();
  cJSON *roles = cJSON_CreateArray();
  json_push(roles, role_name(m->role));
  json_put(props, "PolicyDocument", iam_policy_document(p->statements));
  json_put_str(props, "PolicyName", res->logical_id);
  if(!json_put(props, "Roles", roles) || !json_get(props, "PolicyDocument")) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(m->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

/* Machine/DistributedMapPolicy (an iam.Policy attached to the machine's role). */
static enum sfl_status attach_policy(struct sfn_machine *m, cJSON *statements, struct diag *d)
{
  struct arena *a = m->node->app->arena;
  struct dmap_policy *p = arena_alloc(a, sizeof *p);
  if(!arena_own_json(a, statements) || !p)
    return diag_nomem(d);
  p->machine = m;
  p->statements = statements;
  struct cfn_node *node = cfn_node_new(m->node, "DistributedMapPolicy",
                                       "aws-cdk-lib.aws_iam.Policy", m->node->loc, d);
  struct cfn_resource *res = node ? cfn_resource_new(node, "Resource", "AWS::IAM::Policy",
                                                     "aws-cdk-lib.aws_iam.CfnPolicy",
                                                     m->node->loc, d) : NULL;
  if(!res)
    return d->status;
  res->prepare = prepare_policy;
  res->prepare_ctx = p;
  return SFL_OK;
}

enum sfl_status dmap_machine_policy(struct sfn_machine *m, struct diag *d)
{
  struct dmap_scan scan = {0, 0, cJSON_CreateArray()};
  if(!scan.labels || (m->graph && scan_graph(m->graph, &scan))) {
    cJSON_Delete(scan.labels);
    return diag_nomem(d);
  }
  cJSON *statements = scan.count ? policy_statements(m, &scan) : NULL;
  cJSON_Delete(scan.labels);
  if(!scan.count)
    return SFL_OK;
  if(!statements)
    return diag_nomem(d);
  return attach_policy(m, statements, d);
}

/* }============ */

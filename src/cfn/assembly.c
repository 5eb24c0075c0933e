/*
** assembly.c: the cloud assembly files.
*/
#include "cfn/assembly.h"
#include "cfn/asset.h"
#include "cfn/outdir.h"
#include "cfn/template.h"
#include "core/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define QUALIFIER "hnb659fds"
#define ROLE_ARN(kind) \
  "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-" QUALIFIER "-" kind \
  "-${AWS::AccountId}-${AWS::Region}"

static enum sfl_status make_dirs(const char *dir, struct diag *d)
{
  struct sfl_loc none = {0};
  char *path = strdup(dir);
  if(!path)
    return diag_nomem(d);
  for(char *p = path + 1; ; p++) {
    if(*p == '/' || !*p) {
      char saved = *p;
      *p = '\0';
      if(mkdir(path, 0777) && errno != EEXIST) {
        diag_set(d, SFL_ERR_IO, none, "cannot create directory '%s': %s", path, strerror(errno));
        free(path);
        return SFL_ERR_IO;
      }
      *p = saved;
      if(!saved)
        break;
    }
  }
  free(path);
  return SFL_OK;
}

/* Whether the file at `path` holds exactly `len` bytes of `text` (open, fstat, a read per
** 8 KiB, close: a repeated synth asks this of every file). */
static int same_content(const char *path, const char *text, size_t len)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return 0;
  struct stat st;
  int same = !fstat(fd, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
  char buf[8192];
  size_t at = 0;
  while(same && at < len) {
    size_t want = len - at < sizeof buf ? len - at : sizeof buf;
    ssize_t n = read(fd, buf, want);
    same = n > 0 && !memcmp(buf, text + at, (size_t)n);
    at += n > 0 ? (size_t)n : 0;
  }
  close(fd);
  return same;
}

/*
** Writes `text` to dir/name through a temporary file and a rename, so that a reader never
** sees half a file. A file that already says the same is left alone: its modification time
** stays for build tools, and a repeated synth writes nothing (on ext4 each rename over an
** existing file also flushes the new one, ~0.4 ms apiece).
*/
static enum sfl_status write_file(const char *dir, const char *name, const char *text,
                                  struct diag *d)
{
  struct sfl_loc none = {0};
  struct strbuf path = {0}, tmp = {0};
  strbuf_printf(&path, "%s/%s", dir, name);
  strbuf_printf(&tmp, "%s/.%s.tmp%ld", dir, name, (long)getpid());
  enum sfl_status status = SFL_OK;
  if(path.failed || tmp.failed) {
    status = diag_nomem(d);
    goto done;
  }
  size_t len = strlen(text);
  if(same_content(path.buf, text, len))
    goto done;
  FILE *f = fopen(tmp.buf, "wb");
  int failed = !f || fwrite(text, 1, len, f) != len;
  if(f && fclose(f))
    failed = 1;
  if(failed) {
    status = diag_set(d, SFL_ERR_IO, none, "cannot write '%s': %s", path.buf, strerror(errno));
    remove(tmp.buf);
    goto done;
  }
  if(rename(tmp.buf, path.buf)) {
    status = diag_set(d, SFL_ERR_IO, none, "cannot write '%s': %s", path.buf, strerror(errno));
    remove(tmp.buf);
  }
done:
  strbuf_free(&path);
  strbuf_free(&tmp);
  return status;
}

static enum sfl_status write_json(const char *dir, const char *name, cJSON *doc, int indent,
                                  struct diag *d)
{
  char *text = doc ? json_to_text(doc, indent) : NULL;
  cJSON_Delete(doc);
  if(!text)
    return diag_nomem(d);
  enum sfl_status status = write_file(dir, name, text, d);
  free(text);
  return status;
}

/* Writes `text` (taken over; NULL: out of memory). */
static enum sfl_status write_text(const char *dir, const char *name, char *text,
                                  struct diag *d)
{
  if(!text)
    return diag_nomem(d);
  enum sfl_status status = write_file(dir, name, text, d);
  free(text);
  return status;
}

/*
** One file asset's entry. The destination's key is the environment plus the first 8 hex
** digits of the SHA-256 of the destination's JSON (asset-manifest-builder.js).
*/
static void add_file_asset(cJSON *files, const char *hash, const char *display,
                           const char *path, const char *packaging, const char *key)
{
  if(cJSON_GetObjectItemCaseSensitive(files, hash))
    return;   /* the first construct to add an asset names it */
  cJSON *asset = json_put(files, hash, cJSON_CreateObject());
  json_put_str(asset, "displayName", display);
  cJSON *source = json_put(asset, "source", cJSON_CreateObject());
  json_put_str(source, "path", path);
  json_put_str(source, "packaging", packaging);
  cJSON *dest = cJSON_CreateObject();
  json_put_str(dest, "bucketName", "cdk-" QUALIFIER "-assets-${AWS::AccountId}-${AWS::Region}");
  json_put_str(dest, "objectKey", key);
  json_put_str(dest, "assumeRoleArn", ROLE_ARN("file-publishing-role"));
  char *text = cJSON_PrintUnformatted(dest);
  char digest[HASH_SHA256_HEX] = "";
  if(text)
    hash_sha256_hex(text, strlen(text), digest);
  cJSON_free(text);
  char name[64];
  snprintf(name, sizeof name, "current_account-current_region-%.8s", digest);
  cJSON *dests = json_put(asset, "destinations", cJSON_CreateObject());
  if(!json_put(dests, name, dest))
    cJSON_Delete(dest);
}

static cJSON *asset_manifest(const struct cfn_synth *s, const char *hash)
{
  struct strbuf key = {0}, display = {0}, file = {0};
  strbuf_printf(&key, "%s.json", hash);
  strbuf_printf(&display, "%s Template", s->stack->name);
  strbuf_printf(&file, "%s.template.json", s->stack->artifact_id);
  cJSON *m = cJSON_CreateObject();
  json_put_str(m, "version", CFN_ASSEMBLY_VERSION);
  cJSON *files = json_put(m, "files", cJSON_CreateObject());
  for(size_t i = 0; i < s->stack->assets.n; i++) {
    const struct cfn_stack_asset *sa = s->stack->assets.items[i];
    const struct cfn_asset *a = sa->asset;
    add_file_asset(files, a->hash, sa->display_name, a->staged_name,
                   a->is_dir ? "zip" : "file", a->object_key);
  }
  add_file_asset(files, hash, display.buf, file.buf, "file", key.buf);
  json_put(m, "dockerImages", cJSON_CreateObject());
  strbuf_free(&key);
  strbuf_free(&display);
  strbuf_free(&file);
  return m;
}

/* Copies the stack's assets into the assembly (AssetStaging does it at construction). */
static enum sfl_status stage_assets(const char *outdir, const struct cfn_stack *st,
                                    struct diag *d)
{
  enum sfl_status status = SFL_OK;
  for(size_t i = 0; i < st->assets.n && !status; i++) {
    const struct cfn_stack_asset *sa = st->assets.items[i];
    status = cfn_asset_stage(sa->asset, outdir, d);
  }
  return status;
}

static void put_bootstrap_version(cJSON *o, int version)
{
  json_put_num(o, "requiresBootstrapStackVersion", version);
  json_put_str(o, "bootstrapStackVersionSsmParameter", "/cdk-bootstrap/" QUALIFIER "/version");
}

static void add_stack_artifacts(cJSON *artifacts, const struct cfn_synth *s, const char *hash)
{
  struct strbuf assets = {0}, file = {0}, url = {0}, meta = {0}, manifest = {0};
  const char *id = s->stack->artifact_id;
  strbuf_printf(&assets, "%s.assets", id);
  strbuf_printf(&manifest, "%s.assets.json", id);
  strbuf_printf(&file, "%s.template.json", id);
  strbuf_printf(&meta, "%s.metadata.json", id);
  strbuf_printf(&url, "s3://cdk-" QUALIFIER "-assets-${AWS::AccountId}-${AWS::Region}/%s.json",
                hash);

  cJSON *a = json_put(artifacts, assets.buf, cJSON_CreateObject());
  json_put_str(a, "type", "cdk:asset-manifest");
  cJSON *ap = json_put(a, "properties", cJSON_CreateObject());
  json_put_str(ap, "file", manifest.buf);
  put_bootstrap_version(ap, 6);

  cJSON *st = json_put(artifacts, id, cJSON_CreateObject());
  json_put_str(st, "type", "aws:cloudformation:stack");
  json_put_str(st, "environment", "aws://unknown-account/unknown-region");
  cJSON *p = json_put(st, "properties", cJSON_CreateObject());
  json_put_str(p, "templateFile", file.buf);
  json_put_bool(p, "terminationProtection", 0);
  json_put_bool(p, "validateOnSynth", 0);
  json_put_str(p, "assumeRoleArn", ROLE_ARN("deploy-role"));
  json_put_str(p, "cloudFormationExecutionRoleArn", ROLE_ARN("cfn-exec-role"));
  json_put_str(p, "stackTemplateAssetObjectUrl", url.buf);
  put_bootstrap_version(p, 6);
  json_put(p, "additionalDependencies", cJSON_CreateStringArray((const char *[]){assets.buf}, 1));
  cJSON *lookup = json_put(p, "lookupRole", cJSON_CreateObject());
  json_put_str(lookup, "arn", ROLE_ARN("lookup-role"));
  put_bootstrap_version(lookup, 8);
  if(strcmp(s->stack->name, id))
    json_put_str(p, "stackName", s->stack->name);
  json_put(st, "dependencies", cJSON_CreateStringArray((const char *[]){assets.buf}, 1));
  json_put_str(st, "additionalMetadataFile", meta.buf);
  json_put_str(st, "displayName", cfn_node_path(s->stack->node->app->arena, s->stack->node));

  strbuf_free(&assets);
  strbuf_free(&manifest);
  strbuf_free(&file);
  strbuf_free(&meta);
  strbuf_free(&url);
}

/* {============ tree.json and metadata.json */

/*
** tree.json, written straight to text (compact, in the key order CDK writes): a big app
** has a node per construct, and a JSON tree of them cost more than the template.
** `path` holds the node's path while it is written; children append to it and cut back.
*/
static void tree_key(struct strbuf *b, const char *key)
{
  json_write_string(b, key);
  strbuf_putc(b, ':');
}

static void tree_open(struct strbuf *b, const char *id, const char *path, const char *fqn)
{
  strbuf_puts(b, "{\"id\":");
  json_write_string(b, id);
  strbuf_puts(b, ",\"path\":");
  json_write_string(b, path);
  strbuf_puts(b, ",\"constructInfo\":{\"fqn\":");
  json_write_string(b, fqn);
  strbuf_puts(b, ",\"version\":");
  json_write_string(b, strncmp(fqn, "constructs.", 11) ? CFN_CDK_VERSION : "10.8.1");
  strbuf_putc(b, '}');
}

/* A node with no children of its own (the synthesizer's additions, Tree). */
static void tree_leaf(struct strbuf *b, const char *id, const char *path, const char *fqn)
{
  tree_key(b, id);
  tree_open(b, id, path, fqn);
  strbuf_putc(b, '}');
}

static void tree_node(struct strbuf *b, struct strbuf *path, const struct cfn_node *n)
{
  tree_key(b, n->id);
  tree_open(b, n->id, path->buf, n->fqn ? n->fqn : "constructs.Construct");
  if(n->resource && !n->resource->section) {
    strbuf_puts(b, ",\"attributes\":{\"aws:cdk:cloudformation:type\":");
    json_write_string(b, n->resource->type);
    strbuf_puts(b, ",\"aws:cdk:cloudformation:logicalId\":");
    json_write_string(b, n->resource->logical_id);
    strbuf_putc(b, '}');
  }
  if(n->first_child || !n->stack) {
    strbuf_puts(b, ",\"children\":{");
    size_t len = path->len;
    for(const struct cfn_node *c = n->first_child; c; c = c->next_sibling) {
      if(c != n->first_child)
        strbuf_putc(b, ',');
      if(len)
        strbuf_putc(path, '/');
      strbuf_puts(path, c->id);
      tree_node(b, path, c);
      path->len = len;
      path->buf[len] = '\0';
    }
    if(n->stack && n->stack->node == n) {
      /* The default synthesizer adds these two at synthesis. */
      static const char *const added[][2] = {
        {"BootstrapVersion", "aws-cdk-lib.CfnParameter"},
        {"CheckBootstrapVersion", "aws-cdk-lib.CfnRule"}};
      for(int i = 0; i < 2; i++) {
        if(n->first_child || i)
          strbuf_putc(b, ',');
        strbuf_printf(path, "/%s", added[i][0]);
        tree_leaf(b, added[i][0], path->buf, added[i][1]);
        path->len = len;
        path->buf[len] = '\0';
      }
    }
    strbuf_putc(b, '}');
  }
  strbuf_putc(b, '}');
}

static char *tree_text(struct cfn_app *const *apps, size_t napps)
{
  struct strbuf b = {0}, path = {0};
  strbuf_puts(&b, "{\"version\":\"tree-0.1\",\"tree\":");
  tree_open(&b, "App", "", "aws-cdk-lib.App");
  strbuf_puts(&b, ",\"children\":{");
  for(size_t i = 0; i < napps; i++)
    for(const struct cfn_node *c = apps[i]->root->first_child; c; c = c->next_sibling) {
      strbuf_puts(&path, c->id);
      tree_node(&b, &path, c);
      strbuf_putc(&b, ',');
      path.len = 0;
      path.buf[0] = '\0';
    }
  tree_leaf(&b, "Tree", "Tree", "constructs.Construct");
  strbuf_puts(&b, "}}}");
  int failed = path.failed;
  strbuf_free(&path);
  if(failed) {
    strbuf_free(&b);
    return NULL;
  }
  return strbuf_take(&b);
}

struct meta_ctx {
  cJSON *doc;
  struct arena *arena;
};

static void add_entry(cJSON *list, const char *type, cJSON *data)
{
  cJSON *e = json_push(list, cJSON_CreateObject());
  json_put_str(e, "type", type);
  json_put(e, "data", data);
}

/* Each resource's logical ID, and the app line that made it (CDK: a JS stack trace). */
static int meta_node(struct cfn_node *n, void *ctx)
{
  struct meta_ctx *m = ctx;
  if(!n->resource || n->resource->omit)
    return 0;
  const char *path = arena_printf(m->arena, "/%s", cfn_node_path(m->arena, n));
  cJSON *list = json_put(m->doc, path, cJSON_CreateArray());
  add_entry(list, "aws:cdk:logicalId", cJSON_CreateString(n->resource->logical_id));
  const struct cfn_node *owner = n;
  while(owner->parent && !owner->loc.file)
    owner = owner->parent;
  if(owner->loc.file) {
    const char *where = arena_printf(m->arena, "%s:%d", owner->loc.file, owner->loc.line);
    add_entry(list, "aws:cdk:creationStack", cJSON_CreateStringArray(&where, 1));
  }
  return 0;
}

static cJSON *metadata_document(const struct cfn_synth *s)
{
  struct meta_ctx m = {cJSON_CreateObject(), s->stack->node->app->arena};
  const char *stack_path = arena_printf(m.arena, "/%s", s->stack->node->id);
  cJSON *list = json_put(m.doc, stack_path, cJSON_CreateArray());
  add_entry(list, "aws:cdk:templateFile",
            cJSON_CreateString(arena_printf(m.arena, "%s.template.json", s->stack->artifact_id)));
  cfn_walk(s->stack->node, meta_node, &m);
  return m.doc;
}

/* }============ */

static enum sfl_status write_assembly(const char *outdir, struct cfn_app *const *apps,
                                   size_t napps, const struct cfn_synth *stacks,
                                   size_t nstacks, struct diag *d)
{
  enum sfl_status status = SFL_OK;
  cJSON *manifest = cJSON_CreateObject();
  json_put_str(manifest, "version", CFN_ASSEMBLY_VERSION);
  cJSON *artifacts = json_put(manifest, "artifacts", cJSON_CreateObject());
  for(size_t i = 0; i < nstacks && status == SFL_OK; i++) {
    const struct cfn_synth *s = &stacks[i];
    char hash[HASH_SHA256_HEX];
    if(hash_sha256_hex(s->text, strlen(s->text), hash)) {
      status = diag_nomem(d);
      break;
    }
    char name[512];
    snprintf(name, sizeof name, "%s.template.json", s->stack->artifact_id);
    status = stage_assets(outdir, s->stack, d);
    if(status == SFL_OK)
      status = write_file(outdir, name, s->text, d);
    snprintf(name, sizeof name, "%s.assets.json", s->stack->artifact_id);
    if(status == SFL_OK)
      status = write_json(outdir, name, asset_manifest(s, hash), 2, d);
    snprintf(name, sizeof name, "%s.metadata.json", s->stack->artifact_id);
    if(status == SFL_OK)
      status = write_json(outdir, name, metadata_document(s), 2, d);
    add_stack_artifacts(artifacts, s, hash);
  }
  cJSON *tree = json_put(artifacts, "Tree", cJSON_CreateObject());
  json_put_str(tree, "type", "cdk:tree");
  cJSON *tp = json_put(tree, "properties", cJSON_CreateObject());
  json_put_str(tp, "file", "tree.json");
  if(status == SFL_OK)
    status = write_text(outdir, "tree.json", tree_text(apps, napps), d);
  if(status == SFL_OK)
    status = write_file(outdir, "cdk.out", "{\"version\":\"" CFN_ASSEMBLY_VERSION "\"}", d);
  if(status == SFL_OK)
    status = write_json(outdir, "manifest.json", manifest, 2, d);
  else
    cJSON_Delete(manifest);
  return status;
}

enum sfl_status cfn_write_assembly(const char *outdir, struct cfn_app *const *apps,
                                   size_t napps, const struct cfn_synth *stacks,
                                   size_t nstacks, struct diag *d)
{
  char *staging;
  enum sfl_status status = make_dirs(outdir, d);
  if(!status)
    status = cfn_outdir_begin(outdir, &staging, d);
  if(status)
    return status;
  status = write_assembly(staging, apps, napps, stacks, nstacks, d);
  if(status) {
    /* the message names the file as the user knows it, in outdir */
    char *at = strstr(d->msg, staging), rest[sizeof d->msg];
    if(at) {
      snprintf(rest, sizeof rest, "%s", at + strlen(staging));
      snprintf(at, sizeof d->msg - (size_t)(at - d->msg), "%s%s", outdir, rest);
    }
    cfn_outdir_abort(staging);
    return status;
  }
  return cfn_outdir_commit(outdir, staging, d);
}

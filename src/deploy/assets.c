/*
** assets.c: reading an asset manifest, zipping folders (libzip, opened with dlopen()),
** and publishing each asset to S3 through the client (HEAD, then PUT when missing).
*/
#define _GNU_SOURCE
#include "deploy/assets.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <zip.h>

#include "core/dynlib.h"
#include "core/file.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "deploy/client.h"

static const struct sfl_loc none;

/* {============ the manifest */

static char *join(const char *a, const char *b)
{
  struct strbuf s = {0};
  strbuf_printf(&s, "%s/%s", a, b);
  return strbuf_take(&s);
}

static const char *str_at(const cJSON *obj, const char *key)
{
  const cJSON *v = json_get(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static enum sfl_status add_entry(struct asset_manifest *m, const char *dir, const cJSON *asset,
                                 const cJSON *dest, const char *path, struct diag *d)
{
  const char *display = str_at(asset, "displayName");
  const char *packaging = str_at(json_get(asset, "source"), "packaging");
  const char *bucket = str_at(dest, "bucketName"), *key = str_at(dest, "objectKey");
  if(!bucket || !key)
    return diag_set(d, SFL_ERR_INVALID, none, "%s: asset %s: destination %s has no "
                    "bucketName or objectKey", path, asset->string, dest->string);
  struct asset_file *grown = realloc(m->files, (m->n + 1) * sizeof *grown);
  if(!grown)
    return diag_nomem(d);
  m->files = grown;
  struct asset_file *f = &m->files[m->n++];
  *f = (struct asset_file){
    .id = strdup(asset->string), .display = strdup(display ? display : asset->string),
    .source = join(dir, str_at(json_get(asset, "source"), "path")),
    .zip = packaging && !strcmp(packaging, "zip"), .dest = strdup(dest->string),
    .bucket = strdup(bucket), .key = strdup(key)};
  if(!f->id || !f->display || !f->source || !f->dest || !f->bucket || !f->key)
    return diag_nomem(d);
  return SFL_OK;
}

static enum sfl_status read_files(struct asset_manifest *m, const char *dir,
                                  const cJSON *files, const char *path, struct diag *d)
{
  const cJSON *asset;
  cJSON_ArrayForEach(asset, files) {
    const cJSON *source = json_get(asset, "source");
    const char *packaging = str_at(source, "packaging");
    if(!str_at(source, "path") || (packaging && strcmp(packaging, "zip") &&
                                   strcmp(packaging, "file")))
      return diag_set(d, SFL_ERR_INVALID, none, "%s: asset %s: source needs a path and "
                      "packaging \"zip\" or \"file\"", path, asset->string);
    const cJSON *dest;
    cJSON_ArrayForEach(dest, json_get(asset, "destinations")) {
      enum sfl_status st = add_entry(m, dir, asset, dest, path, d);
      if(st)
        return st;
    }
  }
  return SFL_OK;
}

enum sfl_status assets_read(const char *dir, const char *file, struct asset_manifest *m,
                            struct diag *d)
{
  *m = (struct asset_manifest){0};
  char *path = join(dir, file);
  if(!path)
    return diag_nomem(d);
  size_t len;
  char *text = file_read(path, &len);
  enum sfl_status st;
  cJSON *doc = text ? cJSON_ParseWithLength(text, len) : NULL;
  if(!text)
    st = diag_set(d, SFL_ERR_IO, none, "cannot read '%s': %s", path, strerror(errno));
  else if(!cJSON_IsObject(doc))
    st = diag_set(d, SFL_ERR_INVALID, none, "%s is not an asset manifest (a JSON object)",
                  path);
  else
    st = read_files(m, dir, json_get(doc, "files"), path, d);
  cJSON_Delete(doc);
  free(text);
  free(path);
  if(st)
    assets_free(m);
  return st;
}

void assets_free(struct asset_manifest *m)
{
  for(size_t i = 0; i < m->n; i++) {
    struct asset_file *f = &m->files[i];
    free(f->id);
    free(f->display);
    free(f->source);
    free(f->dest);
    free(f->bucket);
    free(f->key);
  }
  free(m->files);
  *m = (struct asset_manifest){0};
}

/* The partition of a region, as CDK's region table has it. */
static const char *partition_of(const char *region)
{
  if(!strncmp(region, "cn-", 3))
    return "aws-cn";
  if(!strncmp(region, "us-gov-", 7))
    return "aws-us-gov";
  if(!strncmp(region, "us-iso-", 7))
    return "aws-iso";
  if(!strncmp(region, "us-isob-", 8))
    return "aws-iso-b";
  return "aws";
}

char *assets_subst(const char *s, const char *account, const char *region)
{
  const struct { const char *name, *value; } vars[] = {
    {"${AWS::AccountId}", account}, {"${AWS::Region}", region},
    {"${AWS::Partition}", partition_of(region)},
  };
  struct strbuf b = {0};
  while(*s) {
    size_t i = 0, n = sizeof vars / sizeof *vars;
    while(i < n && strncmp(s, vars[i].name, strlen(vars[i].name)))
      i++;
    if(i < n) {
      strbuf_puts(&b, vars[i].value);
      s += strlen(vars[i].name);
    } else
      strbuf_putc(&b, *s++);
  }
  char *out = strbuf_take(&b);
  return out ? out : strdup("");
}

/* }============ */

/* {============ libzip, opened on first use */

static struct {
  zip_source_t *(*buffer_create)(const void *, zip_uint64_t, int, zip_error_t *);
  zip_t *(*open_from_source)(zip_source_t *, int, zip_error_t *);
  void (*source_keep)(zip_source_t *);
  void (*source_free)(zip_source_t *);
  zip_source_t *(*source_file)(zip_t *, const char *, zip_uint64_t, zip_int64_t);
  zip_int64_t (*file_add)(zip_t *, const char *, zip_source_t *, zip_flags_t);
  int (*set_mtime)(zip_t *, zip_uint64_t, time_t, zip_flags_t);
  int (*set_attributes)(zip_t *, zip_uint64_t, zip_flags_t, zip_uint8_t, zip_uint32_t);
  int (*close)(zip_t *);
  void (*discard)(zip_t *);
  const char *(*strerror)(zip_t *);
  const char *(*error_strerror)(zip_error_t *);
  void (*error_init)(zip_error_t *);
  void (*error_fini)(zip_error_t *);
  int (*source_open)(zip_source_t *);
  zip_int64_t (*source_read)(zip_source_t *, void *, zip_uint64_t);
  int (*source_close)(zip_source_t *);
  int (*source_seek)(zip_source_t *, zip_int64_t, int);
  zip_int64_t (*source_tell)(zip_source_t *);
  zip_error_t *(*source_error)(zip_source_t *);
} zl;

#define ZSYM(name, field) DYNLIB_SYMBOL(zl, name, field)
static const struct dynlib_symbol zip_symbols[] = {
  ZSYM("zip_source_buffer_create", buffer_create), ZSYM("zip_open_from_source", open_from_source),
  ZSYM("zip_source_keep", source_keep), ZSYM("zip_source_free", source_free),
  ZSYM("zip_source_file", source_file), ZSYM("zip_file_add", file_add),
  ZSYM("zip_file_set_mtime", set_mtime), ZSYM("zip_file_set_external_attributes", set_attributes),
  ZSYM("zip_close", close), ZSYM("zip_discard", discard), ZSYM("zip_strerror", strerror),
  ZSYM("zip_error_strerror", error_strerror), ZSYM("zip_error_init", error_init),
  ZSYM("zip_error_fini", error_fini), ZSYM("zip_source_open", source_open),
  ZSYM("zip_source_read", source_read), ZSYM("zip_source_close", source_close),
  ZSYM("zip_source_seek", source_seek), ZSYM("zip_source_tell", source_tell),
  ZSYM("zip_source_error", source_error),
};

static enum sfl_status zip_load(struct diag *d)
{
  static int loaded;
  if(loaded)
    return SFL_OK;
  enum sfl_status st = dynlib_load(SFL_ZIP_SONAME, "zipping a folder asset needs libzip",
                                   "libzip4", zip_symbols, sizeof zip_symbols / sizeof *zip_symbols,
                                   &zl, d);
  if(st)
    return st;
  loaded = 1;
  return SFL_OK;
}

/* }============ */

/* {============ zipping a folder */

/* Symlinked folders are followed; this deep means a loop. */
#define ZIP_MAX_DEPTH 64

struct entry {
  char *name;    /* path under the folder, '/'-separated */
  mode_t mode;
};

struct entries {
  struct entry *e;
  size_t n;
};

static enum sfl_status io_error(struct diag *d, const char *what, const char *path)
{
  return diag_set(d, SFL_ERR_IO, none, "cannot %s '%s': %s", what, path, strerror(errno));
}

static enum sfl_status add_file(struct entries *l, const char *name, mode_t mode,
                                struct diag *d)
{
  struct entry *grown = realloc(l->e, (l->n + 1) * sizeof *grown);
  if(!grown)
    return diag_nomem(d);
  l->e = grown;
  l->e[l->n].name = strdup(name);
  l->e[l->n].mode = mode;
  return l->e[l->n++].name ? SFL_OK : diag_nomem(d);
}

static enum sfl_status collect(struct entries *l, const char *root, const char *rel,
                               int depth, struct diag *d);

static enum sfl_status collect_one(struct entries *l, const char *root, const char *rel,
                                   int depth, struct diag *d)
{
  char *path = join(root, rel);
  struct stat st;
  enum sfl_status s = SFL_OK;
  if(!path)
    s = diag_nomem(d);
  else if(stat(path, &st))
    s = io_error(d, "read", path);
  else if(S_ISDIR(st.st_mode))
    s = collect(l, root, rel, depth + 1, d);
  else if(S_ISREG(st.st_mode))
    s = add_file(l, rel, st.st_mode, d);
  free(path);
  return s;
}

static enum sfl_status collect(struct entries *l, const char *root, const char *rel,
                               int depth, struct diag *d)
{
  char *path = rel ? join(root, rel) : strdup(root);
  if(!path)
    return diag_nomem(d);
  if(depth > ZIP_MAX_DEPTH) {
    enum sfl_status s = diag_set(d, SFL_ERR_INVALID, none, "cannot zip '%s': folders nest "
                                 "deeper than %d (a symbolic link loop?)", path, ZIP_MAX_DEPTH);
    free(path);
    return s;
  }
  DIR *dir = opendir(path);
  enum sfl_status s = dir ? SFL_OK : io_error(d, "read the folder", path);
  struct dirent *de;
  while(!s && (de = readdir(dir))) {
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    char *child = rel ? join(rel, de->d_name) : strdup(de->d_name);
    s = child ? collect_one(l, root, child, depth, d) : diag_nomem(d);
    free(child);
  }
  if(dir)
    closedir(dir);
  free(path);
  return s;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void entries_free(struct entries *l)
{
  for(size_t i = 0; i < l->n; i++)
    free(l->e[i].name);
  free(l->e);
}

/* 1980-01-01 00:00 in the local time libzip converts to a DOS date with, whatever TZ is. */
static time_t fixed_mtime(void)
{
  struct tm tm = {.tm_year = 80, .tm_mon = 0, .tm_mday = 1, .tm_isdst = -1};
  return mktime(&tm);
}

static enum sfl_status zip_failed(struct diag *d, const char *dir, const char *why)
{
  return diag_set(d, SFL_ERR_IO, none, "cannot zip '%s': %s", dir, why);
}

static enum sfl_status add_entries(zip_t *za, const char *dir, const struct entries *l,
                                   struct diag *d)
{
  time_t mtime = fixed_mtime();
  for(size_t i = 0; i < l->n; i++) {
    char *path = join(dir, l->e[i].name);
    zip_source_t *src = path ? zl.source_file(za, path, 0, -1) : NULL;
    free(path);
    if(!src)
      return zip_failed(d, dir, zl.strerror(za));
    zip_int64_t at = zl.file_add(za, l->e[i].name, src, ZIP_FL_ENC_UTF_8);
    if(at < 0) {
      zl.source_free(src);
      return zip_failed(d, dir, zl.strerror(za));
    }
    zip_uint32_t attr = (zip_uint32_t)(S_IFREG | (l->e[i].mode & 07777)) << 16;
    if(zl.set_mtime(za, (zip_uint64_t)at, mtime, 0) ||
       zl.set_attributes(za, (zip_uint64_t)at, 0, ZIP_OPSYS_UNIX, attr))
      return zip_failed(d, dir, zl.strerror(za));
  }
  return SFL_OK;
}

/* The bytes the buffer source holds after the archive was closed. */
static enum sfl_status take_bytes(zip_source_t *src, const char *dir, unsigned char **out,
                                  size_t *len, struct diag *d)
{
  if(zl.source_open(src))
    return zip_failed(d, dir, zl.error_strerror(zl.source_error(src)));
  zip_int64_t size = -1;
  if(!zl.source_seek(src, 0, SEEK_END))
    size = zl.source_tell(src);
  unsigned char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
  enum sfl_status s = SFL_OK;
  if(size < 0)
    s = zip_failed(d, dir, zl.error_strerror(zl.source_error(src)));
  else if(!buf)
    s = diag_nomem(d);
  else if(zl.source_seek(src, 0, SEEK_SET) ||
          zl.source_read(src, buf, (zip_uint64_t)size) != size)
    s = zip_failed(d, dir, zl.error_strerror(zl.source_error(src)));
  zl.source_close(src);
  if(s) {
    free(buf);
    return s;
  }
  *out = buf;
  *len = (size_t)size;
  return SFL_OK;
}

/* An archive without entries: libzip writes nothing for one, CDK an end record. */
static enum sfl_status empty_zip(unsigned char **out, size_t *len, struct diag *d)
{
  static const unsigned char eocd[22] = {'P', 'K', 5, 6};
  *out = malloc(sizeof eocd);
  if(!*out)
    return diag_nomem(d);
  memcpy(*out, eocd, sizeof eocd);
  *len = sizeof eocd;
  return SFL_OK;
}

static enum sfl_status zip_entries(const char *dir, const struct entries *l,
                                   unsigned char **out, size_t *len, struct diag *d)
{
  zip_error_t err;
  zl.error_init(&err);
  zip_source_t *src = zl.buffer_create(NULL, 0, 0, &err);
  zip_t *za = src ? zl.open_from_source(src, ZIP_TRUNCATE, &err) : NULL;
  enum sfl_status s = SFL_OK;
  if(!za) {
    s = zip_failed(d, dir, zl.error_strerror(&err));
    zl.source_free(src);
    zl.error_fini(&err);
    return s;
  }
  zl.error_fini(&err);
  zl.source_keep(src);
  s = add_entries(za, dir, l, d);
  if(s)
    zl.discard(za);
  else if(zl.close(za)) {
    s = zip_failed(d, dir, zl.strerror(za));
    zl.discard(za);
  }
  if(!s)
    s = take_bytes(src, dir, out, len, d);
  zl.source_free(src);
  return s;
}

enum sfl_status assets_zip_dir(const char *dir, unsigned char **out, size_t *len,
                               struct diag *d)
{
  struct entries l = {0};
  enum sfl_status s = zip_load(d);
  if(!s)
    s = collect(&l, dir, NULL, 0, d);
  if(!s && !l.n)
    s = empty_zip(out, len, d);
  else if(!s) {
    qsort(l.e, l.n, sizeof *l.e, by_name);
    s = zip_entries(dir, &l, out, len, d);
  }
  entries_free(&l);
  return s;
}

/* }============ */

/* {============ publishing */

static enum sfl_status asset_body(const struct asset_file *f, unsigned char **body,
                                  size_t *len, struct diag *d)
{
  if(f->zip)
    return assets_zip_dir(f->source, body, len, d);
  *body = (unsigned char *)file_read(f->source, len);
  return *body ? SFL_OK : io_error(d, "read", f->source);
}

static const char *content_type(const char *key)
{
  const char *dot = strrchr(key, '.');
  if(dot && !strcmp(dot, ".zip"))
    return "application/zip";
  if(dot && !strcmp(dot, ".json"))
    return "application/json";
  return "application/octet-stream";
}

enum sfl_status assets_publish(struct aws_client *c, const struct asset_file *f,
                               const char *account, const char *region,
                               enum asset_outcome *outcome, struct diag *d)
{
  char *bucket = assets_subst(f->bucket, account, region);
  char *key = assets_subst(f->key, account, region);
  unsigned char *body = NULL;
  size_t len = 0;
  int exists = 0;
  enum sfl_status s = bucket && key ? SFL_OK : diag_nomem(d);
  if(!s)
    s = aws_s3_exists(c, bucket, key, &exists, d);
  if(!s && exists)
    *outcome = ASSET_ALREADY_THERE;
  else if(!s && !(s = asset_body(f, &body, &len, d))) {
    s = aws_s3_put(c, bucket, key, body, len, content_type(key), d);
    *outcome = ASSET_UPLOADED;
  }
  free(body);
  free(bucket);
  free(key);
  return s;
}

/* }============ */

/*
** asset.c: file assets as CDK 2.276 names and stages them. The name is the source
** fingerprint of core/lib/fs/fingerprint.js: SHA-256 over "\1header\2value\3" fields,
** one per option and one per file or symlink met by a walk of the folder in name order
** (core/lib/fs/utils.js, symlinks followed only when they leave the folder), each file
** field holding "<size>:<sha-256>" of its content with CRLF read as LF in text files.
** The default exclude list (".is_custom_resource") applies to both the hash and the copy.
*/
#define _GNU_SOURCE
#include "cfn/asset.h"
#include "core/hash.h"
#include "core/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* {============ paths */

static char *join(const char *a, const char *b)
{
  struct strbuf s = {0};
  strbuf_printf(&s, "%s/%s", a, b);
  return strbuf_take(&s);
}

/* path.resolve() of an absolute path: no "//", "." or ".." left. */
static char *normalize(const char *abs)
{
  char *out = malloc(strlen(abs) + 2);
  if(!out)
    return NULL;
  size_t len = 0;
  for(const char *p = abs; *p; ) {
    while(*p == '/')
      p++;
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if(n == 2 && !strncmp(p, "..", 2)) {
      while(len && out[len - 1] != '/')
        len--;
      if(len)
        len--;
    } else if(n && !(n == 1 && *p == '.')) {
      out[len++] = '/';
      memcpy(out + len, p, n);
      len += n;
    }
    p += n;
  }
  if(!len)
    out[len++] = '/';
  out[len] = '\0';
  return out;
}

/* realpath(), or the path itself when it cannot be resolved (utils.js realPathOrSelf). */
static char *real_or_self(const char *p)
{
  char *r = realpath(p, NULL);
  return r ? r : strdup(p);
}

static int is_inside(const char *root, const char *p)
{
  size_t n = strlen(root);
  return !strncmp(root, p, n) && (p[n] == '\0' || p[n] == '/');
}

/* path.relative(from, to) for two normalized absolute paths. */
static char *relative(const char *from, const char *to)
{
  size_t common = 0;
  for(size_t i = 0; ; i++) {
    char a = from[i], b = to[i];
    if((a == '/' || !a) && (b == '/' || !b))
      common = i;
    if(!a || !b || a != b)
      break;
  }
  struct strbuf s = {0};
  for(const char *p = from + common; *p; p++)
    if(*p == '/')
      strbuf_puts(&s, s.len ? "/.." : "..");
  const char *rest = to + common + (to[common] == '/');
  if(*rest)
    strbuf_printf(&s, "%s%s", s.len ? "/" : "", rest);
  return strbuf_take(&s);
}

/* }============ */

/* {============ walking a folder */

struct walk_entry {
  const char *path;             /* as the walk names it, under the walk's root */
  const char *real;             /* where the content is */
  const char *link_target;      /* symlinks left alone: the link's text */
  const char *resolved_target;  /* and its canonical target */
  int internal;                 /* the target is inside the folder */
};

struct walker {
  const char *root;             /* the folder walked */
  char *canonical_root;
  enum sfl_status (*on_dir)(struct walker *w, const struct walk_entry *e);
  enum sfl_status (*on_file)(struct walker *w, const struct walk_entry *e);
  enum sfl_status (*on_link)(struct walker *w, const struct walk_entry *e);
  void *ctx;
  struct diag *d;
};

struct ancestor {
  const char *canonical;
  const struct ancestor *up;
};

static enum sfl_status walk(struct walker *w, const char *path, const char *real,
                            const char *canonical, const struct ancestor *up);

static enum sfl_status io_error(struct diag *d, const char *what, const char *path)
{
  struct sfl_loc none = {0};
  return diag_set(d, SFL_ERR_IO, none, "cannot %s '%s': %s", what, path, strerror(errno));
}

/* The exclude list CDK always applies (AssetStaging: ".is_custom_resource"), matched as
** minimatch's matchBase does for a pattern without a slash: against the last name. */
static int ignored(const char *path)
{
  const char *base = strrchr(path, '/');
  return !strcmp(base ? base + 1 : path, ".is_custom_resource");
}

static enum sfl_status visit_dir(struct walker *w, const char *path, const char *real,
                                 const char *canonical, const struct ancestor *up)
{
  if(ignored(path))
    return SFL_OK;
  struct walk_entry e = {path, real, NULL, NULL, 0};
  enum sfl_status st = w->on_dir ? w->on_dir(w, &e) : SFL_OK;
  return st ? st : walk(w, path, real, canonical, up);
}

static enum sfl_status visit_file(struct walker *w, const char *path, const char *real)
{
  struct walk_entry e = {path, real, NULL, NULL, 0};
  return ignored(path) || !w->on_file ? SFL_OK : w->on_file(w, &e);
}

/* A symlink is followed when it leaves the folder (SymlinkFollowMode.EXTERNAL). */
static enum sfl_status visit_link(struct walker *w, const char *path, const char *real,
                                  const struct ancestor *up)
{
  char target[4096];
  ssize_t n = readlink(real, target, sizeof target - 1);
  if(n < 0)
    return io_error(w->d, "read the link", real);
  target[n] = '\0';
  char *dir = strdup(real);
  char *slash = dir ? strrchr(dir, '/') : NULL;
  if(slash)
    *slash = '\0';
  char *joined = target[0] == '/' ? strdup(target) : dir ? join(dir, target) : NULL;
  char *resolved = joined ? normalize(joined) : NULL;
  free(joined);
  free(dir);
  if(!resolved)
    return diag_nomem(w->d);
  /* canonicalLinkTarget: the real path of the target's folder, then its name. */
  char *base = strrchr(resolved, '/');
  *base = '\0';
  char *parent = real_or_self(*resolved ? resolved : "/");
  char *canonical = parent ? (strcmp(parent, "/") ? join(parent, base + 1)
                                                 : (*base = '/', strdup(base))) : NULL;
  free(parent);
  free(resolved);
  if(!canonical)
    return diag_nomem(w->d);
  int internal = is_inside(w->canonical_root, canonical);
  struct stat st;
  enum sfl_status status = SFL_OK;
  if(internal || stat(canonical, &st)) {
    struct walk_entry e = {path, real, target, canonical, internal};
    if(!ignored(path) && w->on_link)
      status = w->on_link(w, &e);
  } else if(S_ISDIR(st.st_mode)) {
    char *real_target = real_or_self(canonical);
    status = real_target ? visit_dir(w, path, canonical, real_target, up)
                         : diag_nomem(w->d);
    free(real_target);
  } else if(S_ISREG(st.st_mode)) {
    status = visit_file(w, path, canonical);
  } else if(!ignored(path)) {
    struct sfl_loc none = {0};
    status = diag_set(w->d, SFL_ERR_INVALID, none,
                      "Unable to hash %s: it is neither a file nor a directory", path);
  }
  free(canonical);
  return status;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's names (not "." and ".."), sorted; NULL-terminated, caller frees. */
static char **list_dir(const char *real, struct diag *d)
{
  DIR *dir = opendir(real);
  if(!dir)
    return io_error(d, "read the folder", real), NULL;
  size_t n = 0, cap = 16;
  char **names = malloc(cap * sizeof *names);
  struct dirent *de;
  while(names && (de = readdir(dir))) {
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if(n + 1 == cap) {
      char **grown = realloc(names, (cap *= 2) * sizeof *names);
      if(!grown) {
        names[n] = NULL;
        for(size_t i = 0; i < n; i++)
          free(names[i]);
        free(names);
        names = NULL;
        break;
      }
      names = grown;
    }
    names[n] = strdup(de->d_name);
    if(names[n])
      n++;
  }
  closedir(dir);
  if(!names)
    return diag_nomem(d), NULL;
  names[n] = NULL;
  qsort(names, n, sizeof *names, by_name);
  return names;
}

static enum sfl_status visit_child(struct walker *w, const char *path, const char *real,
                                   const char *canonical, const struct ancestor *up)
{
  struct stat st;
  if(lstat(real, &st))
    return io_error(w->d, "read", real);
  if(S_ISLNK(st.st_mode))
    return visit_link(w, path, real, up);
  if(S_ISDIR(st.st_mode))
    return visit_dir(w, path, real, canonical, up);
  if(S_ISREG(st.st_mode))
    return visit_file(w, path, real);
  return SFL_OK;   /* sockets, fifos, devices: the walk passes them by */
}

static enum sfl_status walk(struct walker *w, const char *path, const char *real,
                            const char *canonical, const struct ancestor *up)
{
  for(const struct ancestor *a = up; a; a = a->up)
    if(!strcmp(a->canonical, canonical))
      return SFL_OK;
  struct ancestor here = {canonical, up};
  char **names = list_dir(real, w->d);
  if(!names)
    return w->d->status;
  enum sfl_status status = SFL_OK;
  for(size_t i = 0; names[i]; i++) {
    char *cp = join(path, names[i]), *cr = join(real, names[i]);
    char *cc = join(canonical, names[i]);
    if(!status)
      status = cp && cr && cc ? visit_child(w, cp, cr, cc, &here) : diag_nomem(w->d);
    free(cp);
    free(cr);
    free(cc);
    free(names[i]);
  }
  free(names);
  return status;
}

static enum sfl_status walk_folder(struct walker *w)
{
  w->canonical_root = real_or_self(w->root);
  if(!w->canonical_root)
    return diag_nomem(w->d);
  char *start = real_or_self(w->root);
  enum sfl_status st = start ? walk(w, w->root, w->root, start, NULL) : diag_nomem(w->d);
  free(start);
  free(w->canonical_root);
  return st;
}

/* }============ */

/* {============ the fingerprint */

/*
** The bytes Node gets from Buffer.toString() then Buffer.from(): UTF-8 with every
** ill-formed sequence replaced by U+FFFD (the WHATWG decoder's maximal subparts).
*/
static void utf8_clean(const unsigned char *p, size_t n, struct strbuf *out)
{
  static const char fffd[] = "\xEF\xBF\xBD";
  size_t i = 0;
  while(i < n) {
    unsigned char c = p[i];
    size_t need = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2
                : c >= 0xF0 && c <= 0xF4 ? 3 : (size_t)-1;
    if(need == (size_t)-1) {
      strbuf_add(out, fffd, 3);
      i++;
      continue;
    }
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    size_t k = 1;
    while(k <= need && i + k < n && p[i + k] >= lo && p[i + k] <= hi) {
      lo = 0x80;
      hi = 0xBF;
      k++;
    }
    if(k == need + 1)
      strbuf_add(out, (const char *)p + i, k);
    else
      strbuf_add(out, fffd, 3);
    i += k;
  }
}

/* data.replace(/\r\n/g, "\n") */
static size_t crlf_to_lf(char *s, size_t n)
{
  size_t o = 0;
  for(size_t i = 0; i < n; i++)
    if(!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
      s[o++] = s[i];
  return o;
}

struct content_fp {
  struct hash_sha256 h;
  unsigned long long size;
  int binary;
  struct strbuf last;   /* decoded chunks that ended in "\r", held back */
};

/* One 8 KiB read, as contentFingerprintMiss handles it (quirks included: a text file
** whose chunk ends in "\r" is held back, and a tail still held at the end is hashed
** without counting in the size). */
static void content_chunk(struct content_fp *c, const unsigned char *buf, size_t n)
{
  if(c->size == 0)
    c->binary = memchr(buf, 0, n) != NULL;
  if(c->binary) {
    c->size += n;
    hash_sha256_update(&c->h, buf, n);
    return;
  }
  utf8_clean(buf, n, &c->last);
  if(n && buf[n - 1] == '\r')
    return;
  if(c->last.len) {
    c->last.len = crlf_to_lf(c->last.buf, c->last.len);
    c->size += c->last.len;
    hash_sha256_update(&c->h, c->last.buf, c->last.len);
    c->last.len = 0;
  }
}

/* "<size>:<sha-256 hex>" of the file's content, as fingerprint.js computes it. */
static enum sfl_status content_fingerprint(const char *file, struct strbuf *out,
                                           struct diag *d)
{
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return io_error(d, "read", file);
  struct content_fp c = {.size = 0};
  hash_sha256_init(&c.h);
  unsigned char buf[8192];
  ssize_t n;
  while((n = read(fd, buf, sizeof buf)) > 0)
    content_chunk(&c, buf, (size_t)n);
  int failed = n < 0;
  close(fd);
  if(c.last.len)
    hash_sha256_update(&c.h, c.last.buf, c.last.len);
  int nomem = c.last.failed;
  strbuf_free(&c.last);
  if(failed)
    return io_error(d, "read", file);
  if(nomem)
    return diag_nomem(d);
  char hex[HASH_SHA256_HEX];
  hash_sha256_final_hex(&c.h, hex);
  out->len = 0;
  strbuf_printf(out, "%llu:%s", c.size, hex);
  return out->failed ? diag_nomem(d) : SFL_OK;
}

static void hash_field(struct hash_sha256 *h, const char *header, const char *header2,
                       const char *value)
{
  hash_sha256_update(h, "\1", 1);
  hash_sha256_update(h, header, strlen(header));
  hash_sha256_update(h, header2, strlen(header2));
  hash_sha256_update(h, "\2", 1);
  hash_sha256_update(h, value, strlen(value));
  hash_sha256_update(h, "\3", 1);
}

struct fp_ctx {
  struct hash_sha256 h;
  struct strbuf value;
};

static const char *key_of(const struct walker *w, const char *path)
{
  size_t n = strlen(w->root);
  return path[n] ? path + n + 1 : path + n;
}

static enum sfl_status fp_file(struct walker *w, const struct walk_entry *e)
{
  struct fp_ctx *c = w->ctx;
  enum sfl_status st = content_fingerprint(e->real, &c->value, w->d);
  if(!st)
    hash_field(&c->h, "file:", key_of(w, e->path), c->value.buf);
  return st;
}

static enum sfl_status fp_link(struct walker *w, const struct walk_entry *e)
{
  struct fp_ctx *c = w->ctx;
  if(!(e->internal && e->link_target[0] == '/')) {
    hash_field(&c->h, "link:", key_of(w, e->path), e->link_target);
    return SFL_OK;
  }
  char *rel = relative(w->root, e->resolved_target);
  if(!rel)
    return diag_nomem(w->d);
  hash_field(&c->h, "link:", key_of(w, e->path), rel);
  free(rel);
  return SFL_OK;
}

/* fingerprint(root) with the options Lambda's Code.fromAsset leaves at their defaults. */
static enum sfl_status fingerprint(const char *root, int is_dir, char out[HASH_SHA256_HEX],
                                   struct diag *d)
{
  struct fp_ctx c = {.value = {0}};
  hash_sha256_init(&c.h);
  hash_field(&c.h, "options.extra", "", "");
  hash_field(&c.h, "options.follow", "", "external");
  enum sfl_status st;
  if(is_dir) {
    struct walker w = {.root = root, .on_file = fp_file, .on_link = fp_link, .ctx = &c,
                       .d = d};
    st = walk_folder(&w);
  } else {
    st = content_fingerprint(root, &c.value, d);
    if(!st)
      hash_field(&c.h, "file:", "", c.value.buf);
  }
  strbuf_free(&c.value);
  if(!st)
    hash_sha256_final_hex(&c.h, out);
  return st;
}

/* }============ */

/* AssetStaging's getExtension(): the archive suffixes first, else path.extname(). */
static const char *extension_of(const char *path)
{
  static const char *const archives[] = {".tar.gz", ".zip", ".jar", ".tar", ".tgz"};
  size_t n = strlen(path);
  for(size_t i = 0; i < sizeof archives / sizeof *archives; i++) {
    size_t k = strlen(archives[i]);
    if(n >= k && !strcasecmp(path + n - k, archives[i]))
      return archives[i];
  }
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return dot && dot != base ? dot : "";
}

struct cfn_asset *cfn_asset_new(struct arena *a, const char *path,
                                const char *custom_hash, struct sfl_loc loc, struct diag *d)
{
  char *real = realpath(path, NULL);
  struct stat st;
  if(!real || stat(real, &st)) {
    free(real);
    return diag_set(d, SFL_ERR_INVALID, loc, "Cannot find asset at %s", path), NULL;
  }
  if(!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
    free(real);
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Asset %s is expected to be either a directory or a regular file",
                    path), NULL;
  }
  char hash[HASH_SHA256_HEX];
  enum sfl_status status = SFL_OK;
  if(custom_hash)
    hash_sha256_hex(custom_hash, strlen(custom_hash), hash);
  else
    status = fingerprint(real, S_ISDIR(st.st_mode), hash, d);
  free(real);
  if(status) {
    if(!d->loc.file)
      d->loc = loc;
    return NULL;
  }
  struct cfn_asset *as = arena_alloc(a, sizeof *as);
  if(!as)
    return diag_nomem(d), NULL;
  const char *ext = S_ISDIR(st.st_mode) ? "" : extension_of(path);
  as->is_dir = S_ISDIR(st.st_mode);
  as->is_archive = as->is_dir || !strcmp(ext, ".zip") || !strcmp(ext, ".jar")
                   || !strcmp(ext, ".tar") || !strcmp(ext, ".tgz") || !strcmp(ext, ".tar.gz");
  as->source = arena_strdup(a, path);
  as->hash = arena_strdup(a, hash);
  as->staged_name = arena_printf(a, "asset.%s%s", hash, ext);
  /* The manifest builder's key: the hash, then ".zip" for a folder, else extname(). */
  const char *dot = strrchr(as->staged_name ? as->staged_name : "", '.');
  as->object_key = arena_printf(a, "%s%s", hash, as->is_dir ? ".zip" : dot ? dot : "");
  if(!as->source || !as->hash || !as->staged_name || !as->object_key)
    return diag_nomem(d), NULL;
  return as;
}

/* {============ staging */

struct copy_ctx {
  const char *dest;             /* the staged folder */
};

static char *dest_of(const struct walker *w, const char *path)
{
  const struct copy_ctx *c = w->ctx;
  return join(c->dest, key_of(w, path));
}

static enum sfl_status copy_dir(struct walker *w, const struct walk_entry *e)
{
  char *to = dest_of(w, e->path);
  if(!to)
    return diag_nomem(w->d);
  enum sfl_status st = mkdir(to, 0777) && errno != EEXIST ? io_error(w->d, "create", to)
                                                          : SFL_OK;
  free(to);
  return st;
}

/* fs.copyFileSync: the content and the permission bits. */
static enum sfl_status copy_file_to(const char *from, const char *to, struct diag *d)
{
  int in = open(from, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if(in < 0 || fstat(in, &st)) {
    if(in >= 0)
      close(in);
    return io_error(d, "read", from);
  }
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777);
  enum sfl_status status = out < 0 ? io_error(d, "write", to) : SFL_OK;
  char buf[65536];
  ssize_t n = 0;
  while(!status && (n = read(in, buf, sizeof buf)) > 0)
    if(write(out, buf, (size_t)n) != n)
      status = io_error(d, "write", to);
  if(!status && n < 0)
    status = io_error(d, "read", from);
  if(out >= 0 && (fchmod(out, st.st_mode & 07777) || close(out)) && !status)
    status = io_error(d, "write", to);
  close(in);
  return status;
}

static enum sfl_status copy_file(struct walker *w, const struct walk_entry *e)
{
  char *to = dest_of(w, e->path);
  enum sfl_status st = to ? copy_file_to(e->real, to, w->d) : diag_nomem(w->d);
  free(to);
  return st;
}

/* copy.js linkTextFor: a link inside the folder points at the copy, relatively. */
static enum sfl_status copy_link(struct walker *w, const struct walk_entry *e)
{
  const struct copy_ctx *c = w->ctx;
  char *to = dest_of(w, e->path);
  char *text = NULL;
  if(to && e->internal) {
    char *inside = relative(w->canonical_root, e->resolved_target);
    char *copied = inside ? (*inside ? join(c->dest, inside) : strdup(c->dest)) : NULL;
    char *dir = to ? strdup(to) : NULL;
    if(dir)
      *strrchr(dir, '/') = '\0';
    text = copied && dir ? relative(dir, copied) : NULL;
    if(text && !*text) {
      free(text);
      text = strdup(".");
    }
    free(inside);
    free(copied);
    free(dir);
  } else if(to) {
    text = strdup(e->link_target);
  }
  enum sfl_status st = !text ? diag_nomem(w->d)
                     : symlink(text, to) ? io_error(w->d, "create the link", to) : SFL_OK;
  free(text);
  free(to);
  return st;
}

/* Removes a half-made copy. */
static void remove_tree(const char *path)
{
  struct stat st;
  if(lstat(path, &st))
    return;
  if(S_ISDIR(st.st_mode)) {
    DIR *dir = opendir(path);
    struct dirent *de;
    while(dir && (de = readdir(dir)))
      if(strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
        char *child = join(path, de->d_name);
        if(child)
          remove_tree(child);
        free(child);
      }
    if(dir)
      closedir(dir);
    rmdir(path);
  } else {
    unlink(path);
  }
}

enum sfl_status cfn_asset_stage(const struct cfn_asset *asset, const char *outdir,
                                struct diag *d)
{
  char *target = join(outdir, asset->staged_name);
  struct strbuf tmp = {0};
  strbuf_printf(&tmp, "%s/.%s.tmp%ld", outdir, asset->staged_name, (long)getpid());
  struct stat st;
  enum sfl_status status = SFL_OK;
  if(!target || tmp.failed)
    status = diag_nomem(d);
  else if(!lstat(target, &st))
    goto done;   /* AssetStaging: an asset already staged is left as it is */
  else if(asset->is_dir) {
    struct copy_ctx c = {tmp.buf};
    struct walker w = {.root = asset->source, .on_dir = copy_dir, .on_file = copy_file,
                       .on_link = copy_link, .ctx = &c, .d = d};
    status = mkdir(tmp.buf, 0777) ? io_error(d, "create", tmp.buf) : walk_folder(&w);
  } else {
    status = copy_file_to(asset->source, tmp.buf, d);
  }
  if(!status && rename(tmp.buf, target))
    status = io_error(d, "write", target);
  if(status && tmp.buf)
    remove_tree(tmp.buf);
done:
  free(target);
  strbuf_free(&tmp);
  return status;
}

/* }============ */

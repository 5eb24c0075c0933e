/*
** test_asset.c: asset fingerprints against the ones aws-cdk-lib 2.276's
** FileSystem.fingerprint() gave for the same files (CRLF across the 8 KiB read boundary,
** a held-back trailing "\r", ill-formed UTF-8, a multibyte character cut by the boundary,
** binary detection after a held-back chunk, symlinks inside and outside the folder, a
** broken link, a loop, the .is_custom_resource exclude), and the staged copy.
*/
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cfn/asset.h"
#include "core/strbuf.h"

static char base[] = "/tmp/sfl-asset-XXXXXX";

static void put(const char *rel, const void *data, size_t n)
{
  struct strbuf p = {0};
  strbuf_printf(&p, "%s/%s", base, rel);
  FILE *f = fopen(p.buf, "wb");
  CHECK(f && fwrite(data, 1, n, f) == n);
  if(f)
    fclose(f);
  strbuf_free(&p);
}

static void dir(const char *rel)
{
  struct strbuf p = {0};
  strbuf_printf(&p, "%s/%s", base, rel);
  CHECK(mkdir(p.buf, 0755) == 0);
  strbuf_free(&p);
}

static void link_to(const char *target, const char *rel, int absolute)
{
  struct strbuf p = {0}, t = {0};
  strbuf_printf(&p, "%s/%s", base, rel);
  if(absolute)
    strbuf_printf(&t, "%s/%s", base, target);
  else
    strbuf_puts(&t, target);
  CHECK(symlink(t.buf, p.buf) == 0);
  strbuf_free(&p);
  strbuf_free(&t);
}

/* n bytes of c, then the tail. */
static void put_run(const char *rel, char c, size_t n, const char *tail, size_t tail_n)
{
  char *buf = malloc(n + tail_n);
  memset(buf, c, n);
  memcpy(buf + n, tail, tail_n);
  put(rel, buf, n + tail_n);
  free(buf);
}

static void make_tree(void)
{
  dir("t1");
  dir("t1/d");
  dir("t1/d/e");
  dir("t1/empty");
  dir("t1/.is_custom_resource");
  dir("ext");
  dir("ext/inner");
  char crlf[33];
  memcpy(crlf, "\r\n", 2);
  for(int i = 0; i < 10; i++)
    memcpy(crlf + 2 + 3 * i, "b\r\n", 3);
  put_run("t1/crlf_boundary.txt", 'a', 8191, crlf, 32);
  put_run("t1/ends_cr.txt", 'x', 8191, "\r", 1);
  put("t1/ends_cr2.txt", "hello\r", 6);
  put("t1/bad_utf8.txt", "caf\xe9 \xc3\x28 \xf0\x90\x80 \xed\xa0\x80 ok\r\n", 20);
  put_run("t1/split_mb.txt", 'a', 8191, "\xe2\x82\xactail", 7);
  char bin[301] = "\r";
  for(int i = 0; i < 100; i++)
    memcpy(bin + 1 + 3 * i, "\0\1\2", 3);
  put_run("t1/bin_after_cr.bin", 'y', 8191, bin, 301);
  unsigned char all[25600];
  for(size_t i = 0; i < sizeof all; i++)
    all[i] = (unsigned char)(i % 256);
  put("t1/binary.bin", all, sizeof all);
  put("t1/empty.txt", "", 0);
  put("t1/d/e/deep.txt", "deep", 4);
  put("t1/.is_custom_resource/x", "no", 2);
  put("t1/d/.is_custom_resource", "no", 2);
  put("ext/inner/f.txt", "external", 8);
  put("ext/file.txt", "extfile", 7);
  link_to("../ext/inner", "t1/extdir", 0);
  link_to("ext/file.txt", "t1/extfile", 1);
  link_to("nowhere", "t1/broken", 0);
  link_to("t1/d", "t1/abs_internal", 1);
  link_to("d/e", "t1/rel_internal", 0);
  link_to(".", "t1/d/self", 0);
}

static const struct { const char *rel, *hash; } expected[] = {
  {"t1", "520a87371dc2b532cc6629d213d9c82e27083138e28d0799a96fbc9a5ba8ac9b"},
  {"t1/crlf_boundary.txt", "5acd0ce59f5011e3d0963cec4c46c54d80c13db62864da9c90230a110485da1d"},
  {"t1/ends_cr.txt", "3cfa50de6e62dde8acdd1f1394dcc37e3aaadcd3bac9fc0836230313b8c5f3cf"},
  {"t1/ends_cr2.txt", "f2ca7f79d6a8fd8d2d6464b35eb7d3e6f824dafd5a413da386a409c7e930d03e"},
  {"t1/bad_utf8.txt", "c05bfafe76670a5677f114248e48c32f5b664bc606583d63f4a9d8b0eda05edb"},
  {"t1/split_mb.txt", "0aac49509426000b269db928bbc9e1d5991fb3faa63c6e6db0891aaf62906ffe"},
  {"t1/bin_after_cr.bin", "da9258e86af351f21ae9c5ccd3902bb9ed38bfd61bb772967e05e4b97f311891"},
};

static char *at(const char *rel)
{
  struct strbuf p = {0};
  strbuf_printf(&p, "%s/%s", base, rel);
  return strbuf_take(&p);
}

static void check_link(const char *rel, const char *want)
{
  char *p = at(rel), buf[256];
  ssize_t n = readlink(p, buf, sizeof buf - 1);
  CHECK(n > 0);
  buf[n > 0 ? n : 0] = '\0';
  CHECK_STR(buf, want);
  free(p);
}

static int exists(const char *rel)
{
  char *p = at(rel);
  struct stat st;
  int ok = !lstat(p, &st);
  free(p);
  return ok;
}

int main(void)
{
  CHECK(mkdtemp(base) != NULL);
  make_tree();
  struct sfl_loc loc = {"app.lua", 3};
  struct cfn_asset *folder = NULL;
  struct arena *a = arena_new();
  for(size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
    char *p = at(expected[i].rel);
    struct diag d = {0};
    struct cfn_asset *as = cfn_asset_new(a, p, NULL, loc, &d);
    CHECK_STR(as ? as->hash : d.msg, expected[i].hash);
    if(!i)
      folder = as;
    free(p);
  }
  CHECK(folder && folder->is_dir && folder->is_archive);
  CHECK_STR(folder ? folder->object_key : "", "520a87371dc2b532cc6629d213d9c82e27083138e28d0799a96fbc9a5ba8ac9b.zip");

  struct diag d = {0};
  char *missing = at("nope");
  CHECK(!cfn_asset_new(a, missing, NULL, loc, &d));
  CHECK(d.loc.line == 3);
  free(missing);

  /* The copy: excludes left out, inside links rewritten to the copy, loops kept as links. */
  char *out = at("out");
  CHECK(mkdir(out, 0755) == 0);
  CHECK(folder && cfn_asset_stage(folder, out, &d) == SFL_OK);
  const char *s = "out/asset.520a87371dc2b532cc6629d213d9c82e27083138e28d0799a96fbc9a5ba8ac9b";
  char rel[256];
  snprintf(rel, sizeof rel, "%s/rel_internal", s);
  check_link(rel, "d/e");
  snprintf(rel, sizeof rel, "%s/abs_internal", s);
  check_link(rel, "d");
  snprintf(rel, sizeof rel, "%s/d/self", s);
  check_link(rel, ".");
  snprintf(rel, sizeof rel, "%s/broken", s);
  check_link(rel, "nowhere");
  snprintf(rel, sizeof rel, "%s/extdir/f.txt", s);
  CHECK(exists(rel));
  snprintf(rel, sizeof rel, "%s/d/.is_custom_resource", s);
  CHECK(!exists(rel));
  snprintf(rel, sizeof rel, "%s/.is_custom_resource", s);
  CHECK(!exists(rel));
  /* Staging again leaves the copy alone. */
  CHECK(cfn_asset_stage(folder, out, &d) == SFL_OK);
  free(out);
  arena_free(a);

  char *rm = NULL;
  if(asprintf(&rm, "rm -rf '%s'", base) > 0)
    CHECK(system(rm) == 0);
  free(rm);
  return check_done("asset");
}

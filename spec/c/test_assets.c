/*
** test_assets.c: the asset manifest as sfl synth writes it, ${AWS::...} substitution,
** and folder zips read back with unzip (names sorted, dates fixed, modes kept, contents,
** the same bytes on a second zip of a touched folder).
*/
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "deploy/assets.h"

static char tmp[] = "/tmp/sfl-test-assets-XXXXXX";

static void put(const char *rel, const char *text, mode_t mode)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmp, rel);
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  chmod(path, mode);
}

static void sub(const char *rel)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmp, rel);
  mkdir(path, 0755);
}

/* The first line of a shell command's output (or all of it, up to size). */
static char *run(const char *fmt, const char *arg)
{
  static char out[4096];
  char cmd[1024];
  snprintf(cmd, sizeof cmd, fmt, arg);
  FILE *p = popen(cmd, "r");
  size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
  out[n] = '\0';
  if(p)
    pclose(p);
  return out;
}

static void test_manifest(void)
{
  put("m.assets.json",
      "{\"version\": \"55.0.0\", \"files\": {"
      "\"abc\": {\"displayName\": \"Handler/Code\", \"source\": {\"path\": \"asset.abc\", "
      "\"packaging\": \"zip\"}, \"destinations\": {\"d1\": {\"bucketName\": "
      "\"cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}\", \"objectKey\": \"abc.zip\"}}},"
      "\"def\": {\"source\": {\"path\": \"m.template.json\", \"packaging\": \"file\"}, "
      "\"destinations\": {\"d2\": {\"bucketName\": \"b\", \"objectKey\": \"def.json\"}}}},"
      "\"dockerImages\": {}}", 0644);
  struct asset_manifest m;
  struct diag d = {0};
  CHECK(assets_read(tmp, "m.assets.json", &m, &d) == SFL_OK);
  CHECK(m.n == 2);
  if(m.n == 2) {
    CHECK_STR(m.files[0].id, "abc");
    CHECK_STR(m.files[0].display, "Handler/Code");
    CHECK(m.files[0].zip == 1);
    CHECK_STR(m.files[0].dest, "d1");
    CHECK_STR(m.files[0].key, "abc.zip");
    CHECK(!strcmp(m.files[0].source + strlen(tmp), "/asset.abc"));
    CHECK_STR(m.files[1].display, "def");
    CHECK(m.files[1].zip == 0);
    CHECK_STR(m.files[1].bucket, "b");
  }
  assets_free(&m);

  put("bad.assets.json", "{\"files\": {\"x\": {\"source\": {\"path\": \"p\"}, "
      "\"destinations\": {\"d\": {\"bucketName\": \"b\"}}}}}", 0644);
  CHECK(assets_read(tmp, "bad.assets.json", &m, &d) == SFL_ERR_INVALID);
  CHECK(strstr(d.msg, "bad.assets.json: asset x: destination d has no bucketName or objectKey"));
  put("notjson.assets.json", "[1,", 0644);
  CHECK(assets_read(tmp, "notjson.assets.json", &m, &d) == SFL_ERR_INVALID);
  CHECK(strstr(d.msg, "notjson.assets.json is not an asset manifest (a JSON object)"));
  CHECK(assets_read(tmp, "missing.assets.json", &m, &d) == SFL_ERR_IO);
  CHECK(strstr(d.msg, "cannot read '") && strstr(d.msg, "missing.assets.json': No such file"));
}

static void test_subst(void)
{
  char *s = assets_subst("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}",
                         "123456789012", "eu-west-1");
  CHECK_STR(s, "cdk-hnb659fds-assets-123456789012-eu-west-1");
  free(s);
  s = assets_subst("arn:${AWS::Partition}:iam::${AWS::AccountId}:x ${AWS::Other}", "1",
                   "cn-north-1");
  CHECK_STR(s, "arn:aws-cn:iam::1:x ${AWS::Other}");
  free(s);
  s = assets_subst("", "1", "us-east-1");
  CHECK_STR(s, "");
  free(s);
}

static void write_zip(const char *name, const unsigned char *z, size_t n)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmp, name);
  FILE *f = fopen(path, "wb");
  fwrite(z, 1, n, f);
  fclose(f);
}

static void test_zip(void)
{
  sub("app");
  put("app/zeta.py", "print('z')\n", 0644);
  put("app/alpha.sh", "#!/bin/sh\necho a\n", 0755);
  sub("app/lib");
  put("app/lib/mod.py", "X = 1\n", 0644);
  sub("app/empty");
  char target[512], link[512];
  snprintf(target, sizeof target, "%s/app/zeta.py", tmp);
  snprintf(link, sizeof link, "%s/app/link.py", tmp);
  CHECK(symlink(target, link) == 0);

  char dir[512];
  snprintf(dir, sizeof dir, "%s/app", tmp);
  unsigned char *z1 = NULL, *z2 = NULL;
  size_t n1 = 0, n2 = 0;
  struct diag d = {0};
  CHECK(assets_zip_dir(dir, &z1, &n1, &d) == SFL_OK);
  sleep(1);
  put("app/zeta.py", "print('z')\n", 0644);   /* same content, new mtime */
  CHECK(assets_zip_dir(dir, &z2, &n2, &d) == SFL_OK);
  CHECK(n1 == n2 && z1 && z2 && !memcmp(z1, z2, n1));
  write_zip("a.zip", z1, n1);
  char zpath[512];
  snprintf(zpath, sizeof zpath, "%s/a.zip", tmp);
  CHECK_STR(run("unzip -Z1 %s", zpath), "alpha.sh\nlib/mod.py\nlink.py\nzeta.py\n");
  CHECK_STR(run("unzip -p %s lib/mod.py", zpath), "X = 1\n");
  CHECK_STR(run("unzip -p %s link.py", zpath), "print('z')\n");
  CHECK_STR(run("unzip -Z %s alpha.sh | cut -c1-10", zpath), "-rwxr-xr-x\n");
  CHECK_STR(run("unzip -Z -T %s zeta.py | awk '{print $1, $7}'", zpath),
            "-rw-r--r-- 19800101.000000\n");
  CHECK(!strncmp(run("unzip -tq %s", zpath), "No errors detected in compressed data", 37));
  free(z1);
  free(z2);

  sub("none");
  snprintf(dir, sizeof dir, "%s/none", tmp);
  CHECK(assets_zip_dir(dir, &z1, &n1, &d) == SFL_OK);
  CHECK(n1 == 22 && !memcmp(z1, "PK\5\6", 4));
  free(z1);

  snprintf(dir, sizeof dir, "%s/nowhere", tmp);
  CHECK(assets_zip_dir(dir, &z1, &n1, &d) == SFL_ERR_IO);
  CHECK(strstr(d.msg, "cannot read the folder '") && strstr(d.msg, "nowhere': No such file"));

  snprintf(link, sizeof link, "%s/app/lib/loop", tmp);
  snprintf(dir, sizeof dir, "%s/app", tmp);
  CHECK(symlink(dir, link) == 0);
  CHECK(assets_zip_dir(dir, &z1, &n1, &d) == SFL_ERR_INVALID);
  CHECK(strstr(d.msg, "folders nest deeper than 64 (a symbolic link loop?)"));
}

int main(void)
{
  if(!mkdtemp(tmp))
    return 1;
  test_manifest();
  test_subst();
  test_zip();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
  if(system(cmd))
    return 1;
  return check_done("test_assets");
}

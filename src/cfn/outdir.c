/*
** outdir.c: staging an output folder and swapping it in (see outdir.h).
*/
#define _GNU_SOURCE
#include "cfn/outdir.h"
#include "core/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct sfl_loc nowhere = {0};

static enum sfl_status io_error(struct diag *d, const char *what, const char *path)
{
  return diag_set(d, SFL_ERR_IO, nowhere, "cannot %s '%s': %s", what, path, strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0;
}

/* rm -rf */
static void remove_tree(const char *path)
{
  nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* {============ the hard-link copy of the old folder */

static struct {
  const char *from, *to;   /* the old folder and the staging folder */
  struct diag *d;
  enum sfl_status status;
} copy;

static int copy_file(const char *from, const char *to)
{
  if(!link(from, to))
    return 0;
  /* no hard links here (another file system type): copy the bytes */
  int in = open(from, O_RDONLY), out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL, 0666);
  char buf[65536];
  ssize_t n = 0;
  while(out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
    if(write(out, buf, (size_t)n) != n)
      n = -1;
  int failed = in < 0 || out < 0 || n < 0;
  if(in >= 0)
    close(in);
  if(out >= 0 && close(out))
    failed = 1;
  return failed ? -1 : 0;
}

static int copy_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)ftw;
  struct strbuf to = {0};
  strbuf_printf(&to, "%s%s", copy.to, path + strlen(copy.from));
  int rc = 0;
  if(to.failed)
    copy.status = diag_nomem(copy.d);
  else if(!path[strlen(copy.from)])
    rc = 0;                                           /* the folder itself: made already */
  else if(flag == FTW_D)
    rc = mkdir(to.buf, st->st_mode & 07777);
  else if(flag == FTW_SL) {
    char target[4096];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if(n >= 0)
      target[n] = '\0';
    rc = n < 0 ? -1 : symlink(target, to.buf);
  }
  else if(flag == FTW_F)
    rc = copy_file(path, to.buf);
  if(rc && !copy.status)
    copy.status = io_error(copy.d, "copy", path);
  strbuf_free(&to);
  return copy.status ? 1 : 0;
}

/* }============ */

enum sfl_status cfn_outdir_begin(const char *outdir, char **staging, struct diag *d)
{
  struct strbuf b = {0};
  const char *slash = strrchr(outdir, '/');
  /* a hidden sibling: the same file system, so the swap is a rename */
  if(slash)
    strbuf_printf(&b, "%.*s/.%s.sfl-staging-%ld", (int)(slash - outdir), outdir, slash + 1,
                  (long)getpid());
  else
    strbuf_printf(&b, ".%s.sfl-staging-%ld", outdir, (long)getpid());
  *staging = NULL;
  if(b.failed) {
    strbuf_free(&b);
    return diag_nomem(d);
  }
  remove_tree(b.buf);   /* left by a process that was killed */
  struct stat st;
  int old = !stat(outdir, &st);
  if(old && !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    strbuf_free(&b);
    return io_error(d, "create directory", outdir);
  }
  if(mkdir(b.buf, old ? st.st_mode & 07777 : 0777)) {
    enum sfl_status status = io_error(d, "create directory", b.buf);
    strbuf_free(&b);
    return status;
  }
  if(old) {
    copy.from = outdir;
    copy.to = b.buf;
    copy.d = d;
    copy.status = SFL_OK;
    if(nftw(outdir, copy_entry, 16, FTW_PHYS) && !copy.status)
      copy.status = io_error(d, "read", outdir);
    if(copy.status) {
      remove_tree(b.buf);
      strbuf_free(&b);
      return copy.status;
    }
  }
  *staging = b.buf;
  return SFL_OK;
}

enum sfl_status cfn_outdir_commit(const char *outdir, char *staging, struct diag *d)
{
  enum sfl_status status = SFL_OK;
  struct stat st;
  if(stat(outdir, &st))
    status = rename(staging, outdir) ? io_error(d, "create", outdir) : SFL_OK;
  else if(!renameat2(AT_FDCWD, staging, AT_FDCWD, outdir, RENAME_EXCHANGE))
    remove_tree(staging);   /* now the old folder */
  else {
    /* no atomic exchange here: move the old folder aside, then the new one in */
    struct strbuf old = {0};
    strbuf_printf(&old, "%s.old", staging);
    if(old.failed)
      status = diag_nomem(d);
    else if(rename(outdir, old.buf))
      status = io_error(d, "replace", outdir);
    else if(rename(staging, outdir)) {
      status = io_error(d, "replace", outdir);
      rename(old.buf, outdir);
    }
    if(old.buf)
      remove_tree(old.buf);
    strbuf_free(&old);
  }
  if(status)
    remove_tree(staging);
  free(staging);
  return status;
}

void cfn_outdir_abort(char *staging)
{
  if(staging)
    remove_tree(staging);
  free(staging);
}

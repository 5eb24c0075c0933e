/*
** assets.h: publishing a stack's file assets, as `cdk deploy` does from the asset
** manifest `sfl synth` writes (<stack>.assets.json, cfn/assembly.c): a folder is zipped
** (packaging "zip"), a file is sent as it is, each to its destination bucket and key in
** the bootstrap bucket, ${AWS::AccountId} and ${AWS::Region} filled in. An object
** already there is not sent again (asset keys are content hashes).
**
** Zips are deterministic: entries are the folder's files (symlinks followed, no folder
** entries) sorted by path, each dated 1980-01-01 00:00 and keeping its permission bits,
** so zipping the same folder again gives the same bytes. libzip is opened with dlopen()
** on the first zip: linked, it would cost every `sfl synth` ~3.5M instructions (it pulls
** libcrypto, bzip2 and zlib in at start-up).
*/
#ifndef SFL_DEPLOY_ASSETS_H
#define SFL_DEPLOY_ASSETS_H

#include <stddef.h>

#include "core/diag.h"

struct aws_client;

/* One destination of one file asset (an asset with two destinations is two entries). */
struct asset_file {
  char *id;          /* the asset's name in the manifest (its content hash) */
  char *display;     /* displayName, else the id */
  char *source;      /* the path to publish: the manifest's folder joined with source.path */
  int zip;           /* packaging "zip": source is a folder, sent zipped */
  char *dest;        /* the destination's name ("current_account-current_region-0fae4ec2") */
  char *bucket;      /* bucketName and objectKey as written, ${AWS::...} not yet filled in */
  char *key;
};

struct asset_manifest {
  struct asset_file *files;
  size_t n;
};

/* Reads `dir`/`file` (an asset manifest). A file that cannot be read, is not JSON or
** lacks a field is SFL_ERR_IO / SFL_ERR_INVALID with a message naming the file. */
enum sfl_status assets_read(const char *dir, const char *file, struct asset_manifest *m,
                            struct diag *d);
void assets_free(struct asset_manifest *m);

/* `s` with ${AWS::AccountId}, ${AWS::Region} and ${AWS::Partition} filled in (malloc'd;
** NULL when out of memory). The partition follows from the region (cn-*, us-gov-*). */
char *assets_subst(const char *s, const char *account, const char *region);

/* A deterministic zip of every file under `dir` (malloc'd bytes; the caller frees). */
enum sfl_status assets_zip_dir(const char *dir, unsigned char **zip, size_t *len,
                               struct diag *d);

/* What assets_publish did with one asset. */
enum asset_outcome { ASSET_UPLOADED, ASSET_ALREADY_THERE };

/* Publishes one asset for `account` and `region`: HEAD the object, and unless it is
** there, zip or read the source and PUT it. */
enum sfl_status assets_publish(struct aws_client *c, const struct asset_file *f,
                               const char *account, const char *region,
                               enum asset_outcome *outcome, struct diag *d);

#endif

/*
** asset.h: file assets (a folder or an archive the stack deploys, such as a Lambda
** function's code), named and staged exactly as CDK's AssetStaging does.
**
** Ownership: a cfn_asset and its strings live in the app's arena. cfn_asset_stage()
** writes only under `outdir`.
*/
#ifndef SFL_CFN_ASSET_H
#define SFL_CFN_ASSET_H

#include "core/arena.h"
#include "core/diag.h"

/* The bootstrap bucket of CDK's default synthesizer, as templates name it (Fn::Sub). */
#define CFN_ASSETS_BUCKET "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"

struct cfn_asset {
  const char *source;        /* absolute path of the folder or file */
  const char *hash;          /* CDK's source fingerprint (SHA-256, hex) */
  const char *staged_name;   /* "asset.<hash>" (folder) or "asset.<hash>.zip" */
  const char *object_key;    /* the S3 key: "<hash>.zip" */
  int is_dir;                /* packaged as a zip of the folder, else the file as is */
  int is_archive;            /* a folder, or a file ending .zip/.jar/.tar/.tgz/.tar.gz */
};

/*
** Fingerprints `path` (already absolute) into a new asset; with `custom_hash` (the
** asset_hash option) the name is the SHA-256 of that string instead. A path that does not exist,
** or is neither a folder nor a regular file, is SFL_ERR_INVALID with a message at `loc`.
*/
struct cfn_asset *cfn_asset_new(struct arena *a, const char *path,
                                const char *custom_hash, struct sfl_loc loc,
                                struct diag *d);

/* Copies the asset to outdir/<staged_name> unless that exists already. */
enum sfl_status cfn_asset_stage(const struct cfn_asset *asset, const char *outdir,
                                struct diag *d);

#endif

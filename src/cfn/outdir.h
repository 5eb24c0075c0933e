/*
** outdir.h: replacing an output folder as a whole. The new contents are written into a
** staging folder next to it, which starts as a copy of the old one made of hard links (so
** files that come out the same keep their inode and modification time, and staged assets
** are not copied again); only when everything is written are the two folders swapped.
** A synth that fails half-way leaves the previous folder exactly as it was.
**
** Files in the staging folder must be replaced (written to a temporary name and renamed),
** never written in place: they may be hard links to the old folder's files.
*/
#ifndef SFL_CFN_OUTDIR_H
#define SFL_CFN_OUTDIR_H

#include "core/diag.h"

/* Makes the staging folder for `outdir`; *staging is its path (malloc'd), or NULL on error. */
enum sfl_status cfn_outdir_begin(const char *outdir, char **staging, struct diag *d);

/* Puts the staging folder in place of outdir and removes the old one; frees staging. */
enum sfl_status cfn_outdir_commit(const char *outdir, char *staging, struct diag *d);

/* Removes the staging folder (after a failure); frees staging. */
void cfn_outdir_abort(char *staging);

#endif

/*
** assembly.h: writing a CDK cloud assembly (the folder `cdk synth` writes to cdk.out),
** so that the CDK CLI and other tools can read what sfl synthesizes.
*/
#ifndef SFL_CFN_ASSEMBLY_H
#define SFL_CFN_ASSEMBLY_H

#include "cfn/construct.h"

#define CFN_ASSEMBLY_VERSION "55.0.0"
#define CFN_CDK_VERSION "2.276.0"

/* The templates of some stacks, rendered once and kept for writing and printing. */
struct cfn_synth {
  struct cfn_stack *stack;
  cJSON *template;   /* plain template, owned here */
  char *text;        /* the file's bytes, malloc'd */
};

/*
** Writes manifest.json, cdk.out, tree.json and for each stack its template,
** <stack>.assets.json and <stack>.metadata.json into `outdir` (created when missing).
** The whole folder is replaced at once (outdir.h): a failure leaves the previous one as
** it was, and a reader never sees half of it. `apps` are every app the script made (for
** tree.json).
*/
enum sfl_status cfn_write_assembly(const char *outdir, struct cfn_app *const *apps,
                                   size_t napps, const struct cfn_synth *stacks,
                                   size_t nstacks, struct diag *d);

#endif

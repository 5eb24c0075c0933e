/*
** bootstrap.h: the bootstrap stack sfl deploys (sfl bootstrap): the resources CDK's default
** stack synthesizer expects and sfl uses with the caller's own credentials, named as CDK
** names them so that one environment serves CDK and sfl:
**   - the file-assets bucket cdk-<qualifier>-assets-<account>-<region> (logical ID
**     StagingBucket: encrypted, public access blocked, versioned, kept when the stack goes),
**     with a bucket policy refusing requests that do not use TLS;
**   - the SSM parameter /cdk-bootstrap/<qualifier>/version (logical ID CdkBootstrapVersion)
**     that synthesized templates read through their BootstrapVersion parameter;
**   - the outputs BucketName, BucketDomainName and BootstrapVersion CDK's CLI reads.
** A later `cdk bootstrap` finds the same logical IDs and updates this stack in place (adding
** its roles and keeping the bucket).
**
** The version: templates synthesized by sfl (as by CDK's default synthesizer) carry the rule
** CheckBootstrapVersion, which refuses versions 1 to 5, and their manifests ask for
** requiresBootstrapStackVersion 6. sfl writes 6, the least that satisfies them, so that any
** CDK CLI's bootstrap template (a higher version) still counts as an upgrade: the CDK CLI
** never "downgrades" a stack whose BootstrapVersion output is higher than its template's.
*/
#ifndef SFL_DEPLOY_BOOTSTRAP_H
#define SFL_DEPLOY_BOOTSTRAP_H

#include <cjson/cJSON.h>

#define BOOTSTRAP_VERSION 6
#define BOOTSTRAP_STACK "CDKToolkit"
#define BOOTSTRAP_QUALIFIER "hnb659fds"
/* The stack's Description: how sfl recognises a bootstrap stack it made itself. */
#define BOOTSTRAP_DESCRIPTION \
  "sfl bootstrap: the file-assets bucket and the bootstrap version parameter that CDK's " \
  "default stack synthesizer expects (a later 'cdk bootstrap' adds CDK's roles to this stack)"

/* The qualifier is valid as CDK's bootstrap template allows it ([A-Za-z0-9_-]{1,10}). */
int bootstrap_qualifier_ok(const char *q);
/* The assets bucket's name for an environment (writes buf; as CDK names it). */
void bootstrap_bucket_name(char *buf, size_t size, const char *qualifier, const char *account,
                           const char *region);
/* The template for an environment; NULL when out of memory. The caller cJSON_Delete()s it. */
cJSON *bootstrap_template(const char *qualifier, const char *account, const char *region);

#endif

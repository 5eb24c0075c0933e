/*
** awsconfig.h: the profile, region, endpoint and credentials a command uses, found as the
** AWS CLI finds them (botocore's credential chain, session.py and credentials.py):
**
**   credentials: 1. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN], unless
**   a profile was named on the command line (--profile negates the environment's keys);
**   2. the profile: role_arn (with source_profile or credential_source: an assume-role
**   profile; see aws_settings.assume_role), then static keys in the shared credentials
**   file, then credential_process, then static keys in the config file; 3. a container
**   (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI) or 4. EC2 instance metadata:
**   these last three need an HTTP request and are said in aws_settings.fetch.
**   region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
**   endpoint: --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's
**   endpoint_url; else https://<service>.<region>.amazonaws.com.
**   profile: --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default".
**   files: AWS_CONFIG_FILE (~/.aws/config), AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials).
**
** Secrets: no message this file writes holds a key, a secret or a token; diag messages
** name the profile, the file and the setting only.
**
** Ownership: everything in a struct aws_settings is malloc'd and freed by
** aws_settings_free(), which wipes the secrets first.
*/
#ifndef SFL_DEPLOY_AWSCONFIG_H
#define SFL_DEPLOY_AWSCONFIG_H

#include <stddef.h>

#include "core/diag.h"

/* Where the resolver reads the world, so tests can give it their own. */
struct aws_world {
  const char *(*getenv)(void *ud, const char *name);
  /* The whole file, malloc'd and NUL-terminated, or NULL when it does not exist. */
  char *(*read_file)(void *ud, const char *path, size_t *len);
  /* Runs a credential_process command line; its stdout (malloc'd) and exit status. */
  int (*run)(void *ud, const char *command, char **out);
  void *ud;
};
/* The process's environment, files and shell. */
extern const struct aws_world aws_real_world;

struct aws_options {
  const char *profile;        /* --profile, or NULL */
  const char *region;         /* --region, or NULL */
  const char *endpoint_url;   /* --endpoint-url, or NULL */
};

struct aws_credentials {
  char *access_key_id, *secret_access_key, *session_token;   /* token may be NULL */
  char *expiration;           /* ISO 8601, from credential_process; NULL: none */
};

/* Where the first credentials come from when they are not in `credentials`. */
enum aws_fetch {
  AWS_FETCH_NONE,             /* credentials are in `credentials` */
  AWS_FETCH_CONTAINER,        /* GET fetch_url [Authorization: fetch_token] */
  AWS_FETCH_INSTANCE          /* IMDSv2 */
};

/* A role to assume with STS AssumeRole (role_session_name NULL: the caller names it). */
struct aws_role {
  char *arn, *session_name, *external_id;
};
#define AWS_MAX_ROLES 8

struct aws_settings {
  char *profile;
  char *region;               /* NULL when nothing says */
  char *profile_endpoint;     /* the profile's endpoint_url, or NULL */
  char *max_attempts;         /* the profile's max_attempts as written, or NULL */
  const char *source;         /* where the credentials come from, for messages */
  struct aws_credentials credentials;
  enum aws_fetch fetch;
  char *fetch_url, *fetch_token;                      /* AWS_FETCH_CONTAINER */
  /* Then these roles, in order, each assumed with the credentials the one before gave
  ** (a role_arn profile whose source_profile assumes a role too: a role chain). */
  struct aws_role roles[AWS_MAX_ROLES];
  size_t nroles;
};

/* Works out the settings; SFL_ERR_INVALID with a message (no secrets) on bad config. */
enum sfl_status aws_resolve(const struct aws_options *o, const struct aws_world *w,
                            struct aws_settings *out, struct diag *d);
/* The endpoint for a service ("cloudformation", "s3", "sts"...): a malloc'd URL. */
char *aws_endpoint(const struct aws_options *o, const struct aws_world *w,
                   const struct aws_settings *s, const char *service);
void aws_settings_free(struct aws_settings *s);

#endif

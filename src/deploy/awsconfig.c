/*
** awsconfig.c: profiles, regions, endpoints and the credential chain (see awsconfig.h).
*/
#include "deploy/awsconfig.h"
#include "deploy/ini.h"
#include "core/file.h"
#include "core/hash.h"

#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

/* {============ the real world */

static const char *real_getenv(void *ud, const char *name)
{
  (void)ud;
  return getenv(name);
}

static char *real_read_file(void *ud, const char *path, size_t *len)
{
  (void)ud;
  return file_read(path, len);
}

static int real_run(void *ud, const char *command, char **out)
{
  (void)ud;
  *out = NULL;
  FILE *p = popen(command, "r");
  if(!p)
    return -1;
  size_t len;
  *out = file_read_stream(p, &len);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const struct aws_world aws_real_world = {real_getenv, real_read_file, real_run, NULL};

/* }============ */

struct files {
  struct ini_doc *config, *credentials;
};

static char *dup_or_null(const char *s)
{
  return s ? strdup(s) : NULL;
}

static const char *env(const struct aws_world *w, const char *name)
{
  const char *v = w->getenv(w->ud, name);
  return v && *v ? v : NULL;
}

/* A file setting's path: the variable, else ~/.aws/<name>; "~/" means $HOME. */
static char *file_path(const struct aws_world *w, const char *var, const char *name)
{
  const char *given = env(w, var);
  const char *home = env(w, "HOME");
  char buf[4096];
  if(given && strncmp(given, "~/", 2))
    return strdup(given);
  if(!home)
    return NULL;
  snprintf(buf, sizeof buf, "%s/%s%s", home, given ? "" : ".aws/", given ? given + 2 : name);
  return strdup(buf);
}

static struct sfl_loc nowhere(void)
{
  struct sfl_loc loc = {NULL, 0};
  return loc;
}

static enum sfl_status load(const struct aws_world *w, const char *var, const char *name,
                            struct ini_doc **out, struct diag *d)
{
  char *path = file_path(w, var, name);
  size_t len = 0;
  char *text = path ? w->read_file(w->ud, path, &len) : NULL;
  *out = text ? ini_parse(text, len, path, d) : calloc(1, sizeof **out);
  free(text);
  if(!*out && d->status == SFL_ERR_INVALID) {
    /* The message must outlive the path: "FILE:LINE: what". */
    char msg[sizeof d->msg];
    snprintf(msg, sizeof msg, "%s", d->msg);
    diag_set(d, SFL_ERR_INVALID, nowhere(), "%s:%d: %s", path, d->loc.line, msg);
  }
  free(path);
  return *out ? SFL_OK : d->status ? d->status : diag_nomem(d);
}

/* The config file names a profile "[profile x]" ("[default]" for the default one). */
static const char *config_get(const struct files *f, const char *profile, const char *key)
{
  char section[512];
  snprintf(section, sizeof section, "profile %s", profile);
  const char *v = ini_get(f->config, section, key);
  return v || strcmp(profile, "default") ? v : ini_get(f->config, "default", key);
}

static int profile_exists(const struct files *f, const char *profile)
{
  char section[512];
  snprintf(section, sizeof section, "profile %s", profile);
  return ini_has_section(f->config, section) || ini_has_section(f->credentials, profile)
         || (!strcmp(profile, "default") && ini_has_section(f->config, "default"));
}

/*
** Static keys from one place: both, none (0), or an error naming the missing one
** (botocore's PartialCredentialsError).
*/
static int static_keys(const char *id, const char *secret, const char *token,
                       const char *where, struct aws_credentials *c, struct diag *d)
{
  if(!id && !secret)
    return 0;
  if(!id || !secret) {
    diag_set(d, SFL_ERR_INVALID, nowhere(), "Partial credentials found in %s, missing: %s",
             where, id ? "aws_secret_access_key" : "aws_access_key_id");
    return -1;
  }
  c->access_key_id = strdup(id);
  c->secret_access_key = strdup(secret);
  c->session_token = dup_or_null(token);
  return 1;
}

/* credential_process: runs the command and reads its JSON (Version 1). */
static enum sfl_status from_process(const struct aws_world *w, const char *profile,
                                    const char *command, struct aws_credentials *c,
                                    struct diag *d)
{
  char *out = NULL;
  int status = w->run(w->ud, command, &out);
  cJSON *doc = status == 0 && out ? cJSON_Parse(out) : NULL;
  if(out) {
    hash_wipe(out, strlen(out));
    free(out);
  }
  const char *problem = NULL;
  const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "Version");
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "AccessKeyId");
  const cJSON *secret = cJSON_GetObjectItemCaseSensitive(doc, "SecretAccessKey");
  const cJSON *token = cJSON_GetObjectItemCaseSensitive(doc, "SessionToken");
  const cJSON *expiration = cJSON_GetObjectItemCaseSensitive(doc, "Expiration");
  if(status)
    problem = "the command failed";
  else if(!doc)
    problem = "the command did not print JSON";
  else if(!cJSON_IsNumber(version) || version->valuedouble != 1)
    problem = "the output's Version is not 1";
  else if(!cJSON_IsString(id) || !cJSON_IsString(secret))
    problem = "the output lacks AccessKeyId or SecretAccessKey";
  if(!problem) {
    c->access_key_id = strdup(id->valuestring);
    c->secret_access_key = strdup(secret->valuestring);
    c->session_token = cJSON_IsString(token) ? strdup(token->valuestring) : NULL;
    c->expiration = cJSON_IsString(expiration) ? strdup(expiration->valuestring) : NULL;
  }
  if(doc) {
    char *text = cJSON_PrintUnformatted(doc);
    if(text) {
      hash_wipe(text, strlen(text));
      free(text);
    }
  }
  cJSON_Delete(doc);   /* cJSON frees its strings; what they held was copied above */
  if(problem)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s': credential_process: %s "
                    "(exit status %d)", profile, problem, status);
  return c->access_key_id && c->secret_access_key ? SFL_OK : diag_nomem(d);
}

/* Container credentials, from the variables ECS and EKS set. */
static int from_container(const struct aws_world *w, struct aws_settings *s)
{
  const char *rel = env(w, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *full = env(w, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if(!rel && !full)
    return 0;
  char buf[2048];
  snprintf(buf, sizeof buf, "http://169.254.170.2%s", rel ? rel : "");
  s->fetch = AWS_FETCH_CONTAINER;
  s->fetch_url = strdup(rel ? buf : full);
  const char *token = env(w, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  const char *token_file = env(w, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  size_t len = 0;
  char *text = token_file ? w->read_file(w->ud, token_file, &len) : NULL;
  s->fetch_token = text ? text : dup_or_null(token);
  if(text)   /* the file's token, without its line end */
    text[strcspn(text, "\r\n")] = '\0';
  s->source = "container-role";
  return 1;
}

static int truthy(const char *v)
{
  return v && !strcasecmp(v, "true");
}

/* The profiles visited on the way to static keys (role chains), for loop detection. */
struct chain {
  const char *visited[16];
  size_t n;
};

static enum sfl_status resolve_profile(const struct aws_world *w, const struct files *f,
                                       const char *profile, struct chain *seen,
                                       struct aws_settings *s, struct diag *d);

/* A role_arn profile: the source's credentials, then the role (botocore's assume-role). */
static enum sfl_status assume_role(const struct aws_world *w, const struct files *f,
                                   const char *profile, struct chain *seen,
                                   struct aws_settings *s, struct diag *d)
{
  const char *source = config_get(f, profile, "source_profile");
  const char *cred_source = config_get(f, profile, "credential_source");
  if(source && cred_source)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s' has both source_profile and "
                    "credential_source; keep one", profile);
  if(!source && !cred_source)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s' has a role_arn but neither "
                    "source_profile nor credential_source", profile);
  if(source) {
    if(!profile_exists(f, source))
      return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s': its source_profile '%s' "
                      "could not be found", profile, source);
    /* A profile may name itself as source: its own static keys then. */
    if(!strcmp(source, profile)) {
      int got = static_keys(ini_get(f->credentials, profile, "aws_access_key_id"),
                            ini_get(f->credentials, profile, "aws_secret_access_key"),
                            ini_get(f->credentials, profile, "aws_session_token"),
                            "shared-credentials-file", &s->credentials, d);
      if(got < 0)
        return d->status;
      if(!got)
        return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s' is its own "
                        "source_profile but has no keys in the credentials file", profile);
    }
    else {
      enum sfl_status st = resolve_profile(w, f, source, seen, s, d);
      if(st)
        return st;
    }
  }
  else if(!strcmp(cred_source, "Environment")) {
    int got = static_keys(env(w, "AWS_ACCESS_KEY_ID"), env(w, "AWS_SECRET_ACCESS_KEY"),
                          env(w, "AWS_SESSION_TOKEN"), "environment", &s->credentials, d);
    if(got <= 0)
      return got < 0 ? d->status : diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s': "
                                            "credential_source Environment, but "
                                            "AWS_ACCESS_KEY_ID is not set", profile);
  }
  else if(!strcmp(cred_source, "EcsContainer")) {
    if(!from_container(w, s))
      return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s': credential_source "
                      "EcsContainer, but no container credentials are offered "
                      "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)", profile);
  }
  else if(!strcmp(cred_source, "Ec2InstanceMetadata"))
    s->fetch = AWS_FETCH_INSTANCE;
  else
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s': credential_source '%s' is "
                    "not one of Environment, EcsContainer, Ec2InstanceMetadata", profile,
                    cred_source);
  /* The source's roles (if it assumes one too) come first; this profile's role last. */
  if(s->nroles == (size_t)AWS_MAX_ROLES)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s': more than %d roles to "
                    "assume in a chain", profile, AWS_MAX_ROLES);
  struct aws_role *r = &s->roles[s->nroles++];
  r->arn = strdup(config_get(f, profile, "role_arn"));
  r->session_name = dup_or_null(config_get(f, profile, "role_session_name"));
  r->external_id = dup_or_null(config_get(f, profile, "external_id"));
  s->source = "assume-role";
  return r->arn ? SFL_OK : diag_nomem(d);
}

static enum sfl_status resolve_profile(const struct aws_world *w, const struct files *f,
                                       const char *profile, struct chain *seen,
                                       struct aws_settings *s, struct diag *d)
{
  for(size_t i = 0; i < seen->n; i++)
    if(!strcmp(seen->visited[i], profile))
      return diag_set(d, SFL_ERR_INVALID, nowhere(), "Infinite loop in credential "
                      "configuration detected: profile '%s' is visited twice", profile);
  if(seen->n == sizeof seen->visited / sizeof *seen->visited)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "the chain of source profiles is longer "
                    "than %zu", seen->n);
  seen->visited[seen->n++] = profile;
  if(config_get(f, profile, "role_arn"))
    return assume_role(w, f, profile, seen, s, d);
  int got = static_keys(ini_get(f->credentials, profile, "aws_access_key_id"),
                        ini_get(f->credentials, profile, "aws_secret_access_key"),
                        ini_get(f->credentials, profile, "aws_session_token"),
                        "shared-credentials-file", &s->credentials, d);
  if(got)
    return got < 0 ? d->status : (s->source = "shared-credentials-file", SFL_OK);
  const char *process = config_get(f, profile, "credential_process");
  if(process) {
    s->source = "custom-process";
    return from_process(w, profile, process, &s->credentials, d);
  }
  got = static_keys(config_get(f, profile, "aws_access_key_id"),
                    config_get(f, profile, "aws_secret_access_key"),
                    config_get(f, profile, "aws_session_token"), "config-file",
                    &s->credentials, d);
  if(got)
    return got < 0 ? d->status : (s->source = "config-file", SFL_OK);
  if(seen->n > 1)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s' (a source_profile) has no "
                    "credentials", profile);
  if(from_container(w, s))
    return SFL_OK;
  if(truthy(env(w, "AWS_EC2_METADATA_DISABLED")))
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "Unable to locate credentials: set "
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give profile '%s' keys "
                    "in the credentials file", profile);
  s->fetch = AWS_FETCH_INSTANCE;
  s->source = "iam-role";
  return SFL_OK;
}

enum sfl_status aws_resolve(const struct aws_options *o, const struct aws_world *w,
                            struct aws_settings *out, struct diag *d)
{
  memset(out, 0, sizeof *out);
  const char *profile = o->profile ? o->profile : env(w, "AWS_PROFILE");
  int named = profile != NULL;
  if(!profile)
    profile = env(w, "AWS_DEFAULT_PROFILE");
  if(!profile)
    profile = "default";
  struct files f = {0};
  enum sfl_status st = load(w, "AWS_CONFIG_FILE", "config", &f.config, d);
  if(!st)
    st = load(w, "AWS_SHARED_CREDENTIALS_FILE", "credentials", &f.credentials, d);
  if(!st && named && !profile_exists(&f, profile))
    st = diag_set(d, SFL_ERR_INVALID, nowhere(), "The config profile (%s) could not be found",
                  profile);
  if(!st) {
    out->profile = strdup(profile);
    const char *region = o->region ? o->region : env(w, "AWS_REGION");
    if(!region)
      region = env(w, "AWS_DEFAULT_REGION");
    if(!region)
      region = config_get(&f, profile, "region");
    out->region = dup_or_null(region);
    /* --profile on the command line negates the environment's keys (botocore). */
    int got = o->profile ? 0 : static_keys(env(w, "AWS_ACCESS_KEY_ID"),
                                           env(w, "AWS_SECRET_ACCESS_KEY"),
                                           env(w, "AWS_SESSION_TOKEN"), "environment",
                                           &out->credentials, d);
    if(got < 0)
      st = d->status;
    else if(got)
      out->source = "environment";
    else {
      struct chain seen = {{0}, 0};
      st = resolve_profile(w, &f, profile, &seen, out, d);
    }
    out->profile_endpoint = dup_or_null(config_get(&f, profile, "endpoint_url"));
    out->max_attempts = dup_or_null(config_get(&f, profile, "max_attempts"));
  }
  ini_free(f.config);
  ini_free(f.credentials);
  if(st)
    aws_settings_free(out);
  return st;
}

/* "cloudformation" -> AWS_ENDPOINT_URL_CLOUDFORMATION (service IDs: spaces become '_'). */
char *aws_endpoint(const struct aws_options *o, const struct aws_world *w,
                   const struct aws_settings *s, const char *service)
{
  if(o->endpoint_url)
    return strdup(o->endpoint_url);
  if(!truthy(env(w, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    char var[128];
    int n = snprintf(var, sizeof var, "AWS_ENDPOINT_URL_%s", service);
    for(int i = (int)strlen("AWS_ENDPOINT_URL_"); i < n && i < (int)sizeof var - 1; i++)
      var[i] = var[i] == ' ' || var[i] == '-' ? '_' : (char)toupper((unsigned char)var[i]);
    const char *url = env(w, var);
    if(!url)
      url = env(w, "AWS_ENDPOINT_URL");
    if(!url)
      url = s->profile_endpoint;
    if(url)
      return strdup(url);
  }
  if(!s->region)
    return NULL;
  char buf[512];
  snprintf(buf, sizeof buf, "https://%s.%s.amazonaws.com", service, s->region);
  return strdup(buf);
}

static void free_secret(char *p)
{
  if(p) {
    hash_wipe(p, strlen(p));
    free(p);
  }
}

void aws_settings_free(struct aws_settings *s)
{
  free(s->profile);
  free(s->region);
  free(s->profile_endpoint);
  free(s->max_attempts);
  free_secret(s->credentials.access_key_id);
  free_secret(s->credentials.secret_access_key);
  free_secret(s->credentials.session_token);
  free(s->credentials.expiration);
  free(s->fetch_url);
  free_secret(s->fetch_token);
  for(size_t i = 0; i < s->nroles; i++) {
    free(s->roles[i].arn);
    free(s->roles[i].session_name);
    free(s->roles[i].external_id);
  }
  memset(s, 0, sizeof *s);
}

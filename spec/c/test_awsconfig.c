/*
** test_awsconfig.c: profiles, regions, endpoints and the credential chain, in a made-up
** world (environment, ~/.aws files, credential_process) so no real ~/.aws is read.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deploy/awsconfig.h"
#include "deploy/ini.h"

struct world {
  const char *env[24];          /* "NAME=value" */
  const char *config, *credentials;
  const char *process_out;      /* what credential_process prints */
  int process_status;
  char last_command[256];
};

static const char *fake_getenv(void *ud, const char *name)
{
  struct world *w = ud;
  size_t n = strlen(name);
  for(size_t i = 0; w->env[i]; i++)
    if(!strncmp(w->env[i], name, n) && w->env[i][n] == '=')
      return w->env[i] + n + 1;
  return NULL;
}

static char *fake_read_file(void *ud, const char *path, size_t *len)
{
  struct world *w = ud;
  const char *text = !strcmp(path, "/home/u/.aws/config") || !strcmp(path, "/etc/aws-config")
                       ? w->config
                     : !strcmp(path, "/home/u/.aws/credentials") ? w->credentials
                     : !strcmp(path, "/run/token") ? "tok-from-file\n" : NULL;
  if(!text)
    return NULL;
  *len = strlen(text);
  return strdup(text);
}

static int fake_run(void *ud, const char *command, char **out)
{
  struct world *w = ud;
  snprintf(w->last_command, sizeof w->last_command, "%s", command);
  *out = w->process_out ? strdup(w->process_out) : NULL;
  return w->process_status;
}

static enum sfl_status resolve(struct world *w, const struct aws_options *o,
                               struct aws_settings *s, struct diag *d)
{
  struct aws_world world = {fake_getenv, fake_read_file, fake_run, w};
  memset(d, 0, sizeof *d);
  return aws_resolve(o, &world, s, d);
}

static const char *const config =
  "# the user's config\n"
  "[default]\n"
  "region = eu-west-1\n"
  "\n"
  "[profile dev]\n"
  "region = us-east-2\n"
  "endpoint_url = http://localhost:4566\n"
  "s3 =\n"
  "    max_concurrent_requests = 20\n"
  "[profile proc]\n"
  "credential_process = /usr/bin/get-creds --account dev\n"
  "[profile admin]\n"
  "role_arn = arn:aws:iam::123456789012:role/Admin\n"
  "source_profile = dev\n"
  "role_session_name = me\n"
  "[profile chained]\n"
  "role_arn = arn:aws:iam::123456789012:role/Deployer\n"
  "source_profile = admin\n"
  "[profile loop-a]\n"
  "role_arn = arn:aws:iam::1:role/A\n"
  "source_profile = loop-b\n"
  "[profile loop-b]\n"
  "role_arn = arn:aws:iam::1:role/B\n"
  "source_profile = loop-a\n"
  "[profile env-source]\n"
  "role_arn = arn:aws:iam::1:role/E\n"
  "credential_source = Environment\n"
  "[profile in-config]\n"
  "aws_access_key_id = AKIDCONFIG\n"
  "aws_secret_access_key = secret-config\n"
  "[profile half]\n"
  "aws_access_key_id = AKIDHALF\n";

static const char *const credentials =
  "[default]\n"
  "aws_access_key_id = AKIDDEFAULT\n"
  "aws_secret_access_key = secret-default\n"
  "[dev]\n"
  "AWS_Access_Key_Id = AKIDDEV\n"
  "aws_secret_access_key: secret-dev\n"
  "aws_session_token = token-dev\n";

static struct world base(void)
{
  struct world w = {{"HOME=/home/u", NULL}, config, credentials, NULL, 0, ""};
  return w;
}

static void test_ini(void)
{
  struct diag d = {0};
  const char *text = "[a]\nk = v\n  more\n; note\n[b]\nK: w\n";
  struct ini_doc *ini = ini_parse(text, strlen(text), "f", &d);
  CHECK(ini != NULL);
  CHECK_STR(ini_get(ini, "a", "k"), "v\nmore");
  CHECK_STR(ini_get(ini, "b", "k"), "w");
  CHECK(ini_get(ini, "b", "x") == NULL);
  CHECK(ini_has_section(ini, "b") && !ini_has_section(ini, "c"));
  ini_free(ini);

  const char *orphan = "k = v\n";
  CHECK(ini_parse(orphan, strlen(orphan), "cfg", &d) == NULL);
  CHECK_STR(d.msg, "expected a '[section]' header before any setting");
  CHECK(d.loc.line == 1 && !strcmp(d.loc.file, "cfg"));
  memset(&d, 0, sizeof d);
  const char *junk = "[a]\nk = v\njust words\n";
  CHECK(ini_parse(junk, strlen(junk), "cfg", &d) == NULL);
  CHECK_STR(d.msg, "expected 'key = value' or '[section]'");
  CHECK(d.loc.line == 3);
}

static void test_environment_first(void)
{
  struct world w = base();
  w.env[1] = "AWS_ACCESS_KEY_ID=AKIDENV";
  w.env[2] = "AWS_SECRET_ACCESS_KEY=secret-env";
  w.env[3] = "AWS_REGION=ap-south-1";
  w.env[4] = "AWS_DEFAULT_REGION=sa-east-1";
  struct aws_options o = {0};
  struct aws_settings s;
  struct diag d;
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK_STR(s.source, "environment");
  CHECK_STR(s.credentials.access_key_id, "AKIDENV");
  CHECK(s.credentials.session_token == NULL);
  CHECK_STR(s.region, "ap-south-1");
  aws_settings_free(&s);

  /* --profile negates the environment's keys; AWS_REGION still beats the profile. */
  o.profile = "dev";
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK_STR(s.source, "shared-credentials-file");
  CHECK_STR(s.credentials.access_key_id, "AKIDDEV");
  CHECK_STR(s.credentials.session_token, "token-dev");
  CHECK_STR(s.region, "ap-south-1");
  aws_settings_free(&s);

  /* Half the keys in the environment is an error that names the missing one. */
  w.env[2] = NULL;
  o.profile = NULL;
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "Partial credentials found in environment, missing: aws_secret_access_key");
}

static void test_profiles(void)
{
  struct world w = base();
  struct aws_options o = {0};
  struct aws_settings s;
  struct diag d;
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK_STR(s.profile, "default");
  CHECK_STR(s.credentials.access_key_id, "AKIDDEFAULT");
  CHECK_STR(s.region, "eu-west-1");
  aws_settings_free(&s);

  w.env[1] = "AWS_PROFILE=in-config";
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK_STR(s.source, "config-file");
  CHECK_STR(s.credentials.secret_access_key, "secret-config");
  CHECK(s.region == NULL);
  aws_settings_free(&s);

  w.env[1] = "AWS_PROFILE=nope";
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "The config profile (nope) could not be found");

  o.profile = "half";
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "Partial credentials found in config-file, missing: aws_secret_access_key");

  /* Files named by the variables; a file that does not parse says where. */
  struct world moved = base();
  moved.env[1] = "AWS_CONFIG_FILE=/etc/aws-config";
  moved.env[2] = "AWS_SHARED_CREDENTIALS_FILE=~/nowhere";
  moved.config = "[default]\nregion = us-west-1\n";
  o.profile = NULL;
  CHECK(resolve(&moved, &o, &s, &d) == SFL_OK);
  CHECK_STR(s.region, "us-west-1");
  CHECK_STR(s.source, "iam-role");
  CHECK(s.fetch == AWS_FETCH_INSTANCE);
  aws_settings_free(&s);
  moved.config = "[default]\nregion us-west-1\n";
  CHECK(resolve(&moved, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "/etc/aws-config:2: expected 'key = value' or '[section]'");
}

static void test_process(void)
{
  struct world w = base();
  struct aws_options o = {.profile = "proc"};
  struct aws_settings s;
  struct diag d;
  w.process_out = "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": "
                  "\"secret-proc\", \"SessionToken\": \"tok\", \"Expiration\": "
                  "\"2026-12-06T10:00:00Z\"}";
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK_STR(w.last_command, "/usr/bin/get-creds --account dev");
  CHECK_STR(s.source, "custom-process");
  CHECK_STR(s.credentials.access_key_id, "AKIDPROC");
  CHECK_STR(s.credentials.expiration, "2026-12-06T10:00:00Z");
  aws_settings_free(&s);

  w.process_out = "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}";
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "profile 'proc': credential_process: the output's Version is not 1 "
                   "(exit status 0)");
  w.process_out = "not json secret-proc";
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "profile 'proc': credential_process: the command did not print JSON "
                   "(exit status 0)");
  CHECK(!strstr(d.msg, "secret"));
  w.process_status = 3;
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "profile 'proc': credential_process: the command failed (exit status 3)");
}

static void test_roles(void)
{
  struct world w = base();
  struct aws_options o = {.profile = "admin"};
  struct aws_settings s;
  struct diag d;
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK_STR(s.source, "assume-role");
  CHECK_STR(s.credentials.access_key_id, "AKIDDEV");
  CHECK(s.nroles == 1);
  CHECK_STR(s.roles[0].arn, "arn:aws:iam::123456789012:role/Admin");
  CHECK_STR(s.roles[0].session_name, "me");
  aws_settings_free(&s);

  o.profile = "chained";
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK(s.nroles == 2);
  CHECK_STR(s.roles[0].arn, "arn:aws:iam::123456789012:role/Admin");
  CHECK_STR(s.roles[1].arn, "arn:aws:iam::123456789012:role/Deployer");
  aws_settings_free(&s);

  o.profile = "loop-a";
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "Infinite loop in credential configuration detected: profile 'loop-a' is "
                   "visited twice");

  o.profile = "env-source";
  CHECK(resolve(&w, &o, &s, &d) == SFL_ERR_INVALID);
  CHECK_STR(d.msg, "profile 'env-source': credential_source Environment, but "
                   "AWS_ACCESS_KEY_ID is not set");
  w.env[1] = "AWS_ACCESS_KEY_ID=AKIDENV";
  w.env[2] = "AWS_SECRET_ACCESS_KEY=secret-env";
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK_STR(s.credentials.access_key_id, "AKIDENV");
  CHECK_STR(s.roles[0].arn, "arn:aws:iam::1:role/E");
  aws_settings_free(&s);
}

static void test_container_and_endpoints(void)
{
  struct world w = {{"HOME=/home/u", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/creds/x",
                     "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/run/token", NULL},
                    "", "", NULL, 0, ""};
  struct aws_options o = {0};
  struct aws_settings s;
  struct diag d;
  CHECK(resolve(&w, &o, &s, &d) == SFL_OK);
  CHECK(s.fetch == AWS_FETCH_CONTAINER);
  CHECK_STR(s.fetch_url, "http://169.254.170.2/v2/creds/x");
  CHECK_STR(s.fetch_token, "tok-from-file");
  struct aws_world world = {fake_getenv, fake_read_file, fake_run, &w};
  char *url = aws_endpoint(&o, &world, &s, "cloudformation");
  CHECK(url == NULL);   /* no region, no endpoint */
  aws_settings_free(&s);

  struct world dev = base();
  o.profile = "dev";
  CHECK(resolve(&dev, &o, &s, &d) == SFL_OK);
  world.ud = &dev;
  url = aws_endpoint(&o, &world, &s, "cloudformation");
  CHECK_STR(url, "http://localhost:4566");
  free(url);
  dev.env[1] = "AWS_ENDPOINT_URL_CLOUDFORMATION=http://cfn.local";
  url = aws_endpoint(&o, &world, &s, "cloudformation");
  CHECK_STR(url, "http://cfn.local");
  free(url);
  dev.env[2] = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true";
  url = aws_endpoint(&o, &world, &s, "cloudformation");
  CHECK_STR(url, "https://cloudformation.us-east-2.amazonaws.com");
  free(url);
  o.endpoint_url = "http://given";
  url = aws_endpoint(&o, &world, &s, "s3");
  CHECK_STR(url, "http://given");
  free(url);
  aws_settings_free(&s);
}

int main(void)
{
  test_ini();
  test_environment_first();
  test_profiles();
  test_process();
  test_roles();
  test_container_and_endpoints();
  return check_done("awsconfig");
}

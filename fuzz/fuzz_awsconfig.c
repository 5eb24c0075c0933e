/*
** fuzz_awsconfig.c: the shared config and credentials files (src/deploy/ini.c) and the
** resolution of profiles and credentials over them (src/deploy/awsconfig.c). The input is
** the config file, optionally NUL + the credentials file; it is resolved for the default
** profile and for each profile the config names, with credential_process answering the
** input's own text.
*/
#include "fuzz.h"
#include "deploy/awsconfig.h"
#include "deploy/ini.h"

struct fake {
  const char *config, *credentials;
};

static const char *fake_getenv(void *ud, const char *name)
{
  (void)ud;
  return !strcmp(name, "HOME") ? "/h" : NULL;
}

static char *fake_read_file(void *ud, const char *path, size_t *len)
{
  struct fake *f = ud;
  const char *text = !strcmp(path, "/h/.aws/config") ? f->config
                     : !strcmp(path, "/h/.aws/credentials") ? f->credentials : NULL;
  if(!text)
    return NULL;
  *len = strlen(text);
  return strdup(text);
}

static int fake_run(void *ud, const char *command, char **out)
{
  (void)ud;
  *out = strdup(command);
  return 0;
}

static void resolve(struct fake *f, const char *profile)
{
  struct aws_world w = {fake_getenv, fake_read_file, fake_run, f};
  struct aws_options o = {profile, NULL, NULL};
  struct aws_settings s;
  struct diag d = {0};
  if(aws_resolve(&o, &w, &s, &d) == SFL_OK) {
    free(aws_endpoint(&o, &w, &s, "cloudformation"));
    aws_settings_free(&s);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *credentials;
  char *config = fuzz_split(data, size, &credentials);
  if(!config)
    return 0;
  struct fake f = {config, credentials ? credentials : ""};
  resolve(&f, NULL);
  struct diag d = {0};
  struct ini_doc *ini = ini_parse(config, strlen(config), "config", &d);
  for(size_t i = 0; ini && i < ini->n && i < 64; i++)
    if(!ini->entries[i].key && !strncmp(ini->entries[i].section, "profile ", 8))
      resolve(&f, ini->entries[i].section + 8);
  ini_free(ini);
  free(config);
  return 0;
}

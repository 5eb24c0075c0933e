/*
** test_client.c: deploy/client.c against the fake AWS endpoint (spec/fakeaws), over real
** HTTP: each protocol, each credential source end to end, each fault kind retried, retries
** running out, errors that stop at once, timeouts, and the messages when credentials are
** missing or refused. The fake runs as a child whose stdin is our pipe: if this test dies,
** the fake sees EOF and ends.
*/
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "deploy/client.h"
#include "deploy/http.h"

#define KEY "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

/* {============ the fake */

static pid_t fake_pid;
static int fake_stdin = -1;
static char fake_url[64], dir[64], path_buf[256];
static struct http *ctl_http;

static const char *in_dir(const char *name)
{
  snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
  return path_buf;
}

static int fake_start(void)
{
  int p[2];
  char port_file[128];
  snprintf(port_file, sizeof port_file, "%s/port", dir);
  if(pipe(p))
    return 0;
  fake_pid = fork();
  if(fake_pid == 0) {
    dup2(p[0], 0);
    close(p[0]);
    close(p[1]);
    execlp("python3", "python3", "spec/fakeaws/fakeaws.py", "--port-file", port_file,
           (char *)NULL);
    _exit(127);
  }
  close(p[0]);
  fake_stdin = p[1];
  for(int i = 0; i < 200; i++) {   /* up to 10 s */
    FILE *f = fopen(port_file, "r");
    int port = 0;
    if(f && fscanf(f, "%d", &port) == 1 && port > 0) {
      fclose(f);
      snprintf(fake_url, sizeof fake_url, "http://127.0.0.1:%d", port);
      return 1;
    }
    if(f)
      fclose(f);
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  return 0;
}

static void fake_stop(void)
{
  close(fake_stdin);
  for(int i = 0; i < 100; i++) {
    if(waitpid(fake_pid, NULL, WNOHANG) == fake_pid)
      return;
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  kill(fake_pid, SIGTERM);
  waitpid(fake_pid, NULL, 0);
}

static void pause_ms(long ms)
{
  struct timespec ts = {ms / 1000, ms % 1000 * 1000 * 1000};
  nanosleep(&ts, NULL);
}

/* A control request; the answer's body (malloc'd). */
static char *ctl(const char *method, const char *path, const char *body)
{
  char url[256];
  snprintf(url, sizeof url, "%s%s", fake_url, path);
  struct sigv4_header type = {"Content-Type", "application/json"};
  struct http_request r = {method, url, &type, 1, body, body ? strlen(body) : 0, 10, NULL};
  struct http_response out;
  struct diag d = {0};
  if(http_send(ctl_http, &r, &out, &d)) {
    fprintf(stderr, "control %s %s: %s\n", method, path, d.msg);
    http_response_free(&out);
    return strdup("");
  }
  return out.body;
}

static void ctl_do(const char *method, const char *path, const char *body)
{
  free(ctl(method, path, body));
}

static void fault(const char *json)
{
  ctl_do("POST", "/_fake/fault", json);
}

/* How many logged requests have this action (NULL: any) and, when status is not -1, this
** HTTP status. */
static int count_logged(const char *action, int status)
{
  char *text = ctl("GET", "/_fake/log", NULL);
  cJSON *log = cJSON_Parse(text);
  free(text);
  int n = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, log) {
    const char *a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "action"));
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
    /* status null: still being answered, no status yet */
    if((!action || (a && !strcmp(a, action)))
       && (status < 0 || (cJSON_IsNumber(st) && st->valueint == status)))
      n++;
  }
  cJSON_Delete(log);
  return n;
}

/* The fake logs a request as it arrives, but a retry may still be on its way, and a status
** is filled in as it is answered: the count once it has reached `want` (or stopped moving
** for 0.2 s). */
static int logged(const char *action, int status, int want)
{
  int n = count_logged(action, status), still = 0;
  for(int i = 0; i < 100 && n != want && still < 2; i++) {
    pause_ms(100);
    int again = count_logged(action, status);
    still = again == n ? still + 1 : 0;
    n = again;
  }
  return n;
}

/* Waits until the fake has logged everything it answered (before a reset). */
static void quiet(void)
{
  logged(NULL, -1, -1);
}

/* Whether msg starts with prefix; says what it was when not. */
static int starts(const char *msg, const char *prefix)
{
  if(!strncmp(msg, prefix, strlen(prefix)))
    return 1;
  fprintf(stderr, "  message: %s\n", msg);
  return 0;
}

/* }============ */

/* {============ the world the client sees */

static struct { const char *name, *value; } vars[32];
static size_t nvars;

static void setvar(const char *name, const char *value)
{
  for(size_t i = 0; i < nvars; i++)
    if(!strcmp(vars[i].name, name)) {
      vars[i].value = value;
      return;
    }
  vars[nvars].name = name;
  vars[nvars++].value = value;
}

static const char *t_getenv(void *ud, const char *name)
{
  (void)ud;
  for(size_t i = 0; i < nvars; i++)
    if(!strcmp(vars[i].name, name))
      return vars[i].value;
  return NULL;
}

static char *t_read_file(void *ud, const char *path, size_t *len)
{
  return aws_real_world.read_file(ud, path, len);
}

static int t_run(void *ud, const char *command, char **out)
{
  return aws_real_world.run(ud, command, out);
}

static const struct aws_world world = {t_getenv, t_read_file, t_run, NULL};

static char config_path[256], creds_path[256];

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

/* The fake's endpoint and region, empty config files, no credentials, no IMDS. */
static void fresh(const char *config, const char *credentials)
{
  nvars = 0;
  quiet();
  ctl_do("POST", "/_fake/reset", NULL);
  write_file(config_path, config);
  write_file(creds_path, credentials);
  setvar("AWS_ENDPOINT_URL", fake_url);
  setvar("AWS_REGION", "us-east-1");
  setvar("AWS_CONFIG_FILE", config_path);
  setvar("AWS_SHARED_CREDENTIALS_FILE", creds_path);
  setvar("HOME", dir);
  setvar("AWS_EC2_METADATA_DISABLED", "true");
}

static void with_keys(void)
{
  fresh("", "");
  setvar("AWS_ACCESS_KEY_ID", KEY);
  setvar("AWS_SECRET_ACCESS_KEY", SECRET);
}

static struct aws_client *open_client(struct diag *d)
{
  struct aws_options o = {0};
  struct aws_client *c = NULL;
  memset(d, 0, sizeof *d);
  if(aws_client_open(&o, &world, &c, d))
    return NULL;
  return c;
}

/* A client with the fake's own keys, from the environment. */
static struct aws_client *keyed_client(struct diag *d)
{
  with_keys();
  struct aws_client *c = open_client(d);
  CHECK(c != NULL);
  return c;
}

/* Opens a client and asks STS who it is: the account, or NULL with the message in d. */
static int account_is(const char *want, struct diag *d)
{
  struct aws_client *c = open_client(d);
  const char *account = NULL;
  int ok = c && !aws_client_account(c, &account, d) && !strcmp(account, want);
  aws_client_close(c);
  return ok;
}

/* }============ */

static void query_and_xml(void)
{
  struct diag d;
  struct aws_client *c = keyed_client(&d);
  if(!c)
    return;
  CHECK_STR(aws_client_region(c), "us-east-1");
  CHECK_STR(aws_client_source(c), "environment");
  struct xml_doc doc;
  CHECK(aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d) == SFL_OK);
  CHECK_STR(xml_find(&doc, "GetCallerIdentityResult/Arn"),
            "arn:aws:iam::123456789012:user/fake-user");
  xml_free(&doc);
  const char *account;
  CHECK(aws_client_account(c, &account, &d) == SFL_OK);
  CHECK_STR(account, "123456789012");
  CHECK(aws_client_account(c, &account, &d) == SFL_OK);   /* kept: no second call */
  CHECK(logged("GetCallerIdentity", 200, 2) == 2);

  /* Parameters that need encoding, and an AWS error verbatim, once (not retried) */
  struct aws_param p[] = {{"RoleArn", "arn:aws:iam::123456789012:role/a+b c"},
                          {"RoleSessionName", "s"}, {"DurationSeconds", "5"}};
  CHECK(aws_query(c, "sts", "2011-06-15", "AssumeRole", p, 3, &doc, &d) == SFL_ERR_IO);
  CHECK_STR(d.msg, "ValidationError: 1 validation error detected: Value '5' at "
                   "'durationSeconds' failed to satisfy constraint: Member must have value "
                   "greater than or equal to 900");
  CHECK_STR(aws_client_error_code(c), "ValidationError");
  CHECK(aws_client_http_status(c) == 400);
  CHECK(logged("AssumeRole", -1, 1) == 1);
  struct aws_param stack[] = {{"StackName", "no-such-stack"}};
  CHECK(aws_query(c, "cloudformation", "2010-05-15", "DescribeStacks", stack, 1, &doc, &d)
        == SFL_ERR_IO);
  CHECK_STR(d.msg, "ValidationError: Stack with id no-such-stack does not exist");
  CHECK(logged("DescribeStacks", 400, 1) == 1);

  /* the trace: one line an attempt, no secrets */
  FILE *t = tmpfile();
  aws_client_set_trace(c, t);
  CHECK(aws_query(c, "cloudformation", "2010-05-15", "DescribeStacks", stack, 1, &doc, &d)
        == SFL_ERR_IO);
  aws_client_set_trace(c, NULL);
  char line[512] = "", want[512];
  rewind(t);
  CHECK(fgets(line, sizeof line, t) != NULL);
  snprintf(want, sizeof want, "cloudformation DescribeStacks: POST %s/ -> 400 ValidationError "
           "(attempt 1, ", fake_url);
  CHECK(starts(line, want));
  CHECK(fgets(line, sizeof line, t) == NULL);
  fclose(t);
  CHECK(aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d) == SFL_OK);
  CHECK(aws_client_error_code(c) == NULL);   /* a success forgets the last error */
  xml_free(&doc);
  aws_client_close(c);
}

static void json_call(void)
{
  struct diag d;
  struct aws_client *c = keyed_client(&d);
  if(!c)
    return;
  cJSON *out;
  CHECK(aws_json(c, "ssm", "AmazonSSM.PutParameter",
                 "{\"Name\":\"/cdk-bootstrap/hnb659fds/version\",\"Value\":\"21\","
                 "\"Type\":\"String\"}", &out, &d) == SFL_OK);
  cJSON_Delete(out);
  CHECK(aws_json(c, "ssm", "AmazonSSM.GetParameter",
                 "{\"Name\":\"/cdk-bootstrap/hnb659fds/version\"}", &out, &d) == SFL_OK);
  const cJSON *param = cJSON_GetObjectItemCaseSensitive(out, "Parameter");
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(param, "Value")), "21");
  cJSON_Delete(out);
  CHECK(aws_json(c, "ssm", "AmazonSSM.GetParameter", "{\"Name\":\"/nope\"}", &out, &d)
        == SFL_ERR_IO);
  CHECK(out == NULL);
  CHECK_STR(d.msg, "ParameterNotFound");
  CHECK_STR(aws_client_error_code(c), "ParameterNotFound");
  aws_client_close(c);
}

static void s3(void)
{
  struct diag d;
  struct aws_client *c = keyed_client(&d);
  if(!c)
    return;
  ctl_do("POST", "/_fake/state", "{\"s3\": {\"cdk-assets\": {}}}");
  int exists = -1;
  const char *key = "a b/c+d.zip";
  CHECK(aws_s3_exists(c, "cdk-assets", key, &exists, &d) == SFL_OK && exists == 0);
  CHECK(aws_client_error_code(c) == NULL);
  CHECK(aws_s3_put(c, "cdk-assets", key, "hello", 5, "application/zip", &d) == SFL_OK);
  CHECK(aws_s3_exists(c, "cdk-assets", key, &exists, &d) == SFL_OK && exists == 1);
  char *state = ctl("GET", "/_fake/state", NULL);
  CHECK(strstr(state, "\"a b/c+d.zip\": 5") != NULL);
  free(state);
  /* A large body (curl would otherwise wait for 100-continue) */
  size_t big = 3 << 20;
  char *body = calloc(1, big);
  CHECK(aws_s3_put(c, "cdk-assets", "big.bin", body, big, NULL, &d) == SFL_OK);
  free(body);
  CHECK(aws_s3_put(c, "no-bucket", "k", "x", 1, NULL, &d) == SFL_ERR_IO);
  CHECK(starts(d.msg, "NoSuchBucket: "));
  char *url = aws_s3_url(c, "cdk-assets", "t.json");
  char want[128];
  snprintf(want, sizeof want, "%s/cdk-assets/t.json", fake_url);
  CHECK_STR(url, want);
  free(url);
  aws_client_close(c);
}

/* {============ credential sources */

static void from_profile(void)
{
  struct diag d;
  fresh("[default]\nregion = us-east-1\n",
        "[default]\naws_access_key_id = " KEY "\naws_secret_access_key = " SECRET "\n");
  setvar("AWS_REGION", NULL);
  CHECK(account_is("123456789012", &d) || !fprintf(stderr, "  %s\n", d.msg));
  /* a named profile with the region from the config file */
  fresh("[profile dev]\nregion = eu-west-1\n",
        "[dev]\naws_access_key_id = " KEY "\naws_secret_access_key = " SECRET "\n");
  setvar("AWS_REGION", NULL);
  setvar("AWS_PROFILE", "dev");
  struct aws_client *c = open_client(&d);
  CHECK(c && !strcmp(aws_client_region(c), "eu-west-1"));
  CHECK(c && !strcmp(aws_client_profile(c), "dev"));
  CHECK(c && !strcmp(aws_client_source(c), "shared-credentials-file"));
  aws_client_close(c);
}

static void role_chain(void)
{
  struct diag d;
  fresh("[profile base]\n"
        "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/first\nsource_profile = base\n"
        "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/second\nsource_profile = a\n"
        "role_session_name = deployer\n",
        "[base]\naws_access_key_id = " KEY "\naws_secret_access_key = " SECRET "\n");
  setvar("AWS_PROFILE", "b");
  struct aws_client *c = open_client(&d);
  CHECK(c != NULL);
  if(!c) {
    fprintf(stderr, "%s\n", d.msg);
    return;
  }
  CHECK_STR(aws_client_source(c), "assume-role");
  struct xml_doc doc;
  CHECK(aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d) == SFL_OK);
  CHECK_STR(xml_find(&doc, "Arn"), "arn:aws:sts::123456789012:assumed-role/second/deployer");
  xml_free(&doc);
  CHECK(logged("AssumeRole", 200, 2) == 2);
  aws_client_close(c);

  /* AssumeRole refused: the source's key is unknown */
  fresh("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = s\n",
        "[s]\naws_access_key_id = AKIDUNKNOWN\naws_secret_access_key = nope\n");
  setvar("AWS_PROFILE", "r");
  CHECK(open_client(&d) == NULL);
  CHECK(starts(d.msg, "STS AssumeRole for arn:aws:iam::123456789012:role/x failed (HTTP 403): "
                     "InvalidClientTokenId: "));
  CHECK(strstr(d.msg, "(credentials: the source_profile or credential_source of profile 'r')")
        != NULL);
}

static void credential_process(void)
{
  struct diag d;
  fresh("[default]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"" KEY
        "\", \"SecretAccessKey\": \"" SECRET "\"}'\n", "");
  CHECK(account_is("123456789012", &d) || !fprintf(stderr, "  %s\n", d.msg));
}

static void container(void)
{
  struct diag d;
  char url[128];
  fresh("", "");
  snprintf(url, sizeof url, "%s/_fake/container-credentials", fake_url);
  setvar("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
  setvar("AWS_CONTAINER_AUTHORIZATION_TOKEN", "fake-container-token");
  CHECK(account_is("123456789012", &d) || !fprintf(stderr, "  %s\n", d.msg));
  CHECK(logged("GET", 200, 1) == 1);

  /* a wrong token: the endpoint's refusal, naming the endpoint, never the token */
  fresh("", "");
  setvar("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
  setvar("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token-value");
  CHECK(open_client(&d) == NULL);
  CHECK(starts(d.msg, "the container credentials endpoint http://"));
  CHECK(strstr(d.msg, "wrong-token-value") == NULL);
}

static void instance_metadata(void)
{
  struct diag d;
  fresh("", "");
  setvar("AWS_EC2_METADATA_DISABLED", NULL);
  setvar("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake_url);
  struct aws_client *c = open_client(&d);
  CHECK(c && !strcmp(aws_client_source(c), "iam-role"));
  aws_client_close(c);
  CHECK(account_is("123456789012", &d) || !fprintf(stderr, "  %s\n", d.msg));
  CHECK(logged("PUT", 200, 2) == 2);   /* a session token each time */
}

/* }============ */

/* {============ faults and retries */

static void retried(const char *kind, const char *service, const char *action)
{
  struct diag d;
  char json[256];
  with_keys();
  setvar("SFL_HTTP_TIMEOUT", "1");
  struct aws_client *c = open_client(&d);
  CHECK(c != NULL);
  if(!c)
    return;
  snprintf(json, sizeof json, "{\"service\": \"%s\", \"action\": \"%s\", \"kind\": \"%s\", "
           "\"count\": 2, \"ms\": 2500}", service, action, kind);
  fault(json);
  if(!strcmp(service, "s3"))
    ctl_do("POST", "/_fake/state", "{\"s3\": {\"b\": {}}}");
  enum sfl_status st;
  time_t start = time(NULL);
  if(!strcmp(service, "s3"))
    st = aws_s3_put(c, "b", "k", "x", 1, NULL, &d);
  else if(!strcmp(service, "ssm")) {
    cJSON *out;
    st = aws_json(c, "ssm", "AmazonSSM.PutParameter",
                  "{\"Name\":\"p\",\"Value\":\"v\",\"Type\":\"String\"}", &out, &d);
    cJSON_Delete(out);
  }
  else {
    struct xml_doc doc;
    st = aws_query(c, "sts", "2011-06-15", action, NULL, 0, &doc, &d);
    if(!st)
      xml_free(&doc);
  }
  if(st)
    fprintf(stderr, "%s %s %s: %s\n", kind, service, action, d.msg);
  CHECK(st == SFL_OK);
  if(!strcmp(kind, "slow")) {
    /* Two attempts waited their second each. The fake answers them late (or not), so its
    ** log does not count attempts here: wait for those answers to be done with. */
    CHECK(time(NULL) - start >= 2);
    pause_ms(2500);
  }
  else
    CHECK(logged(action, -1, 3) == 3);
  aws_client_close(c);
}

static void faults(void)
{
  static const char *const kinds[] = {"throttle", "500", "drop", "slow"};
  for(size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    retried(kinds[i], "sts", "GetCallerIdentity");
  retried("throttle", "ssm", "PutParameter");
  retried("throttle", "s3", "PUT");
  retried("drop", "s3", "PUT");
}

static void exhausted(void)
{
  struct diag d;
  struct xml_doc doc;
  enum sfl_status st;
  with_keys();
  setvar("AWS_MAX_ATTEMPTS", "2");
  fault("{\"service\": \"sts\", \"kind\": \"throttle\", \"count\": 5}");
  struct aws_client *c = open_client(&d);
  CHECK(aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d)
        == SFL_ERR_IO);
  CHECK_STR(d.msg, "Throttling: Rate exceeded (after 2 attempts)");
  CHECK_STR(aws_client_error_code(c), "Throttling");
  CHECK(logged("GetCallerIdentity", -1, 2) == 2);
  aws_client_close(c);

  /* a slow answer with a short timeout, attempted once */
  with_keys();
  setvar("SFL_HTTP_TIMEOUT", "1");
  setvar("AWS_MAX_ATTEMPTS", "1");
  fault("{\"service\": \"sts\", \"kind\": \"slow\", \"ms\": 2500}");
  c = open_client(&d);
  st = aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d);
  CHECK(st == SFL_ERR_IO);
  if(!st)
    xml_free(&doc);
  char want[256];
  snprintf(want, sizeof want, "no answer in time from %s/ (", fake_url);
  CHECK(starts(d.msg, want));
  CHECK(strstr(d.msg, "; each attempt waited 1 s (SFL_HTTP_TIMEOUT sets how long)") != NULL);
  CHECK(aws_client_error_code(c) == NULL);
  aws_client_close(c);
  pause_ms(2500);   /* the fake's late answer */

  /* nothing listens: refused connections, retried, then said */
  with_keys();
  setvar("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
  c = open_client(&d);
  CHECK(aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d)
        == SFL_ERR_IO);
  CHECK(starts(d.msg, "could not connect to http://127.0.0.1:9/ ("));
  CHECK(strstr(d.msg, ") after 3 attempts") != NULL);
  aws_client_close(c);

  /* bad settings */
  with_keys();
  setvar("AWS_MAX_ATTEMPTS", "zero");
  CHECK(open_client(&d) == NULL);
  CHECK_STR(d.msg, "AWS_MAX_ATTEMPTS is 'zero': it must be a whole number from 1 to 100");
}

/* A Ctrl-C while a slow answer is awaited, or between attempts: the call ends at once. */
static volatile sig_atomic_t stop_flag;

static void on_alarm(int sig)
{
  (void)sig;
  stop_flag = 1;
}

static void stops(void)
{
  struct diag d;
  struct xml_doc doc;
  struct aws_client *c = keyed_client(&d);
  if(!c)
    return;
  aws_client_set_stop(c, &stop_flag);
  signal(SIGALRM, on_alarm);
  fault("{\"service\": \"sts\", \"kind\": \"slow\", \"ms\": 4000}");
  time_t start = time(NULL);
  alarm(1);
  CHECK(aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d)
        == SFL_ERR_IO);
  CHECK(time(NULL) - start <= 2);
  char want[128];
  snprintf(want, sizeof want, "stopped waiting for %s/ (interrupted)", fake_url);
  CHECK_STR(d.msg, want);
  /* the one attempt, logged as it arrived (unanswered), and not tried again: waiting for
  ** a second one to show up or for the log to settle */
  CHECK(logged("GetCallerIdentity", -1, 2) == 1);

  /* between attempts: 20 throttled answers would take many seconds of backoff */
  stop_flag = 0;
  setvar("AWS_MAX_ATTEMPTS", "20");
  aws_client_close(c);
  c = open_client(&d);
  aws_client_set_stop(c, &stop_flag);
  fault("{\"service\": \"sts\", \"kind\": \"throttle\", \"count\": 20}");
  start = time(NULL);
  alarm(1);
  CHECK(aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc, &d)
        == SFL_ERR_IO);
  CHECK(time(NULL) - start <= 2);
  snprintf(want, sizeof want, "stopped waiting for %s/", fake_url);
  CHECK(starts(d.msg, want));
  aws_client_close(c);
  signal(SIGALRM, SIG_DFL);
  stop_flag = 0;
  pause_ms(3000);   /* the fake's late answer */
}

/* }============ */

/* {============ missing and refused credentials */

static void refused(void)
{
  struct diag d;
  fresh("", "");
  setvar("AWS_ACCESS_KEY_ID", KEY);
  setvar("AWS_SECRET_ACCESS_KEY", "not-the-secret");
  CHECK(!account_is("123456789012", &d));
  CHECK(starts(d.msg, "SignatureDoesNotMatch: "));
  CHECK(strstr(d.msg, " (credentials: the environment variables AWS_ACCESS_KEY_ID and "
                      "AWS_SECRET_ACCESS_KEY)") != NULL);
  CHECK(strstr(d.msg, "not-the-secret") == NULL);
  CHECK(logged("GetCallerIdentity", 403, 1) == 1);

  fresh("", "[default]\naws_access_key_id = AKIDUNKNOWN\naws_secret_access_key = x\n");
  CHECK(!account_is("123456789012", &d));
  char want[512];
  snprintf(want, sizeof want, "InvalidClientTokenId: The security token included in the "
           "request is invalid. (credentials: profile 'default' in the shared credentials "
           "file (%s))", creds_path);
  CHECK_STR(d.msg, want);

  /* temporary keys that have expired */
  fresh("", "");
  char *minted = ctl("POST", "/_fake/credentials", "{\"seconds\": -60}");
  cJSON *j = cJSON_Parse(minted);
  setvar("AWS_ACCESS_KEY_ID", cJSON_GetStringValue(cJSON_GetObjectItem(j, "AccessKeyId")));
  setvar("AWS_SECRET_ACCESS_KEY",
         cJSON_GetStringValue(cJSON_GetObjectItem(j, "SecretAccessKey")));
  setvar("AWS_SESSION_TOKEN", cJSON_GetStringValue(cJSON_GetObjectItem(j, "Token")));
  CHECK(!account_is("123456789012", &d));
  CHECK_STR(d.msg, "ExpiredToken: The security token included in the request is expired "
                   "(credentials: the environment variables AWS_ACCESS_KEY_ID and "
                   "AWS_SECRET_ACCESS_KEY)");
  CHECK(strstr(d.msg, cJSON_GetStringValue(cJSON_GetObjectItem(j, "Token"))) == NULL);
  cJSON_Delete(j);
  free(minted);
}

static void missing(void)
{
  struct diag d;
  char want[1024];
  fresh("", "");
  CHECK(open_client(&d) == NULL);
  snprintf(want, sizeof want, "no credentials: tried environment variables "
           "(AWS_ACCESS_KEY_ID), profile 'default' in %s and %s, container credentials "
           "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set) and instance "
           "metadata (disabled by AWS_EC2_METADATA_DISABLED); set AWS_ACCESS_KEY_ID and "
           "AWS_SECRET_ACCESS_KEY, or give profile 'default' credentials (aws configure), "
           "or set AWS_PROFILE to a profile that has them", creds_path, config_path);
  CHECK_STR(d.msg, want);

  /* instance metadata tried, and nothing there */
  fresh("", "");
  setvar("AWS_EC2_METADATA_DISABLED", NULL);
  setvar("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
  CHECK(open_client(&d) == NULL);
  CHECK(strstr(d.msg, "and instance metadata (could not connect to "
                      "http://127.0.0.1:9/latest/api/token (") != NULL);

  /* instance metadata that does not answer in time */
  fresh("", "");
  setvar("AWS_EC2_METADATA_DISABLED", NULL);
  setvar("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake_url);
  fault("{\"service\": \"imds\", \"kind\": \"slow\", \"ms\": 2500}");
  CHECK(open_client(&d) == NULL);
  snprintf(want, sizeof want, "and instance metadata (no answer in time from "
           "%s/latest/api/token (nothing heard for 1 s); each attempt waited 1 s "
           "(AWS_METADATA_SERVICE_TIMEOUT sets how long)); set ", fake_url);
  CHECK(strstr(d.msg, want) != NULL || !fprintf(stderr, "  %s\n", d.msg));
  pause_ms(2000);   /* the fake's late answer */

  fresh("", "");
  setvar("AWS_REGION", NULL);
  setvar("AWS_ACCESS_KEY_ID", KEY);
  setvar("AWS_SECRET_ACCESS_KEY", SECRET);
  CHECK(open_client(&d) == NULL);
  snprintf(want, sizeof want, "no region: pass --region, set AWS_REGION (or "
           "AWS_DEFAULT_REGION), or set region in profile 'default' of %s", config_path);
  CHECK_STR(d.msg, want);
}

/* }============ */

int main(void)
{
  struct diag d = {0};
  snprintf(dir, sizeof dir, "/tmp/sfl-test-client-XXXXXX");
  if(!mkdtemp(dir) || http_load(&d) || !(ctl_http = http_open())) {
    fprintf(stderr, "set-up failed: %s\n", d.msg);
    return 1;
  }
  snprintf(config_path, sizeof config_path, "%s", in_dir("config"));
  snprintf(creds_path, sizeof creds_path, "%s", in_dir("credentials"));
  if(!fake_start()) {
    fprintf(stderr, "the fake AWS endpoint (spec/fakeaws/fakeaws.py) did not start\n");
    return 1;
  }
  query_and_xml();
  json_call();
  s3();
  from_profile();
  role_chain();
  credential_process();
  container();
  instance_metadata();
  faults();
  exhausted();
  stops();
  refused();
  missing();
  http_close(ctl_http);
  fake_stop();
  unlink(config_path);
  unlink(creds_path);
  unlink(in_dir("port"));
  rmdir(dir);
  return check_done("test_client");
}

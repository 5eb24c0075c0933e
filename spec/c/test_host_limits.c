/*
** test_host_limits.c: the embedding API's limits (memory, instructions, time), its
** sandbox, and two hosts working at once in two threads.
*/
#include "sfl.h"
#include "check.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int load(sfl_host *h, const char *src)
{
  return sfl_host_load_string(h, src, strlen(src), "app.lua");
}

static const char *const seed01 =
  "local cdk = require 'sfl'\n"
  "local sf = require 'sfl.aws_stepfunctions'\n"
  "local app = cdk.App()\n"
  "local stack = cdk.Stack(app, 'S')\n"
  "local chain = sf.Chain.start(sf.Pass(stack, 'A')):next(sf.Pass(stack, 'B'))\n"
  "sf.StateMachine(stack, 'M', { definition_body = sf.DefinitionBody.from_chainable(chain) })\n";

static void test_memory_limit(void)
{
  struct sfl_host_options o = {0};
  o.memory_limit = 8u << 20;
  sfl_host *h = sfl_host_new_with(&o);
  CHECK(h != NULL);
  /* A model fits. */
  CHECK(load(h, seed01) == 0);
  /* A string of 64 MiB does not. */
  CHECK(load(h, "local s = string.rep('x', 64 * 1024 * 1024)") == SFL_ELIMIT);
  CHECK_STR(sfl_host_last_error(h), "the app went over the host's memory limit of 8388608 bytes");
  /* Nor do a million states: the cap covers the model sfl builds too. */
  CHECK(load(h, "local cdk = require 'sfl'\nlocal sf = require 'sfl.aws_stepfunctions'\n"
                "local st = cdk.Stack(cdk.App(), 'T')\n"
                "for i = 1, 1000000 do sf.Pass(st, 'P' .. i) end") == SFL_ELIMIT);
  CHECK_STR(sfl_host_last_error(h), "the app went over the host's memory limit of 8388608 bytes");
  sfl_host_free(h);
}

static void test_instruction_limit(void)
{
  struct sfl_host_options o = {0};
  o.instruction_limit = 100000;
  sfl_host *h = sfl_host_new_with(&o);
  CHECK(load(h, seed01) == 0);
  CHECK(load(h, "local n = 0\nwhile true do\n  n = n + 1\nend") == SFL_ELIMIT);
  const char *e = sfl_host_last_error(h);
  CHECK(!strncmp(e, "app.lua:", 8));
  CHECK(strstr(e, ": the app ran past the host's limit of 100000 Lua instructions") != NULL);
  /* A loop inside a coroutine is counted too. */
  CHECK(load(h, "coroutine.wrap(function() while true do end end)()") == SFL_ELIMIT);
  /* The count starts again with each load. */
  CHECK(load(h, "local x = 0 for i = 1, 1000 do x = x + i end") == 0);
  sfl_host_free(h);
}

static void test_time_limit(void)
{
  struct sfl_host_options o = {0};
  o.time_limit = 0.2;
  sfl_host *h = sfl_host_new_with(&o);
  CHECK(load(h, "while true do end") == SFL_ELIMIT);
  CHECK(strstr(sfl_host_last_error(h), "the app ran past the host's time limit of 0.2 seconds")
        != NULL);
  sfl_host_free(h);
}

/* Each sandbox rule: the app's error at its line. */
static void expect_denied(sfl_host *h, const char *src, const char *msg)
{
  CHECK(load(h, src) == SFL_EAPP);
  char want[512];
  snprintf(want, sizeof want, "app.lua:1: %s", msg);
  CHECK_STR(sfl_host_last_error(h), want);
}

static void test_sandbox(void)
{
  char root[] = "/tmp/sfl-sandbox-XXXXXX";
  CHECK(mkdtemp(root) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/helper.lua", root);
  FILE *f = fopen(path, "w");
  fputs("return { answer = 42 }\n", f);
  fclose(f);

  struct sfl_host_options o = {0};
  o.sandbox = 1;
  o.sandbox_root = root;
  sfl_host *h = sfl_host_new_with(&o);
  CHECK(h != NULL);
  CHECK(load(h, seed01) == 0);
  expect_denied(h, "os.execute('true')", "os.execute is not available in this sandbox "
                "(the host runs apps with sfl_host_options.sandbox)");
  expect_denied(h, "io.popen('ls')", "io.popen is not available in this sandbox "
                "(the host runs apps with sfl_host_options.sandbox)");
  expect_denied(h, "os.getenv('HOME')", "os.getenv is not available in this sandbox "
                "(the host runs apps with sfl_host_options.sandbox)");
  expect_denied(h, "io.open('/etc/passwd')",
                "io.open: '/etc/passwd' is outside the folder this sandbox allows");
  expect_denied(h, "dofile('/etc/hostname')",
                "dofile: '/etc/hostname' is outside the folder this sandbox allows");
  expect_denied(h, "debug.sethook()", "attempt to index a nil value (global 'debug')");
  /* Bytecode is refused (Lua does not check it). */
  CHECK(load(h, "local f, e = load(string.dump(function() end))\n"
                "assert(not f and e:find('binary'), e)") == 0);
  /* Files and modules in the folder are fine; package.path cannot lead elsewhere. */
  char src[1024];
  snprintf(src, sizeof src,
           "local m = require 'helper'\nassert(m.answer == 42)\n"
           "local f = assert(io.open('%s/out.txt', 'w'))\nf:write('ok')\nf:close()\n"
           "package.path = '/etc/?'\nassert(not pcall(require, 'passwd'))", root);
  CHECK(load(h, src) == 0);
  CHECK_STR(sfl_host_last_error(h), "");
  sfl_host_free(h);

  /* A root that does not exist: no host. */
  o.sandbox_root = "/nonexistent/sfl-sandbox";
  CHECK(sfl_host_new_with(&o) == NULL);
  snprintf(path, sizeof path, "rm -rf %s", root);
  CHECK(system(path) == 0);
}

/* Two hosts in two threads, each building and rendering its own app many times. */
struct worker {
  const char *stack;
  int failures;
};

static void *work(void *arg)
{
  struct worker *w = arg;
  char src[1024];
  snprintf(src, sizeof src,
           "local cdk = require 'sfl'\nlocal sf = require 'sfl.aws_stepfunctions'\n"
           "local st = cdk.Stack(cdk.App(), '%s')\n"
           "local c = sf.Chain.start(sf.Pass(st, '%s-1'))\n"
           "for i = 2, 200 do c = c:next(sf.Pass(st, '%s-' .. i)) end\n"
           "sf.StateMachine(st, 'M', { definition_body = sf.DefinitionBody.from_chainable(c) })\n",
           w->stack, w->stack, w->stack);
  for(int round = 0; round < 20; round++) {
    sfl_host *h = sfl_host_new();
    const char *t = h && !load(h, src) ? sfl_host_template(h, w->stack) : NULL;
    char want[64];
    snprintf(want, sizeof want, "%s-200", w->stack);
    if(!t || !strstr(t, want) || strstr(t, w->stack[0] == 'A' ? "Bee" : "Ant"))
      w->failures++;
    sfl_host_free(h);
  }
  return NULL;
}

static void test_threads(void)
{
  struct worker a = {"Ant", 0}, b = {"Bee", 0};
  pthread_t ta, tb;
  CHECK(pthread_create(&ta, NULL, work, &a) == 0);
  CHECK(pthread_create(&tb, NULL, work, &b) == 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  CHECK(a.failures == 0);
  CHECK(b.failures == 0);
}

int main(void)
{
  test_memory_limit();
  test_instruction_limit();
  test_time_limit();
  test_sandbox();
  test_threads();
  return check_done("host_limits");
}

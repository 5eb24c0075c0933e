/*
** fuzz_props.c: random props tables through the props reader (src/lua/props.c) and every
** constructor behind it. props_driver.lua (loaded once per host) turns the input bytes
** into constructor calls; a machine made from what came out is rendered as a template and
** as ASL. The host has memory and instruction limits, and is replaced every 64 inputs so
** the app model does not grow without end.
*/
#include "fuzz.h"
#include "sfl.h"

#include <stdio.h>

#ifndef SFL_FUZZ_PROPS_DRIVER
#error "SFL_FUZZ_PROPS_DRIVER names fuzz/props_driver.lua"
#endif

static sfl_host *host;
static unsigned uses;

static void drop_host(void)
{
  sfl_host_free(host);
  host = NULL;
}

static sfl_host *get_host(void)
{
  if(host && ++uses < 64)
    return host;
  drop_host();
  uses = 0;
  struct sfl_host_options opt = {0};
  opt.memory_limit = 512u << 20;
  opt.instruction_limit = 20000000;
  host = sfl_host_new_with(&opt);
  if(!host || sfl_host_load_file(host, SFL_FUZZ_PROPS_DRIVER)) {
    fprintf(stderr, "fuzz_props: cannot load %s: %s\n", SFL_FUZZ_PROPS_DRIVER,
            host ? sfl_host_last_error(host) : "out of memory");
    abort();
  }
  static int registered;
  if(!registered++)
    atexit(drop_host);
  return host;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 4096)
    return 0;
  sfl_host *h = get_host();
  /* fuzz_props("\ddd\ddd...") */
  char *src = malloc(size * 4 + 32), *p = src;
  if(!src)
    return 0;
  p += sprintf(p, "fuzz_props(\"");
  for(size_t i = 0; i < size; i++)
    p += sprintf(p, "\\%03u", data[i]);
  p += sprintf(p, "\")");
  if(!sfl_host_load_string(h, src, (size_t)(p - src), "fuzz.lua")) {
    size_t stacks = sfl_host_stack_count(h);
    const char *stack = stacks ? sfl_host_stack_name(h, stacks - 1) : NULL;
    if(stack)
      (void)sfl_host_template(h, stack);
    for(size_t m = 0; stacks && m < sfl_host_machine_count(h, stacks - 1); m++)
      (void)sfl_host_definition(h, sfl_host_machine_path(h, stacks - 1, m));
  }
  else
    drop_host();   /* a limit may have stopped it half-way */
  free(src);
  return 0;
}

/*
** cmd_graph.c: `sfl graph APP.lua|FILE.asl.json [MACHINE] [--format F] [-o FILE|DIR]`:
** a picture of a workflow, drawn offline from the app itself.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

struct graph_args {
  const char *input, *machine, *format, *output;
  int verbose;
};

/* The format an output file's name asks for, or NULL. */
static const char *format_of(const char *path)
{
  static const char *const ext[][2] = {
    {".svg", "svg"}, {".png", "png"}, {".dot", "dot"}, {".gv", "dot"}, {".mmd", "mermaid"},
    {".mermaid", "mermaid"}, {".txt", "text"}};
  for(size_t i = 0; path && i < sizeof ext / sizeof *ext; i++)
    if(cli_ends_with(path, ext[i][0]))
      return ext[i][1];
  return NULL;
}

static const char *extension(const char *format)
{
  return !strcmp(format, "mermaid") ? "mmd" : !strcmp(format, "text") ? "txt" : format;
}

static int parse(int argc, char **argv, struct graph_args *a)
{
  for(int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if(!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
      cli_print_help(cli_find("graph"), stdout);
      return -1;
    }
    if(!strcmp(arg, "--verbose") || !strcmp(arg, "-v"))
      a->verbose = 1;
    else if(!strcmp(arg, "-f") || !strcmp(arg, "--format") || !strcmp(arg, "-o")
            || !strcmp(arg, "--output")) {
      if(++i == argc)
        return cli_usage_error("graph", "%s needs a value", arg);
      if(arg[1] == 'f' || arg[2] == 'f')
        a->format = argv[i];
      else
        a->output = argv[i];
    }
    else if(!strncmp(arg, "--format=", 9))
      a->format = arg + 9;
    else if(arg[0] == '-' && arg[1])
      return cli_usage_error("graph", "unknown option '%s'", arg);
    else if(!a->input)
      a->input = arg;
    else if(!a->machine)
      a->machine = arg;
    else
      return cli_usage_error("graph", "unexpected argument '%s'", arg);
  }
  if(!a->input)
    return cli_usage_error("graph", "what? give a Lua app or an ASL file (sfl graph app.lua)");
  static const char *const formats[] = {"svg", "png", "dot", "mermaid", "text"};
  if(a->format) {
    int known = 0;
    for(size_t i = 0; i < 5; i++)
      known |= !strcmp(a->format, formats[i]);
    if(!known)
      return cli_usage_error("graph", "unknown format '%s' (svg, png, dot, mermaid or text)",
                             a->format);
  }
  return CLI_OK;
}

static int write_bytes(const char *path, const char *bytes, size_t len)
{
  FILE *f = path ? fopen(path, "wb") : stdout;
  if(!f || fwrite(bytes, 1, len, f) != len || (path && fclose(f))) {
    fprintf(stderr, "sfl: cannot write %s: %s\n", path ? path : "stdout", strerror(errno));
    return CLI_APP_ERROR;
  }
  if(!path && len && bytes[len - 1] != '\n' && strcmp(bytes + len - 4, "</svg>")) {
    /* text formats end with a newline already; keep the terminal tidy otherwise */
  }
  return CLI_OK;
}

static int emit(sfl_host *h, int rc, const char *out, size_t len, const char *path,
                const char *format)
{
  if(rc) {
    fprintf(stderr, "%s\n", sfl_host_last_error(h));
    return rc == SFL_ENOTFOUND || rc == SFL_EUSAGE ? CLI_USAGE : CLI_APP_ERROR;
  }
  if(!path && !strcmp(format, "png") && isatty(STDOUT_FILENO))
    return cli_usage_error("graph", "a PNG is binary: write it to a file with -o FILE.png");
  return write_bytes(path, out, len);
}

/* Several machines and -o DIR: one picture each, named after the machine's path. */
static int draw_all(sfl_host *h, const struct graph_args *a, const char *format)
{
  if(mkdir(a->output, 0777) && errno != EEXIST) {
    fprintf(stderr, "sfl: cannot create directory %s: %s\n", a->output, strerror(errno));
    return CLI_APP_ERROR;
  }
  int rc = CLI_OK;
  for(size_t s = 0, ns = sfl_host_stack_count(h); s < ns && !rc; s++)
    for(size_t m = 0, nm = sfl_host_machine_count(h, s); m < nm && !rc; m++) {
      const char *path = sfl_host_machine_path(h, s, m);
      char *name = strdup(path);
      for(char *p = name; p && *p; p++)
        if(*p == '/' || *p == ' ')
          *p = '_';
      char file[1024];
      snprintf(file, sizeof file, "%s/%s.%s", a->output, name ? name : "machine",
               extension(format));
      free(name);
      const char *out;
      size_t len;
      int res = sfl_host_graph(h, sfl_host_machine_path(h, s, m), format, &out, &len);
      rc = emit(h, res, out, len, file, format);
      if(!rc)
        fprintf(stderr, "%s\n", file);
    }
  return rc;
}

static int graph_app(const struct graph_args *a, const char *format)
{
  int rc = CLI_OK;
  sfl_host *h = cli_load_app(a->input, a->verbose, &rc);
  if(!h)
    return rc;
  size_t total = 0;
  for(size_t s = 0, ns = sfl_host_stack_count(h); s < ns; s++)
    total += sfl_host_machine_count(h, s);
  struct stat st;
  int to_dir = a->output && !format_of(a->output)
               && (total > 1 || (!stat(a->output, &st) && S_ISDIR(st.st_mode)));
  if(!a->machine && to_dir)
    rc = draw_all(h, a, format);
  else if(!a->machine && total != 1) {
    fprintf(stderr, "sfl: the app has %zu state machines; name one (", total);
    for(size_t s = 0, ns = sfl_host_stack_count(h), k = 0; s < ns; s++)
      for(size_t m = 0, nm = sfl_host_machine_count(h, s); m < nm; m++, k++)
        fprintf(stderr, "%s%s", k ? ", " : "", sfl_host_machine_path(h, s, m));
    fprintf(stderr, ") or give -o DIR for one picture each\n");
    rc = CLI_USAGE;
  }
  else {
    const char *machine = a->machine;
    for(size_t s = 0, ns = sfl_host_stack_count(h); !machine && s < ns; s++)
      if(sfl_host_machine_count(h, s))
        machine = sfl_host_machine_path(h, s, 0);
    const char *out;
    size_t len;
    int res = sfl_host_graph(h, machine, format, &out, &len);
    rc = emit(h, res, out, len, a->output, format);
  }
  sfl_host_free(h);
  return rc;
}

static int graph_file(const struct graph_args *a, const char *format)
{
  size_t len = 0;
  char *text = file_read(a->input, &len);
  if(!text)
    return cli_usage_error("graph", "cannot read %s", a->input);
  sfl_host *h = sfl_host_new();
  int rc = CLI_APP_ERROR;
  if(h) {
    const char *out;
    size_t n;
    int res = sfl_host_graph_definition(h, text, len, format, &out, &n);
    rc = emit(h, res, out, n, a->output, format);
    sfl_host_free(h);
  }
  free(text);
  return rc;
}

int cmd_graph(int argc, char **argv)
{
  struct graph_args a = {0};
  int rc = parse(argc, argv, &a);
  if(rc)
    return rc < 0 ? CLI_OK : rc;
  const char *format = a.format ? a.format
                     : format_of(a.output) ? format_of(a.output) : a.output ? "svg" : "text";
  return cli_ends_with(a.input, ".json") ? graph_file(&a, format) : graph_app(&a, format);
}

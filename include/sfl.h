/*
** sfl.h: embedding sfl, the AWS Step Functions stacks-as-Lua toolkit, in a C program.
**
** A host is one independent Lua 5.4 runtime with sfl's modules preloaded. Load an app
** (a Lua script that builds cdk.App/Stack/StateMachine objects) into it, then ask for
** its stacks, their CloudFormation templates and their state machines' ASL, or write
** a CDK cloud assembly.
**
** Ownership and lifetime:
**  - Strings returned by sfl_host_* functions are owned by the host and stay valid
**    until the next call on the same host (or sfl_host_free). Copy what you keep.
**  - Nothing is global: hosts share no state, so several can live in one process,
**    each used by one thread at a time.
**  - Functions returning int give 0 on success and one of the SFL_E* codes on failure;
**    sfl_host_last_error() then describes the failure. Errors in the app read
**    "app.lua:LINE: what is wrong and how to fix it".
*/
#ifndef SFL_H
#define SFL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SFL_BUILDING)
#define SFL_API __attribute__((visibility("default")))
#else
#define SFL_API
#endif

#define SFL_EAPP    1   /* the app is wrong (its message names file and line) */
#define SFL_ENOMEM  2   /* out of memory */
#define SFL_EIO     3   /* a file could not be read or written */
#define SFL_ENOTFOUND 4 /* no stack or state machine by that name */
#define SFL_EUSAGE  5   /* the call itself is wrong (no app loaded, NULL argument...) */
#define SFL_ELIMIT  6   /* the app went over a limit of sfl_host_options */

typedef struct sfl_host sfl_host;

SFL_API const char *sfl_version(void);

/* A new host, or NULL when out of memory. */
SFL_API sfl_host *sfl_host_new(void);

/*
** Limits for a host that runs scripts it does not trust. Zero-initialise, then set
** fields; 0 / NULL means "no limit". Going over a limit makes the load (or call) fail
** with SFL_ELIMIT and a message saying which limit; the host and the process go on
** (free the host: its app may be half-built).
*/
struct sfl_host_options {
  size_t memory_limit;               /* bytes for the app's Lua values and its model */
  unsigned long instruction_limit;   /* Lua VM instructions per load (counted by 1,000s) */
  double time_limit;                 /* seconds of wall time per load */
  /*
  ** 1: scripts get no os.execute/exit/remove/rename/tmpname/getenv, io.popen/tmpfile,
  ** package.loadlib, debug library, C modules or bytecode; io.open, io.lines,
  ** io.input/output, loadfile, dofile and require reach files under `sandbox_root`
  ** only (none when it is NULL). Breaking a rule is an app error (SFL_EAPP) at its line.
  */
  int sandbox;
  const char *sandbox_root;
};
/* A new host with limits; NULL when out of memory or when sandbox_root does not exist. */
SFL_API sfl_host *sfl_host_new_with(const struct sfl_host_options *options);
SFL_API void sfl_host_free(sfl_host *h);

/*
** Runs an app. `path` is also how messages name the file; `require` finds modules
** next to it. Running several apps in one host adds their stacks together.
*/
SFL_API int sfl_host_load_file(sfl_host *h, const char *path);
/* The same for source text; `name` is used in messages ("app.lua"). */
SFL_API int sfl_host_load_string(sfl_host *h, const char *source, size_t len,
                                 const char *name);

/* The message of the last failure ("" when none). */
SFL_API const char *sfl_host_last_error(const sfl_host *h);
/* The Lua traceback of the last failure in app code ("" when none). */
SFL_API const char *sfl_host_last_traceback(const sfl_host *h);

/* Stacks of every app loaded, in creation order. */
SFL_API size_t sfl_host_stack_count(const sfl_host *h);
/* The CloudFormation name of stack i (NULL when out of range). */
SFL_API const char *sfl_host_stack_name(const sfl_host *h, size_t i);
/* State machines of stack i: their construct paths ("Stack/Machine"). */
SFL_API size_t sfl_host_machine_count(const sfl_host *h, size_t stack);
SFL_API const char *sfl_host_machine_path(const sfl_host *h, size_t stack, size_t i);

/* The template of the named stack as the JSON text CDK would write, or NULL. */
SFL_API const char *sfl_host_template(sfl_host *h, const char *stack);
/*
** The ASL of a state machine (its construct path, or its id when that is unique), as
** indented JSON with CloudFormation references written "${Ref:X}" / "${Fn::GetAtt:X.Arn}".
*/
SFL_API const char *sfl_host_definition(sfl_host *h, const char *machine);

/*
** Writes a CDK cloud assembly to `outdir`: every stack, or only those named in
** `stacks` (n of them; shell-style patterns allowed). Fails with SFL_ENOTFOUND when a
** name matches no stack.
*/
SFL_API int sfl_host_synth(sfl_host *h, const char *outdir, const char *const *stacks,
                           size_t n);
/*
** Checks for problems AWS would reject (or warn about). Each is passed to `fn`:
** severity 0 error, 1 warning; `where` is "app.lua:12" for an app's construct, or
** "file.asl.json#/States/A/Next" (a JSON pointer) for a definition file; `code` is the
** diagnostic code of AWS's ValidateStateMachineDefinition where one fits.
*/
typedef void (*sfl_problem_fn)(void *ud, int severity, const char *where, const char *code,
                               const char *message);
/* Every state machine of the loaded apps. Returns 0 or an SFL_E* code (not for problems). */
SFL_API int sfl_host_validate(sfl_host *h, sfl_problem_fn fn, void *ud, size_t *errors,
                              size_t *warnings);
/* An ASL document given as JSON text; `name` is how `where` names it. */
SFL_API int sfl_validate_definition(const char *text, size_t len, const char *name,
                                    sfl_problem_fn fn, void *ud, size_t *errors,
                                    size_t *warnings);

/*
** A picture of a state machine: `format` is "dot", "mermaid", "text", "svg" or "png".
** The bytes are owned by the host (*len counts them: PNG is binary). `machine` is a
** construct path or an id, as for sfl_host_definition.
*/
SFL_API int sfl_host_graph(sfl_host *h, const char *machine, const char *format,
                           const char **out, size_t *len);
/* The same for an ASL document given as JSON text. */
SFL_API int sfl_host_graph_definition(sfl_host *h, const char *text, size_t len,
                                      const char *format, const char **out, size_t *outlen);

/* How to run a state machine locally (sfl_host_run). Zero-initialise, then set fields. */
struct sfl_run_options {
  const char *input;       /* the execution input as JSON text (NULL: {}) */
  const char *mocks;       /* a Step Functions Local MockConfigFile as JSON text, or NULL */
  const char *test_case;   /* which test case of `mocks` answers the tasks */
  const char *context;     /* fields of $$ as JSON text ({"Execution": {"Name": ...}}), or NULL */
  long max_transitions;    /* stop a runaway execution (0: 1,000,000) */
  int real_time;           /* 1: Wait and retry intervals really sleep */
  /* Called with each history event (GetExecutionHistory's shape) as one line of JSON. */
  void (*trace)(void *ud, const char *event_json);
  void *trace_ud;
};

/*
** Runs a state machine of the loaded apps (`machine`: path or id) with its tasks answered
** by the mocks. On 0, *result is the execution's output JSON when *failed is 0, else
** {"Error": ..., "Cause": ...}; host-owned. SFL_EUSAGE: bad input, context or mock file,
** or a task no mock answers (the message says which); SFL_EAPP: the machine cannot run.
*/
SFL_API int sfl_host_run(sfl_host *h, const char *machine, const struct sfl_run_options *opt,
                         const char **result, int *failed);
/* The same for an ASL document given as JSON text; `name` (may be NULL) is the machine's
** name in the mock file when that file has several. */
SFL_API int sfl_host_run_definition(sfl_host *h, const char *text, size_t len,
                                    const char *name, const struct sfl_run_options *opt,
                                    const char **result, int *failed);

/* The output folder the app asked for (App({outdir = ...})), or NULL. */
SFL_API const char *sfl_host_app_outdir(const sfl_host *h);

#ifdef __cplusplus
}
#endif

#endif

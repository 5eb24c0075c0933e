/*
** main.c: sfl's command line. A table of commands; each lives in cmd_<name>.c.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const struct cli_cmd cli_cmds[] = {
  {"synth", cmd_synth, "synth APP.lua [STACK...] [-o DIR] [-q] [--verbose]",
   "run an app and write its CloudFormation templates (a CDK cloud assembly)",
   "Runs APP.lua and writes a CDK cloud assembly (manifest.json, <stack>.template.json,\n"
   "<stack>.assets.json, tree.json, cdk.out) to DIR. With one stack selected, its\n"
   "template is also printed on stdout.\n"
   "\n"
   "  STACK...          only these stacks (names or shell patterns such as 'prod-*')\n"
   "  -o, --output DIR  where to write the assembly (default: the App's outdir, else sfl.out)\n"
   "  -q, --quiet       do not print the template\n"
   "  --verbose         on an error in the app, print the Lua traceback too\n"
   "\n"
   "Exit status: 0 done, 1 the app has an error (reported as FILE:LINE: message),\n"
   "2 bad command line, unreadable app file or no such stack.\n"},
  {"ls", cmd_ls, "ls APP.lua [--verbose]",
   "list the app's stacks and the state machines in each",
   "Prints each stack's name and, indented below it, the construct path of each of its\n"
   "state machines.\n"
   "\n"
   "  --verbose  on an error in the app, print the Lua traceback too\n"},
  {"validate", cmd_validate, "validate APP.lua | FILE.asl.json [--verbose]",
   "check every state machine for problems AWS would reject, writing nothing",
   "Runs every synth-time check on an app's state machines, or on an ASL definition file\n"
   "(*.json), and more than CDK checks: transitions to missing states, states that can\n"
   "never run or never end, Choice states without rules, state names, Retry and Catch\n"
   "fields, paths and intrinsic functions, \"x.$\" fields, JSONata/JSONPath mix-ups, and the\n"
   "1 MB definition limit. Each problem is printed on stderr as\n"
   "  app.lua:LINE: CODE: message          (for an app: where the state was made)\n"
   "  file.asl.json#/States/A/Next: CODE: message   (for a file: a JSON pointer)\n"
   "with codes from AWS's ValidateStateMachineDefinition where one fits, and warnings\n"
   "marked 'warning'; then a count. A valid input prints nothing.\n"
   "\n"
   "  --verbose  on an error in the app itself, print the Lua traceback too\n"
   "\n"
   "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 bad command line or an\n"
   "unreadable file.\n"},
  {"graph", cmd_graph, "graph APP.lua|FILE.asl.json [MACHINE] [--format F] [-o FILE|DIR]",
   "draw a state machine, as the Step Functions console does, without deploying",
   "Draws a state machine of APP.lua (or the ASL document FILE.asl.json): Start and End,\n"
   "each state with its type (Lambda tasks show their function), Choice rules on their\n"
   "edges and the default marked, Parallel branches and Map processors as clusters, Catch\n"
   "edges dashed with their errors, retries on the state.\n"
   "\n"
   "  MACHINE          which state machine (its path, e.g. MyStack/Flow, or its id); needed\n"
   "                   when the app has several, unless -o names a folder\n"
   "  -f, --format F   svg, png, dot, mermaid or text (default: from -o's extension;\n"
   "                   svg for other files, text on stdout)\n"
   "  -o, --output P   write to file P, or with several machines to folder P, one picture\n"
   "                   each (default: stdout)\n"
   "  --verbose        on an error in the app, print the Lua traceback too\n"
   "\n"
   "SVG and PNG are laid out by Graphviz (Debian package libgvc6, loaded when needed);\n"
   "DOT and Mermaid can be pasted into other tools.\n"},
  {"run", cmd_run,
   "run APP.lua|FILE.asl.json [MACHINE] [--input JSON|@FILE] [--mocks FILE --test-case NAME]",
   "execute a state machine locally, its tasks answered by mocks",
   "Runs a state machine of APP.lua (or the ASL document FILE.asl.json) on your machine,\n"
   "following the States Language (JSONPath) exactly, on a virtual clock: Wait states and\n"
   "retry intervals move the clock on, nothing sleeps. Task states are answered by a\n"
   "Step Functions Local MockConfigFile.\n"
   "\n"
   "  MACHINE              which state machine (its path or id; for a file, its name in the\n"
   "                       mock file); needed when the app has several\n"
   "  --input JSON|@FILE   the execution input (default {})\n"
   "  --mocks FILE         a MockConfigFile: StateMachines.<machine>.TestCases.<case>.<state>\n"
   "                       names a MockedResponses entry of {\"0\": {\"Return\": ...},\n"
   "                       \"1-2\": {\"Throw\": {\"Error\": ..., \"Cause\": ...}}}\n"
   "  --test-case NAME     which test case of the mock file answers the tasks\n"
   "  --context JSON|@FILE fields of the context object $$ (Execution.Name, ...)\n"
   "  --trace              print each history event as a JSON line on stderr\n"
   "  --max-transitions N  stop a runaway execution after N states (default 1000000)\n"
   "  --real-time          let Wait states and retries really wait\n"
   "\n"
   "Prints the execution's output JSON and exits 0 when it succeeds; prints\n"
   "{\"Error\": ..., \"Cause\": ...} and exits 3 when it fails. Exit 1: the app has an error;\n"
   "2: bad input, mock file or command line, or a task with no mock.\n"},
  {"deploy", cmd_deploy, "deploy APP.lua [STACK...] [--require-approval LEVEL] [--no-rollback]",
   "deploy an app's stacks with CloudFormation, as cdk deploy does",
   "Synthesizes APP.lua into the output folder (as sfl synth does), then deploys each\n"
   "stack (or only STACK..., names or shell patterns): checks that the account and region\n"
   "are bootstrapped (sfl bootstrap), publishes the file assets to the bootstrap bucket\n"
   "(folders zipped; what is there already is skipped), creates a change set (templates\n"
   "over 51,200 bytes go through the bucket), shows its changes, executes it and prints\n"
   "the stack's events until it settles, then the stack's outputs. An unchanged stack\n"
   "ends with \"(no changes)\" and nothing is executed. Ctrl-C stops waiting: the stack\n"
   "keeps deploying in CloudFormation.\n"
   "\n"
   "  STACK...                 only these stacks\n"
   "  --require-approval LEVEL  which security changes (IAM statements, managed policies,\n"
   "                           security group rules) need a y/n confirmation on a terminal:\n"
   "                           never, any-change or broadening (default: additions only)\n"
   "  --no-rollback            keep what was created when a resource fails (DisableRollback)\n"
   "  -o, --output DIR         where to write the assembly (default: the App's outdir, else\n"
   "                           sfl.out)\n"
   "  --profile NAME           the AWS profile (default: AWS_PROFILE, else default)\n"
   "  --region REGION          the region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)\n"
   "  --endpoint-url URL       send every request to URL (a local endpoint)\n"
   "  --verbose                on an error in the app, print the Lua traceback too; print\n"
   "                           each AWS request (service, action, status, time) on stderr\n"
   "\n"
   "Exit status: 0 deployed (or no changes), 1 the app, AWS or the deployment failed\n"
   "(the failed resource's reason is printed), 2 bad command line or no such stack,\n"
   "130 stopped by Ctrl-C.\n"},
  {"bootstrap", cmd_bootstrap,
   "bootstrap [aws://ACCOUNT/REGION...] [--toolkit-stack-name NAME] [--qualifier Q]",
   "create the CDK bootstrap resources sfl deploys with (the CDKToolkit stack)",
   "Creates or updates the bootstrap stack (default CDKToolkit) in each environment\n"
   "(default: the account of your credentials and the region you use), with the resources\n"
   "named as CDK's default synthesizer expects them, so CDK and sfl share one environment:\n"
   "the assets bucket cdk-Q-assets-ACCOUNT-REGION (encrypted, public access blocked,\n"
   "versioned, kept if the stack is deleted) and the SSM parameter /cdk-bootstrap/Q/version.\n"
   "sfl deploys with your own credentials, so no roles are made; a later 'cdk bootstrap'\n"
   "updates the same stack, adding CDK's roles and keeping the bucket. A stack CDK\n"
   "bootstrapped at the same or a newer version is left as it is; an older one sfl did\n"
   "not make is an error (update it with 'cdk bootstrap').\n"
   "\n"
   "  aws://ACCOUNT/REGION       an environment; ACCOUNT must be your credentials' account\n"
   "  --toolkit-stack-name NAME  the bootstrap stack's name (default CDKToolkit)\n"
   "  --qualifier Q              the resource names' qualifier (default hnb659fds, CDK's)\n"
   "  --profile P                the AWS profile (default: AWS_PROFILE, else default)\n"
   "  --region R                 the region when no environment is given\n"
   "  --endpoint-url URL         send every AWS request to URL (a local endpoint)\n"
   "\n"
   "Exit status: 0 bootstrapped (or nothing to change), 1 an AWS error or a failed\n"
   "deployment (the failing resource's reason is printed), 2 bad command line,\n"
   "130 interrupted by Ctrl-C (CloudFormation goes on with the stack).\n"},
  {"destroy", cmd_destroy, "destroy APP.lua [STACK...] [--force]",
   "delete the app's stacks from AWS",
   "Runs APP.lua to learn its stacks, asks \"Are you sure you want to delete: A, B (y/n)?\"\n"
   "and deletes them, the last made first, printing CloudFormation's events until each is\n"
   "gone. A stack that does not exist is reported and skipped.\n"
   "\n"
   "  STACK...            only these stacks (names or shell patterns such as 'dev-*')\n"
   "  -f, --force         do not ask (required when standard input is not a terminal)\n"
   "  --profile P         the AWS profile (default: AWS_PROFILE, else default)\n"
   "  --region R          the region (default: AWS_REGION, then the profile's)\n"
   "  --endpoint-url URL  send every AWS request to URL (a local endpoint)\n"
   "  --verbose           on an error in the app, print the Lua traceback too\n"
   "\n"
   "Exit status: 0 deleted, missing or declined at the prompt, 1 the app has an error,\n"
   "an AWS error, a failed deletion, or no terminal to ask on without --force, 2 bad\n"
   "command line or no such stack, 130 interrupted by Ctrl-C (the deletion goes on).\n"},
  {"diff", cmd_diff,
   "diff APP.lua [STACK...] [--template FILE] [--fail] [--profile P] [--region R]",
   "compare the app's stacks with the deployed ones (or a template), state by state",
   "Synthesizes APP.lua (as synth does, into DIR) and compares each stack's template with\n"
   "the template deployed in CloudFormation (GetTemplate; a stack not deployed yet is\n"
   "compared with an empty one), or with a local template. Prints, as `cdk diff` does, the\n"
   "IAM statements and managed policies added or removed, then parameters, conditions,\n"
   "resources (added, removed, changed: each property's path with its old and new value,\n"
   "and whether the change replaces the resource) and outputs. A state machine's definition\n"
   "is compared state by state: states added, removed and changed field by field, inside\n"
   "Parallel branches and Map processors too, references shown as ${Logical.Attr}.\n"
   "\n"
   "  STACK...             only these stacks (names or shell patterns); default: all\n"
   "  --template FILE      compare with this template (JSON) instead: no AWS call at all;\n"
   "                       one stack only\n"
   "  --fail               exit 1 when there are differences\n"
   "  --context-lines N    unchanged lines around a change in JSON text diffs (default 3)\n"
   "  --strict             also show AWS::CDK::Metadata resources and CDK's bootstrap rule\n"
   "  --profile P          the AWS profile (default: AWS_PROFILE, else 'default')\n"
   "  --region R           the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)\n"
   "  --endpoint-url URL   send AWS calls there (a local endpoint; also AWS_ENDPOINT_URL)\n"
   "  -o, --output DIR     where to write the assembly (default: the App's outdir, else\n"
   "                       sfl.out)\n"
   "  --verbose            on an error in the app, print the Lua traceback too\n"
   "\n"
   "Colours only on a terminal, and not when NO_COLOR is set.\n"
   "Exit status: 0 done (differences or not), 1 differences with --fail, an error in the\n"
   "app or an AWS error (its message verbatim), 2 bad command line, unreadable file or no\n"
   "such stack.\n"},
  {"version", cmd_version, "version", "print sfl's version", ""},
  {"help", cmd_help, "help [COMMAND]", "show help for sfl or for one command", ""},
  {NULL, NULL, NULL, NULL, NULL}
};

const struct cli_cmd *cli_find(const char *name)
{
  for(const struct cli_cmd *c = cli_cmds; c->name; c++)
    if(!strcmp(c->name, name))
      return c;
  return NULL;
}

void cli_print_help(const struct cli_cmd *cmd, FILE *out)
{
  fprintf(out, "usage: sfl %s\n\n%s.\n", cmd->usage, cmd->summary);
  if(*cmd->help)
    fprintf(out, "\n%s", cmd->help);
}

static void print_overview(FILE *out)
{
  fprintf(out,
          "usage: sfl COMMAND [ARGS...]\n"
          "\n"
          "sfl %s: AWS Step Functions stacks written as Lua scripts, synthesized to the\n"
          "CloudFormation templates AWS CDK would write.\n"
          "\n"
          "Commands:\n", sfl_version());
  for(const struct cli_cmd *c = cli_cmds; c->name; c++)
    fprintf(out, "  %-9s %s\n", c->name, c->summary);
  fprintf(out, "\nRun 'sfl help COMMAND' or 'sfl COMMAND --help' for a command's options.\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("sfl: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  if(cmd)
    fprintf(stderr, "\nTry 'sfl %s --help'.\n", cmd);
  else
    fputs("\nTry 'sfl help'.\n", stderr);
  return CLI_USAGE;
}

int cmd_version(int argc, char **argv)
{
  if(argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    cli_print_help(cli_find("version"), stdout);
    return CLI_OK;
  }
  if(argc > 1)
    return cli_usage_error("version", "unexpected argument '%s'", argv[1]);
  printf("sfl %s\n", sfl_version());
  return CLI_OK;
}

int cmd_help(int argc, char **argv)
{
  if(argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    print_overview(stdout);
    return CLI_OK;
  }
  const struct cli_cmd *c = cli_find(argv[1]);
  if(!c)
    return cli_usage_error(NULL, "no command '%s'", argv[1]);
  cli_print_help(c, stdout);
  return CLI_OK;
}

int cli_ends_with(const char *s, const char *suffix)
{
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && !strcmp(s + ls - lx, suffix);
}

sfl_host *cli_load_app(const char *path, int verbose, int *exit_code)
{
  sfl_host *h = sfl_host_new();
  if(!h) {
    fputs("sfl: out of memory\n", stderr);
    *exit_code = CLI_APP_ERROR;
    return NULL;
  }
  int rc = sfl_host_load_file(h, path);
  if(!rc)
    return h;
  if(rc == SFL_EIO) {
    fprintf(stderr, "sfl: %s\n", sfl_host_last_error(h));
    *exit_code = CLI_USAGE;
  }
  else {
    fprintf(stderr, "%s\n", sfl_host_last_error(h));
    if(verbose && *sfl_host_last_traceback(h))
      fprintf(stderr, "%s\n", sfl_host_last_traceback(h));
    *exit_code = CLI_APP_ERROR;
  }
  sfl_host_free(h);
  return NULL;
}

int main(int argc, char **argv)
{
  /* Before anything makes a cJSON value: every one must come from the same allocator. */
  cli_use_pool();
  if(argc < 2) {
    print_overview(stderr);
    return CLI_USAGE;
  }
  if(!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
    return cmd_help(1, argv);
  if(!strcmp(argv[1], "--version"))
    return cmd_version(1, argv);
  const struct cli_cmd *c = cli_find(argv[1]);
  if(!c)
    return cli_usage_error(NULL, "no command '%s'", argv[1]);
  return c->run(argc - 1, argv + 1);
}

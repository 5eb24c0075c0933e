/*
** validate.h: every check sfl makes on an ASL document before AWS sees it, beyond what
** CDK checks: transitions to missing states, unreachable states, states that can never
** end, Choice without rules, bad names, Retry/Catch fields out of range, malformed paths
** and intrinsic functions, "x.$" fields that are not paths, JSONata syntax in JSONPath
** states and the reverse, and the 1 MB definition limit. Codes are those of AWS's
** ValidateStateMachineDefinition where one fits.
*/
#ifndef SFL_ASL_VALIDATE_H
#define SFL_ASL_VALIDATE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define ASL_MAX_DEFINITION_BYTES 1048576

enum asl_severity { ASL_ERROR, ASL_WARNING };

struct asl_problem {
  enum asl_severity severity;
  const char *code;      /* "MISSING_TRANSITION_TARGET", "NO_DOLLAR", ... */
  const char *pointer;   /* JSON pointer of the field ("/States/A/Next") */
  const char *state;     /* the state it is about, or NULL for the whole machine */
  const char *message;
};

/* Called once per problem; the strings live until the callback returns. */
typedef void (*asl_report_fn)(const struct asl_problem *p, void *ctx);

/*
** Checks `doc` (a definition with plain strings: CloudFormation references written as
** placeholders). `text_bytes` is the size of its JSON text (0: not checked). Returns the
** number of errors found (warnings are reported but not counted).
*/
size_t asl_validate(const cJSON *doc, size_t text_bytes, asl_report_fn report, void *ctx);

#endif

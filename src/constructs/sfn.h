/*
** sfn.h: aws_stepfunctions constructs that reach CloudFormation: states as constructs
** in the tree, and StateMachine (role, default policy, AWS::StepFunctions::StateMachine
** with its DefinitionString).
*/
#ifndef SFL_CONSTRUCTS_SFN_H
#define SFL_CONSTRUCTS_SFN_H

#include "asl/state.h"
#include "cfn/asset.h"
#include "constructs/kms.h"
#include "constructs/logs.h"
#include "constructs/role.h"

/* A state made as construct `id` under `scope` (its node is the state's owner). */
struct asl_state *sfn_state_new(struct cfn_node *scope, enum asl_type type, const char *id,
                                const char *fqn, struct sfl_loc loc, struct diag *d);
static inline struct cfn_node *sfn_state_node(const struct asl_state *s)
{
  return s->owner;
}

struct sfn_log_options {
  struct log_group *destination;
  cJSON *include_execution_data;
  cJSON *level;                 /* "OFF", "ALL", "ERROR" (default), "FATAL" */
};

/* encryption_configuration: AwsOwnedEncryptionConfiguration (key NULL) or
** CustomerManagedEncryptionConfiguration(key, reuse period). */
struct sfn_encryption {
  struct kms_key *key;
  cJSON *reuse_seconds;           /* NULL: 300 */
};

struct sfn_machine_props {
  struct asl_chain *definition;   /* a chain, or NULL with definition_string */
  cJSON *definition_string;       /* DefinitionBody.from_string */
  /* DefinitionBody.from_file: the file as an asset (DefinitionS3Location), its text (for
  ** validate, graph and run) and the asset's display name (NULL: its construct path). */
  const struct cfn_asset *definition_asset;
  cJSON *definition_file_text;
  const char *definition_asset_name;
  cJSON *state_machine_name, *state_machine_type, *comment, *timeout, *tracing_enabled;
  cJSON *definition_substitutions;
  const struct sfn_log_options *logs;   /* NULL: no logging */
  int jsonata;                    /* query_language = JSONata for the whole machine */
  const char *removal_policy;   /* "destroy" (default), "retain", "snapshot", ... */
  const struct sfn_encryption *encryption;   /* NULL: not written */
  struct role *role;            /* the `role` prop; NULL: the machine makes <id>/Role */
};

struct sfn_machine {
  struct cfn_node *node;
  struct role *role;                /* NULL for an imported machine */
  struct cfn_resource *resource;    /* NULL for an imported machine */
  struct asl_graph *graph;
  struct sfn_machine_props props;
  cJSON *imported_arn;              /* StateMachine.from_state_machine_arn/_name */
  cJSON *imported_name;
};

struct sfn_machine *sfn_machine_new(struct cfn_node *scope, const char *id,
                                    const struct sfn_machine_props *props,
                                    struct sfl_loc loc, struct diag *d);
/*
** StateMachine.from_state_machine_arn (name NULL: taken from the ARN) and
** from_state_machine_name (arn NULL: made from the name). A literal ARN must parse.
*/
struct sfn_machine *sfn_machine_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                       cJSON *name, struct sfl_loc loc, struct diag *d);
/* New trees: the machine's ARN, and its name as Arn.split finds it in that ARN. */
cJSON *sfn_machine_arn(const struct sfn_machine *m);
cJSON *sfn_machine_name(const struct sfn_machine *m);
/* "arn:<P>:states:<R>:<A>:execution:<machine name><suffix>", as CDK formats it. */
cJSON *sfn_machine_execution_arn(const struct sfn_machine *m, const char *suffix);

/* The machine's ASL document (with CloudFormation intrinsics in it). Caller deletes.
** NULL for a machine made from a definition string or file. */
cJSON *sfn_machine_definition(const struct sfn_machine *m);
/* The ASL document whatever the machine was made from: its states, or its string or file
** parsed (NULL when that text is not JSON). Caller deletes. */
cJSON *sfn_machine_document(const struct sfn_machine *m);
/* Synthesis-time checks CDK makes (a Parallel without branches...). */
enum sfl_status sfn_machine_validate(const struct sfn_machine *m, struct diag *d);

/* What StateMachineGrants grant (state-machine-grants.js): the actions, and on what. */
enum sfn_grant {
  SFN_GRANT_START_EXECUTION, SFN_GRANT_START_SYNC_EXECUTION, SFN_GRANT_TASK_RESPONSE,
  SFN_GRANT_REDRIVE_EXECUTION, SFN_GRANT_READ,
  SFN_GRANT_EXECUTION,   /* the caller's actions on the machine's executions */
  SFN_GRANT_ACTIONS      /* the caller's actions on the machine */
};
/* Adds the statements of `grant` to the principal policy of `to`. */
enum sfl_status sfn_machine_grant(const struct sfn_machine *m, struct role *to,
                                  enum sfn_grant grant, const char *const *actions,
                                  size_t nactions, struct diag *d);

/* aws_stepfunctions.Activity: AWS::StepFunctions::Activity. */
struct sfn_activity {
  struct cfn_node *node;
  struct cfn_resource *resource;
};
struct sfn_activity *sfn_activity_new(struct cfn_node *scope, const char *id, cJSON *name,
                                      const struct sfn_encryption *encryption,
                                      struct sfl_loc loc, struct diag *d);
/* CustomerManagedEncryptionConfiguration's check of the reuse period (60..900 s). */
enum sfl_status sfn_check_encryption(const struct sfn_encryption *e, struct sfl_loc loc,
                                     struct diag *d);

/* StateMachineFragment.prefix_states: prefix every state reachable from `start`. */
enum sfl_status sfn_prefix_states(struct asl_state *start, const char *prefix,
                                  struct diag *d);

#endif

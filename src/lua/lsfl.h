/*
** lsfl.h: what the Lua binding files share (never installed; include/sfl.h is the
** public API).
**
** Userdata are thin boxes around model objects that live in the host's arena; a box's
** __gc frees nothing. User mistakes raise Lua errors located at the user's line
** (lsfl_error); the C core below never raises, it fills a struct diag that
** lsfl_raise turns into an error once no temporary C memory is held.
*/
#ifndef SFL_LUA_LSFL_H
#define SFL_LUA_LSFL_H

#include <lua.h>
#include <lauxlib.h>

#include "cfn/construct.h"
#include "asl/state.h"

/* Interfaces: several types can stand where one of these is expected. */
#define LT_CONSTRUCT 1   /* can be a scope */
#define LT_CHAINABLE 2   /* IChainable: states and chains */
#define LT_JSON      4   /* may stand as a JSON value */
#define LT_ISSTATE   8   /* a State */
#define LT_STATE     (LT_ISSTATE | LT_CONSTRUCT | LT_CHAINABLE)

enum lsfl_type {
#define SFL_TYPE(e, name, flags) LSFL_##e,
#include "lua/types.h"
#undef SFL_TYPE
  LSFL_TYPE_COUNT
};

struct lsfl_type_info {
  const char *name;
  int flags;
};
extern const struct lsfl_type_info lsfl_types[LSFL_TYPE_COUNT];

struct lsfl_box {
  enum lsfl_type type;
  void *obj;                 /* the model object */
  struct cfn_node *node;     /* for constructs: its node in the tree */
};

/* An App as the script made it. */
struct lsfl_app {
  struct cfn_app *cfn;
  const char *outdir;        /* the `outdir` prop, or NULL */
  cJSON *context;            /* the `context` prop, or NULL */
};

/* What lsfl_new_type recorded for a type: its metatable is made from this the first time
** a value of the type is pushed (or sfl.introspect asks), so an app pays only for the
** types it uses. */
struct lsfl_type_spec {
  const luaL_Reg *methods, *more;      /* more: a state type's own methods after the shared */
  const struct lsfl_getter *getters;
  int registered;
};

/* The per-Lua-state context: the arena every model lives in and the apps made. */
struct lsfl_ctx {
  struct arena *arena;
  struct vec apps;           /* struct lsfl_app* in creation order */
  struct strmap files;       /* interned file names for locations */
  int describe;              /* sfl.introspect: lsfl_read_props raises its schema */
  const char *app_dir;       /* the app file's folder (relative asset paths); NULL: cwd */
  struct lsfl_type_spec types[LSFL_TYPE_COUNT];
};

struct lsfl_ctx *lsfl_ctx(lua_State *L);
/* Makes the context (owned by the Lua state, freed when it closes) and every module. */
void lsfl_open(lua_State *L);
/* Takes dangerous functions away and keeps files under `root` (src/lua/sandbox.c).
** Nonzero when root cannot be resolved. */
int lsfl_sandbox(lua_State *L, const char *root);
/* Whether the app may read `path` (always, unless a sandbox keeps files under a folder). */
int lsfl_sandbox_allows(lua_State *L, const char *path);

/* {============ errors at the user's line */

/* "file:line:" of the innermost Lua function that is the user's (not sfl's). */
void lsfl_where(lua_State *L);
struct sfl_loc lsfl_loc(lua_State *L);
int lsfl_error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lsfl_raise(lua_State *L, const struct diag *d);
/*
** The string at idx (which must be a string) when it can go into a template: UTF-8 with
** no NUL byte. Else raises "<what>: a string is not valid UTF-8 (...)".
*/
const char *lsfl_check_text(lua_State *L, int idx, const char *what);

/* }============ */

/* {============ boxes */

/* A set of box types, one bit per enum lsfl_type: more than 64 types, so 128 bits
** (every compiler sfl builds with has them on 64-bit targets). */
#ifndef __SIZEOF_INT128__
#error "sfl needs a compiler with 128-bit integers (unsigned __int128)"
#endif
__extension__ typedef unsigned __int128 lsfl_typeset;
_Static_assert(LSFL_TYPE_COUNT <= 128, "lsfl_typeset has a bit for each box type");
#define LSFL_BIT(e) ((lsfl_typeset)1 << LSFL_##e)

struct lsfl_box *lsfl_push(lua_State *L, enum lsfl_type type, void *obj, struct cfn_node *node);
/* The box at idx if it has one of `types` (bits 1 << LSFL_X) or `flags`; else NULL. */
struct lsfl_box *lsfl_test(lua_State *L, int idx, lsfl_typeset types, int flags);
/* Same, raising "bad argument #n to 'fn' (expected expected, got ...)" when not. */
struct lsfl_box *lsfl_check(lua_State *L, int idx, lsfl_typeset types, int flags,
                            const char *expected);
const char *lsfl_typename(lua_State *L, int idx);
/* Pushes a CloudFormation token (an intrinsic the arena takes over) as sfl.Token. */
int lsfl_push_token(lua_State *L, cJSON *intrinsic);
/* An attribute (taken over): a plain string as a Lua string (an imported resource's
** name from a literal ARN), anything else as a token. */
int lsfl_push_attribute(lua_State *L, cJSON *value);

struct cfn_node *lsfl_check_scope(lua_State *L, int idx);
const char *lsfl_check_id(lua_State *L, int idx);
/* A state or chain as a chain (states are chains of one). */
struct asl_chain *lsfl_check_chainable(lua_State *L, int idx);
struct asl_state *lsfl_check_state(lua_State *L, int idx);
/*
** The role an IGrantable at idx stands for: a Role itself, a Function's service role, a
** StateMachine's role. Raises "bad argument" naming what is accepted otherwise.
*/
struct role *lsfl_check_grantee(lua_State *L, int idx);

/* A StateMachineFragment as the user set it up (start_state, end_states). */
struct lsfl_fragment {
  struct cfn_node *node;
  struct asl_state *start;
  struct vec ends;          /* struct asl_state* */
};
/* The fragment as a chain; raises when start_state was never set. */
struct asl_chain *lsfl_fragment_chain(lua_State *L, struct lsfl_fragment *f);

/* }============ */

/* {============ classes and modules */

struct lsfl_getter {
  const char *name;
  int (*get)(lua_State *L, struct lsfl_box *self);
};

/*
** Registers a type: methods (luaL_Reg, NULL-terminated; names starting "__" are
** metamethods), property getters (NULL-terminated). Its metatable's __index looks up
** methods, then getters, and raises for anything else, naming the type. The metatable
** is made when first needed (lsfl_push_metatable); registering again changes nothing.
*/
void lsfl_new_type(lua_State *L, enum lsfl_type type, const luaL_Reg *methods,
                   const struct lsfl_getter *getters);
/* Same, with a second list of methods (`more`, may be NULL) after the first. */
void lsfl_new_type_with(lua_State *L, enum lsfl_type type, const luaL_Reg *methods,
                        const luaL_Reg *more, const struct lsfl_getter *getters);
/* Pushes a type's metatable, making it on first use; pushes nil (returns 0) for a type
** that was never registered. */
int lsfl_push_metatable(lua_State *L, enum lsfl_type type);
/*
** Pushes a class table: `ctor` (may be NULL) runs when the class is called, statics
** are its fields; reading a missing field raises "<name> has no member 'x'".
*/
void lsfl_new_class(lua_State *L, const char *name, lua_CFunction ctor, const luaL_Reg *statics);
/* A table of string constants (enum), strict in the same way. */
void lsfl_new_enum(lua_State *L, const char *name, const char *const *members,
                   const char *const *values);
/* Makes the table at the top strict: a missing key raises "<name> has no member 'x'". */
void lsfl_make_strict(lua_State *L, const char *name);
/*
** Adds a module's members in groups, each a function that sets its members in the table
** at the top. Makes the module table at the top strict like lsfl_make_strict, and lazy:
** `groups` (NULL-terminated, static) are added when a member not yet there is first read,
** one group at a time in order until it is found, and all of them before the module is
** iterated (pairs). An app pays only for the groups it uses.
*/
typedef void (*lsfl_adder)(lua_State *L);
void lsfl_make_lazy(lua_State *L, const char *name, const lsfl_adder *groups);
/* For strict tables' own __index: raises "<name> has no member 'x'" (x at index 2). */
int lsfl_no_member(lua_State *L, const char *name);
/* For a lazy table's __pairs, once every member is there: next, the table (at 1), nil. */
int lsfl_raw_pairs(lua_State *L);

/*
** A state type's metatable: the methods every state has, plus next (nextable types),
** add_retry/add_catch (retryable types) and `extra`.
*/
void lsfl_new_state_type(lua_State *L, enum lsfl_type type, int flags, const luaL_Reg *extra);
/* Pushes the box of a state (or its chain view, for Chain results). */
void lsfl_push_state(lua_State *L, struct asl_state *s);
/* Adds the static factories `jsonata` and `json_path` to the class table at the top. */
void lsfl_add_language_factories(lua_State *L, lua_CFunction ctor);

/* Module openers (package.preload). */
int lsfl_open_core(lua_State *L);
int lsfl_open_constructs(lua_State *L);
int lsfl_open_lambda(lua_State *L);
int lsfl_open_stepfunctions(lua_State *L);
int lsfl_open_tasks(lua_State *L);
int lsfl_open_logs(lua_State *L);
int lsfl_open_dynamodb(lua_State *L);
int lsfl_open_ec2(lua_State *L);
int lsfl_open_ecs(lua_State *L);
void lsfl_register_ec2_types(lua_State *L);
/* Would CDK restrict a new VPC's default security group (the prop, else the feature flag
** @aws-cdk/aws-ec2:restrictDefaultSecurityGroup in the App's context)? */
int lsfl_restrict_default_sg(struct cfn_node *scope, const cJSON *prop);
void lsfl_register_ecs_types(lua_State *L);
int lsfl_open_kms(lua_State *L);
void lsfl_register_kms_types(lua_State *L);
/* sfn.AwsOwnedEncryptionConfiguration / CustomerManagedEncryptionConfiguration. */
void lsfl_add_encryption_classes(lua_State *L);
#define LSFL_ENCRYPTION_EXPECTED \
  "a sfn.AwsOwnedEncryptionConfiguration() or sfn.CustomerManagedEncryptionConfiguration(key)"
/*
** The absolute path of a file the app names (an asset, a definition file): a relative one
** is taken from the app file's folder. Raises `what`: ... when a sandbox forbids it.
*/
const char *lsfl_asset_path(lua_State *L, const char *path, const char *what);
/* RemovalPolicy values, as props read them. */
extern const char *const lsfl_removal_policies[];

int lsfl_open_iam(lua_State *L);
int lsfl_open_s3(lua_State *L);
void lsfl_register_s3_types(lua_State *L);
void lsfl_register_iam_types(lua_State *L);
int lsfl_open_testing(lua_State *L);
int lsfl_open_introspect(lua_State *L);
void lsfl_register_logs_types(lua_State *L);
void lsfl_register_dynamodb_types(lua_State *L);
int lsfl_open_bedrock(lua_State *L);
void lsfl_register_bedrock_types(lua_State *L);
int lsfl_open_sns(lua_State *L);
int lsfl_open_sqs(lua_State *L);
void lsfl_register_sqs_types(lua_State *L);
/* sfl.aws_sns, sfl.aws_sqs, sfl.aws_events and their tasks (mod_messaging*.c). */
void lsfl_register_messaging_types(lua_State *L);
int lsfl_open_events(lua_State *L);
void lsfl_register_events_types(lua_State *L);
/* EventBus and its statics, added to the sfl.aws_events table at the top (mod_event_bus.c). */
void lsfl_add_event_bus(lua_State *L);
void lsfl_register_event_bus_types(lua_State *L);
void lsfl_register_core_types(lua_State *L);
/* CfnOutput, CfnParameter, Fn, Aws (mod_core_cfn.c): added to the `sfl` table at the top. */
void lsfl_register_core_cfn_types(lua_State *L);
void lsfl_add_core_cfn(lua_State *L);
void lsfl_register_size_type(lua_State *L);

/* cdk.Size (mod_size.c); lsfl_add_size sets `Size` in the module table on top. */
enum lsfl_size_unit {
  SIZE_BYTES, SIZE_KIBIBYTES, SIZE_MEBIBYTES, SIZE_GIBIBYTES, SIZE_TEBIBYTES, SIZE_PEBIBYTES
};
struct lsfl_size {
  double amount;
  enum lsfl_size_unit unit;
};
void lsfl_add_size(lua_State *L);
/* The size as a whole number of `unit`; raises CDK's error when it is not whole. */
lua_Integer lsfl_size_in(lua_State *L, const struct lsfl_size *s, enum lsfl_size_unit unit);
void lsfl_register_lambda_types(lua_State *L);
void lsfl_register_sfn_types(lua_State *L);
void lsfl_register_sfn_value_types(lua_State *L);
void lsfl_add_sfn_values(lua_State *L);
void lsfl_register_sfn_construct_types(lua_State *L);
void lsfl_add_sfn_constructs(lua_State *L);
void lsfl_register_dmap_types(lua_State *L);
void lsfl_add_dmap_values(lua_State *L);
/* make a state construct from Lua (used by to_single_state of chains and fragments) */
struct asl_state *lsfl_parallel_around(lua_State *L, struct cfn_node *scope, const char *id,
                                       int props_idx, struct asl_chain *chain);
void lsfl_register_task_types(lua_State *L);

/* }============ */

/* {============ JSON values from Lua */

/* A Lua value as an arena-owned JSON tree (tables, tokens, sfl.null...). */
cJSON *lsfl_to_json(lua_State *L, int idx, const char *what);
/* A string or a CloudFormation token argument (an ARN, a name), as arena JSON; anything
** else raises "<what> must be a string, got <type>". */
cJSON *lsfl_check_str_value(lua_State *L, int idx, const char *what);
/* Pushes the sfl.null sentinel (JSON null). */
void lsfl_push_null(lua_State *L);
/* Pushes a JSON tree as Lua values (objects and arrays become tables). */
void lsfl_push_json(lua_State *L, const cJSON *j);
/* Pushes JsonPath.string_at(path): raises CDK's message when `path` is not one. */
int lsfl_push_json_path(lua_State *L, const char *path);
/* The path of the JsonPath token at idx, or NULL when it is not one. */
const char *lsfl_token_path(lua_State *L, int idx);

/* }============ */

#endif

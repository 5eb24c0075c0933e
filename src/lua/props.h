/*
** props.h: the one reader of props tables. Each construct describes its props in a
** table of struct lsfl_prop; lsfl_read_props checks the Lua table against it (unknown
** keys with a "did you mean", wrong types, missing required props) and stores each
** value at its offset in the construct's C props struct.
**
** Values that end up in ASL or CloudFormation are stored as arena-owned cJSON (see
** core/json.h), and a JsonPath token is accepted wherever such a value is.
*/
#ifndef SFL_LUA_PROPS_H
#define SFL_LUA_PROPS_H

#include <stddef.h>
#include "lua/lsfl.h"

enum lsfl_prop_type {
  P_STRING,       /* a Lua string -> const char * (arena) */
  P_BOOL,         /* a Lua boolean -> int (1/0); absent leaves the default */
  P_JSON,         /* any JSON value (tables, tokens) -> cJSON * */
  P_STR,          /* a string or a token -> cJSON * */
  P_NUM,          /* a number or a token -> cJSON * */
  P_INT,          /* a whole number or a token -> cJSON * */
  P_BOOLEAN,      /* a boolean or a token -> cJSON * */
  P_PATH,         /* a JSON path "$...", JsonPath.DISCARD (null) or a token -> cJSON * */
  P_DURATION,     /* a cdk.Duration -> cJSON * whole seconds */
  P_OBJECT,       /* a table of key = value (tokens inside) -> cJSON * object */
  P_STR_LIST,     /* a list of strings, or a list token -> cJSON * */
  P_STR_MAP,      /* a table of string = string -> cJSON * object */
  P_STRUCT,       /* a table read with the sub-schema `sub` -> cJSON * object */
  P_STRUCT_LIST,  /* a list of such tables -> cJSON * array */
  P_ENUM,         /* one of `values` (an enum member or its string) -> cJSON * string */
  P_USERDATA,     /* a box whose type is in `types` -> its obj (void *) */
  P_CHAINABLE,    /* a state or chain -> struct asl_chain * */
  P_TASK_INPUT,   /* a sfn.TaskInput -> cJSON * (its value) */
  P_IGNORED_TRUE, /* a boolean CDK accepts but always renders true -> cJSON * true */
  P_NESTED,       /* a table read with `sub` into a struct at `offset` (a struct prop whose
                     members are C values, e.g. LogOptions with its LogGroup) */
  P_USERDATA_LIST,  /* a list of boxes whose types are in `types` -> struct vec * of objs */
  P_USERDATA_MAP, /* a table of name = box (type in `types`) -> struct vec (not a pointer) of
                     pairs (const char *name, obj), names in sorted order */
  P_NESTED_LIST   /* a list of tables, each read with `sub` into a new struct whose size is
                     the offset of sub's PROP_END_SIZED -> struct vec * of them */
};

#define PROP_REQUIRED 1
#define PROP_NO_TOKEN 2   /* the ASL field has no path form: a JsonPath token cannot work */
#define PROP_UNSYNTH 8    /* in CDK's API, but CDK cannot synthesize a template with it set:
                             giving it is an error that says so */
#define PROP_GIVEN 4      /* on a P_NESTED sub-schema's end: `offset` is an int set to 1 when the
                             table is given, even empty (CDK tells {} from undefined) */

struct lsfl_prop {
  const char *name;             /* the Python/Lua spelling: "result_path" */
  enum lsfl_prop_type type;
  size_t offset;                /* where the value goes in the props struct */
  unsigned flags;
  const char *key;              /* members of a P_STRUCT: the output key ("InstanceCount") */
  const struct lsfl_prop *sub;  /* P_STRUCT(_LIST), P_NESTED: the member schema */
  const char *const *values;    /* P_ENUM: allowed values, NULL-terminated */
  lsfl_typeset types;           /* P_USERDATA: LSFL_BIT(...) of allowed types */
  const char *expected;         /* P_USERDATA: how to name what is expected */
};

#define PROP_END {NULL, 0, 0, 0, NULL, NULL, NULL, 0, NULL}
/* The end of a P_NESTED_LIST's sub-schema: the size of the struct each item is read into. */
#define PROP_END_SIZED(T) {NULL, 0, sizeof(T), 0, NULL, NULL, NULL, 0, NULL}
#define PROP_END_GIVEN(T, m) {NULL, 0, offsetof(T, m), PROP_GIVEN, NULL, NULL, NULL, 0, NULL}

/*
** Reads the props table at idx (nil or none: no props) into dest. `what` names the
** construct in messages: "LambdaInvoke '[Lambda] hello'".
*/
void lsfl_read_props(lua_State *L, int idx, const struct lsfl_prop *schema, void *dest,
                     const char *what);

/*
** Pushes a description of a schema for tools (sfl.introspect): {what = ..., props = {
** {name, kind, required, values, types, sub}, ...}}.
*/
void lsfl_push_schema(lua_State *L, const struct lsfl_prop *schema, const char *what);

#endif

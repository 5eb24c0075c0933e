/*
** mod_ec2.c: `sfl.aws_ec2`: Vpc.from_vpc_attributes, SubnetType, SecurityGroup (new and
** from_security_group_id), InstanceType with InstanceClass and InstanceSize
** (rendering: src/constructs/ec2.c).
*/
#include "lua/mod_tasks.h"
#include "constructs/ec2.h"

#include <string.h>

/* {============ Vpc */

#define VA struct ec2_vpc_props
static const struct lsfl_prop vpc_attrs_schema[] = {
  {"vpc_id", P_STR, offsetof(VA, vpc_id), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  {"availability_zones", P_STR_LIST, offsetof(VA, availability_zones), PROP_REQUIRED, NULL,
   NULL, NULL, 0, NULL},
  F("public_subnet_ids", P_STR_LIST, VA, subnet_ids[EC2_PUBLIC]),
  F("private_subnet_ids", P_STR_LIST, VA, subnet_ids[EC2_PRIVATE]),
  F("isolated_subnet_ids", P_STR_LIST, VA, subnet_ids[EC2_ISOLATED]),
  F("public_subnet_names", P_STR_LIST, VA, subnet_names[EC2_PUBLIC]),
  F("private_subnet_names", P_STR_LIST, VA, subnet_names[EC2_PRIVATE]),
  F("isolated_subnet_names", P_STR_LIST, VA, subnet_names[EC2_ISOLATED]),
  PROP_END
};
#undef VA

/* Vpc.from_vpc_attributes(scope, id, attrs) */
static int vpc_from_attributes(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct ec2_vpc_props p = {0};
  lsfl_read_props(L, 3, vpc_attrs_schema, &p, lua_pushfstring(L, "Vpc '%s'", id));
  struct diag d = {0};
  struct ec2_vpc *vpc = ec2_vpc_import(scope, id, &p, lsfl_loc(L), &d);
  if(!vpc)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_VPC, vpc, vpc->node);
  return 1;
}

/* A new Vpc makes subnets, route tables and NAT gateways: sfl imports VPCs instead. */
static int vpc_new(lua_State *L)
{
  return lsfl_error(L, "ec2.Vpc: sfl cannot create a VPC; import an existing one with "
                       "ec2.Vpc.from_vpc_attributes(scope, id, { vpc_id = ..., "
                       "availability_zones = {...}, private_subnet_ids = {...} })");
}

static int vpc_get_id(lua_State *L, struct lsfl_box *self)
{
  lsfl_push_json(L, ((struct ec2_vpc *)self->obj)->vpc_id);
  return 1;
}

static const struct lsfl_getter vpc_getters[] = {{"vpc_id", vpc_get_id}, {NULL, NULL}};
static const luaL_Reg vpc_statics[] = {{"from_vpc_attributes", vpc_from_attributes},
                                       {NULL, NULL}};

/* }============ */

/* {============ SecurityGroup */

struct lua_sg {
  struct ec2_security_group_props p;
  cJSON *allow_all_ipv6_outbound, *disable_inline_rules;
};

#define SG struct lua_sg
static const struct lsfl_prop security_group_schema[] = {
  {"vpc", P_USERDATA, offsetof(SG, p.vpc), PROP_REQUIRED, NULL, NULL, NULL, LSFL_BIT(VPC),
   "an ec2.IVpc (Vpc.from_vpc_attributes(...))"},
  F("description", P_STR, SG, p.description),
  F("security_group_name", P_STR, SG, p.security_group_name),
  F("allow_all_outbound", P_BOOL, SG, p.allow_all_outbound),
  PROP_END
};
#undef SG

static int security_group_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_sg p = {.p.allow_all_outbound = 1};
  lsfl_read_props(L, 3, security_group_schema, &p, lua_pushfstring(L, "SecurityGroup '%s'",
                                                                   id));
  struct diag d = {0};
  struct ec2_security_group *sg = ec2_security_group_new(scope, id, &p.p, lsfl_loc(L), &d);
  if(!sg)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_SECURITY_GROUP, sg, sg->node);
  return 1;
}

struct lua_sg_import {
  int allow_all_outbound, allow_all_ipv6_outbound, is_mutable;
};

static const struct lsfl_prop sg_import_schema[] = {
  F("allow_all_outbound", P_BOOL, struct lua_sg_import, allow_all_outbound),
  F("allow_all_ipv6_outbound", P_BOOL, struct lua_sg_import, allow_all_ipv6_outbound),
  F("mutable", P_BOOL, struct lua_sg_import, is_mutable),
  PROP_END
};

/* SecurityGroup.from_security_group_id(scope, id, security_group_id, options) */
static int security_group_from_id(lua_State *L)
{
  lua_settop(L, 4);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_sg_import opts = {0};
  cJSON *group_id = lsfl_to_json(L, 3, "SecurityGroup.from_security_group_id");
  if(!cJSON_IsString(group_id) && !json_has(group_id, JSON_INTRINSIC | JSON_CONCAT))
    return lsfl_error(L, "SecurityGroup.from_security_group_id: the security group ID must be "
                         "a string, got %s", lsfl_typename(L, 3));
  lsfl_read_props(L, 4, sg_import_schema, &opts,
                  lua_pushfstring(L, "SecurityGroup.from_security_group_id '%s'", id));
  struct diag d = {0};
  struct ec2_security_group *sg = ec2_security_group_import(scope, id, group_id, lsfl_loc(L),
                                                            &d);
  if(!sg)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_SECURITY_GROUP, sg, sg->node);
  return 1;
}

static int sg_get_id(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, ec2_security_group_id(self->obj));
}

static const struct lsfl_getter sg_getters[] = {{"security_group_id", sg_get_id},
                                                {NULL, NULL}};
static const luaL_Reg sg_statics[] = {{"from_security_group_id", security_group_from_id},
                                      {NULL, NULL}};

/* }============ */

/* {============ InstanceType */

static int push_instance_type(lua_State *L, const char *name)
{
  const char *copy = arena_strdup(lsfl_ctx(L)->arena, name);
  if(!copy)
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_INSTANCE_TYPE, (void *)copy, NULL);
  return 1;
}

/* InstanceType("m5.large"): the class table is argument 1. */
static int instance_type_new(lua_State *L)
{
  if(lua_type(L, 1) != LUA_TSTRING)
    return lsfl_error(L, "ec2.InstanceType: expected an instance type name such as "
                         "\"m5.large\", got %s", lsfl_typename(L, 1));
  return push_instance_type(L, lua_tostring(L, 1));
}

static int find(const char *const *list, const char *s)
{
  for(int i = 0; list[i]; i++)
    if(!strcmp(list[i], s))
      return i;
  return -1;
}

/* InstanceType.of(InstanceClass.X, InstanceSize.Y): InstanceClass members hold the class
** name ("m5"), so any of the member's spellings gives the same type. */
static int instance_type_of(lua_State *L)
{
  const char *cls = luaL_checkstring(L, 1), *size = luaL_checkstring(L, 2);
  if(find(ec2_instance_class_names, cls) < 0)
    return lsfl_error(L, "ec2.InstanceType.of: '%s' is not an ec2.InstanceClass", cls);
  if(find(ec2_instance_size_values, size) < 0)
    return lsfl_error(L, "ec2.InstanceType.of: '%s' is not an ec2.InstanceSize", size);
  lua_pushfstring(L, "%s.%s", cls, size);
  return push_instance_type(L, lua_tostring(L, -1));
}

static int instance_type_to_string(lua_State *L)
{
  struct lsfl_box *b = lsfl_check(L, 1, LSFL_BIT(INSTANCE_TYPE), 0, "an ec2.InstanceType");
  lua_pushstring(L, b->obj);
  return 1;
}

static const luaL_Reg instance_type_methods[] = {
  {"to_string", instance_type_to_string}, {"__tostring", instance_type_to_string}, {NULL, NULL}
};
static const luaL_Reg instance_type_statics[] = {{"of", instance_type_of}, {NULL, NULL}};

/* }============ */

void lsfl_register_ec2_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_VPC, NULL, vpc_getters);
  lsfl_new_type(L, LSFL_SECURITY_GROUP, NULL, sg_getters);
  lsfl_new_type(L, LSFL_INSTANCE_TYPE, instance_type_methods, NULL);
}

int lsfl_open_ec2(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_ec2.Vpc", vpc_new, vpc_statics);
  lua_setfield(L, -2, "Vpc");
  lsfl_new_class(L, "sfl.aws_ec2.SecurityGroup", security_group_new, sg_statics);
  lua_setfield(L, -2, "SecurityGroup");
  lsfl_new_class(L, "sfl.aws_ec2.InstanceType", instance_type_new, instance_type_statics);
  lua_setfield(L, -2, "InstanceType");
  lsfl_new_enum(L, "sfl.aws_ec2.SubnetType", ec2_subnet_type_members, ec2_subnet_type_values);
  lua_setfield(L, -2, "SubnetType");
  lsfl_new_enum(L, "sfl.aws_ec2.InstanceClass", ec2_instance_class_members,
                ec2_instance_class_names);
  lua_setfield(L, -2, "InstanceClass");
  lsfl_new_enum(L, "sfl.aws_ec2.InstanceSize", ec2_instance_size_members,
                ec2_instance_size_values);
  lua_setfield(L, -2, "InstanceSize");
  /* SubnetSelection is a struct: the class hands back its table. */
  lua_pushcfunction(L, lsfl_struct_identity);
  lua_setfield(L, -2, "SubnetSelection");
  lsfl_make_strict(L, "sfl.aws_ec2");
  return 1;
}

/*
** mod_ec2.c: `sfl.aws_ec2`: Vpc.from_vpc_attributes, SubnetType, SecurityGroup (new and
** from_security_group_id), InstanceType with InstanceClass and InstanceSize
** (rendering: src/constructs/ec2.c, vpc.c).
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

static const char *const tenancy_members[] = {"DEFAULT", "DEDICATED", "HOST", NULL};
static const char *const tenancies[] = {"default", "dedicated", "host", NULL};

#define SC struct ec2_subnet_config
static const struct lsfl_prop subnet_config_schema[] = {
  REQ("name", P_STRING, SC, name),
  {"subnet_type", P_ENUM, offsetof(SC, subnet_type), PROP_REQUIRED, NULL, NULL,
   ec2_subnet_type_values, 0, NULL},
  {"cidr_mask", P_INT, offsetof(SC, cidr_mask), PROP_NO_TOKEN, NULL, NULL, NULL, 0, NULL},
  F("reserved", P_BOOL, SC, reserved),
  {"map_public_ip_on_launch", P_BOOLEAN, offsetof(SC, map_public_ip_on_launch), PROP_NO_TOKEN,
   NULL, NULL, NULL, 0, NULL},
  PROP_END_SIZED(SC)
};
#undef SC

struct lua_vpc {
  struct ec2_new_vpc_props p;
  const char *ip_addresses;
  cJSON *restrict_value;
};

#define NV struct lua_vpc
#define NO_TOKEN(name, type, field) \
  {name, type, offsetof(NV, field), PROP_NO_TOKEN, NULL, NULL, NULL, 0, NULL}
static const struct lsfl_prop vpc_schema[] = {
  {"ip_addresses", P_USERDATA, offsetof(NV, ip_addresses), 0, NULL, NULL, NULL,
   LSFL_BIT(IP_ADDRESSES), "an ec2.IpAddresses (IpAddresses.cidr(\"10.0.0.0/16\"))"},
  NO_TOKEN("cidr", P_STR, p.cidr),
  NO_TOKEN("max_azs", P_INT, p.max_azs),
  NO_TOKEN("nat_gateways", P_INT, p.nat_gateways),
  F("availability_zones", P_STR_LIST, NV, p.availability_zones),
  {"subnet_configuration", P_NESTED_LIST, offsetof(NV, p.subnet_configuration), 0, NULL,
   subnet_config_schema, NULL, 0, NULL},
  NO_TOKEN("enable_dns_hostnames", P_BOOLEAN, p.enable_dns_hostnames),
  NO_TOKEN("enable_dns_support", P_BOOLEAN, p.enable_dns_support),
  NO_TOKEN("create_internet_gateway", P_BOOLEAN, p.create_internet_gateway),
  F("vpc_name", P_STR, NV, p.vpc_name),
  {"default_instance_tenancy", P_ENUM, offsetof(NV, p.default_instance_tenancy), 0, NULL, NULL,
   tenancies, 0, NULL},
  NO_TOKEN("restrict_default_security_group", P_BOOLEAN, restrict_value),
  PROP_END
};
#undef NO_TOKEN
#undef NV

int lsfl_restrict_default_sg(struct cfn_node *scope, const cJSON *prop)
{
  const struct lsfl_app *app = scope->app->root->model;
  static const char flag[] = "@aws-cdk/aws-ec2:restrictDefaultSecurityGroup";
  return prop ? cJSON_IsTrue(prop) : cJSON_IsTrue(json_get(app->context, flag));
}

/* Vpc(scope, id, props): subnets, route tables, gateways as CDK's Vpc makes them. */
static int vpc_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_vpc p = {0};
  lsfl_read_props(L, 3, vpc_schema, &p, lua_pushfstring(L, "Vpc '%s'", id));
  if(p.ip_addresses && p.p.cidr)
    return lsfl_error(L, "Vpc '%s': supply at most one of ip_addresses or cidr", id);
  if(p.ip_addresses && !(p.p.cidr = arena_own_json(lsfl_ctx(L)->arena,
                                                   cJSON_CreateString(p.ip_addresses))))
    return luaL_error(L, "not enough memory");
  p.p.restrict_default_sg = lsfl_restrict_default_sg(scope, p.restrict_value);
  struct diag d = {0};
  struct ec2_vpc *vpc = ec2_vpc_new(scope, id, &p.p, lsfl_loc(L), &d);
  if(!vpc)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_VPC, vpc, vpc->node);
  return 1;
}

/* IpAddresses.cidr("10.0.0.0/16") */
static int ip_addresses_cidr(lua_State *L)
{
  if(lua_type(L, 1) != LUA_TSTRING)
    return lsfl_error(L, "IpAddresses.cidr: 'cidr' property must be a concrete CIDR string, "
                         "got %s", lsfl_typename(L, 1));
  struct diag d = {0};
  if(ec2_check_cidr(lua_tostring(L, 1), lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  const char *cidr = arena_strdup(lsfl_ctx(L)->arena, lua_tostring(L, 1));
  if(!cidr)
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_IP_ADDRESSES, (void *)cidr, NULL);
  return 1;
}

static const luaL_Reg ip_addresses_statics[] = {{"cidr", ip_addresses_cidr}, {NULL, NULL}};

static int vpc_get_id(lua_State *L, struct lsfl_box *self)
{
  const cJSON *id = ((struct ec2_vpc *)self->obj)->vpc_id;
  if(json_has(id, JSON_INTRINSIC | JSON_CONCAT))
    return lsfl_push_token(L, json_dup(id));
  lsfl_push_json(L, id);
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
  lsfl_new_type(L, LSFL_IP_ADDRESSES, NULL, NULL);
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
  lsfl_new_enum(L, "sfl.aws_ec2.DefaultInstanceTenancy", tenancy_members, tenancies);
  lua_setfield(L, -2, "DefaultInstanceTenancy");
  lsfl_new_class(L, "sfl.aws_ec2.IpAddresses", NULL, ip_addresses_statics);
  lua_setfield(L, -2, "IpAddresses");
  lsfl_new_enum(L, "sfl.aws_ec2.InstanceClass", ec2_instance_class_members,
                ec2_instance_class_names);
  lua_setfield(L, -2, "InstanceClass");
  lsfl_new_enum(L, "sfl.aws_ec2.InstanceSize", ec2_instance_size_members,
                ec2_instance_size_values);
  lua_setfield(L, -2, "InstanceSize");
  /* Struct classes hand back their table. */
  static const char *const structs[] = {"SubnetSelection", "SubnetConfiguration", NULL};
  for(int i = 0; structs[i]; i++) {
    lua_pushcfunction(L, lsfl_struct_identity);
    lua_setfield(L, -2, structs[i]);
  }
  lsfl_make_strict(L, "sfl.aws_ec2");
  return 1;
}

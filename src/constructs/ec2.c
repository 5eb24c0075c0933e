/*
** ec2.c: imported VPCs and subnet selection (aws-ec2/lib/vpc.js, util.js), security groups
** (security-group.js) and the instance type tables (instance-types.js).
*/
#include "constructs/ec2.h"
#include "cfn/token.h"
#include "core/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* {============ VPC */

const char *const ec2_subnet_type_members[] = {
  "PRIVATE_ISOLATED", "ISOLATED", "PRIVATE_WITH_EGRESS", "PRIVATE_WITH_NAT", "PRIVATE",
  "PUBLIC", NULL};
const char *const ec2_subnet_type_values[] = {
  "Isolated", "Deprecated_Isolated", "Private", "Deprecated_Private_NAT",
  "Deprecated_Private", "Public", NULL};

/* selectSubnetObjectsByType's table, in its key order: SubnetType value -> kind. */
static const struct { const char *type; enum ec2_subnet_kind kind; } type_kinds[] = {
  {"Isolated", EC2_ISOLATED}, {"Deprecated_Isolated", EC2_ISOLATED},
  {"Deprecated_Private_NAT", EC2_PRIVATE}, {"Private", EC2_PRIVATE},
  {"Deprecated_Private", EC2_PRIVATE}, {"Public", EC2_PUBLIC},
};

static const char *const kind_fields[] = {"publicSubnet", "privateSubnet", "isolatedSubnet"};
static const char *const kind_defaults[] = {"Public", "Private", "Isolated"};

/* ImportSubnetGroup: checks the counts, gives each subnet its group's name. */
static enum sfl_status import_group(struct ec2_vpc *vpc, const struct ec2_vpc_props *p,
                                    enum ec2_subnet_kind k, struct arena *a,
                                    struct sfl_loc loc, struct diag *d)
{
  int n = cJSON_GetArraySize(p->subnet_ids[k]);
  /* n / 0 is NaN in CDK, so no AZs fails even without subnets. */
  if(!vpc->n_az || n % vpc->n_az)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Number of %sIds (%d) must be a multiple of availability zones (%d).",
                    kind_fields[k], n, vpc->n_az);
  int groups = n / vpc->n_az, n_names = cJSON_GetArraySize(p->subnet_names[k]);
  if(n_names && n_names != groups) {
    char *text = json_to_text(p->subnet_names[k], 0);
    enum sfl_status st = diag_set(d, SFL_ERR_INVALID, loc, "%sNames must have an entry for "
                                  "every corresponding subnet group, got: %s", kind_fields[k],
                                  text ? text : "[]");
    free(text);
    return st;
  }
  vpc->subnet_ids[k] = p->subnet_ids[k] ? p->subnet_ids[k]
                                        : arena_own_json(a, cJSON_CreateArray());
  vpc->subnet_names[k] = arena_own_json(a, cJSON_CreateArray());
  if(!vpc->subnet_ids[k] || !vpc->subnet_names[k])
    return diag_nomem(d);
  for(int i = 0; i < n; i++) {
    /* names[k] past a single default name is undefined in CDK. */
    const cJSON *name = n_names ? cJSON_GetArrayItem(p->subnet_names[k], i / vpc->n_az) : NULL;
    const char *s = n_names ? (cJSON_IsString(name) ? name->valuestring : "undefined")
                            : (i / vpc->n_az ? "undefined" : kind_defaults[k]);
    if(!json_push(vpc->subnet_names[k], cJSON_CreateString(s)))
      return diag_nomem(d);
  }
  return SFL_OK;
}

struct ec2_vpc *ec2_vpc_import(struct cfn_node *scope, const char *id,
                               const struct ec2_vpc_props *p, struct sfl_loc loc,
                               struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct ec2_vpc *vpc = arena_alloc(a, sizeof *vpc);
  if(!vpc)
    return diag_nomem(d), NULL;
  vpc->vpc_id = p->vpc_id;
  vpc->n_az = cJSON_GetArraySize(p->availability_zones);
  for(int k = 0; k < EC2_SUBNET_KINDS; k++)
    if(import_group(vpc, p, (enum ec2_subnet_kind)k, a, loc, d))
      return NULL;
  vpc->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_ec2.ImportedVpc", loc, d);
  if(!vpc->node)
    return NULL;
  vpc->node->model = vpc;
  return vpc;
}

/* Appends the IDs of the subnets of kind k (whose group is `name`, if given). */
static enum sfl_status add_ids(cJSON *out, const struct ec2_vpc *vpc, int k, const char *name,
                               struct diag *d)
{
  const cJSON *n = vpc->subnet_names[k]->child;
  for(const cJSON *s = vpc->subnet_ids[k]->child; s; s = s->next, n = n->next)
    if((!name || !strcmp(n->valuestring, name)) && !json_push(out, json_dup(s)))
      return diag_nomem(d);
  return SFL_OK;
}

/* "There are no subnet groups with name ..." lists the names there are, each once. */
static void list_names(struct strbuf *b, const struct ec2_vpc *vpc)
{
  for(int k = 0; k < EC2_SUBNET_KINDS; k++)
    for(const cJSON *n = vpc->subnet_names[k]->child; n; n = n->next) {
      int seen = 0;
      for(int j = 0; j <= k && !seen; j++)
        for(const cJSON *m = vpc->subnet_names[j]->child; m && m != n && !seen; m = m->next)
          seen = !strcmp(m->valuestring, n->valuestring);
      if(!seen) {
        strbuf_puts(b, b->len ? "," : "");
        strbuf_puts(b, n->valuestring);
      }
    }
}

static cJSON *select_by_name(const struct ec2_vpc *vpc, const char *name, struct sfl_loc loc,
                             struct diag *d)
{
  cJSON *out = cJSON_CreateArray();
  for(int k = 0; out && k < EC2_SUBNET_KINDS; k++)
    if(add_ids(out, vpc, k, name, d))
      return cJSON_Delete(out), NULL;
  if(!out || cJSON_GetArraySize(out))
    return out ? out : (diag_nomem(d), NULL);
  cJSON_Delete(out);
  struct strbuf b = {0};
  list_names(&b, vpc);
  diag_set(d, SFL_ERR_INVALID, loc, "There are no subnet groups with name '%s' in this VPC. "
           "Available names: %s", name, b.buf ? b.buf : "");
  strbuf_free(&b);
  return NULL;
}

static cJSON *select_by_type(const struct ec2_vpc *vpc, const char *type, struct sfl_loc loc,
                             struct diag *d)
{
  size_t n = sizeof type_kinds / sizeof *type_kinds, i = 0;
  while(i < n && strcmp(type_kinds[i].type, type))
    i++;
  int k = i < n ? (int)type_kinds[i].kind : EC2_PRIVATE;
  if(cJSON_GetArraySize(vpc->subnet_ids[k])) {
    cJSON *out = cJSON_CreateArray();
    if(!out || add_ids(out, vpc, k, NULL, d))
      return cJSON_Delete(out), out ? NULL : (diag_nomem(d), NULL);
    return out;
  }
  struct strbuf b = {0};
  for(i = 0; i < n; i++)
    if(cJSON_GetArraySize(vpc->subnet_ids[type_kinds[i].kind])) {
      strbuf_puts(&b, b.len ? "," : "");
      strbuf_puts(&b, type_kinds[i].type);
    }
  diag_set(d, SFL_ERR_INVALID, loc, "There are no '%s' subnet groups in this VPC. "
           "Available types: %s", type, b.buf ? b.buf : "");
  strbuf_free(&b);
  return NULL;
}

cJSON *ec2_vpc_select(const struct ec2_vpc *vpc, const struct ec2_subnet_selection *sel,
                      struct sfl_loc loc, struct diag *d)
{
  static const struct ec2_subnet_selection none;
  if(!sel)
    sel = &none;
  if(sel->subnet_type && sel->subnet_group_name)
    return diag_set(d, SFL_ERR_INVALID, loc, "Only one of 'subnetType,subnetGroupName' can be "
                    "supplied to subnet selection."), NULL;
  if(sel->subnet_group_name)
    return select_by_name(vpc, sel->subnet_group_name, loc, d);
  /* reifySelectionDefaults: private subnets, else isolated ones, else public ones. */
  const char *type = sel->subnet_type ? sel->subnet_type
    : cJSON_GetArraySize(vpc->subnet_ids[EC2_PRIVATE]) ? "Private"
    : cJSON_GetArraySize(vpc->subnet_ids[EC2_ISOLATED]) ? "Isolated" : "Public";
  return select_by_type(vpc, type, loc, d);
}

/* }============ */

/* {============ security groups */

static cJSON *one(cJSON *item)
{
  cJSON *list = cJSON_CreateArray();
  if(!json_push(list, item)) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

static cJSON *egress_rule(int allow_all)
{
  cJSON *r = cJSON_CreateObject();
  json_put_str(r, "CidrIp", allow_all ? "0.0.0.0/0" : "255.255.255.255/32");
  json_put_str(r, "Description", allow_all ? "Allow all outbound traffic by default"
                                           : "Disallow all traffic");
  /* CDK's "match nothing" rule: ICMP type 252, code 86. */
  if(!allow_all)
    json_put_num(r, "FromPort", 252);
  json_put_str(r, "IpProtocol", allow_all ? "-1" : "icmp");
  if(!allow_all)
    json_put_num(r, "ToPort", 86);
  return r;
}

struct ec2_security_group *ec2_security_group_new(struct cfn_node *scope, const char *id,
                                                  const struct ec2_security_group_props *p,
                                                  struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct ec2_security_group *sg = arena_alloc(a, sizeof *sg);
  if(!sg)
    return diag_nomem(d), NULL;
  sg->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_ec2.SecurityGroup", loc, d);
  if(!sg->node)
    return NULL;
  sg->node->model = sg;
  sg->resource = cfn_resource_new(sg->node, "Resource", "AWS::EC2::SecurityGroup",
                                  "aws-cdk-lib.aws_ec2.CfnSecurityGroup", loc, d);
  if(!sg->resource)
    return NULL;
  cJSON *props = sg->resource->props;
  /* Without a description, the construct's path. */
  cJSON *desc = p->description ? json_dup(p->description)
                               : cJSON_CreateString(cfn_node_path(a, sg->node));
  json_put(props, "GroupDescription", desc);
  json_put(props, "GroupName", json_dup(p->security_group_name));
  json_put(props, "SecurityGroupEgress", one(egress_rule(p->allow_all_outbound)));
  json_put(props, "VpcId", json_dup(p->vpc->vpc_id));
  if(!json_get(props, "VpcId") || !json_get(props, "SecurityGroupEgress"))
    return diag_nomem(d), NULL;
  return sg;
}

struct ec2_security_group *ec2_security_group_import(struct cfn_node *scope, const char *id,
                                                     cJSON *group_id, struct sfl_loc loc,
                                                     struct diag *d)
{
  struct ec2_security_group *sg = arena_alloc(scope->app->arena, sizeof *sg);
  if(!sg)
    return diag_nomem(d), NULL;
  sg->imported_id = group_id;
  sg->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_ec2.SecurityGroup", loc, d);
  if(!sg->node)
    return NULL;
  sg->node->model = sg;
  return sg;
}

cJSON *ec2_security_group_id(const struct ec2_security_group *sg)
{
  return sg->resource ? cfn_getatt(sg->resource->logical_id, "GroupId")
                      : json_dup(sg->imported_id);
}

/* }============ */

/* {============ instance types */

const char *const ec2_instance_class_members[] = {
#define INSTANCE_CLASS(member, cls) #member,
#define INSTANCE_SIZE(member, value)
#include "constructs/instance_types.def"
#undef INSTANCE_CLASS
#undef INSTANCE_SIZE
  NULL};
const char *const ec2_instance_class_names[] = {
#define INSTANCE_CLASS(member, cls) cls,
#define INSTANCE_SIZE(member, value)
#include "constructs/instance_types.def"
#undef INSTANCE_CLASS
#undef INSTANCE_SIZE
  NULL};
const char *const ec2_instance_size_members[] = {
#define INSTANCE_CLASS(member, cls)
#define INSTANCE_SIZE(member, value) #member,
#include "constructs/instance_types.def"
#undef INSTANCE_CLASS
#undef INSTANCE_SIZE
  NULL};
const char *const ec2_instance_size_values[] = {
#define INSTANCE_CLASS(member, cls)
#define INSTANCE_SIZE(member, value) value,
#include "constructs/instance_types.def"
#undef INSTANCE_CLASS
#undef INSTANCE_SIZE
  NULL};

/* }============ */

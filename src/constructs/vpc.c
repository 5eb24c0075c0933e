/*
** vpc.c: a new VPC as CDK's Vpc construct makes it (aws-ec2/lib/vpc.js, nat.js,
** ip-addresses.js, network-util.js): the VPC, one subnet per group and availability zone
** with its route table, an internet gateway, NAT gateways with their Elastic IPs, and the
** default routes. IPv4 only; stacks are environment-agnostic, so at most two AZs.
*/
#include "constructs/ec2.h"
#include "cfn/token.h"
#include "core/strbuf.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One subnet being made. */
struct subnet {
  struct cfn_node *node;
  struct cfn_resource *subnet, *table, *assoc, *route;
  const struct ec2_subnet_config *cfg;
  enum ec2_subnet_kind kind;
  int az;                            /* index in the VPC's AZ list */
};

struct build {
  struct ec2_vpc *vpc;
  struct arena *a;
  struct cfn_resource *resource;     /* the AWS::EC2::VPC */
  cJSON *name_tag;                   /* vpcName or the VPC's path */
  cJSON *azs;                        /* array */
  struct subnet *subnets;
  int n_subnets;
  struct sfl_loc loc;
  struct diag *d;
};

/* {============ subnet configuration */

static enum ec2_subnet_kind kind_of(const char *type)
{
  if(!strcmp(type, "Public"))
    return EC2_PUBLIC;
  if(!strcmp(type, "Isolated") || !strcmp(type, "Deprecated_Isolated"))
    return EC2_ISOLATED;
  return EC2_PRIVATE;
}

static struct ec2_subnet_config *config_new(struct arena *a, const char *name, const char *type)
{
  struct ec2_subnet_config *c = arena_alloc(a, sizeof *c);
  if(!c)
    return NULL;
  memset(c, 0, sizeof *c);
  c->name = name;
  c->subnet_type = arena_own_json(a, cJSON_CreateString(type));
  return c->subnet_type ? c : NULL;
}

/* Vpc.DEFAULT_SUBNETS, or DEFAULT_SUBNETS_NO_NAT when nat_gateways is 0. */
static struct vec *default_configs(struct arena *a, int no_nat)
{
  struct vec *v = arena_alloc(a, sizeof *v);
  if(!v)
    return NULL;
  memset(v, 0, sizeof *v);
  struct ec2_subnet_config *pub = config_new(a, "Public", "Public");
  struct ec2_subnet_config *priv = no_nat ? config_new(a, "Isolated", "Isolated")
                                          : config_new(a, "Private", "Private");
  if(!pub || !priv || vec_push(a, v, pub) || vec_push(a, v, priv))
    return NULL;
  return v;
}

/* JSON.stringify(subnetConfiguration), keys as jsii hands them over from Python. */
static char *configs_text(const struct vec *v)
{
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; list && i < v->n; i++) {
    const struct ec2_subnet_config *c = v->items[i];
    cJSON *o = cJSON_CreateObject();
    json_put_str(o, "name", c->name);
    json_put(o, "subnetType", json_dup(c->subnet_type));
    json_put(o, "cidrMask", json_dup(c->cidr_mask));
    if(c->reserved)
      json_put_bool(o, "reserved", 1);
    json_put(o, "mapPublicIpOnLaunch", json_dup(c->map_public_ip_on_launch));
    json_push(list, o);
  }
  char *text = list ? json_to_text(list, 0) : NULL;
  cJSON_Delete(list);
  return text;
}

/* determineNatGatewayCount */
/* A whole-number prop as an int: values beyond int's range (which the props reader lets
** through as numbers) are clamped rather than converted, which would be undefined. */
static int prop_int(const cJSON *v)
{
  double x = v->valuedouble;
  return x >= INT_MAX ? INT_MAX : x <= INT_MIN ? INT_MIN : (int)x;
}

static int nat_count(const struct ec2_new_vpc_props *p, const struct vec *configs, int n_az,
                     struct sfl_loc loc, struct diag *d)
{
  int has_private = 0, has_public = 0, has_egress = 0;
  for(size_t i = 0; i < configs->n; i++) {
    const struct ec2_subnet_config *c = configs->items[i];
    const char *t = c->subnet_type->valuestring;
    has_private |= kind_of(t) == EC2_PRIVATE && !c->reserved;
    has_public |= kind_of(t) == EC2_PUBLIC && !c->reserved;
    has_egress |= !strcmp(t, "Private");
  }
  int asked = p->nat_gateways ? prop_int(p->nat_gateways) : has_private ? n_az : 0;
  int count = asked < n_az ? asked : n_az;
  if(!count && has_private && !has_egress)
    return diag_set(d, SFL_ERR_INVALID, loc, "If you do not want NAT gateways (nat_gateways=0), "
                    "make sure you don't configure any PRIVATE(_WITH_NAT) subnets in "
                    "'subnet_configuration' (make them PUBLIC or ISOLATED instead)"), -1;
  if(count > 0 && !has_public) {
    char *text = configs_text(configs);
    diag_set(d, SFL_ERR_INVALID, loc, "If you configure PRIVATE subnets in "
             "'subnet_configuration', you must also configure PUBLIC subnets to put the NAT "
             "gateways into (got %s.", text ? text : "[]");
    free(text);
    return -1;
  }
  return count;
}

/* }============ */

/* {============ CIDR blocks (NetworkBuilder) */

struct network {
  double next, max;                  /* next free address, last address */
  char cidr[32];                     /* the VPC's block, normalized */
};

static int parse_ip(const char *s, double *out)
{
  unsigned o[4];
  char tail;
  if(sscanf(s, "%u.%u.%u.%u%c", &o[0], &o[1], &o[2], &o[3], &tail) != 4)
    return -1;
  for(int i = 0; i < 4; i++)
    if(o[i] > 255)
      return -1;
  *out = ((o[0] * 256.0 + o[1]) * 256 + o[2]) * 256 + o[3];
  return 0;
}

static void format_block(char *out, size_t size, double address, int mask)
{
  unsigned long n = (unsigned long)address;
  snprintf(out, size, "%lu.%lu.%lu.%lu/%d", n >> 24 & 255, n >> 16 & 255, n >> 8 & 255,
           n & 255, mask);
}

static enum sfl_status network_init(struct network *net, const char *cidr, struct sfl_loc loc,
                                    struct diag *d)
{
  char ip[32];
  const char *slash = strchr(cidr, '/');
  size_t len = slash ? (size_t)(slash - cidr) : strlen(cidr);
  snprintf(ip, sizeof ip, "%.*s", (int)(len < sizeof ip ? len : sizeof ip - 1), cidr);
  double addr;
  if(parse_ip(ip, &addr))
    return diag_set(d, SFL_ERR_INVALID, loc, "%s is not valid", ip);
  char *end = NULL;
  long mask = slash ? strtol(slash + 1, &end, 10) : 0;
  if(slash && (end == slash + 1 || *end || mask < 0 || mask > 32))
    return diag_set(d, SFL_ERR_INVALID, loc, "'%s' is not a valid CIDR block: the mask after "
                    "'/' must be a number from 0 to 32 (e.g. 10.0.0.0/16)", cidr);
  double size = pow(2, 32 - mask);
  /* CidrBlock: the block that holds the address's last one in that size. */
  double top = addr + size - 1;
  net->next = top - fmod(top, size);
  net->max = net->next + size - 1;
  format_block(net->cidr, sizeof net->cidr, net->next, (int)mask);
  return SFL_OK;
}

enum sfl_status ec2_check_cidr(const char *cidr, struct sfl_loc loc, struct diag *d)
{
  struct network net;
  return network_init(&net, cidr, loc, d);
}

static enum sfl_status network_add(struct network *net, int mask, char *out, size_t size,
                                   struct sfl_loc loc, struct diag *d)
{
  if(mask < 16 || mask > 28)
    return diag_set(d, SFL_ERR_INVALID, loc, "x.x.x.x/%d is not a valid VPC CIDR range. VPCs "
                    "must be between /16 and /28 and the minimum subnet size is /28.", mask);
  double block = pow(2, 32 - mask);
  if(net->max < net->next + block - 1)
    return diag_set(d, SFL_ERR_INVALID, loc, "1 of /%d exceeds remaining space of %s", mask,
                    net->cidr);
  double top = net->next + block - 1;
  double start = top - fmod(top, block);
  format_block(out, size, start, mask);
  net->next = start + block;
  return SFL_OK;
}

/* Cidr.allocateSubnetsCidr: given masks first, then the rest split what is left evenly. */
static enum sfl_status allocate(struct build *b, struct network *net, char (*blocks)[32])
{
  int without = 0;
  for(int i = 0; i < b->n_subnets; i++) {
    const cJSON *mask = b->subnets[i].cfg->cidr_mask;
    if(!mask)
      without++;
    else if(network_add(net, prop_int(mask), blocks[i], 32, b->loc, b->d))
      return b->d->status;
  }
  if(!without)
    return SFL_OK;
  int rest = 32 - (int)floor(log2(floor((net->max - net->next + 1) / without)));
  for(int i = 0; i < b->n_subnets; i++)
    if(!b->subnets[i].cfg->cidr_mask && network_add(net, rest, blocks[i], 32, b->loc, b->d))
      return b->d->status;
  return SFL_OK;
}

/* }============ */

/* {============ resources */

static cJSON *tags(const char *subnet_name, const char *subnet_type, cJSON *name)
{
  cJSON *list = cJSON_CreateArray();
  const char *keys[] = {"aws-cdk:subnet-name", "aws-cdk:subnet-type", "Name"};
  cJSON *values[] = {subnet_name ? cJSON_CreateString(subnet_name) : NULL,
                     subnet_type ? cJSON_CreateString(subnet_type) : NULL, name};
  for(int i = 0; i < 3; i++) {
    if(!values[i])
      continue;
    cJSON *tag = cJSON_CreateObject();
    json_put_str(tag, "Key", keys[i]);
    json_put(tag, "Value", values[i]);
    json_push(list, tag);
  }
  return list;
}

static struct cfn_resource *resource(struct build *b, struct cfn_node *parent, const char *id,
                                     const char *type, const char *cls)
{
  char fqn[96];
  snprintf(fqn, sizeof fqn, "aws-cdk-lib.aws_ec2.%s", cls);
  return cfn_resource_new(parent, id, type, arena_strdup(b->a, fqn), b->loc, b->d);
}

static cJSON *ref(const struct cfn_resource *r) { return cfn_ref(r->logical_id); }

static cJSON *az_token(int i)
{
  cJSON *get = cJSON_CreateObject();
  json_put_str(get, "Fn::GetAZs", "");
  get->type |= JSON_INTRINSIC;
  cJSON *args = cJSON_CreateArray();
  json_push(args, cJSON_CreateNumber(i));
  json_push(args, get);
  cJSON *sel = cJSON_CreateObject();
  json_put(sel, "Fn::Select", args);
  sel->type |= JSON_INTRINSIC;
  return sel;
}

static enum sfl_status make_subnet(struct build *b, struct subnet *s, const char *block)
{
  static const char *const type_tags[] = {"Public", "Private", "Isolated"};
  char id[300];
  snprintf(id, sizeof id, "%sSubnet%d", s->cfg->name, s->az + 1);
  s->node = cfn_node_new(b->vpc->node, id, s->kind == EC2_PUBLIC
                         ? "aws-cdk-lib.aws_ec2.PublicSubnet" : "aws-cdk-lib.aws_ec2.PrivateSubnet",
                         b->loc, b->d);
  if(!s->node)
    return b->d->status;
  const char *path = cfn_node_path(b->a, s->node);
  s->subnet = resource(b, s->node, "Subnet", "AWS::EC2::Subnet", "CfnSubnet");
  if(!s->subnet)
    return b->d->status;
  cJSON *p = s->subnet->props;
  json_put(p, "AvailabilityZone", json_dup(cJSON_GetArrayItem(b->azs, s->az)));
  json_put_str(p, "CidrBlock", block);
  const cJSON *map = s->cfg->map_public_ip_on_launch;
  json_put_bool(p, "MapPublicIpOnLaunch", s->kind == EC2_PUBLIC && (!map || cJSON_IsTrue(map)));
  json_put(p, "Tags", tags(s->cfg->name, type_tags[s->kind], cJSON_CreateString(path)));
  json_put(p, "VpcId", ref(b->resource));
  s->table = resource(b, s->node, "RouteTable", "AWS::EC2::RouteTable", "CfnRouteTable");
  if(!s->table)
    return b->d->status;
  json_put(s->table->props, "Tags", tags(NULL, NULL, cJSON_CreateString(path)));
  json_put(s->table->props, "VpcId", ref(b->resource));
  s->assoc = resource(b, s->node, "RouteTableAssociation",
                      "AWS::EC2::SubnetRouteTableAssociation",
                      "CfnSubnetRouteTableAssociation");
  if(!s->assoc)
    return b->d->status;
  json_put(s->assoc->props, "RouteTableId", ref(s->table));
  json_put(s->assoc->props, "SubnetId", ref(s->subnet));
  return json_get(s->assoc->props, "SubnetId") ? SFL_OK : diag_nomem(b->d);
}

/* A 0.0.0.0/0 route of the subnet's table through `key` (GatewayId, NatGatewayId). */
static struct cfn_resource *default_route(struct build *b, struct subnet *s, const char *key,
                                          cJSON *target)
{
  struct cfn_resource *r = resource(b, s->node, "DefaultRoute", "AWS::EC2::Route", "CfnRoute");
  if(!r)
    return cJSON_Delete(target), NULL;
  json_put_str(r->props, "DestinationCidrBlock", "0.0.0.0/0");
  json_put(r->props, key, target);
  json_put(r->props, "RouteTableId", ref(s->table));
  return r;
}

/* PublicSubnet.addNatGateway: an Elastic IP and the gateway, once the subnet reaches out. */
static struct cfn_resource *nat_gateway(struct build *b, struct subnet *s)
{
  const char *path = cfn_node_path(b->a, s->node);
  struct cfn_resource *eip = resource(b, s->node, "EIP", "AWS::EC2::EIP", "CfnEIP");
  if(!eip)
    return NULL;
  json_put_str(eip->props, "Domain", "vpc");
  json_put(eip->props, "Tags", tags(NULL, NULL, cJSON_CreateString(path)));
  struct cfn_resource *nat = resource(b, s->node, "NATGateway", "AWS::EC2::NatGateway",
                                      "CfnNatGateway");
  if(!nat)
    return NULL;
  json_put(nat->props, "AllocationId", cfn_getatt(eip->logical_id, "AllocationId"));
  json_put(nat->props, "SubnetId", ref(s->subnet));
  json_put(nat->props, "Tags", tags(NULL, NULL, cJSON_CreateString(path)));
  if(cfn_depends_on(nat, s->assoc->node) || (s->route && cfn_depends_on(nat, s->route->node)))
    return diag_nomem(b->d), NULL;
  return nat;
}

/* NatGatewayProvider.configureNat: gateways in the first `count` public subnets, and each
** private subnet routed through the one in its AZ, else the next one round the list. */
static enum sfl_status make_nats(struct build *b, int count)
{
  struct cfn_resource **gws = arena_alloc(b->a, (size_t)(count + 1) * sizeof *gws);
  int *gw_az = arena_alloc(b->a, (size_t)(count + 1) * sizeof *gw_az);
  if(!gws || !gw_az)
    return diag_nomem(b->d);
  int n = 0, next = 0;
  for(int i = 0; i < b->n_subnets && n < count; i++)
    if(b->subnets[i].node && b->subnets[i].kind == EC2_PUBLIC) {
      if(!(gws[n] = nat_gateway(b, &b->subnets[i])))
        return b->d->status;
      gw_az[n++] = b->subnets[i].az;
    }
  for(int i = 0; i < b->n_subnets; i++) {
    struct subnet *s = &b->subnets[i];
    if(!s->node || s->kind != EC2_PRIVATE)
      continue;
    int pick = -1;
    for(int g = 0; g < n && pick < 0; g++)
      if(gw_az[g] == s->az)
        pick = g;
    if(pick < 0 && n)
      pick = next++ % n;
    if(pick >= 0 && !default_route(b, s, "NatGatewayId", ref(gws[pick])))
      return b->d->status;
  }
  return SFL_OK;
}

static enum sfl_status make_gateways(struct build *b, const struct ec2_new_vpc_props *p,
                                     const struct vec *configs, int nats)
{
  int outbound = 0;
  for(size_t i = 0; i < configs->n; i++) {
    const struct ec2_subnet_config *c = configs->items[i];
    outbound |= kind_of(c->subnet_type->valuestring) != EC2_ISOLATED && !c->reserved;
  }
  if(!outbound || (p->create_internet_gateway && !cJSON_IsTrue(p->create_internet_gateway)))
    return SFL_OK;
  struct cfn_resource *igw = resource(b, b->vpc->node, "IGW", "AWS::EC2::InternetGateway",
                                      "CfnInternetGateway");
  if(!igw)
    return b->d->status;
  json_put(igw->props, "Tags", tags(NULL, NULL, json_dup(b->name_tag)));
  struct cfn_resource *att = resource(b, b->vpc->node, "VPCGW",
                                      "AWS::EC2::VPCGatewayAttachment",
                                      "CfnVPCGatewayAttachment");
  if(!att)
    return b->d->status;
  json_put(att->props, "InternetGatewayId", ref(igw));
  json_put(att->props, "VpcId", ref(b->resource));
  for(int i = 0; i < b->n_subnets; i++) {
    struct subnet *s = &b->subnets[i];
    if(!s->node || s->kind != EC2_PUBLIC)
      continue;
    if(!(s->route = default_route(b, s, "GatewayId", ref(igw))))
      return b->d->status;
    if(cfn_depends_on(s->route, att->node))
      return diag_nomem(b->d);
  }
  return nats > 0 ? make_nats(b, nats) : SFL_OK;
}

/* }============ */

static enum sfl_status check_props(const struct ec2_new_vpc_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  if(p->restrict_default_sg)
    return diag_set(d, SFL_ERR_INVALID, loc, "sfl cannot make the custom resource (a Lambda "
                    "function) CDK adds to restrict the VPC's default security group: set "
                    "restrict_default_security_group = false on the ec2.Vpc, or turn off the "
                    "feature flag @aws-cdk/aws-ec2:restrictDefaultSecurityGroup");
  if(cJSON_IsTrue(p->enable_dns_hostnames) && !cJSON_IsTrue(p->enable_dns_support))
    return diag_set(d, SFL_ERR_INVALID, loc, "To use DNS Hostnames, DNS Support must be "
                    "enabled, however, it was explicitly disabled.");
  if(p->availability_zones && p->max_azs)
    return diag_set(d, SFL_ERR_INVALID, loc, "Vpc supports 'availability_zones' or 'max_azs', "
                    "but not both.");
  for(size_t i = 0; p->subnet_configuration && i < p->subnet_configuration->n; i++) {
    const struct ec2_subnet_config *c = p->subnet_configuration->items[i];
    if(c->map_public_ip_on_launch && kind_of(c->subnet_type->valuestring) != EC2_PUBLIC)
      return diag_set(d, SFL_ERR_INVALID, loc, "%s subnet cannot include "
                      "map_public_ip_on_launch parameter", c->subnet_type->valuestring);
  }
  return SFL_OK;
}

/* The subnets to make: each group in each AZ, in that order. */
static enum sfl_status plan_subnets(struct build *b, const struct vec *configs)
{
  int n_az = cJSON_GetArraySize(b->azs);
  b->n_subnets = (int)configs->n * n_az;
  b->subnets = arena_alloc(b->a, (size_t)(b->n_subnets + 1) * sizeof *b->subnets);
  if(!b->subnets)
    return diag_nomem(b->d);
  memset(b->subnets, 0, (size_t)(b->n_subnets + 1) * sizeof *b->subnets);
  for(int i = 0; i < b->n_subnets; i++) {
    struct subnet *s = &b->subnets[i];
    s->cfg = configs->items[i / n_az];
    s->kind = kind_of(s->cfg->subnet_type->valuestring);
    s->az = i % n_az;
  }
  return SFL_OK;
}

/* The imported-VPC view (subnet IDs and group names by kind) that selections read. */
static enum sfl_status fill_view(struct build *b)
{
  struct ec2_vpc *vpc = b->vpc;
  vpc->vpc_id = arena_own_json(b->a, ref(b->resource));
  vpc->n_az = cJSON_GetArraySize(b->azs);
  for(int k = 0; k < EC2_SUBNET_KINDS; k++) {
    vpc->subnet_ids[k] = arena_own_json(b->a, cJSON_CreateArray());
    vpc->subnet_names[k] = arena_own_json(b->a, cJSON_CreateArray());
    if(!vpc->subnet_ids[k] || !vpc->subnet_names[k])
      return diag_nomem(b->d);
  }
  for(int i = 0; i < b->n_subnets; i++) {
    const struct subnet *s = &b->subnets[i];
    if(s->node && (!json_push(vpc->subnet_ids[s->kind], ref(s->subnet))
                   || !json_push(vpc->subnet_names[s->kind], cJSON_CreateString(s->cfg->name))))
      return diag_nomem(b->d);
  }
  return vpc->vpc_id ? SFL_OK : diag_nomem(b->d);
}

static enum sfl_status make_vpc_resource(struct build *b, const struct ec2_new_vpc_props *p,
                                         const char *cidr)
{
  b->resource = resource(b, b->vpc->node, "Resource", "AWS::EC2::VPC", "CfnVPC");
  if(!b->resource)
    return b->d->status;
  cJSON *props = b->resource->props;
  json_put_str(props, "CidrBlock", cidr);
  json_put_bool(props, "EnableDnsHostnames", !p->enable_dns_hostnames
                || cJSON_IsTrue(p->enable_dns_hostnames));
  json_put_bool(props, "EnableDnsSupport", !p->enable_dns_support
                || cJSON_IsTrue(p->enable_dns_support));
  json_put(props, "InstanceTenancy", p->default_instance_tenancy
           ? json_dup(p->default_instance_tenancy) : cJSON_CreateString("default"));
  json_put(props, "Tags", tags(NULL, NULL, json_dup(b->name_tag)));
  return json_get(props, "Tags") ? SFL_OK : diag_nomem(b->d);
}

struct ec2_vpc *ec2_vpc_new(struct cfn_node *scope, const char *id,
                            const struct ec2_new_vpc_props *p, struct sfl_loc loc,
                            struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct build b = {.a = a, .loc = loc, .d = d};
  if(check_props(p, loc, d))
    return NULL;
  struct network net;
  if(network_init(&net, p->cidr ? p->cidr->valuestring : "10.0.0.0/16", loc, d))
    return NULL;
  b.vpc = arena_alloc(a, sizeof *b.vpc);
  if(!b.vpc || !(b.vpc->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_ec2.Vpc", loc, d)))
    return b.vpc ? NULL : (diag_nomem(d), NULL);
  b.vpc->node->model = b.vpc;
  b.name_tag = arena_own_json(a, p->vpc_name ? json_dup(p->vpc_name)
                              : cJSON_CreateString(cfn_node_path(a, b.vpc->node)));
  /* The stack's AZs: two tokens in an environment-agnostic stack. */
  int max = p->max_azs ? prop_int(p->max_azs) : 3;
  b.azs = p->availability_zones ? p->availability_zones : arena_own_json(a, cJSON_CreateArray());
  for(int i = 0; !p->availability_zones && b.azs && i < 2 && i < max; i++)
    json_push(b.azs, az_token(i));
  int no_nat = p->nat_gateways && p->nat_gateways->valuedouble == 0;
  const struct vec *configs = p->subnet_configuration ? p->subnet_configuration
                                                      : default_configs(a, no_nat);
  if(!b.name_tag || !b.azs || !configs)
    return diag_nomem(d), NULL;
  int nats = nat_count(p, configs, cJSON_GetArraySize(b.azs), loc, d);
  if(nats < 0 || make_vpc_resource(&b, p, net.cidr) || plan_subnets(&b, configs))
    return NULL;
  char (*blocks)[32] = arena_alloc(a, (size_t)(b.n_subnets + 1) * sizeof *blocks);
  if(!blocks)
    return diag_nomem(d), NULL;
  if(allocate(&b, &net, blocks))
    return NULL;
  for(int i = 0; i < b.n_subnets; i++)
    if(!b.subnets[i].cfg->reserved && make_subnet(&b, &b.subnets[i], blocks[i]))
      return NULL;
  if(make_gateways(&b, p, configs, nats) || fill_view(&b))
    return NULL;
  return b.vpc;
}

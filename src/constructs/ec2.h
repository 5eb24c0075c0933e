/*
** ec2.h: the aws_ec2 pieces a state machine's tasks use: a VPC imported by its attributes
** (Vpc.fromVpcAttributes) and its subnet selection, security groups (new, with CDK's
** egress rules, or imported by ID), and instance type names.
**
** Everything lives in the app's arena; cJSON values are arena-owned and may be tokens.
*/
#ifndef SFL_CONSTRUCTS_EC2_H
#define SFL_CONSTRUCTS_EC2_H

#include "cfn/construct.h"

/* The subnet kinds of a VPC, in the order CDK's imported VPC lists them. */
enum ec2_subnet_kind { EC2_PUBLIC, EC2_PRIVATE, EC2_ISOLATED, EC2_SUBNET_KINDS };

/* aws_ec2.SubnetType: member names and values (CDK's strings). */
extern const char *const ec2_subnet_type_members[];
extern const char *const ec2_subnet_type_values[];

struct ec2_vpc_props {
  cJSON *vpc_id;
  cJSON *availability_zones;               /* array */
  cJSON *subnet_ids[EC2_SUBNET_KINDS];     /* arrays or NULL */
  cJSON *subnet_names[EC2_SUBNET_KINDS];   /* arrays or NULL */
};

struct ec2_vpc {
  struct cfn_node *node;
  cJSON *vpc_id;
  int n_az;
  cJSON *subnet_ids[EC2_SUBNET_KINDS];     /* arrays (maybe empty) */
  cJSON *subnet_names[EC2_SUBNET_KINDS];   /* each subnet's group name */
};

/* SubnetSelection: subnet_type (a SubnetType value) or subnet_group_name, or neither. */
struct ec2_subnet_selection {
  const char *subnet_type;
  const char *subnet_group_name;
};

struct ec2_vpc *ec2_vpc_import(struct cfn_node *scope, const char *id,
                               const struct ec2_vpc_props *p, struct sfl_loc loc,
                               struct diag *d);
/* vpc.selectSubnets(selection).subnetIds (NULL selection: the default one): a new array, or
   NULL with `d` set. */
cJSON *ec2_vpc_select(const struct ec2_vpc *vpc, const struct ec2_subnet_selection *sel,
                      struct sfl_loc loc, struct diag *d);

/* SubnetConfiguration (a Vpc's subnet groups). */
struct ec2_subnet_config {
  const char *name;
  cJSON *subnet_type;              /* a SubnetType value */
  cJSON *cidr_mask;                /* number or NULL */
  int reserved;
  cJSON *map_public_ip_on_launch;  /* boolean or NULL */
};

/* new Vpc(...) (vpc.c): what sfl reads of VpcProps. */
struct ec2_new_vpc_props {
  cJSON *cidr;                     /* "10.0.0.0/16" by default */
  cJSON *max_azs, *nat_gateways, *availability_zones;
  struct vec *subnet_configuration;   /* struct ec2_subnet_config*, or NULL */
  cJSON *enable_dns_hostnames, *enable_dns_support, *create_internet_gateway;
  cJSON *vpc_name, *default_instance_tenancy;
  int restrict_default_sg;         /* CDK would add its custom resource: sfl refuses */
};

/* Does `cidr` parse as CDK's CidrBlock reads it ("10.0.0.0/16")? */
enum sfl_status ec2_check_cidr(const char *cidr, struct sfl_loc loc, struct diag *d);
struct ec2_vpc *ec2_vpc_new(struct cfn_node *scope, const char *id,
                            const struct ec2_new_vpc_props *p, struct sfl_loc loc,
                            struct diag *d);

struct ec2_security_group_props {
  const struct ec2_vpc *vpc;
  cJSON *description, *security_group_name;
  int allow_all_outbound;                  /* the binding defaults it to 1 */
};

struct ec2_security_group {
  struct cfn_node *node;
  struct cfn_resource *resource;           /* NULL when imported */
  cJSON *imported_id;
};

struct ec2_security_group *ec2_security_group_new(struct cfn_node *scope, const char *id,
                                                  const struct ec2_security_group_props *p,
                                                  struct sfl_loc loc, struct diag *d);
struct ec2_security_group *ec2_security_group_import(struct cfn_node *scope, const char *id,
                                                     cJSON *group_id, struct sfl_loc loc,
                                                     struct diag *d);
/* securityGroupId: {"Fn::GetAtt": [sg, "GroupId"]} or the imported ID (a new tree). */
cJSON *ec2_security_group_id(const struct ec2_security_group *sg);

/* InstanceClass members and the class names they stand for; InstanceSize members/values. */
extern const char *const ec2_instance_class_members[];
extern const char *const ec2_instance_class_names[];
extern const char *const ec2_instance_size_members[];
extern const char *const ec2_instance_size_values[];

#endif

/*
** test_logical_id.c: CDK's makeUniqueId, checked against IDs real CDK produced
** (shared/cdk-reference/out), and the path collation used for DependsOn.
*/
#include "check.h"
#include "cfn/construct.h"
#include "cfn/template.h"

static struct arena *a;

static void id_is(const char *want, int n, const char *c1, const char *c2, const char *c3,
                  const char *c4)
{
  const char *comps[] = {c1, c2, c3, c4};
  CHECK_STR(cfn_logical_id(a, comps, (size_t)n), want);
}

int main(void)
{
  a = arena_new();
  id_is("HelloFunctionServiceRole186F1BA8", 3, "HelloFunction", "ServiceRole", "Resource", 0);
  id_is("HelloFunctionD909AE8C", 2, "HelloFunction", "Resource", 0, 0);
  id_is("helloworkflowRoleDefaultPolicy50901F3E", 4, "hello_workflow", "Role", "DefaultPolicy",
        "Resource");
  id_is("helloworkflow9AA332D3", 2, "hello_workflow", "Resource", 0, 0);
  id_is("WorkflowMachine0C2E3460", 3, "Workflow", "Machine", "Resource", 0);
  id_is("CreateClusterServiceRoleDefaultPolicy62BF7633", 4, "Create Cluster", "ServiceRole",
        "DefaultPolicy", "Resource");
  id_is("CreateClusterInstanceProfileA28AB9F2", 2, "Create Cluster", "InstanceProfile", 0, 0);
  /* One component (after dropping "Default") keeps its cleaned id, without a hash. */
  id_is("CDKMetadata", 2, "CDKMetadata", "Default", 0, 0);
  id_is("BootstrapVersion", 1, "BootstrapVersion", 0, 0, 0);

  /* localeCompare: punctuation before letters, case folded first. */
  CHECK(cfn_locale_compare("m/Role/DefaultPolicy/Resource", "m/Role/Resource") < 0);
  CHECK(cfn_locale_compare("a/b", "a-b") > 0);
  CHECK(cfn_locale_compare("abc", "ABD") < 0);
  CHECK(cfn_locale_compare("abc", "Abc") < 0);
  CHECK(cfn_locale_compare("x_y", "xa") < 0);
  CHECK(cfn_locale_compare("same", "same") == 0);
  arena_free(a);
  return check_done("test_logical_id");
}

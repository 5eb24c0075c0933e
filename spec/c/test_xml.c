/*
** test_xml.c: deploy/xml.c reads STS answers and AWS error documents; bad documents,
** DOCTYPEs and deep nesting are refused with a message saying where.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deploy/xml.h"

static const char sts_ok[] =
  "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
  "  <AssumeRoleResult>\n"
  "    <Credentials>\n"
  "      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
  "      <SecretAccessKey>wJalr&amp;&lt;EXAMPLE</SecretAccessKey>\n"
  "      <SessionToken>tok</SessionToken>\n"
  "      <Expiration>2026-12-06T06:00:00Z</Expiration>\n"
  "    </Credentials>\n"
  "    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn></AssumedRoleUser>\n"
  "  </AssumeRoleResult>\n"
  "</AssumeRoleResponse>\n";

static const char sts_error[] =
  "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
  "  <Error><Type>Sender</Type><Code>AccessDenied</Code>\n"
  "    <Message>User: arn:aws:iam::1:user/x is not authorized to perform: "
  "sts:AssumeRole</Message></Error>\n"
  "  <RequestId>c6104cbe</RequestId>\n"
  "</ErrorResponse>\n";

static void reads(void)
{
  struct xml_doc doc;
  struct diag d = {0};
  CHECK(xml_parse(sts_ok, strlen(sts_ok), &doc, &d) == SFL_OK);
  CHECK_STR(xml_find(&doc, "Credentials/AccessKeyId"), "ASIAEXAMPLE");
  CHECK_STR(xml_find(&doc, "SecretAccessKey"), "wJalr&<EXAMPLE");
  CHECK_STR(xml_find(&doc, "AssumeRoleResponse/AssumeRoleResult/Credentials/Expiration"),
            "2026-12-06T06:00:00Z");
  CHECK(xml_find(&doc, "Arn") != NULL);
  CHECK(xml_find(&doc, "rn") == NULL);          /* a tail matches whole names only */
  CHECK(xml_find(&doc, "Credentials/Nope") == NULL);
  CHECK(xml_aws_error(&doc) == NULL);
  xml_free(&doc);

  CHECK(xml_parse(sts_error, strlen(sts_error), &doc, &d) == SFL_OK);
  char *e = xml_aws_error(&doc);
  CHECK_STR(e, "AccessDenied: User: arn:aws:iam::1:user/x is not authorized to perform: "
               "sts:AssumeRole");
  free(e);
  xml_free(&doc);

  /* S3's shape: Error at the root; a missing Message leaves the Code alone */
  const char *s3 = "<Error><Code>NoSuchBucket</Code></Error>";
  CHECK(xml_parse(s3, strlen(s3), &doc, &d) == SFL_OK);
  e = xml_aws_error(&doc);
  CHECK_STR(e, "NoSuchBucket");
  free(e);
  xml_free(&doc);
}

/* A DescribeStackEvents answer: two members, each with a nested list of its own. */
static const char events[] =
  "<DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents>"
  "<member><LogicalResourceId>Role</LogicalResourceId>"
  "<Tags><member><Key>a</Key></member><member><Key>b</Key></member></Tags>"
  "<ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>"
  "<member><LogicalResourceId>Machine</LogicalResourceId>"
  "<ResourceStatus>CREATE_FAILED</ResourceStatus></member>"
  "</StackEvents><NextToken>t</NextToken></DescribeStackEventsResult>"
  "</DescribeStackEventsResponse>";

static void members(void)
{
  struct xml_doc doc, m, tag;
  struct diag d = {0};
  CHECK(xml_parse(events, strlen(events), &doc, &d) == SFL_OK);
  CHECK(xml_count(&doc, "StackEvents/member") == 2);
  CHECK(xml_count(&doc, "Tags/member") == 2);
  size_t at = 0;
  CHECK(xml_next(&doc, "StackEvents/member", &at, &m));
  CHECK_STR(xml_find(&m, "LogicalResourceId"), "Role");
  CHECK_STR(xml_find(&m, "ResourceStatus"), "CREATE_COMPLETE");
  size_t t = 0;
  CHECK(xml_next(&m, "Tags/member", &t, &tag) && !strcmp(xml_find(&tag, "Key"), "a"));
  CHECK(xml_next(&m, "Tags/member", &t, &tag) && !strcmp(xml_find(&tag, "Key"), "b"));
  CHECK(!xml_next(&m, "Tags/member", &t, &tag));
  CHECK(xml_next(&doc, "StackEvents/member", &at, &m));
  CHECK_STR(xml_find(&m, "LogicalResourceId"), "Machine");
  CHECK(xml_find(&m, "Key") == NULL);           /* the first member's tags are not in it */
  CHECK(xml_find(&m, "NextToken") == NULL);
  CHECK(!xml_next(&doc, "StackEvents/member", &at, &m));
  CHECK(!xml_next(&doc, "StackEvents/member", &at, &m));   /* stays at the end */
  CHECK(xml_count(&doc, "Outputs/member") == 0);
  xml_free(&doc);
}

static void refuses(const char *text, const char *msg)
{
  struct xml_doc doc;
  struct diag d = {0};
  CHECK(xml_parse(text, strlen(text), &doc, &d) == SFL_ERR_IO);
  CHECK_STR(d.msg, msg);
  CHECK(doc.n == 0 && doc.leaf == NULL);
}

int main(void)
{
  reads();
  members();
  refuses("<a><b>x</a>", "the XML response is not valid at line 1, column 10: mismatched tag");
  refuses("", "the XML response is not valid at line 1, column 1: no element found");
  refuses("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
          "the XML response is not valid at line 1, column 34: a DOCTYPE declaration is "
          "not accepted");
  char deep[200] = "";
  for(int i = 0; i < 33; i++)
    strcat(deep, "<a>");
  refuses(deep, "the XML response is not valid at line 1, column 100: elements are nested "
          "too deeply");
  return check_done("test_xml");
}

/*
** xml.h: AWS query-protocol responses (STS, CloudFormation) and their error documents,
** read with libexpat into a flat list of leaf elements named by their path.
*/
#ifndef SFL_DEPLOY_XML_H
#define SFL_DEPLOY_XML_H

#include <stddef.h>

#include "core/diag.h"

struct xml_leaf {
  char *path;   /* element names from the root, '/'-separated: "ErrorResponse/Error/Code" */
  char *text;   /* its character data, as written (entities decoded) */
};

struct xml_doc {
  struct xml_leaf *leaf;
  size_t n, cap;
};

/* Parses a whole document. DOCTYPE declarations (entities) and nesting deeper than
** XML_MAX_DEPTH are refused; the message says where expat stopped. */
#define XML_MAX_DEPTH 32
enum sfl_status xml_parse(const char *buf, size_t len, struct xml_doc *doc, struct diag *d);
/* The text of the first element whose path ends with `tail` at a '/' boundary
** ("Error/Code" finds "ErrorResponse/Error/Code"), or NULL. */
const char *xml_find(const struct xml_doc *doc, const char *tail);
/* An AWS error document: "Code: Message", both verbatim; NULL when doc is not one
** (malloc'd; the caller frees). */
char *xml_aws_error(const struct xml_doc *doc);
/*
** Repeated elements (DescribeStackEvents' StackEvents/member, DescribeChangeSet's
** Changes/member, a stack's Outputs/member): each call moves *cursor past the next element
** whose path ends with `tail` (as xml_find matches it) and makes *member a view of that
** element and everything inside it, in document order, so xml_find(member, "LogicalResourceId")
** reads that one member. Returns 0 when there is no further one. A member borrows doc's
** leaves: it lives as long as doc and is never given to xml_free(). Start with *cursor = 0:
**
**   size_t at = 0;
**   for(struct xml_doc ev; xml_next(&doc, "StackEvents/member", &at, &ev);)
**     puts(xml_find(&ev, "ResourceStatus"));
*/
int xml_next(const struct xml_doc *doc, const char *tail, size_t *cursor,
             struct xml_doc *member);
/* How many members xml_next() walks through. */
size_t xml_count(const struct xml_doc *doc, const char *tail);
void xml_free(struct xml_doc *doc);

#endif

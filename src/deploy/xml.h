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
void xml_free(struct xml_doc *doc);

#endif

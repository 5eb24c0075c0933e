/*
** ini.h: the shared config and credentials files (~/.aws/config, ~/.aws/credentials) as
** the AWS CLI reads them (Python's configparser, as botocore's configloader uses it):
** "[section]" headers, "key = value" or "key: value" lines, keys folded to lower case,
** whole-line comments starting with '#' or ';' (no inline comments), and indented lines
** continuing the value above (how nested settings such as "s3 =\n  max_bandwidth = 1MB"
** are written; their text stays in that value).
**
** Ownership: an ini_doc owns every string it hands out; ini_free() frees them all.
*/
#ifndef SFL_DEPLOY_INI_H
#define SFL_DEPLOY_INI_H

#include <stddef.h>

#include "core/diag.h"

struct ini_entry {
  const char *section, *key, *value;
};

struct ini_doc {
  struct ini_entry *entries;
  size_t n, cap;
};

/*
** Parses `len` bytes of `text`; `file` names it in messages ("FILE:LINE: ..."). A line
** that is neither a header, a setting, a comment nor a continuation, or a setting before
** any header, is SFL_ERR_INVALID. Returns NULL with `d` set on failure.
*/
struct ini_doc *ini_parse(const char *text, size_t len, const char *file, struct diag *d);
/* The value of `key` in `section` (the last one when repeated), or NULL. */
const char *ini_get(const struct ini_doc *ini, const char *section, const char *key);
/* Whether the document has a section of that name. */
int ini_has_section(const struct ini_doc *ini, const char *section);
void ini_free(struct ini_doc *ini);

#endif

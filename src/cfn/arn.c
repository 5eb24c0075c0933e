/*
** arn.c: Arn.split for literal ARNs (core/lib/arn.js).
*/
#include "cfn/arn.h"

#include <string.h>

#define ARN_MAX_PARTS 64

/* Splits `s` at every ':' into arena strings; the count, or -1 when out of memory. */
static int split_colons(struct arena *a, const char *s, const char **parts)
{
  int n = 0;
  for(const char *p = s; n < ARN_MAX_PARTS; n++) {
    const char *colon = strchr(p, ':');
    size_t len = colon ? (size_t)(colon - p) : strlen(p);
    if(!(parts[n] = arena_strndup(a, p, len)))
      return -1;
    if(!colon)
      return n + 1;
    p = colon + 1;
  }
  return n;
}

static enum sfl_status check_shape(const char *arn, const char **parts, int n,
                                   struct sfl_loc loc, struct diag *d)
{
  static const struct { int index; const char *what; } required[] = {
    {1, "The `partition` component (2nd component)"},
    {2, "The `service` component (3rd component)"},
    {5, "The `resource` component (6th component)"},
  };
  for(size_t i = 0; i < sizeof required / sizeof *required; i++)
    if(n <= required[i].index || !*parts[required[i].index])
      return diag_set(d, SFL_ERR_INVALID, loc, "%s of an ARN is required: %s",
                      required[i].what, arn);
  return SFL_OK;
}

/* resourceName from the `rest` after the 6th component, joined with ':'. */
static const char *join_rest(struct arena *a, const char *name, const char **rest, int n)
{
  for(int i = 0; i < n; i++) {
    name = name ? arena_printf(a, "%s:%s", name, rest[i]) : rest[i];
    if(!name)
      return NULL;
  }
  return name;
}

enum sfl_status cfn_arn_split(struct arena *a, const char *arn, enum cfn_arn_format format,
                              struct cfn_arn_parts *out, struct sfl_loc loc, struct diag *d)
{
  const char *parts[ARN_MAX_PARTS];
  memset(out, 0, sizeof *out);
  if(strncmp(arn, "arn:", 4))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "ARNs must start with \"arn:\" and have at least 6 components: %s", arn);
  int n = split_colons(a, arn, parts);
  if(n < 0)
    return diag_nomem(d);
  if(check_shape(arn, parts, n, loc, d))
    return d->status;
  out->partition = parts[1];
  out->service = parts[2];
  out->region = parts[3];
  out->account = parts[4];
  const char *typed = parts[5];
  size_t start = 0;
  const char *slash = strchr(typed, '/');
  if(slash == typed) {
    start = 1;
    slash = strchr(typed + 1, '/');
  }
  if(slash && format == ARN_NO_RESOURCE_NAME)
    slash = NULL;
  if(slash) {
    out->resource = arena_strndup(a, typed + start, (size_t)(slash - typed) - start);
    out->resource_name = arena_strdup(a, slash + 1);
  }
  else
    out->resource = typed;
  if(!out->resource || (slash && !out->resource_name))
    return diag_nomem(d);
  if(out->resource_name && !*out->resource_name)
    out->resource_name = NULL;
  if(n > 6 && !(out->resource_name = join_rest(a, out->resource_name, parts + 6, n - 6)))
    return diag_nomem(d);
  return SFL_OK;
}

/*
** arn.c: Arn.split for literal ARNs (core/lib/arn.js).
*/
#include "cfn/arn.h"
#include "cfn/token.h"

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

static cJSON *own_str(struct arena *a, const char *s)
{
  return s ? arena_own_json(a, cJSON_CreateString(s)) : NULL;
}

/* Fn::Select(i, Fn::Split(":", arn)), and Fn::Split("/") inside it when `slash` >= 0. */
static cJSON *select_part(struct arena *a, const cJSON *arn, int index, int slash)
{
  cJSON *part = cfn_select_split(index, ":", json_dup(arn));
  return arena_own_json(a, slash < 0 ? part : cfn_select_split(slash, "/", part));
}

enum sfl_status cfn_arn_split_value(struct arena *a, const cJSON *arn,
                                    enum cfn_arn_format format, struct cfn_arn_values *out,
                                    struct sfl_loc loc, struct diag *d)
{
  memset(out, 0, sizeof *out);
  if(json_has(arn, JSON_PATH))
    return diag_set(d, SFL_ERR_INVALID, loc, "an ARN must be known when the template is "
                    "made, not a JSON path (%s)", arn->valuestring);
  if(cJSON_IsString(arn)) {
    struct cfn_arn_parts parts;
    if(cfn_arn_split(a, arn->valuestring, format, &parts, loc, d))
      return d->status;
    out->region = own_str(a, parts.region);
    out->account = own_str(a, parts.account);
    out->resource = own_str(a, parts.resource);
    out->resource_name = own_str(a, parts.resource_name);
  } else if(json_has(arn, JSON_CONCAT)) {
    return diag_set(d, SFL_ERR_INVALID, loc, "an ARN made of text and tokens cannot be "
                    "taken apart: pass a literal ARN or a single token");
  } else {
    int slash = format == ARN_SLASH_RESOURCE_NAME;
    out->region = select_part(a, arn, 3, -1);
    out->account = select_part(a, arn, 4, -1);
    out->resource = select_part(a, arn, 5, slash ? 0 : -1);
    if(format != ARN_NO_RESOURCE_NAME)
      out->resource_name = select_part(a, arn, slash ? 5 : 6, slash ? 1 : -1);
  }
  if(!out->region || !out->account || !out->resource)
    return diag_nomem(d);
  return SFL_OK;
}

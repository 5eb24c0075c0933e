/*
** cfn_format.c: stack events written as the CDK CLI's history activity printer writes
** them (cfn.h), and the construct paths that name resources in them. Pure: no AWS calls.
*/
#define _GNU_SOURCE   /* strptime, timegm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/strbuf.h"
#include "deploy/cfn.h"
#include "deploy/cfn_private.h"

#define STATUS_WIDTH 23           /* CDK's ActivityPrinterBase.STATUS_WIDTH */
#define MIN_TYPE_WIDTH 26         /* strlen("AWS::CloudFormation::Stack") */

/* "2026-12-06T13:05:09.123Z" as the local time CDK prints ("1:05:09 PM"). */
static void local_time(const char *iso, char *buf, size_t size)
{
  struct tm tm = {0};
  const char *rest = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
  if(!rest) {
    snprintf(buf, size, "%s", iso ? iso : "");
    return;
  }
  time_t t = timegm(&tm);
  struct tm local;
  localtime_r(&t, &local);
  int hour = local.tm_hour % 12 ? local.tm_hour % 12 : 12;
  snprintf(buf, size, "%d:%02d:%02d %s", hour, local.tm_min, local.tm_sec,
           local.tm_hour < 12 ? "AM" : "PM");
}

static int digits(size_t n)
{
  int d = 1;
  while(n >= 10) {
    n /= 10;
    d++;
  }
  return d;
}

void cfn_progress_format(char *buf, size_t size, size_t done, size_t total)
{
  if(!total) {
    snprintf(buf, size, "%3zu", done);
    return;
  }
  /* CDK pads to ceil(log10(total)) digits: one fewer than total has when it is a power
  ** of ten, which padding never truncates. */
  int width = digits(total - 1) & 31;   /* at most 20: the bound keeps -Wformat quiet */
  /* CDK's count can pass the total (a failed update's rollback completes the failed
  ** resource, then the stack's cleanup and completion count too): never shown above it. */
  if(done > total)
    done = total;
  snprintf(buf, size, "%*zu/%*zu", width, done, width, total);
}

char *cfn_event_line(const struct cfn_event *e, const char *progress, int type_width,
                     const char *path)
{
  char when[64];
  local_time(e->timestamp, when, sizeof when);
  const char *logical = e->logical_id ? e->logical_id : "";
  const char *name = path ? path : logical;
  struct strbuf b = {0};
  strbuf_printf(&b, "%s | ", e->stack_name ? e->stack_name : "");
  if(progress)
    strbuf_printf(&b, "%s | ", progress);
  strbuf_printf(&b, "%s | %-*.*s | %-*s | %s ", when, STATUS_WIDTH, STATUS_WIDTH,
                e->status ? e->status : "", type_width, e->type ? e->type : "", name);
  if(strcmp(name, logical))
    strbuf_printf(&b, "(%s) ", logical);
  if(e->reason)
    strbuf_puts(&b, e->reason);
  while(!b.failed && b.len && b.buf[b.len - 1] == ' ')
    b.buf[--b.len] = '\0';
  return strbuf_take(&b);
}

int cfn_type_width(const cJSON *template)
{
  int width = MIN_TYPE_WIDTH;
  const cJSON *res;
  cJSON_ArrayForEach(res, json_get(template, "Resources")) {
    const cJSON *type = json_get(res, "Type");
    if(cJSON_IsString(type) && (int)strlen(type->valuestring) > width)
      width = (int)strlen(type->valuestring);
  }
  return width;
}

cJSON *cfn_paths_from_metadata(const char *text)
{
  cJSON *meta = text ? cJSON_Parse(text) : NULL;
  if(!cJSON_IsObject(meta)) {
    cJSON_Delete(meta);
    return NULL;
  }
  cJSON *paths = cJSON_CreateObject();
  const cJSON *entries;
  cJSON_ArrayForEach(entries, meta) {
    const cJSON *entry;
    cJSON_ArrayForEach(entry, entries) {
      const cJSON *type = json_get(entry, "type"), *data = json_get(entry, "data");
      if(cJSON_IsString(type) && !strcmp(type->valuestring, "aws:cdk:logicalId")
         && cJSON_IsString(data) && entries->string[0] == '/')
        json_put_str(paths, data->valuestring, entries->string + 1);
    }
  }
  cJSON_Delete(meta);
  return paths;
}

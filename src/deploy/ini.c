/*
** ini.c: the AWS shared config file format (see ini.h).
*/
#include "deploy/ini.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *copy_trimmed(const char *s, size_t n)
{
  while(n && isspace((unsigned char)*s))
    s++, n--;
  while(n && isspace((unsigned char)s[n - 1]))
    n--;
  char *out = malloc(n + 1);
  if(out) {
    memcpy(out, s, n);
    out[n] = '\0';
  }
  return out;
}

static int add_entry(struct ini_doc *ini, const char *section, char *key, char *value)
{
  if(ini->n == ini->cap) {
    size_t cap = ini->cap ? 2 * ini->cap : 16;
    struct ini_entry *e = realloc(ini->entries, cap * sizeof *e);
    if(!e)
      return -1;
    ini->entries = e;
    ini->cap = cap;
  }
  ini->entries[ini->n++] = (struct ini_entry){section, key, value};
  return 0;
}

/* Appends "\n" and a continuation line's text to the last value. */
static int continue_value(struct ini_entry *e, const char *s, size_t n)
{
  char *more = copy_trimmed(s, n);
  size_t old = strlen(e->value);
  char *v = more ? realloc((char *)e->value, old + strlen(more) + 2) : NULL;
  if(v) {
    v[old] = '\n';
    strcpy(v + old + 1, more);
    e->value = v;
  }
  free(more);
  return v ? 0 : -1;
}

static int parse_line(struct ini_doc *ini, const char **section, const char *line, size_t n,
                      int *last_is_setting)
{
  const char *end = line + n;
  const char *p = line;
  while(p < end && (*p == ' ' || *p == '\t'))
    p++;
  if(p == end || *p == '#' || *p == ';' || *p == '\r')
    return 0;
  if(p > line && *last_is_setting)   /* an indented line goes on with the value above */
    return continue_value(&ini->entries[ini->n - 1], p, (size_t)(end - p));
  *last_is_setting = 0;
  if(*p == '[') {
    const char *close = memchr(p, ']', (size_t)(end - p));
    if(!close)
      return 1;
    char *name = copy_trimmed(p + 1, (size_t)(close - p - 1));
    if(!name || add_entry(ini, name, NULL, NULL)) {   /* owns the name */
      free(name);
      return -1;
    }
    *section = name;
    return 0;
  }
  const char *sep = p;
  while(sep < end && *sep != '=' && *sep != ':')
    sep++;
  if(sep == end || sep == p || !*section)
    return 1;
  char *key = copy_trimmed(p, (size_t)(sep - p));
  char *value = copy_trimmed(sep + 1, (size_t)(end - sep - 1));
  if(!key || !value || add_entry(ini, *section, key, value)) {
    free(key);
    free(value);
    return -1;
  }
  for(char *k = key; *k; k++)
    *k = (char)tolower((unsigned char)*k);
  *last_is_setting = 1;
  return 0;
}

struct ini_doc *ini_parse(const char *text, size_t len, const char *file, struct diag *d)
{
  struct ini_doc *ini = calloc(1, sizeof *ini);
  if(!ini)
    return diag_nomem(d), NULL;
  const char *section = NULL;
  int last_is_setting = 0;
  const char *p = text, *end = text + len;
  for(int lineno = 1; p < end; lineno++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    int rc = parse_line(ini, &section, p, n, &last_is_setting);
    if(rc) {
      ini_free(ini);
      if(rc < 0)
        return diag_nomem(d), NULL;
      struct sfl_loc loc = {file, lineno};
      return diag_set(d, SFL_ERR_INVALID, loc, section ? "expected 'key = value' or "
                      "'[section]'" : "expected a '[section]' header before any setting"),
             NULL;
    }
    p = nl ? nl + 1 : end;
  }
  return ini;
}

const char *ini_get(const struct ini_doc *ini, const char *section, const char *key)
{
  for(size_t i = ini->n; i-- > 0;) {
    const struct ini_entry *e = &ini->entries[i];
    if(e->key && !strcmp(e->section, section) && !strcmp(e->key, key))
      return e->value;
  }
  return NULL;
}

int ini_has_section(const struct ini_doc *ini, const char *section)
{
  for(size_t i = 0; i < ini->n; i++)
    if(!ini->entries[i].key && !strcmp(ini->entries[i].section, section))
      return 1;
  return 0;
}

void ini_free(struct ini_doc *ini)
{
  if(!ini)
    return;
  for(size_t i = 0; i < ini->n; i++) {
    struct ini_entry *e = &ini->entries[i];
    if(e->key) {
      free((char *)e->key);
      free((char *)e->value);
    }
    else
      free((char *)e->section);   /* the header entry owns its section's name */
  }
  free(ini->entries);
  free(ini);
}

/*
** json.c: JSON output that is byte-for-byte what Node's JSON.stringify writes, so
** templates can be compared with CDK's as files, not only as documents.
*/
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *json_path_new(const char *path)
{
  cJSON *j = cJSON_CreateString(path);
  if(j)
    j->type |= JSON_PATH;
  return j;
}

cJSON *json_put(cJSON *obj, const char *key, cJSON *item)
{
  if(!item)
    return NULL;
  if(!obj || !cJSON_AddItemToObject(obj, key, item)) {
    cJSON_Delete(item);
    return NULL;
  }
  return item;
}

cJSON *json_put_str(cJSON *obj, const char *key, const char *s)
{
  return s ? json_put(obj, key, cJSON_CreateString(s)) : NULL;
}

cJSON *json_put_num(cJSON *obj, const char *key, double n)
{
  return json_put(obj, key, cJSON_CreateNumber(n));
}

cJSON *json_put_bool(cJSON *obj, const char *key, int b)
{
  return json_put(obj, key, cJSON_CreateBool(b));
}

cJSON *json_push(cJSON *arr, cJSON *item)
{
  if(!item)
    return NULL;
  if(!arr || !cJSON_AddItemToArray(arr, item)) {
    cJSON_Delete(item);
    return NULL;
  }
  return item;
}

cJSON *json_get(const cJSON *obj, const char *key)
{
  return obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

cJSON *json_dup(const cJSON *j)
{
  return j ? cJSON_Duplicate(j, 1) : NULL;
}

cJSON *json_strings(const char *const *s, size_t n)
{
  cJSON *arr = cJSON_CreateArray();
  for(size_t i = 0; arr && i < n; i++)
    if(!json_push(arr, cJSON_CreateString(s[i]))) {
      cJSON_Delete(arr);
      return NULL;
    }
  return arr;
}

/* {============ strings and numbers as JavaScript writes them */

/* What JSON.stringify writes for each byte below 0x20, '"' and '\\' (NULL: the byte). */
static const char *escape_of(unsigned char c, char hex[7])
{
  static const char *const named[] = {['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n",
                                      ['\r'] = "\\r", ['\t'] = "\\t"};
  if(c == '"')
    return "\\\"";
  if(c == '\\')
    return "\\\\";
  if(c >= 0x20)
    return NULL;
  if(c < sizeof named / sizeof *named && named[c])
    return named[c];
  snprintf(hex, 7, "\\u%04x", c);
  return hex;
}

void json_write_escaped(struct strbuf *b, const char *s)
{
  const char *run = s;
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    /* Most bytes need nothing: one test on the way. */
    if(c >= 0x20 && c != '"' && c != '\\')
      continue;
    char hex[7];
    const char *esc = escape_of(c, hex);
    strbuf_add(b, run, (size_t)(s - run));
    strbuf_add(b, esc, strlen(esc));
    run = s + 1;
  }
  strbuf_add(b, run, (size_t)(s - run));
}

void json_write_visible(struct strbuf *b, const char *s)
{
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    char hex[7];
    if(c == 0x7f)
      strbuf_puts(b, "\\u007f");
    else if(c < 0x20)
      strbuf_puts(b, escape_of(c, hex));
    else
      strbuf_putc(b, (char)c);
  }
}

void json_write_string(struct strbuf *b, const char *s)
{
  strbuf_putc(b, '"');
  json_write_escaped(b, s);
  strbuf_putc(b, '"');
}

/*
** Number#toString: the shortest digits that read back as the same double, then
** ECMAScript's layout rules (plain up to 21 integer digits, exponent form outside
** 1e-7 .. 1e21).
*/
void json_write_number(struct strbuf *b, double n)
{
  if(isnan(n) || isinf(n)) {
    strbuf_puts(b, "null");
    return;
  }
  if(n == 0) {
    strbuf_putc(b, '0');
    return;
  }
  /* Whole numbers below 2^53 print as integers, the same digits the search finds. */
  if(n == floor(n) && fabs(n) < 9007199254740992.0) {
    char digits[24];
    char *end = digits + sizeof digits, *p = end;
    unsigned long long u = (unsigned long long)fabs(n);
    do
      *--p = (char)('0' + u % 10);
    while(u /= 10);
    if(n < 0)
      *--p = '-';
    strbuf_add(b, p, (size_t)(end - p));
    return;
  }
  char buf[40];
  int prec;
  for(prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*e", prec - 1, n);
    if(strtod(buf, NULL) == n)
      break;
  }
  /* buf is "-d.ddde+XX": collect the digits and the exponent. */
  char digits[24];
  int k = 0;
  const char *p = buf;
  if(*p == '-') {
    strbuf_putc(b, '-');
    p++;
  }
  for(; *p && *p != 'e'; p++)
    if(*p >= '0' && *p <= '9')
      digits[k++] = *p;
  while(k > 1 && digits[k - 1] == '0')
    k--;
  digits[k] = '\0';
  int e = atoi(p + 1);
  int pos = e + 1;  /* the decimal point's position after digit `pos` */
  if(k <= pos && pos <= 21) {
    strbuf_add(b, digits, (size_t)k);
    for(int i = k; i < pos; i++)
      strbuf_putc(b, '0');
  }
  else if(0 < pos && pos <= 21) {
    strbuf_add(b, digits, (size_t)pos);
    strbuf_putc(b, '.');
    strbuf_add(b, digits + pos, (size_t)(k - pos));
  }
  else if(-6 < pos && pos <= 0) {
    strbuf_puts(b, "0.");
    for(int i = pos; i < 0; i++)
      strbuf_putc(b, '0');
    strbuf_add(b, digits, (size_t)k);
  }
  else {
    strbuf_putc(b, digits[0]);
    if(k > 1) {
      strbuf_putc(b, '.');
      strbuf_add(b, digits + 1, (size_t)(k - 1));
    }
    strbuf_printf(b, "e%c%d", pos - 1 >= 0 ? '+' : '-', abs(pos - 1));
  }
}

/* }============ */

static void newline(struct strbuf *b, int indent, int depth)
{
  static const char spaces[] = "                                                                ";
  if(!indent)
    return;
  strbuf_putc(b, '\n');
  for(size_t n = (size_t)indent * (size_t)depth; n;) {
    size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
    strbuf_add(b, spaces, k);
    n -= k;
  }
}

static void write_value(struct strbuf *b, const cJSON *v, int indent, int depth)
{
  switch(v->type & 0xFF) {
  case cJSON_False: strbuf_puts(b, "false"); return;
  case cJSON_True: strbuf_puts(b, "true"); return;
  case cJSON_NULL: strbuf_puts(b, "null"); return;
  case cJSON_Number: json_write_number(b, v->valuedouble); return;
  case cJSON_String: json_write_string(b, v->valuestring ? v->valuestring : ""); return;
  case cJSON_Raw: strbuf_puts(b, v->valuestring ? v->valuestring : "null"); return;
  case cJSON_Array:
  case cJSON_Object: {
    int is_obj = (v->type & 0xFF) == cJSON_Object;
    strbuf_putc(b, is_obj ? '{' : '[');
    const cJSON *c = v->child;
    for(; c; c = c->next) {
      newline(b, indent, depth + 1);
      if(is_obj) {
        json_write_string(b, c->string ? c->string : "");
        strbuf_puts(b, indent ? ": " : ":");
      }
      write_value(b, c, indent, depth + 1);
      if(c->next)
        strbuf_putc(b, ',');
    }
    if(v->child)
      newline(b, indent, depth);
    strbuf_putc(b, is_obj ? '}' : ']');
    return;
  }
  default:
    strbuf_puts(b, "null");
  }
}

void json_write(struct strbuf *b, const cJSON *value, int indent)
{
  write_value(b, value, indent, 0);
}

char *json_to_text(const cJSON *value, int indent)
{
  struct strbuf b = {0};
  json_write(&b, value, indent);
  return strbuf_take(&b);
}

/* {============ UTF-8 */

/* The length of the UTF-8 sequence at p (n bytes left), 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
  static const struct { unsigned char lead_min, lead_max, len, lo, hi; } forms[] = {
    {0xC2, 0xDF, 2, 0x80, 0xBF},
    {0xE0, 0xE0, 3, 0xA0, 0xBF},   /* no overlong three-byte forms */
    {0xE1, 0xEC, 3, 0x80, 0xBF},
    {0xED, 0xED, 3, 0x80, 0x9F},   /* no surrogates */
    {0xEE, 0xEF, 3, 0x80, 0xBF},
    {0xF0, 0xF0, 4, 0x90, 0xBF},   /* no overlong four-byte forms */
    {0xF1, 0xF3, 4, 0x80, 0xBF},
    {0xF4, 0xF4, 4, 0x80, 0x8F},   /* nothing past U+10FFFF */
  };
  if(p[0] < 0x80)
    return 1;
  for(size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
    if(p[0] < forms[f].lead_min || p[0] > forms[f].lead_max)
      continue;
    if(n < forms[f].len || p[1] < forms[f].lo || p[1] > forms[f].hi)
      return 0;
    for(size_t i = 2; i < forms[f].len; i++)
      if(p[i] < 0x80 || p[i] > 0xBF)
        return 0;
    return forms[f].len;
  }
  return 0;
}

size_t json_utf8_check(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  for(size_t i = 0; i < n;) {
    size_t len = utf8_seq(p + i, n - i);
    if(!len)
      return i;
    i += len;
  }
  return n;
}

/* }============ */

/* {============ nesting */

int json_text_too_deep(const char *text, size_t n)
{
  size_t depth = 0;
  int in_string = 0;
  for(size_t i = 0; i < n && text[i]; i++) {
    char c = text[i];
    if(in_string) {
      if(c == '\\')
        i++;
      else if(c == '"')
        in_string = 0;
    }
    else if(c == '"')
      in_string = 1;
    else if((c == '[' || c == '{') && ++depth > CJSON_NESTING_LIMIT)
      return 1;
    else if((c == ']' || c == '}') && depth)
      depth--;
  }
  return 0;
}

/* }============ */

/* {============ numbers out of range */

static int nonfinite_at(const cJSON *j, char *ptr, size_t size, size_t len)
{
  if(cJSON_IsNumber(j))
    return !isfinite(j->valuedouble);
  size_t index = 0;
  for(const cJSON *c = j->child; c; c = c->next, index++) {
    int n = c->string ? snprintf(ptr + len, size - len, "/%s", c->string)
                      : snprintf(ptr + len, size - len, "/%zu", index);
    size_t end = n < 0 || (size_t)n >= size - len ? size - 1 : len + (size_t)n;
    if(nonfinite_at(c, ptr, size, end))
      return 1;
    ptr[len] = '\0';
  }
  return 0;
}

int json_find_nonfinite(const cJSON *j, char *ptr, size_t size)
{
  ptr[0] = '\0';
  return j && nonfinite_at(j, ptr, size, 0);
}

/* }============ */

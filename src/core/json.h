/*
** json.h: JSON values as sfl uses them, on top of cJSON.
**
** Ownership follows cJSON: json_put() takes `item` whatever happens (it is deleted
** when it cannot be added, and a NULL item is simply skipped, the way JavaScript
** drops `undefined` keys). Keys are looked up case-sensitively only.
**
** Three flag bits above cJSON's own type bits mark values that are not plain JSON.
** cJSON's functions keep them (they test `type & 0xFF`), so trees can be copied and
** deleted as usual; only sfl's renderers look at them.
*/
#ifndef SFL_CORE_JSON_H
#define SFL_CORE_JSON_H

#include <cjson/cJSON.h>
#include "core/strbuf.h"

#define JSON_PATH      (1 << 12)  /* string: a JsonPath token; in ASL objects "Key.$": path */
#define JSON_INTRINSIC (1 << 13)  /* object: a CloudFormation intrinsic ({"Ref": ...}) */
#define JSON_CONCAT    (1 << 14)  /* array: one string made of literal and intrinsic parts */

static inline int json_has(const cJSON *j, int flag) { return j && (j->type & flag); }

cJSON *json_path_new(const char *path);   /* a JSON_PATH string */
cJSON *json_put(cJSON *obj, const char *key, cJSON *item);   /* returns item or NULL */
cJSON *json_put_str(cJSON *obj, const char *key, const char *s);   /* skips NULL s */
cJSON *json_put_num(cJSON *obj, const char *key, double n);
cJSON *json_put_bool(cJSON *obj, const char *key, int b);
cJSON *json_push(cJSON *arr, cJSON *item);   /* like json_put for arrays */
cJSON *json_get(const cJSON *obj, const char *key);   /* case-sensitive */
cJSON *json_dup(const cJSON *j);   /* deep copy that keeps sfl's flags */
cJSON *json_strings(const char *const *s, size_t n);   /* an array of strings */

/*
** Where s[0..n) stops being UTF-8 (a stray, overlong or truncated sequence, a surrogate,
** a code point past U+10FFFF): the offset of the first bad byte, or n when all is well.
*/
size_t json_utf8_check(const char *s, size_t n);

/*
** A number JSON text gave that a double cannot hold (1e400 parses as infinity): 1 with its
** JSON pointer ("/a/0") in ptr, or 0 when every number of j is finite.
*/
int json_find_nonfinite(const cJSON *j, char *ptr, size_t size);

/*
** Whether JSON text nests arrays and objects deeper than cJSON parses (CJSON_NESTING_LIMIT)
** within its first `n` bytes: why a parse that stopped there failed.
*/
int json_text_too_deep(const char *text, size_t n);

/* Writes `s` as a JSON string the way JavaScript's JSON.stringify does (quotes included). */
void json_write_string(struct strbuf *b, const char *s);
/* The same without the quotes (for text inside a string being built in parts). */
void json_write_escaped(struct strbuf *b, const char *s);
/* `s` with each control byte (below 0x20, and 0x7f) written as a JSON escape (\n, \u001b,
** \u007f) and every other byte as it is: text shown on one line, escaped as messages show
** a name. Text already escaped passes through unchanged. */
void json_write_visible(struct strbuf *b, const char *s);
/* Writes `n` as JavaScript's Number#toString does ("2", "0.5", "1e+21"). */
void json_write_number(struct strbuf *b, double n);
/* JSON.stringify(value, null, indent): indent 0 is compact. Flags are not looked at. */
void json_write(struct strbuf *b, const cJSON *value, int indent);
/* The same into a new malloc'd string (NULL when out of memory). */
char *json_to_text(const cJSON *value, int indent);

#endif

/*
** test_json.c: JSON text exactly as Node's JSON.stringify writes it.
*/
#include <stdlib.h>

#include "check.h"
#include "core/json.h"

static void number_is(double n, const char *want)
{
  struct strbuf b = {0};
  json_write_number(&b, n);
  CHECK_STR(b.buf, want);
  strbuf_free(&b);
}

static void string_is(const char *s, const char *want)
{
  struct strbuf b = {0};
  json_write_string(&b, s);
  CHECK_STR(b.buf, want);
  strbuf_free(&b);
}

static void pretty_is(const char *json, int indent, const char *want)
{
  cJSON *j = cJSON_Parse(json);
  char *text = json_to_text(j, indent);
  CHECK_STR(text, want);
  free(text);
  cJSON_Delete(j);
}

int main(void)
{
  /* Number#toString */
  number_is(0, "0");
  number_is(-0.0, "0");
  number_is(2, "2");
  number_is(-7, "-7");
  number_is(0.5, "0.5");
  number_is(0.1, "0.1");
  number_is(1.5e-7, "1.5e-7");
  number_is(0.000001, "0.000001");
  number_is(123456789012345680000.0, "123456789012345680000");
  number_is(1e21, "1e+21");
  number_is(1.7976931348623157e308, "1.7976931348623157e+308");
  number_is(3.14159, "3.14159");
  number_is(1.0 / 3, "0.3333333333333333");
  number_is(100, "100");

  /* JSON.stringify string escapes: control characters, quotes, raw UTF-8 */
  string_is("plain", "\"plain\"");
  string_is("a\"b\\c", "\"a\\\"b\\\\c\"");
  string_is("line\nbreak\ttab\r\b\f", "\"line\\nbreak\\ttab\\r\\b\\f\"");
  string_is("\x01\x1f", "\"\\u0001\\u001f\"");
  string_is("caf\xc3\xa9 \xe2\x9c\x93", "\"caf\xc3\xa9 \xe2\x9c\x93\"");
  string_is("</script>", "\"</script>\"");

  /* Layout: JSON.stringify(v, null, 1) and compact */
  pretty_is("{\"a\":1,\"b\":[true,null],\"c\":{},\"d\":[]}", 1,
            "{\n \"a\": 1,\n \"b\": [\n  true,\n  null\n ],\n \"c\": {},\n \"d\": []\n}");
  pretty_is("{\"a\":1,\"b\":[true,null]}", 0, "{\"a\":1,\"b\":[true,null]}");
  pretty_is("[]", 2, "[]");

  /* json_put takes over its item and skips NULL (like an undefined key) */
  cJSON *o = cJSON_CreateObject();
  CHECK(json_put(o, "x", NULL) == NULL);
  CHECK(cJSON_GetArraySize(o) == 0);
  CHECK(json_put_str(o, "s", "v") != NULL);
  CHECK_STR(json_get(o, "s")->valuestring, "v");
  CHECK(json_get(o, "S") == NULL);
  cJSON *p = json_put(o, "p", json_path_new("$.x"));
  CHECK(json_has(p, JSON_PATH));
  cJSON *copy = json_dup(o);
  CHECK(json_has(json_get(copy, "p"), JSON_PATH));
  cJSON_Delete(copy);
  cJSON_Delete(o);
  return check_done("test_json");
}

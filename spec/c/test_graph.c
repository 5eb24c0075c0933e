/*
** test_graph.c: sfl graph's pictures of known documents. For each ASL file under
** spec/graph/ (the seed article's workflows, a kitchen sink of every state type and a
** machine of hostile names), the DOT, Mermaid and text output must be exactly the reviewed
** files next to it; the SVG Graphviz draws must be well-formed XML that names every state,
** and the PNG must be a PNG.
*/
#include <stdlib.h>

#include "check.h"
#include "core/json.h"
#include "graph/graph.h"

/*
** Under SFL_SANITIZE, LeakSanitizer reads this: Graphviz's own leaks are suppressed by
** function name (spec/graph/lsan.supp), which needs whole stacks through its libraries.
** The build hides symbols by default; the sanitizer runtime must see this one.
*/
__attribute__((visibility("default"))) const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
  return "suppressions=spec/graph/lsan.supp:fast_unwind_on_malloc=0";
}

static const char *const cases[] = {
  "seed01_chain", "seed02_passing_values", "seed03_catch", "seed03b_article_spelling",
  "seed04_parallel_catch", "seed05_choice", "seed06_emr_args", "kitchen_sink", "hostile",
  NULL
};

static const struct {
  enum graph_format fmt;
  const char *ext;        /* spec/graph/<case>.<ext> holds the expected output */
} golden[] = {
  {GRAPH_DOT, "dot"}, {GRAPH_MERMAID, "mmd"}, {GRAPH_TEXT, "txt"}
};

static char *read_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if(!f)
    return NULL;
  struct strbuf b = {0};
  char chunk[4096];
  size_t n;
  while((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    strbuf_add(&b, chunk, n);
  fclose(f);
  return strbuf_take(&b);
}

static cJSON *load(const char *name)
{
  char path[256];
  snprintf(path, sizeof path, "spec/graph/%s.asl.json", name);
  char *text = read_file(path);
  cJSON *asl = text ? cJSON_Parse(text) : NULL;
  free(text);
  if(!asl)
    fprintf(stderr, "cannot read %s (run from the top of the checkout)\n", path);
  return asl;
}

/* Like CHECK_STR, but says which file and shows only the first line that differs. */
static void same_text(const char *got, const char *want, const char *what)
{
  check_count++;
  if(got && want && !strcmp(got, want))
    return;
  check_failures++;
  if(!got || !want) {
    fprintf(stderr, "%s: %s\n", what, got ? "no expected file" : "no output");
    return;
  }
  int line = 1;
  const char *g = got, *w = want;
  while(*g && *g == *w) {
    if(*g == '\n') {
      line++;
      got = g + 1;
      want = w + 1;
    }
    g++;
    w++;
  }
  fprintf(stderr, "%s: line %d differs\n  want: %.*s\n  got:  %.*s\n", what, line,
          (int)strcspn(want, "\n"), want, (int)strcspn(got, "\n"), got);
}

/* {====== SVG: well-formed and naming every state */

/*
** A small well-formedness check (no XML parser is linked): every tag closes in order,
** attribute values are quoted, '&' starts an entity, and the document ends with </svg>.
*/
static int well_formed(const char *s)
{
  const char *stack[256];
  size_t n[256], depth = 0;
  for(const char *p = s; *p;) {
    if(*p == '&') {
      size_t e = strspn(p + 1, "#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
      if(!e || p[1 + e] != ';')
        return 0;
      p += e + 2;
      continue;
    }
    if(*p == '>')
      return 0;
    if(*p != '<') {
      p++;
      continue;
    }
    const char *end = NULL;
    if(!strncmp(p, "<!--", 4))
      end = strstr(p, "-->");
    else if(!strncmp(p, "<?", 2))
      end = strstr(p, "?>");
    else if(!strncmp(p, "<!DOCTYPE", 9))
      end = strchr(p, '>');
    if(end) {
      p = strchr(end, '>') + 1;
      continue;
    }
    int closing = p[1] == '/';
    const char *name = p + 1 + closing, *q = name + strcspn(name, " \t\r\n/>");
    size_t len = (size_t)(q - name);
    char quote = 0;
    for(; *q && (quote || *q != '>'); q++)
      if(*q == '"' || *q == '\'')
        quote = quote == *q ? 0 : quote ? quote : *q;
    if(!*q || !len)
      return 0;
    if(closing) {
      if(!depth || n[depth - 1] != len || strncmp(stack[depth - 1], name, len))
        return 0;
      depth--;
    }
    else if(q[-1] != '/') {
      if(depth == 256)
        return 0;
      stack[depth] = name;
      n[depth++] = len;
    }
    p = q + 1;
  }
  size_t len = strlen(s);
  return depth == 0 && len > 7 && strstr(s + len - 8, "</svg>");
}

/* The name as Graphviz writes it in SVG text (it also escapes '-' and '\''). */
static void svg_escape(struct strbuf *b, const char *s)
{
  for(; *s; s++)
    switch(*s) {
    case '&': strbuf_puts(b, "&amp;"); break;
    case '<': strbuf_puts(b, "&lt;"); break;
    case '>': strbuf_puts(b, "&gt;"); break;
    case '"': strbuf_puts(b, "&quot;"); break;
    case '\'': strbuf_puts(b, "&#39;"); break;
    case '-': strbuf_puts(b, "&#45;"); break;
    default: strbuf_putc(b, *s);
    }
}

/* Every state name of `states` and of its branches (a name with a newline: each line). */
static void names_in(const char *svg, const cJSON *states, const char *what)
{
  const cJSON *st, *branch;
  cJSON_ArrayForEach(st, states) {
    char *copy = strdup(st->string);
    for(char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
      struct strbuf want = {0};
      strbuf_putc(&want, '>');
      svg_escape(&want, line);
      strbuf_putc(&want, '<');
      check_count++;
      if(!strstr(svg, want.buf)) {
        check_failures++;
        fprintf(stderr, "%s: the SVG has no text %s\n", what, want.buf);
      }
      strbuf_free(&want);
    }
    free(copy);
    cJSON_ArrayForEach(branch, json_get(st, "Branches"))
      names_in(svg, json_get(branch, "States"), what);
    names_in(svg, json_get(json_get(st, "ItemProcessor"), "States"), what);
  }
}

/* }====== */

static void check_case(const char *name)
{
  cJSON *asl = load(name);
  CHECK(asl != NULL);
  if(!asl)
    return;
  for(size_t i = 0; i < sizeof golden / sizeof *golden; i++) {
    char path[256];
    snprintf(path, sizeof path, "spec/graph/%s.%s", name, golden[i].ext);
    struct strbuf out = {0};
    struct diag d = {0};
    CHECK(graph_write(asl, golden[i].fmt, &out, &d) == SFL_OK);
    char *want = read_file(path);
    same_text(out.buf, want, path);
    free(want);
    strbuf_free(&out);
  }
  struct strbuf svg = {0};
  struct diag d = {0};
  CHECK(graph_write(asl, GRAPH_SVG, &svg, &d) == SFL_OK);
  CHECK(svg.buf && (!strncmp(svg.buf, "<?xml", 5) || !strncmp(svg.buf, "<svg", 4)));
  CHECK(svg.buf && well_formed(svg.buf));
  if(svg.buf)
    names_in(svg.buf, json_get(asl, "States"), name);
  strbuf_free(&svg);
  cJSON_Delete(asl);
}

static void check_png(void)
{
  cJSON *asl = load("seed04_parallel_catch");
  struct strbuf png = {0};
  struct diag d = {0};
  CHECK(graph_write(asl, GRAPH_PNG, &png, &d) == SFL_OK);
  CHECK(png.len > 1000 && !memcmp(png.buf, "\x89PNG\r\n\x1a\n", 8));
  /* Binary safe: the length counts every byte, NULs included. */
  CHECK(png.len > 8 && memchr(png.buf, '\0', png.len) != NULL);
  strbuf_free(&png);
  cJSON_Delete(asl);
}

/* The checker itself must be able to fail. */
static void check_checker(void)
{
  CHECK(well_formed("<?xml version=\"1.0\"?>\n<svg a=\"x>y\"><g><t>a &amp; b</t></g></svg>\n"));
  CHECK(!well_formed("<svg><g></svg>"));
  CHECK(!well_formed("<svg><t>a & b</t></svg>"));
  CHECK(!well_formed("<svg><t>a > b</t></svg>"));
  CHECK(!well_formed("<svg><g/>"));
}

static void check_formats(void)
{
  static const char *const names[] = {"dot", "mermaid", "text", "svg", "png"};
  for(size_t i = 0; i < sizeof names / sizeof *names; i++) {
    enum graph_format fmt;
    CHECK(graph_format_parse(names[i], &fmt) == 0);
    CHECK_STR(graph_format_name(fmt), names[i]);
    CHECK(graph_format_binary(fmt) == (fmt == GRAPH_PNG));
  }
  enum graph_format fmt;
  CHECK(graph_format_parse("jpeg", &fmt) == -1);
  CHECK(graph_format_parse(NULL, &fmt) == -1);
  CHECK_STR(graph_format_name((enum graph_format)42), "?");
}

int main(void)
{
  check_checker();
  check_formats();
  for(const char *const *c = cases; *c; c++)
    check_case(*c);
  check_png();
  return check_done("test_graph");
}

/*
** mod_dmap.c: DistributedMap's helpers in sfl.aws_stepfunctions: the S3 item readers,
** ItemBatcher, ResultWriter/ResultWriterV2 (with WriterConfig) and CsvHeaders, each a
** value the DistributedMap props take (rendering: src/constructs/dmap.c).
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/dmap.h"

#include <string.h>

#define A(L) (lsfl_ctx(L)->arena)

#define RF(name, type, field) \
  {name, type, offsetof(struct dmap_reader, field), 0, NULL, NULL, NULL, 0, NULL}

static const char *const csv_delimiters[] = {"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB",
                                             NULL};

/* {============ item readers */

/* The props of the file readers; S3CsvItemReader adds two, S3ObjectsItemReader differs. */
#define BUCKET_PROP(T, field) \
  {"bucket", P_USERDATA, offsetof(T, field), 0, NULL, NULL, NULL, LSFL_BIT(BUCKET), \
   "an aws_s3.IBucket (s3.Bucket(...) or s3.Bucket.from_bucket_name(...))"}
#define FILE_READER_PROPS \
  BUCKET_PROP(struct dmap_reader, s3_bucket), \
  RF("bucket_name_path", P_STR, bucket_name_path), RF("max_items", P_INT, max_items), \
  {"key", P_STR, offsetof(struct dmap_reader, key), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL}

static const struct lsfl_prop objects_reader_schema[] = {
  BUCKET_PROP(struct dmap_reader, s3_bucket), RF("bucket_name_path", P_STR, bucket_name_path),
  RF("max_items", P_INT, max_items),
  RF("prefix", P_STR, prefix), PROP_END
};
static const struct lsfl_prop file_reader_schema[] = {FILE_READER_PROPS, PROP_END};
static const struct lsfl_prop csv_reader_schema[] = {
  FILE_READER_PROPS,
  {"csv_headers", P_USERDATA, offsetof(struct dmap_reader, csv_headers), 0, NULL, NULL, NULL,
   LSFL_BIT(CSV_HEADERS), "a sfn.CsvHeaders (CsvHeaders.use_first_row() or use({...}))"},
  {"csv_delimiter", P_ENUM, offsetof(struct dmap_reader, csv_delimiter), 0, NULL, NULL,
   csv_delimiters, 0, NULL},
  PROP_END
};

static const struct {
  const char *cls;
  enum dmap_reader_kind kind;
  const struct lsfl_prop *schema;
} readers[] = {
  {"S3ObjectsItemReader", DMAP_S3_OBJECTS, objects_reader_schema},
  {"S3JsonItemReader", DMAP_S3_JSON, file_reader_schema},
  {"S3JsonLItemReader", DMAP_S3_JSONL, file_reader_schema},
  {"S3CsvItemReader", DMAP_S3_CSV, csv_reader_schema},
  {"S3ManifestItemReader", DMAP_S3_MANIFEST, file_reader_schema},
};

/* readers[i](props) */
static int reader_new(lua_State *L, size_t i)
{
  lua_settop(L, 1);
  struct dmap_reader *r = arena_alloc(A(L), sizeof *r);
  if(!r)
    return luaL_error(L, "not enough memory");
  lsfl_read_props(L, 1, readers[i].schema, r, readers[i].cls);
  r->kind = readers[i].kind;
  if(r->s3_bucket && !(r->bucket = dmap_bucket_of(A(L), r->s3_bucket)))
    return luaL_error(L, "not enough memory");
  /* CsvHeaders.use_first_row() is the default and renders as no header list. */
  if(r->csv_headers && !cJSON_IsArray(r->csv_headers))
    r->csv_headers = NULL;
  lsfl_push(L, LSFL_ITEM_READER, r, NULL);
  return 1;
}

static int objects_reader_new(lua_State *L) { return reader_new(L, 0); }
static int json_reader_new(lua_State *L) { return reader_new(L, 1); }
static int jsonl_reader_new(lua_State *L) { return reader_new(L, 2); }
static int csv_reader_new(lua_State *L) { return reader_new(L, 3); }
static int manifest_reader_new(lua_State *L) { return reader_new(L, 4); }
static const lua_CFunction reader_ctors[] = {
  objects_reader_new, json_reader_new, jsonl_reader_new, csv_reader_new, manifest_reader_new
};

static int csv_use_first_row(lua_State *L)
{
  cJSON *v = arena_own_json(A(L), cJSON_CreateString("FIRST_ROW"));
  if(!v)
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_CSV_HEADERS, v, NULL);
  return 1;
}

static int csv_use(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  cJSON *list = lsfl_to_json(L, 1, "CsvHeaders.use");
  if(!cJSON_IsArray(list))
    return lsfl_error(L, "CsvHeaders.use takes a list of column names");
  for(const cJSON *c = list->child; c; c = c->next)
    if(!cJSON_IsString(c))
      return lsfl_error(L, "CsvHeaders.use takes a list of column names");
  lsfl_push(L, LSFL_CSV_HEADERS, list, NULL);
  return 1;
}

static const luaL_Reg csv_headers_statics[] = {
  {"use_first_row", csv_use_first_row}, {"use", csv_use}, {NULL, NULL}
};

/* }============ */

/* {============ ItemBatcher */

struct batcher_props {
  cJSON *max_items, *max_items_path, *max_bytes, *max_bytes_path, *batch_input;
};

#define BF(name, type, field) \
  {name, type, offsetof(struct batcher_props, field), 0, NULL, NULL, NULL, 0, NULL}
static const struct lsfl_prop batcher_schema[] = {
  BF("max_items_per_batch", P_INT, max_items),
  BF("max_items_per_batch_path", P_STR, max_items_path),
  BF("max_input_bytes_per_batch", P_INT, max_bytes),
  BF("max_input_bytes_per_batch_path", P_STR, max_bytes_path),
  BF("batch_input", P_OBJECT, batch_input),
  PROP_END
};

static const char *check_batcher(const struct batcher_props *p)
{
  if(p->max_items && p->max_items_path)
    return "Provide either `max_items_per_batch` or `max_items_per_batch_path`, but not both";
  if(p->max_bytes && p->max_bytes_path)
    return "Provide either `max_input_bytes_per_batch` or `max_input_bytes_per_batch_path`, "
           "but not both";
  if(!p->max_items && !p->max_items_path && !p->max_bytes && !p->max_bytes_path
     && !p->batch_input)
    return "Provide at least one value to the ItemBatcher";
  return NULL;
}

static int batcher_new(lua_State *L)
{
  lua_settop(L, 1);
  struct batcher_props p = {0};
  lsfl_read_props(L, 1, batcher_schema, &p, "ItemBatcher");
  const char *bad = check_batcher(&p);
  if(bad)
    return lsfl_error(L, "ItemBatcher: %s", bad);
  cJSON *o = arena_own_json(A(L), cJSON_CreateObject());
  if(!o)
    return luaL_error(L, "not enough memory");
  json_put(o, "MaxItemsPerBatch", json_dup(p.max_items));
  json_put(o, "MaxItemsPerBatchPath", json_dup(p.max_items_path));
  json_put(o, "MaxInputBytesPerBatch", json_dup(p.max_bytes));
  json_put(o, "MaxInputBytesPerBatchPath", json_dup(p.max_bytes_path));
  json_put(o, "BatchInput", json_dup(p.batch_input));
  lsfl_push(L, LSFL_ITEM_BATCHER, o, NULL);
  return 1;
}

/* }============ */

/* {============ ResultWriter, ResultWriterV2 */

static const char *const output_types[] = {"JSON", "JSONL", NULL};
static const char *const transformations[] = {"NONE", "COMPACT", "FLATTEN", NULL};

static const struct lsfl_prop writer_config_schema[] = {
  {"output_type", P_ENUM, 0, PROP_REQUIRED, "OutputType", NULL, output_types, 0, NULL},
  {"transformation", P_ENUM, 0, PROP_REQUIRED, "Transformation", NULL, transformations, 0,
   NULL},
  PROP_END
};

struct writer_props {
  cJSON *bucket_name_path, *prefix, *writer_config;
  const struct s3_bucket *bucket;
};

#define WF(name, type, field) \
  {name, type, offsetof(struct writer_props, field), 0, NULL, NULL, NULL, 0, NULL}
static const struct lsfl_prop writer_v2_schema[] = {
  BUCKET_PROP(struct writer_props, bucket), WF("bucket_name_path", P_STR, bucket_name_path),
  WF("prefix", P_STR, prefix),
  {"writer_config", P_STRUCT, offsetof(struct writer_props, writer_config), 0, NULL,
   writer_config_schema, NULL, 0, NULL},
  PROP_END
};

static int writer_new(lua_State *L, int v2)
{
  lua_settop(L, 1);
  struct writer_props p = {0};
  lsfl_read_props(L, 1, writer_v2_schema, &p, v2 ? "ResultWriterV2" : "ResultWriter");
  struct dmap_writer *w = arena_alloc(A(L), sizeof *w);
  if(!w)
    return luaL_error(L, "not enough memory");
  w->v2 = v2;
  if(p.bucket && !(w->bucket = dmap_bucket_of(A(L), p.bucket)))
    return luaL_error(L, "not enough memory");
  w->bucket_name_path = p.bucket_name_path;
  w->prefix = p.prefix;
  w->has_writer_config = p.writer_config != NULL;
  w->output_type = json_get(p.writer_config, "OutputType");
  w->transformation = json_get(p.writer_config, "Transformation");
  if(!v2 && !w->bucket)
    return lsfl_error(L, "ResultWriter needs a bucket (an aws_s3.IBucket); "
                         "ResultWriterV2 also takes bucket_name_path");
  lsfl_push(L, LSFL_RESULT_WRITER, w, NULL);
  return 1;
}

static int writer_v1_new(lua_State *L) { return writer_new(L, 0); }
static int writer_v2_new(lua_State *L) { return writer_new(L, 1); }

/* WriterConfig(props) and other struct classes hand back their table. */
static int struct_identity(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  return 1;
}

/* }============ */

void lsfl_register_dmap_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_ITEM_READER, NULL, NULL);
  lsfl_new_type(L, LSFL_ITEM_BATCHER, NULL, NULL);
  lsfl_new_type(L, LSFL_RESULT_WRITER, NULL, NULL);
  lsfl_new_type(L, LSFL_CSV_HEADERS, NULL, NULL);
}

void lsfl_add_dmap_values(lua_State *L)
{
  for(size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
    lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_stepfunctions.%s", readers[i].cls),
                   reader_ctors[i], NULL);
    lua_remove(L, -2);
    lua_setfield(L, -2, readers[i].cls);
  }
  lsfl_new_class(L, "sfl.aws_stepfunctions.CsvHeaders", NULL, csv_headers_statics);
  lua_setfield(L, -2, "CsvHeaders");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.CsvDelimiter", csv_delimiters, csv_delimiters);
  lua_setfield(L, -2, "CsvDelimiter");
  lsfl_new_class(L, "sfl.aws_stepfunctions.ItemBatcher", batcher_new, NULL);
  lua_setfield(L, -2, "ItemBatcher");
  lsfl_new_class(L, "sfl.aws_stepfunctions.ResultWriter", writer_v1_new, NULL);
  lua_setfield(L, -2, "ResultWriter");
  lsfl_new_class(L, "sfl.aws_stepfunctions.ResultWriterV2", writer_v2_new, NULL);
  lua_setfield(L, -2, "ResultWriterV2");
  lua_pushcfunction(L, struct_identity);
  lua_setfield(L, -2, "WriterConfig");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.OutputType", output_types, output_types);
  lua_setfield(L, -2, "OutputType");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.Transformation", transformations, transformations);
  lua_setfield(L, -2, "Transformation");
}

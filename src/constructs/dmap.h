/*
** dmap.h: DistributedMap (aws-stepfunctions/lib/states/distributed-map*): the item
** readers, result writers and item batcher it renders, the IAM statements they need, and
** the DistributedMapPolicy a state machine gets when its graph holds a distributed Map.
*/
#ifndef SFL_CONSTRUCTS_DMAP_H
#define SFL_CONSTRUCTS_DMAP_H

#include "constructs/sfn.h"

/* An S3 bucket as readers and writers use it (aws_s3.IBucket): its name and ARN. */
struct dmap_bucket {
  cJSON *name, *arn;
};
struct s3_bucket;
/* The name and ARN of an aws_s3 bucket, for a reader or writer (arena-owned). */
const struct dmap_bucket *dmap_bucket_of(struct arena *a, const struct s3_bucket *b);

enum dmap_reader_kind {
  DMAP_S3_OBJECTS, DMAP_S3_JSON, DMAP_S3_JSONL, DMAP_S3_CSV, DMAP_S3_MANIFEST
};

/* S3ObjectsItemReader, S3JsonItemReader, ... (item-reader.js). */
struct dmap_reader {
  enum dmap_reader_kind kind;
  const struct dmap_bucket *bucket;     /* bucket (from `s3_bucket`), or ... */
  cJSON *bucket_name_path;              /* ... bucket_name_path */
  cJSON *prefix;                        /* S3ObjectsItemReader */
  cJSON *key;                           /* the file readers */
  cJSON *max_items;
  cJSON *csv_headers;                   /* CSV: NULL = first row, else a list of names */
  cJSON *csv_delimiter;
  const struct s3_bucket *s3_bucket;    /* the `bucket` prop as the binding read it */
};

/* ResultWriter (v1: bucket required) and ResultWriterV2 (result-writer.js). */
struct dmap_writer {
  int v2;
  const struct dmap_bucket *bucket;
  cJSON *bucket_name_path, *prefix;
  cJSON *output_type, *transformation;  /* WriterConfig, v2 */
  int has_writer_config;
};

struct dmap_props {
  cJSON *execution_type;                /* NULL: STANDARD */
  const struct dmap_reader *reader;
  const struct dmap_writer *writer;     /* the one in effect (see dmap_pick_writer) */
  cJSON *batcher;                       /* ItemBatcher: {"MaxItemsPerBatch", ...} */
  cJSON *tolerated_percentage, *tolerated_percentage_path;
  cJSON *tolerated_count, *tolerated_count_path;
  cJSON *label;
};

/* Makes `map` (a Map state) distributed; checks the props as CDK's validateState does. */
enum sfl_status dmap_apply(struct asl_state *map, const struct dmap_props *p,
                           struct sfl_loc loc, struct diag *d);

/* Adds Machine/DistributedMapPolicy when the machine's graph holds a distributed Map. */
enum sfl_status dmap_machine_policy(struct sfn_machine *m, struct diag *d);

#endif

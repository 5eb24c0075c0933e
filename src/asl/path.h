/*
** path.h: the syntax of what ASL puts in strings: JSONPath paths, reference paths and
** intrinsic function calls (States Language spec: "Paths", "Reference Paths",
** "Intrinsic Functions"). Checks only: nothing here evaluates.
*/
#ifndef SFL_ASL_PATH_H
#define SFL_ASL_PATH_H

#include <stddef.h>

enum asl_path_kind {
  ASL_PATH,           /* InputPath, OutputPath, "x.$" values: operators allowed */
  ASL_REFERENCE_PATH  /* ResultPath, Choice Variable, *Path fields: one node only */
};

/*
** NULL when `s` is a valid path of that kind, else a message naming the problem
** (written into buf).
*/
const char *asl_check_path(const char *s, enum asl_path_kind kind, char *buf, size_t size);

/* NULL when `s` is a valid intrinsic function call ("States.Format('{}', $.x)"). */
const char *asl_check_intrinsic(const char *s, char *buf, size_t size);

/* A "x.$" value: a path or an intrinsic function call. */
const char *asl_check_dollar_value(const char *s, char *buf, size_t size);

#endif

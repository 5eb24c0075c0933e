/*
** check.h: the few assertion helpers the C tests use. A failed check prints where and
** what, and the test exits non-zero at the end.
*/
#ifndef SFL_SPEC_CHECK_H
#define SFL_SPEC_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures, check_count;

#define CHECK(cond) \
  do { \
    check_count++; \
    if(!(cond)) { \
      check_failures++; \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    } \
  } while(0)

#define CHECK_STR(got, want) \
  do { \
    const char *g_ = (got), *w_ = (want); \
    check_count++; \
    if(!g_ || strcmp(g_, w_)) { \
      check_failures++; \
      fprintf(stderr, "%s:%d: expected \"%s\"\n%*sgot      \"%s\"\n", __FILE__, __LINE__, w_, \
              (int)strlen(__FILE__) + 8, "", g_ ? g_ : "(null)"); \
    } \
  } while(0)

static int check_done(const char *name)
{
  printf("%s: %d passed, %d failed\n", name, check_count - check_failures, check_failures);
  return check_failures ? 1 : 0;
}

#endif

/*
** diag.c: filling a struct diag.
*/
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>

enum sfl_status diag_set(struct diag *d, enum sfl_status status, struct sfl_loc loc,
                         const char *fmt, ...)
{
  if(d) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    d->status = status;
    d->loc = loc;
  }
  return status;
}

enum sfl_status diag_nomem(struct diag *d)
{
  struct sfl_loc none = {0};
  return diag_set(d, SFL_ERR_NOMEM, none, "out of memory");
}

const char *sfl_strerror(enum sfl_status status)
{
  switch(status) {
  case SFL_OK: return "no error";
  case SFL_ERR_NOMEM: return "out of memory";
  case SFL_ERR_INVALID: return "invalid app";
  case SFL_ERR_IO: return "input/output error";
  }
  return "unknown error";
}

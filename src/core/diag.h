/*
** diag.h: how the C core reports a problem without printing or longjmp-ing.
**
** A function that can fail returns enum sfl_status and fills a struct diag that the
** caller owns; the Lua binding (or the CLI) decides how to show it. The location is
** where the user's app created the construct at fault.
*/
#ifndef SFL_CORE_DIAG_H
#define SFL_CORE_DIAG_H

enum sfl_status {
  SFL_OK = 0,
  SFL_ERR_NOMEM,     /* malloc failed */
  SFL_ERR_INVALID,   /* the app asks for something impossible */
  SFL_ERR_IO         /* a file could not be read or written */
};

struct sfl_loc {
  const char *file;  /* as the user named it (chunk name without '@'), or NULL */
  int line;          /* 0 when unknown */
};

struct diag {
  enum sfl_status status;
  struct sfl_loc loc;
  char msg[1024];
};

enum sfl_status diag_set(struct diag *d, enum sfl_status status, struct sfl_loc loc,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
enum sfl_status diag_nomem(struct diag *d);
const char *sfl_strerror(enum sfl_status status);

#endif

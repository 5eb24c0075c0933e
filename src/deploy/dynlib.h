/*
** dynlib.h: a library opened with dlopen() the first time it is needed, its functions
** looked up by name into a table of function pointers. libcrypto (signing), libcurl (HTTP)
** and libzip (folder assets) are opened this way: linked, each costs every `sfl synth` the
** loading of itself and of what it pulls in, although synthesis never uses them.
*/
#ifndef SFL_DEPLOY_DYNLIB_H
#define SFL_DEPLOY_DYNLIB_H

#include <stddef.h>

#include "core/diag.h"

/* A function to find: its name, and where its pointer goes (offsetof in the table). */
struct dynlib_symbol {
  const char *name;
  size_t slot;
};

/* Opens soname and fills api with each symbol (POSIX makes dlsym's data pointer good as a
** function pointer). A missing library is SFL_ERR_IO "<need>, which is not installed
** (<why>); install the Debian package <package>"; a missing symbol names it. */
enum sfl_status dynlib_load(const char *soname, const char *need, const char *package,
                            const struct dynlib_symbol *symbols, size_t n, void *api,
                            struct diag *d);

#endif

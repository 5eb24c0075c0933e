/*
** dynlib.h: a library opened with dlopen() the first time it is needed, its functions
** looked up by name into a table of function pointers. libcrypto (signing), libcurl (HTTP),
** libzip (folder assets) and Graphviz (pictures) are opened this way: linked, each costs
** every `sfl synth` the loading of itself and of what it pulls in, although synthesis
** never uses them.
*/
#ifndef SFL_CORE_DYNLIB_H
#define SFL_CORE_DYNLIB_H

#include <stddef.h>

#include "core/diag.h"

/* A function to find: its name, and where its pointer goes (offsetof in the table). */
struct dynlib_symbol {
  const char *name;
  size_t slot;
};

/* The entry for the function `name` whose pointer goes in field `field` of `api`. */
#define DYNLIB_SYMBOL(api, name, field) {name, offsetof(__typeof__(api), field)}

/* Opens soname (RTLD_GLOBAL when global, else RTLD_LOCAL) into *handle. A missing library
** is SFL_ERR_IO "<need>, which is not installed (<why>); install the Debian package
** <package>". */
enum sfl_status dynlib_open(const char *soname, const char *need, const char *package,
                            int global, void **handle, struct diag *d);

/* Fills api with each symbol of the library dynlib_open gave (POSIX makes dlsym's data
** pointer good as a function pointer); a missing symbol is SFL_ERR_IO naming it. */
enum sfl_status dynlib_find(void *handle, const char *soname,
                            const struct dynlib_symbol *symbols, size_t n, void *api,
                            struct diag *d);

/* dynlib_open (RTLD_LOCAL), then dynlib_find. */
enum sfl_status dynlib_load(const char *soname, const char *need, const char *package,
                            const struct dynlib_symbol *symbols, size_t n, void *api,
                            struct diag *d);

#endif

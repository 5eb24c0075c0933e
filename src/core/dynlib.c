/*
** dynlib.c: dlopen() and dlsym() into a table of function pointers (see dynlib.h).
*/
#include "core/dynlib.h"

#include <dlfcn.h>
#include <string.h>

static const struct sfl_loc none;

enum sfl_status dynlib_open(const char *soname, const char *need, const char *package,
                            int global, void **handle, struct diag *d)
{
  *handle = dlopen(soname, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL));
  if(!*handle)
    return diag_set(d, SFL_ERR_IO, none, "%s, which is not installed (%s); install the "
                    "Debian package %s", need, dlerror(), package);
  return SFL_OK;
}

enum sfl_status dynlib_find(void *handle, const char *soname,
                            const struct dynlib_symbol *symbols, size_t n, void *api,
                            struct diag *d)
{
  for(size_t i = 0; i < n; i++) {
    void *fn = dlsym(handle, symbols[i].name);
    if(!fn)
      return diag_set(d, SFL_ERR_IO, none, "%s has no %s: %s", soname, symbols[i].name,
                      dlerror());
    memcpy((char *)api + symbols[i].slot, &fn, sizeof fn);
  }
  return SFL_OK;
}

enum sfl_status dynlib_load(const char *soname, const char *need, const char *package,
                            const struct dynlib_symbol *symbols, size_t n, void *api,
                            struct diag *d)
{
  void *h;
  enum sfl_status st = dynlib_open(soname, need, package, 0, &h, d);
  return st ? st : dynlib_find(h, soname, symbols, n, api, d);
}

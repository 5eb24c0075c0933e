/*
** dynlib.c: dlopen() and dlsym() into a table of function pointers (see dynlib.h).
*/
#include "deploy/dynlib.h"

#include <dlfcn.h>
#include <string.h>

enum sfl_status dynlib_load(const char *soname, const char *need, const char *package,
                            const struct dynlib_symbol *symbols, size_t n, void *api,
                            struct diag *d)
{
  struct sfl_loc none = {0};
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if(!h)
    return diag_set(d, SFL_ERR_IO, none, "%s, which is not installed (%s); install the "
                    "Debian package %s", need, dlerror(), package);
  for(size_t i = 0; i < n; i++) {
    void *fn = dlsym(h, symbols[i].name);
    if(!fn)
      return diag_set(d, SFL_ERR_IO, none, "%s has no %s: %s", soname, symbols[i].name,
                      dlerror());
    memcpy((char *)api + symbols[i].slot, &fn, sizeof fn);
  }
  return SFL_OK;
}

/*
** file.h: a whole file or stream read into memory, the one reader the CLI (definitions,
** inputs, mock files) and deploy (~/.aws files, credential_process output) share.
*/
#ifndef SFL_CORE_FILE_H
#define SFL_CORE_FILE_H

#include <stddef.h>
#include <stdio.h>

/* All of `f` up to its end, malloc'd and NUL-terminated after the last byte, so it may be
** read as a C string; `*len` counts every byte read (NULs in it included). NULL when out
** of memory or when reading fails. */
char *file_read_stream(FILE *f, size_t *len);
/* All of the file at `path` the same way; NULL also when it cannot be opened. */
char *file_read(const char *path, size_t *len);

#endif

/*
** empty.c: stands in for a part folder (src/run, src/graph, src/deploy) that has no
** sources yet, so its library target always exists.
*/
typedef int sfl_empty_translation_unit;

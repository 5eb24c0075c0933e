/*
** clock.h: how long something took, on the monotonic clock.
*/
#ifndef SFL_CORE_CLOCK_H
#define SFL_CORE_CLOCK_H

#include <time.h>

/* Seconds (with fractions) from t0, taken with clock_gettime(CLOCK_MONOTONIC), to now. */
double clock_seconds_since(const struct timespec *t0);

#endif

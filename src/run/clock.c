/*
** clock.c: time and chance for the interpreter. Timestamps are RFC 3339 as the States
** Language restricts them, turned into whole seconds plus nanoseconds so that comparisons
** are exact; the calendar arithmetic is the proleptic Gregorian one (no timegm(), which
** depends on the C library and the TZ variable). Random numbers come from a splitmix64
** generator whose state lives in each run, so runs are reproducible from their seed and
** two runs never share one. Also the States error helpers every evaluator uses.
*/
#include "run/eval.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* {============ errors */

int run_fail_set(struct fail *f, const char *error, const char *fmt, ...)
{
  char *cause = NULL;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n >= 0 && (cause = malloc((size_t)n + 1))) {
    va_start(ap, fmt);
    vsnprintf(cause, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  char *err = strdup(error);
  run_fail_clear(f);
  if(!cause || !err) {
    free(cause);
    free(err);
    return -1;
  }
  f->error = err;
  f->cause = cause;
  return 1;
}

void run_fail_clear(struct fail *f)
{
  free(f->error);
  free(f->cause);
  f->error = f->cause = NULL;
}

/* }============ */

/* {============ RFC 3339 */

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (long long)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
  *out = 0;
  for(int i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9')
      return -1;
    *out = *out * 10 + (s[i] - '0');
  }
  return 0;
}

static int days_in_month(int y, int m)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return days[m - 1] + (m == 2 && leap);
}

int rfc3339_parse(const char *s, struct ts *out)
{
  int y, mo, d, h, mi, sec;
  if(strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
     s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' || digits(s + 11, 2, &h) ||
     s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
    return -1;
  if(mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
    return -1;
  const char *p = s + 19;
  long nsec = 0;
  if(*p == '.') {
    int n = 0;
    for(p++; *p >= '0' && *p <= '9'; p++, n++)
      if(n < 9)
        nsec = nsec * 10 + (*p - '0');
    if(!n)
      return -1;
    for(; n < 9; n++)
      nsec *= 10;
  }
  long long offset = 0;
  if(*p == 'Z')
    p++;
  else if(*p == '+' || *p == '-') {
    int oh, om;
    if(digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
      return -1;
    offset = (oh * 3600LL + om * 60LL) * (*p == '-' ? -1 : 1);
    p += 6;
  }
  else
    return -1;
  if(*p)
    return -1;
  out->sec = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL + h * 3600LL + mi * 60LL
             + sec - offset;
  out->nsec = nsec;
  return 0;
}

int run_ts_cmp(struct ts a, struct ts b)
{
  if(a.sec != b.sec)
    return a.sec < b.sec ? -1 : 1;
  return a.nsec < b.nsec ? -1 : a.nsec > b.nsec;
}

void rfc3339_format(double t, char out[32])
{
  /* Times past what a long long of milliseconds holds (some 292 million years) are
  ** written as its ends: no undefined conversion. */
  double want = t * 1000.0 + (t >= 0 ? 0.5 : -0.5);
  long long ms = !(want > -9.2e18) ? -9200000000000000000LL
                 : want > 9.2e18 ? 9200000000000000000LL : (long long)want;
  long long secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  long long rem = secs - days * 86400, y;
  unsigned m, d;
  char text[96];
  civil_from_days(days, &y, &m, &d);
  snprintf(text, sizeof text, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d,
           (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), (int)(ms - secs * 1000));
  size_t n = strlen(text) < 31 ? strlen(text) : 31;
  memcpy(out, text, n);
  out[n] = '\0';
}

/* }============ */

/* {============ random numbers and real time */

uint64_t run_rng_next(uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double run_rng_unit(uint64_t *state)
{
  return (double)(run_rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

void run_rng_uuid(uint64_t *state, char out[37])
{
  unsigned char b[16];
  uint64_t hi = run_rng_next(state), lo = run_rng_next(state);
  for(int i = 0; i < 8; i++) {
    b[i] = (unsigned char)(hi >> (8 * i));
    b[8 + i] = (unsigned char)(lo >> (8 * i));
  }
  b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);   /* version 4 */
  b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
  snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
           b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
           b[13], b[14], b[15]);
}

double run_clock_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void run_clock_sleep(double seconds)
{
  if(seconds <= 0)
    return;
  struct timespec t;
  t.tv_sec = (time_t)seconds;
  t.tv_nsec = (long)((seconds - (double)t.tv_sec) * 1e9);
  while(nanosleep(&t, &t) && errno == EINTR)
    ;
}

/* }============ */

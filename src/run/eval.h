/*
** eval.h: what evaluating a path, a Payload Template or an intrinsic function needs (the
** state's input as `$`, the context object as `$$`, the run's random numbers), and how
** such an evaluation reports a States.* error.
**
** Ownership: a struct fail owns its two malloc'd strings until run_fail_clear(). Internal
** evaluators return 0 when done, 1 when they raised an error (in env->fail), and -1 when
** memory ran out.
*/
#ifndef SFL_RUN_EVAL_H
#define SFL_RUN_EVAL_H

#include <stdint.h>
#include <cjson/cJSON.h>

/* An error as the States Language reports it: a name ("States.Timeout") and a cause. */
struct fail {
  char *error;
  char *cause;
};

/* Sets f (replacing what it held); returns 1, or -1 when out of memory. */
int run_fail_set(struct fail *f, const char *error, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
void run_fail_clear(struct fail *f);

struct eval_env {
  const cJSON *input;                    /* `$` */
  const cJSON *(*context)(void *ud);     /* `$$`, built on demand; NULL when out of memory */
  void *ud;
  uint64_t *rng;                         /* the run's generator (States.UUID, MathRandom) */
  struct fail *fail;
};

/* {============ the run's clock and random numbers (clock.c) */

struct ts {
  long long sec;   /* seconds since 1970-01-01T00:00:00Z */
  long nsec;
};

/* Parses an RFC 3339 timestamp as the spec restricts it ("T", "Z" upper case); 0 if valid. */
int rfc3339_parse(const char *s, struct ts *out);
int run_ts_cmp(struct ts a, struct ts b);
/* "2016-03-14T01:59:00.000Z" for t seconds since the epoch. */
void rfc3339_format(double t, char out[32]);

uint64_t run_rng_next(uint64_t *state);
double run_rng_unit(uint64_t *state);           /* in [0, 1) */
void run_rng_uuid(uint64_t *state, char out[37]);

/* Real time, in seconds since the epoch; and sleeping (used only with real_time). */
double run_clock_now(void);
void run_clock_sleep(double seconds);

/* }============ */

#endif

/* periods: the [deadlines] section of mpoold.conf, which says for each
 * domain of cases the legal period it runs inside:
 *
 *   [deadlines]
 *   objection = objection        ; Awb 7:10
 *   complaint = complaint        ; Awb 9:11
 *   labour = internal 10         ; the pool's own target: 10 working days
 *   holidays = 2026-05-06        ; days set by decree, comma-separated
 *
 * A domain that is not listed runs inside no period. */
#ifndef MPOOL_PERIODS_H
#define MPOOL_PERIODS_H

#include <stddef.h>
#include <stdint.h>

#include "base/deadline.h"

#define PERIODS_MAX  32
#define HOLIDAYS_MAX 64

struct periods {
    struct period {
        char domain[32];
        enum deadline_kind kind;
        int working_days; /* internal only */
    } list[PERIODS_MAX];
    size_t count;
    int32_t holidays[HOLIDAYS_MAX];
    size_t n_holidays;
};

/* One key of [deadlines]: 0 and a one-line reason in why when the value
 * is not one the section takes. */
int periods_set(struct periods *p, const char *name, const char *value, char *why, size_t len);
/* The period of a domain, or NULL. */
const struct period *periods_find(const struct periods *p, const char *domain);
/* The decree days, for deadline_compute. */
struct deadline_extra periods_holidays(const struct periods *p);

#endif

/* deadline: the legal decision periods a case for mediation runs inside.
 *
 * Awb 7:10 (objection): 6 weeks, 12 with an advisory committee, from the
 * day after the objection period ended; postponed once by at most 6 weeks;
 * further only with the objector's consent; suspended while an omission is
 * repaired. Awb 9:11 (complaint): 6 weeks from receipt, 10 with a
 * complaints committee; postponed by at most 4 weeks. An internal target
 * counts working days. Algemene termijnenwet art. 1 and 3: a period that
 * ends on a Saturday, Sunday or general holiday runs to the next day that
 * is none of these.
 *
 * Days are whole days since 1970-01-01 (UTC); pure functions, no clock. */
#ifndef MPOOL_DEADLINE_H
#define MPOOL_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum deadline_kind {
    DEADLINE_NONE,
    DEADLINE_OBJECTION, /* Awb 7:10 */
    DEADLINE_COMPLAINT, /* Awb 9:11 */
    DEADLINE_INTERNAL,  /* the pool's own target, in working days */
};

/* The kind's word in configuration and answers ("objection", ...; "" for
 * none), and back (DEADLINE_NONE for an unknown word). */
const char *deadline_kind_name(enum deadline_kind kind);
enum deadline_kind deadline_kind_parse(const char *word);

/* Why a decision date moves (a postponement, a suspension, a consented
 * extension): the codes HR choose from, NULL-terminated. */
extern const char *const deadline_move_codes[];
/* The same list in words, for help texts (test_deadline keeps them equal). */
#define DEADLINE_MOVE_CODES_TEXT                                                                   \
    "omission, complex-case, committee-advice, objector-consented or other"

/* Days set by decree on top of the general holidays of the Atw. */
struct deadline_extra {
    const int32_t *days;
    size_t count;
};

int32_t deadline_day(int year, int month, int day);
/* "YYYY-MM-DD" to a day; -1 when it is not a date (from 1970 on). */
int32_t deadline_parse(const char *text);
void deadline_format(int32_t day, char out[11]);
/* Easter Sunday of year (Gregorian calendar). */
int32_t deadline_easter(int year);
/* A general holiday of Atw art. 3: New Year's Day, Good Friday, Easter
 * Monday, King's Day as celebrated, 5 May, Ascension Day, Whit Monday, both
 * Christmas days; or one of extra. */
bool deadline_holiday(int32_t day, const struct deadline_extra *extra);
/* The day itself, or the first after it that is no Saturday, Sunday or
 * holiday. */
int32_t deadline_next_working_day(int32_t day, const struct deadline_extra *extra);

struct deadline_input {
    enum deadline_kind kind;
    int32_t start;          /* objection: the objection period's last day; complaint: receipt */
    bool committee;         /* an advisory or complaints committee advises */
    int32_t suspended_days; /* objection: days the period was suspended (7:10(2)) */
    int32_t postponed_days; /* the one postponement (7:10(3), 9:11(2)) */
    int32_t consented_days; /* objection: further postponement with consent (7:10(4)) */
    int32_t working_days;   /* internal: the target */
};

/* How many days before its decision date an open case nobody has taken on
 * counts as at risk: `pool stuck` and `case due` unless asked otherwise,
 * and the notice to HR of a legal date. */
#define AT_RISK_DAYS 14

/* The days before its date from which HR hear that a case's decision date
 * is near: AT_RISK_DAYS for a legal period; for the pool's own target, a
 * third of its span from start (at least one day), since a target of 10
 * working days lies within AT_RISK_DAYS the day it is set. A start not
 * known (negative here, NULL in SQL) gives AT_RISK_DAYS. */
int32_t deadline_near_days(enum deadline_kind kind, int32_t start, int32_t decide_by);
/* The same rule in SQL, over a row's kind, start and date columns. */
#define DEADLINE_NEAR_DAYS_SQL(kind, start, decide_by)                                             \
    "(CASE WHEN " kind " = 'internal' THEN COALESCE(MAX(1, (" decide_by " - " start ") / 3), 14)"  \
    " ELSE 14 END)"

/* The day a Unix time in milliseconds falls on (UTC). */
int32_t deadline_today(int64_t now_ms);

/* When an offer made at now_ms expires: after expiry_ms, but never past
 * the start of the decision date (decide_by, -1 for none), the point after
 * which a mediation can no longer come before the decision. A date already
 * reached does not shorten the offer: nothing can be met any more. */
int64_t deadline_offer_expiry(int64_t now_ms, int64_t expiry_ms, int32_t decide_by);
/* Whether an offer's expiry is the decision date's cap: it lapsed by the
 * calendar, not by the mediator's silence. */
bool deadline_offer_capped(int64_t expires_ms, int32_t decide_by);

/* The last day to decide, or -1 with why set when the input asks for
 * more than the law allows (a postponement too long, or of the wrong kind). */
int32_t deadline_compute(const struct deadline_input *in, const struct deadline_extra *extra,
                         const char **why);

#endif

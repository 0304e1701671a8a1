/* match: the conflict-of-interest rules and the cost of a mediator for a
 * case. Pure: no I/O, no globals, no allocation; the daemon, the client's
 * offline matcher, the tests and the benchmarks all call this code.
 *
 * Hard rules exclude; each has a stable reason code and a class. Soft
 * preferences add to a cost, lower is better, and every term is kept so a
 * result can be explained. See docs/matching.md. */
#ifndef MPOOL_MATCH_H
#define MPOOL_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In the order they are checked: the first that fails is the reason. */
enum match_reason {
    MATCH_ELIGIBLE = 0,
    MATCH_PARTY_MUNICIPALITY,    /* R1: mediator's municipality is the requester or a party */
    MATCH_EXCLUDED_MUNICIPALITY, /* R2: municipality excluded for this case (precedent) */
    MATCH_VETOED,                /* R3: vetoed by a party */
    MATCH_PRIOR_INVOLVEMENT,     /* R4: involved before, unless waived */
    MATCH_RELATIONSHIP,          /* R5: declared relationship with a party, unless waived */
    MATCH_DECLINED,              /* declined, refused consent, disclosed an interest */
    MATCH_REPLACED,              /* replaced on this case: reassigned, or by an override */
    MATCH_EXPIRED,               /* let an offer for this case expire */
    MATCH_LANGUAGE,              /* R6 */
    MATCH_CERTIFICATION,         /* R7 */
    MATCH_AVAILABILITY,          /* R8: not available now */
    MATCH_CAPACITY,              /* R8: no free capacity */
    MATCH_DISTANCE,              /* R9: beyond the case's distance cap */
    MATCH_REASON_COUNT
};

enum match_class {
    MATCH_CLASS_NONE,     /* eligible */
    MATCH_CLASS_NEVER,    /* no consent can lift it */
    MATCH_CLASS_WAIVABLE, /* the parties may consent (R4, R5) */
    MATCH_CLASS_NOT_NOW,  /* may change by itself (capacity, availability) */
    MATCH_CLASS_CASE,     /* a property of this case (language, certification, distance) */
};

/* The MfN's pace for a registered mediator: this many mediations in the
 * last three years (their node's `mediator show`, the coordinator's
 * yearly report). */
#define MFN_PACE_CASES  9
#define MFN_PACE_MONTHS 36
#define MFN_PACE_MS     (3 * 365 * 86400000LL)

struct match_strings {
    const char *const *v;
    size_t n;
};

struct match_mediator {
    const char *id;           /* "<node>:<user>" */
    const char *municipality; /* node id */
    double lat, lon;
    int capacity;   /* open cases at most */
    int open_cases; /* offered, accepted or in mediation */
    struct match_strings languages;
    struct match_strings specialties;
    struct match_strings relationships;     /* party references */
    struct match_strings recent_requesters; /* municipalities served lately */
    bool certified;
    bool available;
    int cases_last_365d;
    int64_t balance_hours; /* of the mediator's municipality: given - received */
};

struct match_case {
    const char *id;
    const char *requester;
    const char *domain;
    const char *language;
    struct match_strings parties; /* "m:<id>" or "p:<hex>" */
    struct match_strings vetoed;  /* mediator ids */
    struct match_strings involved;
    struct match_strings waived;
    struct match_strings declined;
    /* Off the shortlist, but an override may offer the case to them: a
     * replacement is not a veto, a lapsed offer not a decline. */
    struct match_strings replaced;
    struct match_strings expired;
    struct match_strings excluded_municipalities;
    double lat, lon;
    int seats; /* 1 or 2 */
    bool requires_certified;
    double max_distance_km; /* 0 or less: no cap */
    /* The legal decision date the case runs against, if any: days from
     * today (negative when it has passed). */
    bool has_deadline;
    int days_left;
};

struct match_weights {
    int64_t distance_per_km;
    int64_t specialty_miss;
    int64_t balance_per_hour;
    int64_t load_step;
    int64_t recent_requester;
    int64_t needs_cases_bonus;
    int64_t unassigned;
    /* An empty seat of a case with a decision date costs deadline_per_day
     * more for each day that date is nearer than deadline_horizon days. */
    int64_t deadline_per_day;
    int64_t deadline_horizon;
};

/* The cost of giving one more case to a mediator, term by term. */
struct match_cost {
    long distance_km;
    int64_t distance;
    int64_t specialty;
    int64_t balance;
    int64_t recent;
    int64_t needs_cases;
    int64_t load;
    int64_t total;
    /* The facts behind the terms, so match_explain can say them. */
    int64_t balance_hours;
    int open_cases;
    int proposed; /* cases a batch round gave the mediator before this one */
    bool specialty_ok;
};

struct match_ranked {
    size_t mediator; /* index into the array given */
    struct match_cost cost;
};

void match_weights_default(struct match_weights *w);

const char *match_reason_code(enum match_reason r); /* "party_municipality" */
const char *match_reason_text(enum match_reason r); /* "same municipality as a party" */
enum match_class match_reason_class(enum match_reason r);

/* Great-circle distance, haversine, earth radius 6371.0 km. */
double match_distance_km(double lat1, double lon1, double lat2, double lon2);

enum match_reason match_check(const struct match_case *c, const struct match_mediator *m);
/* match_check(c, m) == MATCH_ELIGIBLE, faster when only the verdict counts. */
bool match_eligible(const struct match_case *c, const struct match_mediator *m);
void match_cost(const struct match_case *c, const struct match_mediator *m,
                const struct match_weights *w, struct match_cost *out);

/* Ranks the eligible mediators for c by total cost, then by id, and writes
 * the best `cap` to out. hist (MATCH_REASON_COUNT entries, zeroed here)
 * counts each mediator under the rule that excluded it, or MATCH_ELIGIBLE.
 * Returns the number written. Ranks individuals only: for a two-seat case
 * the caller picks pairs from mediators of different municipalities (R10). */
size_t match_shortlist(const struct match_case *c, const struct match_mediator *ms, size_t n,
                       const struct match_weights *w, struct match_ranked *out, size_t cap,
                       unsigned hist[MATCH_REASON_COUNT]);

/* What a seat of c left empty by a batch round costs: unassigned, plus
 * the deadline term when c runs against a decision date. */
int64_t match_empty_seat_cost(const struct match_case *c, const struct match_weights *w);

/* "12 km (+12), specialty ok (+0), balance +3 h (+6), 1 open case (+40), total 58" */
void match_explain(const struct match_cost *cost, char *out, size_t outlen);
/* What the requesting municipality may learn of why mediators were left
 * out. R4 and R5 rest on private facts of other cases and of mediators'
 * declarations: they are counted together with availability and capacity
 * under one code, so that a shortlist never tells whether a named person
 * was in a mediation elsewhere. The coordinator's records keep the rules. */
#define MATCH_NOT_AVAILABLE_CODE "not_available"
#define MATCH_NOT_AVAILABLE_TEXT "not available for this case"
bool match_reason_hidden(enum match_reason r);
/* Copies hist with the hidden rules zeroed; returns their total. */
unsigned match_histogram_fold(const unsigned hist[MATCH_REASON_COUNT],
                              unsigned out[MATCH_REASON_COUNT]);
/* The words for a code as the requester sees it, or NULL for an unknown. */
const char *match_code_text(const char *code);
/* The histogram in words as the requester may see it (folded). */
void match_histogram_public_text(const unsigned hist[MATCH_REASON_COUNT], size_t total, char *out,
                                 size_t outlen);

/* "0 of 12 eligible: 3 same municipality as a party, 9 no capacity" */
void match_histogram_text(const unsigned hist[MATCH_REASON_COUNT], size_t total, char *out,
                          size_t outlen);

#endif

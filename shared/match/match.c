/* match: hard rules that exclude a mediator from a case, and the cost of
 * giving them the case. Pure functions over caller-owned data. */
#include "match/match.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EARTH_RADIUS_KM    6371.0
#define NEEDS_CASES_BELOW  3
#define PARTY_MUNICIPALITY "m:"

struct reason_info {
    const char *code;
    const char *text;
    enum match_class class;
};

/* Texts name the rule only: a mediator's or party's declaration is
 * confidential, and these strings reach every party of the case. */
static const struct reason_info reasons[MATCH_REASON_COUNT] = {
    [MATCH_ELIGIBLE] = {"eligible", "eligible", MATCH_CLASS_NONE},
    [MATCH_PARTY_MUNICIPALITY] = {"party_municipality", "same municipality as a party",
                                  MATCH_CLASS_NEVER},
    [MATCH_EXCLUDED_MUNICIPALITY] = {"excluded_municipality", "municipality excluded for this case",
                                     MATCH_CLASS_NEVER},
    [MATCH_VETOED] = {"vetoed", "vetoed by a party", MATCH_CLASS_NEVER},
    [MATCH_PRIOR_INVOLVEMENT] = {"prior_involvement", "involved before", MATCH_CLASS_WAIVABLE},
    [MATCH_RELATIONSHIP] = {"relationship", "declared relationship with a party",
                            MATCH_CLASS_WAIVABLE},
    [MATCH_DECLINED] = {"declined", "declined this case", MATCH_CLASS_NEVER},
    [MATCH_REPLACED] = {"replaced", "replaced on this case", MATCH_CLASS_CASE},
    [MATCH_EXPIRED] = {"expired", "let the offer expire", MATCH_CLASS_CASE},
    [MATCH_LANGUAGE] = {"language", "does not speak the language", MATCH_CLASS_CASE},
    [MATCH_CERTIFICATION] = {"certification", "not certified", MATCH_CLASS_CASE},
    [MATCH_AVAILABILITY] = {"availability", "not available", MATCH_CLASS_NOT_NOW},
    [MATCH_CAPACITY] = {"capacity", "no capacity", MATCH_CLASS_NOT_NOW},
    [MATCH_DISTANCE] = {"distance", "too far", MATCH_CLASS_CASE},
};

static bool reason_known(enum match_reason r)
{
    return (unsigned)r < MATCH_REASON_COUNT;
}

const char *match_reason_code(enum match_reason r)
{
    return reason_known(r) ? reasons[r].code : "unknown";
}

const char *match_reason_text(enum match_reason r)
{
    return reason_known(r) ? reasons[r].text : "unknown rule";
}

/* An unknown reason came from a newer or corrupt peer: treat it as the
 * strictest class rather than let anyone waive it. */
enum match_class match_reason_class(enum match_reason r)
{
    return reason_known(r) ? reasons[r].class : MATCH_CLASS_NEVER;
}

void match_weights_default(struct match_weights *w)
{
    w->distance_per_km = 1;
    w->specialty_miss = 200;
    w->balance_per_hour = 2;
    w->load_step = 40;
    w->recent_requester = 100;
    w->needs_cases_bonus = 50;
    w->unassigned = 1000000;
    w->deadline_per_day = 10000;
    w->deadline_horizon = 28;
}

static double radians(double deg)
{
    return deg * (M_PI / 180.0);
}

double match_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    double dlat = sin(radians(lat2 - lat1) / 2);
    double dlon = sin(radians(lon2 - lon1) / 2);
    double a = dlat * dlat + cos(radians(lat1)) * cos(radians(lat2)) * dlon * dlon;

    /* Rounding can push a a hair past 1 for antipodal points. */
    if (a > 1.0)
        a = 1.0;
    return 2.0 * EARTH_RADIUS_KM * asin(sqrt(a));
}

/* ---- hard rules ------------------------------------------------------ */

static bool str_eq(const char *a, const char *b)
{
    /* The first byte settles most comparisons without a call. */
    return a && b && a[0] == b[0] && strcmp(a, b) == 0;
}

static bool strings_have(const struct match_strings *s, const char *x)
{
    if (!s->v || !x)
        return false;
    for (size_t i = 0; i < s->n; i++)
        if (str_eq(s->v[i], x))
            return true;
    return false;
}

static bool strings_meet(const struct match_strings *a, const struct match_strings *b)
{
    if (!a->v)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strings_have(b, a->v[i]))
            return true;
    return false;
}

/* A party reference "m:<id>" names a municipality; a bare "<id>" is
 * accepted too so a hand-written case cannot slip past R1. */
static bool party_is_municipality(const char *party, const char *municipality)
{
    size_t plen = sizeof PARTY_MUNICIPALITY - 1;

    if (!party || !municipality)
        return false;
    if (strncmp(party, PARTY_MUNICIPALITY, plen) == 0)
        party += plen;
    return strcmp(party, municipality) == 0;
}

static bool is_party_municipality(const struct match_case *c, const char *municipality)
{
    if (str_eq(c->requester, municipality))
        return true;
    if (!c->parties.v)
        return false;
    for (size_t i = 0; i < c->parties.n; i++)
        if (party_is_municipality(c->parties.v[i], municipality))
            return true;
    return false;
}

static bool has_capacity(const struct match_mediator *m)
{
    return (long long)m->capacity - (long long)m->open_cases >= 1;
}

static bool too_far(const struct match_case *c, const struct match_mediator *m)
{
    if (!(c->max_distance_km > 0))
        return false;
    return match_distance_km(c->lat, c->lon, m->lat, m->lon) > c->max_distance_km;
}

/* Conflicts of interest first, then what the case asks for, then what may
 * change by itself: the first reason is the one people are told. */
/* R1 to R6: the conflicts and the language, in the order they are reported. */
static enum match_reason conflict(const struct match_case *c, const struct match_mediator *m)
{
    bool waived = strings_have(&c->waived, m->id);

    if (is_party_municipality(c, m->municipality))
        return MATCH_PARTY_MUNICIPALITY;
    if (strings_have(&c->excluded_municipalities, m->municipality))
        return MATCH_EXCLUDED_MUNICIPALITY;
    if (strings_have(&c->vetoed, m->id))
        return MATCH_VETOED;
    if (!waived && strings_have(&c->involved, m->id))
        return MATCH_PRIOR_INVOLVEMENT;
    if (!waived && strings_meet(&m->relationships, &c->parties))
        return MATCH_RELATIONSHIP;
    if (strings_have(&c->declined, m->id))
        return MATCH_DECLINED;
    if (strings_have(&c->replaced, m->id))
        return MATCH_REPLACED;
    if (strings_have(&c->expired, m->id))
        return MATCH_EXPIRED;
    if (!strings_have(&m->languages, c->language))
        return MATCH_LANGUAGE;
    return MATCH_ELIGIBLE;
}

enum match_reason match_check(const struct match_case *c, const struct match_mediator *m)
{
    enum match_reason r = conflict(c, m);
    if (r != MATCH_ELIGIBLE)
        return r;
    if (c->requires_certified && !m->certified)
        return MATCH_CERTIFICATION;
    if (!m->available)
        return MATCH_AVAILABILITY;
    if (!has_capacity(m))
        return MATCH_CAPACITY;
    if (too_far(c, m))
        return MATCH_DISTANCE;
    return MATCH_ELIGIBLE;
}

bool match_eligible(const struct match_case *c, const struct match_mediator *m)
{
    /* The same rules, numeric ones first: they settle most pairs without a
     * string comparison, and only the verdict counts here. */
    return has_capacity(m) && m->available && (!c->requires_certified || m->certified) &&
           !too_far(c, m) && conflict(c, m) == MATCH_ELIGIBLE;
}

/* ---- cost ------------------------------------------------------------ */

void match_cost(const struct match_case *c, const struct match_mediator *m,
                const struct match_weights *w, struct match_cost *out)
{
    memset(out, 0, sizeof *out);
    out->distance_km = lround(match_distance_km(c->lat, c->lon, m->lat, m->lon));
    out->distance = (int64_t)out->distance_km * w->distance_per_km;
    out->specialty_ok = strings_have(&m->specialties, c->domain);
    out->specialty = out->specialty_ok ? 0 : w->specialty_miss;
    out->balance_hours = m->balance_hours;
    out->balance = w->balance_per_hour * m->balance_hours;
    if (strings_have(&m->recent_requesters, c->requester))
        out->recent = w->recent_requester;
    if (m->cases_last_365d < NEEDS_CASES_BELOW)
        out->needs_cases = -w->needs_cases_bonus;
    /* The marginal cost of the next case: load_step * (open + 1 - 1). */
    out->open_cases = m->open_cases;
    out->load = w->load_step * m->open_cases;
    out->total =
        out->distance + out->specialty + out->balance + out->recent + out->needs_cases + out->load;
}

int64_t match_empty_seat_cost(const struct match_case *c, const struct match_weights *w)
{
    if (!c->has_deadline)
        return w->unassigned;
    /* A date already passed weighs as much as one due today. */
    int64_t left = c->days_left < 0 ? 0 : c->days_left;
    int64_t nearer = left < w->deadline_horizon ? w->deadline_horizon - left : 0;
    return w->unassigned + w->deadline_per_day * nearer;
}

/* ---- shortlist ------------------------------------------------------- */

static const char *id_or_empty(const char *id)
{
    return id ? id : "";
}

/* Total order: cost, then id, then position, so equal input always gives
 * the same list whatever order the caller stored mediators in. */
static bool ranks_before(const struct match_mediator *ms, const struct match_ranked *a,
                         const struct match_ranked *b)
{
    if (a->cost.total != b->cost.total)
        return a->cost.total < b->cost.total;
    int by_id = strcmp(id_or_empty(ms[a->mediator].id), id_or_empty(ms[b->mediator].id));
    if (by_id != 0)
        return by_id < 0;
    return a->mediator < b->mediator;
}

/* Keeps out[0..*len) sorted and at most cap long; drops the worst. */
static void keep_best(const struct match_mediator *ms, struct match_ranked *out, size_t cap,
                      size_t *len, const struct match_ranked *cand)
{
    size_t i = *len;

    if (i == cap) {
        if (!ranks_before(ms, cand, &out[cap - 1]))
            return;
        i--;
    } else {
        (*len)++;
    }
    while (i > 0 && ranks_before(ms, cand, &out[i - 1])) {
        out[i] = out[i - 1];
        i--;
    }
    out[i] = *cand;
}

size_t match_shortlist(const struct match_case *c, const struct match_mediator *ms, size_t n,
                       const struct match_weights *w, struct match_ranked *out, size_t cap,
                       unsigned hist[MATCH_REASON_COUNT])
{
    size_t len = 0;

    if (hist)
        memset(hist, 0, MATCH_REASON_COUNT * sizeof hist[0]);
    for (size_t i = 0; i < n; i++) {
        enum match_reason r = match_check(c, &ms[i]);
        if (hist)
            hist[r]++;
        if (r != MATCH_ELIGIBLE || cap == 0)
            continue;
        struct match_ranked cand = {.mediator = i};
        match_cost(c, &ms[i], w, &cand.cost);
        keep_best(ms, out, cap, &len, &cand);
    }
    return len;
}

/* ---- text ------------------------------------------------------------ */

/* Appends to a fixed buffer; once full it stays full and NUL-terminated. */
struct text {
    char *p;
    size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;

    if (t->cap == 0 || t->len + 1 >= t->cap)
        return;
    va_start(ap, fmt);
    int wrote = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (wrote < 0) {
        t->p[t->len] = '\0';
        return;
    }
    t->len += (size_t)wrote;
    if (t->len >= t->cap)
        t->len = t->cap - 1;
}

static void text_init(struct text *t, char *out, size_t outlen)
{
    t->p = out;
    t->len = 0;
    t->cap = out ? outlen : 0;
    if (t->cap > 0)
        out[0] = '\0';
}

void match_explain(const struct match_cost *cost, char *out, size_t outlen)
{
    struct text t;

    text_init(&t, out, outlen);
    text_add(&t, "%ld km (%+" PRId64 ")", cost->distance_km, cost->distance);
    if (cost->specialty_ok)
        text_add(&t, ", specialty ok (%+" PRId64 ")", cost->specialty);
    else
        text_add(&t, ", not a specialty (%+" PRId64 ")", cost->specialty);
    text_add(&t, ", balance %+" PRId64 " h (%+" PRId64 ")", cost->balance_hours, cost->balance);
    if (cost->proposed > 0)
        text_add(&t, ", %d open case%s and %d more in this round (%+" PRId64 ")", cost->open_cases,
                 cost->open_cases == 1 ? "" : "s", cost->proposed, cost->load);
    else
        text_add(&t, ", %d open case%s (%+" PRId64 ")", cost->open_cases,
                 cost->open_cases == 1 ? "" : "s", cost->load);
    if (cost->needs_cases != 0)
        text_add(&t, ", needs cases (%+" PRId64 ")", cost->needs_cases);
    if (cost->recent != 0)
        text_add(&t, ", served requester lately (%+" PRId64 ")", cost->recent);
    text_add(&t, ", total %" PRId64, cost->total);
}

static void histogram_text(const unsigned hist[MATCH_REASON_COUNT], unsigned hidden, size_t total,
                           char *out, size_t outlen)
{
    struct text t;
    const char *sep = ": ";

    /* "1 of 5 mediators eligible; 4 not: ...": read as four excluded, the
     * old "excluded: 1 of 5 eligible" was not. */
    text_init(&t, out, outlen);
    text_add(&t, "%u of %zu mediator%s eligible", hist[MATCH_ELIGIBLE], total,
             total == 1 ? "" : "s");
    if (total > hist[MATCH_ELIGIBLE])
        text_add(&t, "; %zu not", total - hist[MATCH_ELIGIBLE]);
    for (int r = MATCH_ELIGIBLE + 1; r < MATCH_REASON_COUNT; r++) {
        if (hist[r] == 0)
            continue;
        text_add(&t, "%s%u %s", sep, hist[r], reasons[r].text);
        sep = ", ";
    }
    if (hidden)
        text_add(&t, "%s%u %s", sep, hidden, MATCH_NOT_AVAILABLE_TEXT);
}

void match_histogram_text(const unsigned hist[MATCH_REASON_COUNT], size_t total, char *out,
                          size_t outlen)
{
    histogram_text(hist, 0, total, out, outlen);
}

bool match_reason_hidden(enum match_reason r)
{
    return r == MATCH_PRIOR_INVOLVEMENT || r == MATCH_RELATIONSHIP || r == MATCH_AVAILABILITY ||
           r == MATCH_CAPACITY;
}

unsigned match_histogram_fold(const unsigned hist[MATCH_REASON_COUNT],
                              unsigned out[MATCH_REASON_COUNT])
{
    unsigned hidden = 0;
    for (int r = 0; r < MATCH_REASON_COUNT; r++) {
        bool fold = match_reason_hidden((enum match_reason)r);
        hidden += fold ? hist[r] : 0;
        out[r] = fold ? 0 : hist[r];
    }
    return hidden;
}

const char *match_code_text(const char *code)
{
    if (strcmp(code, MATCH_NOT_AVAILABLE_CODE) == 0)
        return MATCH_NOT_AVAILABLE_TEXT;
    for (int r = 0; r < MATCH_REASON_COUNT; r++)
        if (strcmp(code, reasons[r].code) == 0)
            return reasons[r].text;
    return NULL;
}

void match_histogram_public_text(const unsigned hist[MATCH_REASON_COUNT], size_t total, char *out,
                                 size_t outlen)
{
    unsigned shown[MATCH_REASON_COUNT];
    unsigned hidden = match_histogram_fold(hist, shown);
    histogram_text(shown, hidden, total, out, outlen);
}

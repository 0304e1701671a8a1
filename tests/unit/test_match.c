/* Tests for match: which mediator a case may get, why the others may not,
 * and what each one costs, as HR and the parties would read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "match/match.h"

#define STRS(a)  ((struct match_strings){(a), sizeof(a) / sizeof((a)[0])})
#define NONE     ((struct match_strings){NULL, 0})
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Town halls, degrees. */
#define ALMERE_LAT    52.3508
#define ALMERE_LON    5.2647
#define ZEIST_LAT     52.0894
#define ZEIST_LON     5.2333
#define HILVERSUM_LAT 52.2292
#define HILVERSUM_LON 5.1669

static const char *const dutch[] = {"nl"};
static const char *const dutch_english[] = {"nl", "en"};
static const char *const labour[] = {"labour"};
static const char *const citizen[] = {"citizen"};
static const char *const parties[] = {"m:almere", "p:0a1b2c"};
static const char *const anna_only[] = {"zeist:anna"};
static const char *const zeist_only[] = {"zeist"};
static const char *const almere_only[] = {"almere"};

/* A labour case from Almere in Dutch, and a mediator from Zeist who may take
 * it: every rule test starts from this pair and breaks one thing. */
static struct match_case base_case(void)
{
    struct match_case c = {
        .id = "almere-1a2b3c4d",
        .requester = "almere",
        .domain = "labour",
        .language = "nl",
        .parties = STRS(parties),
        .lat = ALMERE_LAT,
        .lon = ALMERE_LON,
        .seats = 1,
    };
    return c;
}

static struct match_mediator base_mediator(void)
{
    struct match_mediator m = {
        .id = "zeist:anna",
        .municipality = "zeist",
        .lat = ZEIST_LAT,
        .lon = ZEIST_LON,
        .capacity = 3,
        .open_cases = 1,
        .languages = STRS(dutch),
        .specialties = STRS(labour),
        .certified = true,
        .available = true,
        .cases_last_365d = 5,
        .balance_hours = 3,
    };
    return m;
}

static void assert_reason(const struct match_case *c, const struct match_mediator *m,
                          enum match_reason want)
{
    enum match_reason got = match_check(c, m);
    if (got != want)
        fail_msg("%s: expected %s, got %s", m->id, match_reason_code(want), match_reason_code(got));
    /* The batch round's fast verdict must agree with the full check. */
    assert_int_equal(match_eligible(c, m), want == MATCH_ELIGIBLE);
}

/* The rule excludes `bad` and not `good`, which differs in one respect. */
static void assert_excludes(const struct match_case *c, const struct match_mediator *bad,
                            const struct match_mediator *good, enum match_reason why)
{
    assert_reason(c, good, MATCH_ELIGIBLE);
    assert_reason(c, bad, why);
}

static void baseline_is_eligible(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator m = base_mediator();

    assert_reason(&c, &m, MATCH_ELIGIBLE);
}

static void r1_requester_municipality_excluded(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.parties = NONE; /* only the requester can rule almere out now */
    struct match_mediator good = base_mediator(), bad = base_mediator();
    bad.municipality = "almere";

    assert_excludes(&c, &bad, &good, MATCH_PARTY_MUNICIPALITY);
}

static void r1_party_municipality_excluded(void **state)
{
    (void)state;
    static const char *const ref[] = {"p:0a1b2c", "m:zeist"};
    static const char *const bare[] = {"zeist"};
    static const char *const near[] = {"m:zeis", "m:zeist-oost", "p:zeist"};
    struct match_case c = base_case();
    struct match_mediator m = base_mediator();

    c.parties = STRS(ref);
    assert_reason(&c, &m, MATCH_PARTY_MUNICIPALITY);
    c.parties = STRS(bare);
    assert_reason(&c, &m, MATCH_PARTY_MUNICIPALITY);
    /* Membership is exact: a longer id or a person's reference is no match. */
    c.parties = STRS(near);
    assert_reason(&c, &m, MATCH_ELIGIBLE);
}

static void r2_excluded_municipality(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.excluded_municipalities = STRS(zeist_only);
    struct match_mediator good = base_mediator(), bad = base_mediator();
    good.municipality = "hilversum";

    assert_excludes(&c, &bad, &good, MATCH_EXCLUDED_MUNICIPALITY);
}

static void r3_vetoed(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.vetoed = STRS(anna_only);
    struct match_mediator good = base_mediator(), bad = base_mediator();
    good.id = "zeist:bram";

    assert_excludes(&c, &bad, &good, MATCH_VETOED);
}

static void r4_prior_involvement(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.involved = STRS(anna_only);
    struct match_mediator good = base_mediator(), bad = base_mediator();
    good.id = "zeist:bram";

    assert_excludes(&c, &bad, &good, MATCH_PRIOR_INVOLVEMENT);
}

static void r5_relationship(void **state)
{
    (void)state;
    static const char *const knows_party[] = {"p:ffff", "p:0a1b2c"};
    static const char *const knows_other[] = {"p:ffff", "m:utrecht"};
    struct match_case c = base_case();
    struct match_mediator good = base_mediator(), bad = base_mediator();
    bad.relationships = STRS(knows_party);
    good.relationships = STRS(knows_other);

    assert_excludes(&c, &bad, &good, MATCH_RELATIONSHIP);
}

static void declined_excluded(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.declined = STRS(anna_only);
    struct match_mediator good = base_mediator(), bad = base_mediator();
    good.id = "zeist:bram";

    assert_excludes(&c, &bad, &good, MATCH_DECLINED);
    /* A replacement and a lapsed offer too, as a case property (not for good). */
    c.declined = NONE;
    c.replaced = STRS(anna_only);
    assert_excludes(&c, &bad, &good, MATCH_REPLACED);
    c.replaced = NONE;
    c.expired = STRS(anna_only);
    assert_excludes(&c, &bad, &good, MATCH_EXPIRED);
}

static void r6_language(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.language = "en";
    struct match_mediator good = base_mediator(), bad = base_mediator();
    good.languages = STRS(dutch_english);

    assert_excludes(&c, &bad, &good, MATCH_LANGUAGE);
    bad.languages = NONE;
    assert_reason(&c, &bad, MATCH_LANGUAGE);
}

static void r7_certification(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator good = base_mediator(), bad = base_mediator();
    bad.certified = false;

    /* Only a case that asks for it needs a certified mediator. */
    assert_reason(&c, &bad, MATCH_ELIGIBLE);
    c.requires_certified = true;
    assert_excludes(&c, &bad, &good, MATCH_CERTIFICATION);
}

static void r8_availability(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator good = base_mediator(), bad = base_mediator();
    bad.available = false;

    assert_excludes(&c, &bad, &good, MATCH_AVAILABILITY);
}

static void r8_capacity(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator good = base_mediator(), bad = base_mediator();
    good.capacity = 2, good.open_cases = 1; /* one seat left */
    bad.capacity = 2, bad.open_cases = 2;

    assert_excludes(&c, &bad, &good, MATCH_CAPACITY);
    bad.capacity = 0, bad.open_cases = 0;
    assert_reason(&c, &bad, MATCH_CAPACITY);
    bad.capacity = 1, bad.open_cases = 3; /* over-booked by hand */
    assert_reason(&c, &bad, MATCH_CAPACITY);
}

static void r9_distance(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator good = base_mediator(), bad = base_mediator();
    good.lat = HILVERSUM_LAT, good.lon = HILVERSUM_LON; /* about 15 km */

    c.max_distance_km = 25; /* Zeist is about 29 km away */
    assert_excludes(&c, &bad, &good, MATCH_DISTANCE);
    c.max_distance_km = 30;
    assert_reason(&c, &bad, MATCH_ELIGIBLE);
    c.max_distance_km = 0; /* no cap */
    assert_reason(&c, &bad, MATCH_ELIGIBLE);
    c.max_distance_km = -1;
    assert_reason(&c, &bad, MATCH_ELIGIBLE);
}

static void waiver_lifts_involvement_and_relationship(void **state)
{
    (void)state;
    static const char *const knows_party[] = {"p:0a1b2c"};
    struct match_case c = base_case();
    struct match_mediator m = base_mediator();

    c.involved = STRS(anna_only);
    assert_reason(&c, &m, MATCH_PRIOR_INVOLVEMENT);
    c.waived = STRS(anna_only);
    assert_reason(&c, &m, MATCH_ELIGIBLE);

    c.involved = NONE;
    c.waived = NONE;
    m.relationships = STRS(knows_party);
    assert_reason(&c, &m, MATCH_RELATIONSHIP);
    c.waived = STRS(anna_only);
    assert_reason(&c, &m, MATCH_ELIGIBLE);

    /* A waiver is personal: it does not clear a colleague. */
    m.id = "zeist:bram";
    assert_reason(&c, &m, MATCH_RELATIONSHIP);
}

static void waiver_does_not_lift_never_rules(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.waived = STRS(anna_only);
    struct match_mediator m = base_mediator();

    m.municipality = "almere";
    assert_reason(&c, &m, MATCH_PARTY_MUNICIPALITY);
    m = base_mediator();
    c.excluded_municipalities = STRS(zeist_only);
    assert_reason(&c, &m, MATCH_EXCLUDED_MUNICIPALITY);
    c.excluded_municipalities = NONE;
    c.vetoed = STRS(anna_only);
    assert_reason(&c, &m, MATCH_VETOED);
    c.vetoed = NONE;
    c.declined = STRS(anna_only);
    assert_reason(&c, &m, MATCH_DECLINED);
}

/* A mediator who breaks every rule is told the first one; mending them one
 * by one walks through the rules in their documented order. */
static void first_failing_rule_is_reported(void **state)
{
    (void)state;
    static const char *const knows_party[] = {"p:0a1b2c"};
    struct match_case c = base_case();
    c.parties = NONE;
    c.excluded_municipalities = STRS(almere_only);
    c.vetoed = STRS(anna_only);
    c.involved = STRS(anna_only);
    c.declined = STRS(anna_only);
    c.requires_certified = true;
    c.max_distance_km = 10;
    struct match_mediator m = base_mediator();
    m.municipality = "almere";
    m.relationships = STRS(knows_party);
    m.languages = NONE;
    m.certified = false;
    m.available = false;
    m.open_cases = m.capacity;

    assert_reason(&c, &m, MATCH_PARTY_MUNICIPALITY);
    c.requester = "lelystad";
    assert_reason(&c, &m, MATCH_EXCLUDED_MUNICIPALITY);
    c.excluded_municipalities = NONE;
    assert_reason(&c, &m, MATCH_VETOED);
    c.vetoed = NONE;
    assert_reason(&c, &m, MATCH_PRIOR_INVOLVEMENT);
    c.involved = NONE;
    c.parties = STRS(parties);
    assert_reason(&c, &m, MATCH_PARTY_MUNICIPALITY); /* "m:almere" is a party */
    m.municipality = "zeist";
    assert_reason(&c, &m, MATCH_RELATIONSHIP);
    m.relationships = NONE;
    assert_reason(&c, &m, MATCH_DECLINED);
    c.declined = NONE;
    assert_reason(&c, &m, MATCH_LANGUAGE);
    m.languages = STRS(dutch);
    assert_reason(&c, &m, MATCH_CERTIFICATION);
    m.certified = true;
    assert_reason(&c, &m, MATCH_AVAILABILITY);
    m.available = true;
    assert_reason(&c, &m, MATCH_CAPACITY);
    m.open_cases = 0;
    assert_reason(&c, &m, MATCH_DISTANCE);
    c.max_distance_km = 0;
    assert_reason(&c, &m, MATCH_ELIGIBLE);
}

static void reason_codes_texts_and_classes_are_stable(void **state)
{
    (void)state;
    static const struct {
        enum match_reason r;
        const char *code, *text;
        enum match_class class;
    } want[] = {
        {MATCH_ELIGIBLE, "eligible", "eligible", MATCH_CLASS_NONE},
        {MATCH_PARTY_MUNICIPALITY, "party_municipality", "same municipality as a party",
         MATCH_CLASS_NEVER},
        {MATCH_EXCLUDED_MUNICIPALITY, "excluded_municipality",
         "municipality excluded for this case", MATCH_CLASS_NEVER},
        {MATCH_VETOED, "vetoed", "vetoed by a party", MATCH_CLASS_NEVER},
        {MATCH_PRIOR_INVOLVEMENT, "prior_involvement", "involved before", MATCH_CLASS_WAIVABLE},
        {MATCH_RELATIONSHIP, "relationship", "declared relationship with a party",
         MATCH_CLASS_WAIVABLE},
        {MATCH_DECLINED, "declined", "declined this case", MATCH_CLASS_NEVER},
        {MATCH_REPLACED, "replaced", "replaced on this case", MATCH_CLASS_CASE},
        {MATCH_EXPIRED, "expired", "let the offer expire", MATCH_CLASS_CASE},
        {MATCH_LANGUAGE, "language", "does not speak the language", MATCH_CLASS_CASE},
        {MATCH_CERTIFICATION, "certification", "not certified", MATCH_CLASS_CASE},
        {MATCH_AVAILABILITY, "availability", "not available", MATCH_CLASS_NOT_NOW},
        {MATCH_CAPACITY, "capacity", "no capacity", MATCH_CLASS_NOT_NOW},
        {MATCH_DISTANCE, "distance", "too far", MATCH_CLASS_CASE},
    };

    assert_int_equal(COUNT(want), MATCH_REASON_COUNT);
    for (size_t i = 0; i < COUNT(want); i++) {
        assert_int_equal(want[i].r, i); /* the enum order is the check order */
        assert_string_equal(match_reason_code(want[i].r), want[i].code);
        assert_string_equal(match_reason_text(want[i].r), want[i].text);
        assert_int_equal(match_reason_class(want[i].r), want[i].class);
    }
    /* A code from a newer peer must never become waivable by accident. */
    assert_string_equal(match_reason_code(MATCH_REASON_COUNT), "unknown");
    assert_int_equal(match_reason_class(MATCH_REASON_COUNT), MATCH_CLASS_NEVER);
}

static void distance_is_great_circle(void **state)
{
    (void)state;
    /* Almere to Zeist by hand: dlat = -0.2614 deg, dlon = -0.0314 deg.
     * North-south: 0.2614 * 111.195 km/deg (= 6371 * pi / 180) = 29.066 km.
     * East-west at the mean latitude 52.22 (cos = 0.6128):
     * 0.0314 * 111.195 * 0.6128 = 2.140 km.
     * sqrt(29.066^2 + 2.140^2) = sqrt(844.83 + 4.58) = 29.145 km; at this
     * scale the flat approximation agrees with haversine to a few metres. */
    double d = match_distance_km(ALMERE_LAT, ALMERE_LON, ZEIST_LAT, ZEIST_LON);
    assert_true(d > 29.13 && d < 29.16);
    assert_true(d == match_distance_km(ZEIST_LAT, ZEIST_LON, ALMERE_LAT, ALMERE_LON));
    assert_true(match_distance_km(ZEIST_LAT, ZEIST_LON, ZEIST_LAT, ZEIST_LON) == 0.0);
    /* A quarter of the equator: 6371 * pi / 2 = 10007.543 km. */
    d = match_distance_km(0, 0, 0, 90);
    assert_true(d > 10007.5 && d < 10007.6);
    /* Antipodes: half the circumference, 6371 * pi = 20015.087 km. */
    d = match_distance_km(0, 0, 0, 180);
    assert_true(d > 20015.0 && d < 20015.1);
}

static void weights_default(void **state)
{
    (void)state;
    struct match_weights w;

    memset(&w, 0xff, sizeof w);
    match_weights_default(&w);
    assert_int_equal(w.distance_per_km, 1);
    assert_int_equal(w.specialty_miss, 200);
    assert_int_equal(w.balance_per_hour, 2);
    assert_int_equal(w.load_step, 40);
    assert_int_equal(w.recent_requester, 100);
    assert_int_equal(w.needs_cases_bonus, 50);
    assert_int_equal(w.unassigned, 1000000);
    assert_int_equal(w.deadline_per_day, 10000);
    assert_int_equal(w.deadline_horizon, 28);
}

static void cost_terms_by_hand(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator m = base_mediator();
    struct match_weights w;
    struct match_cost cost;

    match_weights_default(&w);
    match_cost(&c, &m, &w, &cost);
    /* 29.145 km rounds to 29; labour is her specialty; Zeist gave 3 h more
     * than it received (3 * 2); one open case (40 * 1); busy enough (5). */
    assert_int_equal(cost.distance_km, 29);
    assert_int_equal(cost.distance, 29);
    assert_int_equal(cost.specialty, 0);
    assert_int_equal(cost.balance, 6);
    assert_int_equal(cost.recent, 0);
    assert_int_equal(cost.needs_cases, 0);
    assert_int_equal(cost.load, 40);
    assert_int_equal(cost.total, 29 + 0 + 6 + 0 + 0 + 40);

    /* Weights scale each term. */
    w.distance_per_km = 3;
    w.load_step = 25;
    m.open_cases = 2;
    match_cost(&c, &m, &w, &cost);
    assert_int_equal(cost.distance, 87);
    assert_int_equal(cost.load, 50);
    assert_int_equal(cost.total, 87 + 6 + 50);
}

static void cost_specialty_recent_and_needs_cases(void **state)
{
    (void)state;
    static const char *const served[] = {"hilversum", "almere"};
    struct match_case c = base_case();
    struct match_mediator m = base_mediator();
    struct match_weights w;
    struct match_cost cost;

    match_weights_default(&w);
    m.lat = HILVERSUM_LAT, m.lon = HILVERSUM_LON; /* 15.07 km: rounds to 15 */
    m.specialties = STRS(citizen);
    m.recent_requesters = STRS(served);
    m.cases_last_365d = 2;
    m.balance_hours = -4; /* Hilversum received more than it gave */
    m.open_cases = 0;
    match_cost(&c, &m, &w, &cost);
    assert_int_equal(cost.distance_km, 15);
    assert_int_equal(cost.specialty, 200);
    assert_false(cost.specialty_ok);
    assert_int_equal(cost.balance, -8);
    assert_int_equal(cost.recent, 100);
    assert_int_equal(cost.needs_cases, -50);
    assert_int_equal(cost.load, 0);
    assert_int_equal(cost.total, 15 + 200 - 8 + 100 - 50 + 0);

    /* Three cases a year is enough; no specialties at all is a miss. */
    m.cases_last_365d = 3;
    m.specialties = NONE;
    m.recent_requesters = NONE;
    match_cost(&c, &m, &w, &cost);
    assert_int_equal(cost.needs_cases, 0);
    assert_int_equal(cost.recent, 0);
    assert_int_equal(cost.specialty, 200);

    /* 10.7 km on the equator (0.09623 deg * 111.195) rounds up to 11. */
    c.lat = 0, c.lon = 0;
    m.lat = 0, m.lon = 10.7 / 111.19492664;
    match_cost(&c, &m, &w, &cost);
    assert_int_equal(cost.distance_km, 11);
}

static void assert_ranked_ids(const struct match_mediator *ms, const struct match_ranked *got,
                              size_t n, const char *const *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ms[got[i].mediator].id, want[i]) != 0)
            fail_msg("place %zu: expected %s, got %s", i + 1, want[i], ms[got[i].mediator].id);
}

/* Everyone sits at the case's town hall, so cost is load and balance only. */
static struct match_mediator at_almere(const char *id, const char *municipality, int open,
                                       int64_t balance)
{
    struct match_mediator m = base_mediator();
    m.id = id;
    m.municipality = municipality;
    m.lat = ALMERE_LAT, m.lon = ALMERE_LON;
    m.open_cases = open;
    m.balance_hours = balance;
    return m;
}

static void shortlist_ranks_by_cost_then_id(void **state)
{
    (void)state;
    static const char *const want[] = {"zeist:anna", "hilversum:ad", "hilversum:carla",
                                       "zeist:bram"};
    struct match_case c = base_case();
    struct match_mediator ms[] = {
        at_almere("zeist:bram", "zeist", 1, 0),           /* 40 */
        at_almere("hilversum:carla", "hilversum", 0, 10), /* 20 */
        at_almere("zeist:anna", "zeist", 0, 0),           /* 0 */
        at_almere("hilversum:ad", "hilversum", 0, 10),    /* 20, ties with carla */
    };
    struct match_weights w;
    struct match_ranked out[8];
    unsigned hist[MATCH_REASON_COUNT];

    match_weights_default(&w);
    size_t got = match_shortlist(&c, ms, COUNT(ms), &w, out, COUNT(out), hist);
    assert_int_equal(got, 4);
    assert_ranked_ids(ms, out, got, want);
    assert_int_equal(out[0].cost.total, 0);
    assert_int_equal(out[1].cost.total, 20);
    assert_int_equal(out[2].cost.total, 20);
    assert_int_equal(out[3].cost.total, 40);
    assert_int_equal(out[1].mediator, 3); /* indexes point into the caller's array */
}

static void shortlist_cap_and_histogram(void **state)
{
    (void)state;
    struct match_case c = base_case();
    c.vetoed = STRS(anna_only);
    struct match_mediator ms[] = {
        at_almere("almere:eva", "almere", 0, 0),       /* R1 */
        at_almere("zeist:anna", "zeist", 0, 0),        /* R3 */
        at_almere("zeist:bram", "zeist", 3, 0),        /* capacity */
        at_almere("zeist:cor", "zeist", 2, 0),         /* 80 */
        at_almere("hilversum:ad", "hilversum", 0, 5),  /* 10 */
        at_almere("hilversum:bo", "hilversum", 1, 0),  /* 40 */
        at_almere("hilversum:cas", "hilversum", 0, 0), /* 0 */
        at_almere("almere:finn", "almere", 0, 0),      /* R1 */
    };
    static const char *const want[] = {"hilversum:cas", "hilversum:ad", "hilversum:bo"};
    struct match_weights w;
    struct match_ranked out[3];
    unsigned hist[MATCH_REASON_COUNT];

    memset(hist, 0xff, sizeof hist); /* must be zeroed by the call */
    match_weights_default(&w);
    size_t got = match_shortlist(&c, ms, COUNT(ms), &w, out, COUNT(out), hist);
    assert_int_equal(got, 3);
    assert_ranked_ids(ms, out, got, want);

    unsigned sum = 0;
    for (int r = 0; r < MATCH_REASON_COUNT; r++)
        sum += hist[r];
    assert_int_equal(sum, COUNT(ms));
    assert_int_equal(hist[MATCH_ELIGIBLE], 4); /* cor counts though cut from the list */
    assert_int_equal(hist[MATCH_PARTY_MUNICIPALITY], 2);
    assert_int_equal(hist[MATCH_VETOED], 1);
    assert_int_equal(hist[MATCH_CAPACITY], 1);

    /* cap 0 still counts everyone and writes nothing. */
    got = match_shortlist(&c, ms, COUNT(ms), &w, NULL, 0, hist);
    assert_int_equal(got, 0);
    assert_int_equal(hist[MATCH_ELIGIBLE], 4);
}

static void shortlist_is_deterministic(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator fwd[] = {
        at_almere("zeist:a", "zeist", 1, 0),         at_almere("zeist:b", "zeist", 0, 20),
        at_almere("hilversum:c", "hilversum", 1, 0), at_almere("hilversum:d", "hilversum", 0, 20),
        at_almere("lelystad:e", "lelystad", 0, 20),  at_almere("lelystad:f", "lelystad", 1, 0),
    };
    struct match_mediator rev[COUNT(fwd)];
    struct match_weights w;
    struct match_ranked a[4], b[4], r[4];
    unsigned ha[MATCH_REASON_COUNT], hb[MATCH_REASON_COUNT];

    for (size_t i = 0; i < COUNT(fwd); i++)
        rev[i] = fwd[COUNT(fwd) - 1 - i];
    match_weights_default(&w);
    size_t na = match_shortlist(&c, fwd, COUNT(fwd), &w, a, COUNT(a), ha);
    size_t nb = match_shortlist(&c, fwd, COUNT(fwd), &w, b, COUNT(b), hb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(a[i].mediator, b[i].mediator);
        assert_int_equal(a[i].cost.total, b[i].cost.total);
    }
    assert_memory_equal(ha, hb, sizeof ha);

    /* All six cost 40: the order comes from the ids, not the input order. */
    size_t nr = match_shortlist(&c, rev, COUNT(rev), &w, r, COUNT(r), hb);
    static const char *const want[] = {"hilversum:c", "hilversum:d", "lelystad:e", "lelystad:f"};
    assert_int_equal(nr, 4);
    assert_ranked_ids(fwd, a, na, want);
    assert_ranked_ids(rev, r, nr, want);
}

static void explain_names_each_term(void **state)
{
    (void)state;
    static const char *const served[] = {"almere"};
    struct match_case c = base_case();
    struct match_mediator m = base_mediator();
    struct match_weights w;
    struct match_cost cost;
    char text[256];

    match_weights_default(&w);
    match_cost(&c, &m, &w, &cost);
    match_explain(&cost, text, sizeof text);
    assert_string_equal(text,
                        "29 km (+29), specialty ok (+0), balance +3 h (+6), 1 open case (+40), "
                        "total 75");

    m.specialties = NONE;
    m.open_cases = 0;
    m.cases_last_365d = 0;
    m.recent_requesters = STRS(served);
    m.balance_hours = -2;
    match_cost(&c, &m, &w, &cost);
    match_explain(&cost, text, sizeof text);
    assert_string_equal(text, "29 km (+29), not a specialty (+200), balance -2 h (-4), "
                              "0 open cases (+0), needs cases (-50), "
                              "served requester lately (+100), total 275");

    /* A batch round's second case for the same mediator: the load step is
     * the round's, not an open case the mediator has. */
    cost.proposed = 1;
    cost.load = 40;
    cost.total += 40;
    match_explain(&cost, text, sizeof text);
    assert_non_null(strstr(text, ", 0 open cases and 1 more in this round (+40),"));
}

static void explain_never_overflows(void **state)
{
    (void)state;
    static const char *const served[] = {"almere"};
    struct match_case c = base_case();
    struct match_mediator m = base_mediator();
    m.recent_requesters = STRS(served);
    m.cases_last_365d = 0;
    struct match_weights w;
    struct match_cost cost;
    char full[256], buf[256];

    match_weights_default(&w);
    match_cost(&c, &m, &w, &cost);
    match_explain(&cost, full, sizeof full);
    size_t len = strlen(full);

    for (size_t outlen = 1; outlen <= len + 1; outlen++) {
        memset(buf, 'X', sizeof buf);
        match_explain(&cost, buf, outlen);
        assert_int_equal(strlen(buf), outlen - 1);
        assert_memory_equal(buf, full, outlen - 1);
        assert_int_equal(buf[outlen], 'X'); /* nothing written past outlen */
    }
    memset(buf, 'X', sizeof buf);
    match_explain(&cost, buf, 0);
    assert_int_equal(buf[0], 'X');
}

static void histogram_text_lists_exclusions_in_rule_order(void **state)
{
    (void)state;
    struct match_case c = base_case();
    struct match_mediator ms[12];
    struct match_weights w;
    struct match_ranked out[3];
    unsigned hist[MATCH_REASON_COUNT];
    char text[256];

    /* Nine full mediators come first in the array but last in the text. */
    for (size_t i = 0; i < 9; i++)
        ms[i] = at_almere("zeist:full", "zeist", 3, 0);
    for (size_t i = 9; i < 12; i++)
        ms[i] = at_almere("almere:own", "almere", 0, 0);
    match_weights_default(&w);
    size_t got = match_shortlist(&c, ms, COUNT(ms), &w, out, COUNT(out), hist);
    assert_int_equal(got, 0);
    match_histogram_text(hist, COUNT(ms), text, sizeof text);
    assert_string_equal(
        text, "0 of 12 mediators eligible; 12 not: 3 same municipality as a party, 9 no capacity");

    unsigned none_out[MATCH_REASON_COUNT] = {[MATCH_ELIGIBLE] = 5};
    match_histogram_text(none_out, 5, text, sizeof text);
    assert_string_equal(text, "5 of 5 mediators eligible");

    unsigned some[MATCH_REASON_COUNT] = {
        [MATCH_ELIGIBLE] = 1, [MATCH_VETOED] = 1, [MATCH_DISTANCE] = 2};
    match_histogram_text(some, 4, text, sizeof text);
    assert_string_equal(text, "1 of 4 mediators eligible; 3 not: 1 vetoed by a party, 2 too far");

    /* A short buffer gets a cut, terminated text. */
    memset(text, 'X', sizeof text);
    match_histogram_text(some, 4, text, 10);
    assert_string_equal(text, "1 of 4 me");
    assert_int_equal(text[10], 'X');
}

static void empty_lists_may_be_null(void **state)
{
    (void)state;
    struct match_case c = {
        .id = "x-00000000",
        .requester = "almere",
        .domain = "labour",
        .language = "nl",
        .lat = ALMERE_LAT,
        .lon = ALMERE_LON,
        .seats = 1,
    };
    struct match_mediator m = {
        .id = "zeist:anna",
        .municipality = "zeist",
        .lat = ZEIST_LAT,
        .lon = ZEIST_LON,
        .capacity = 1,
        .available = true,
    };
    struct match_weights w;
    struct match_cost cost;

    assert_reason(&c, &m, MATCH_LANGUAGE);
    m.languages = STRS(dutch);
    assert_reason(&c, &m, MATCH_ELIGIBLE);
    match_weights_default(&w);
    match_cost(&c, &m, &w, &cost);
    assert_int_equal(cost.specialty, 200);
    assert_int_equal(cost.recent, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(baseline_is_eligible),
        cmocka_unit_test(r1_requester_municipality_excluded),
        cmocka_unit_test(r1_party_municipality_excluded),
        cmocka_unit_test(r2_excluded_municipality),
        cmocka_unit_test(r3_vetoed),
        cmocka_unit_test(r4_prior_involvement),
        cmocka_unit_test(r5_relationship),
        cmocka_unit_test(declined_excluded),
        cmocka_unit_test(r6_language),
        cmocka_unit_test(r7_certification),
        cmocka_unit_test(r8_availability),
        cmocka_unit_test(r8_capacity),
        cmocka_unit_test(r9_distance),
        cmocka_unit_test(waiver_lifts_involvement_and_relationship),
        cmocka_unit_test(waiver_does_not_lift_never_rules),
        cmocka_unit_test(first_failing_rule_is_reported),
        cmocka_unit_test(reason_codes_texts_and_classes_are_stable),
        cmocka_unit_test(distance_is_great_circle),
        cmocka_unit_test(weights_default),
        cmocka_unit_test(cost_terms_by_hand),
        cmocka_unit_test(cost_specialty_recent_and_needs_cases),
        cmocka_unit_test(shortlist_ranks_by_cost_then_id),
        cmocka_unit_test(shortlist_cap_and_histogram),
        cmocka_unit_test(shortlist_is_deterministic),
        cmocka_unit_test(explain_names_each_term),
        cmocka_unit_test(explain_never_overflows),
        cmocka_unit_test(histogram_text_lists_exclusions_in_rule_order),
        cmocka_unit_test(empty_lists_may_be_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

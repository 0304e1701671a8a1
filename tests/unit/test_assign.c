/* The batch optimum: exact, within every hard rule, deterministic.
 *
 * A property test builds many small random pools and compares the flow
 * solution with a brute-force search over every possible assignment,
 * computed from the objective's definition, not from the network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "match/assign.h"

#define MAX_CASES 4
#define MAX_MEDS  5

static uint64_t rng_state;
static char err[256]; /* assign_build's reason, if it fails */

static uint64_t rnd(void)
{
    /* splitmix64: seeded, so every failure can be replayed */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static const char *const towns[] = {"almere", "zeist", "hilversum"};
static const char *const nl[] = {"nl"}, *const nl_en[] = {"nl", "en"};
static const char *const labour[] = {"labour"};

struct pool {
    struct match_case cases[MAX_CASES];
    struct match_mediator meds[MAX_MEDS];
    char case_ids[MAX_CASES][24], med_ids[MAX_MEDS][24];
    const char *parties[MAX_CASES][1];
    const char *vetoed[MAX_CASES][1];
    size_t nc, nm;
    struct match_weights w;
};

static void random_pool(struct pool *p)
{
    memset(p, 0, sizeof *p);
    match_weights_default(&p->w);
    p->w.unassigned = 1000 + pick(2000);
    p->w.deadline_per_day = pick(100);
    p->w.deadline_horizon = pick(30);
    p->nc = 1 + (size_t)pick(MAX_CASES);
    p->nm = 1 + (size_t)pick(MAX_MEDS);
    for (size_t i = 0; i < p->nm; i++) {
        struct match_mediator *m = &p->meds[i];
        snprintf(p->med_ids[i], sizeof p->med_ids[i], "m%zu", i);
        m->id = p->med_ids[i];
        m->municipality = towns[pick(3)];
        m->lat = 52.0 + pick(50) / 100.0;
        m->lon = 5.0 + pick(50) / 100.0;
        m->capacity = pick(3);
        m->open_cases = m->capacity ? pick(m->capacity) : 0;
        m->languages = pick(4) ? (struct match_strings){nl, 1} : (struct match_strings){nl_en, 2};
        m->specialties = pick(2) ? (struct match_strings){labour, 1} : (struct match_strings){0};
        m->certified = pick(4) != 0;
        m->available = pick(6) != 0;
        m->cases_last_365d = pick(5);
        m->balance_hours = pick(21) - 10;
    }
    for (size_t i = 0; i < p->nc; i++) {
        struct match_case *c = &p->cases[i];
        snprintf(p->case_ids[i], sizeof p->case_ids[i], "c%zu", i);
        c->id = p->case_ids[i];
        c->requester = towns[pick(3)];
        p->parties[i][0] = c->requester;
        c->parties = (struct match_strings){p->parties[i], 1};
        c->domain = "labour";
        c->language = pick(5) ? "nl" : "en";
        c->lat = 52.0 + pick(50) / 100.0;
        c->lon = 5.0 + pick(50) / 100.0;
        c->seats = pick(3) ? 1 : 2;
        c->requires_certified = pick(2);
        c->max_distance_km = pick(3) ? 0 : 20 + pick(40);
        c->has_deadline = pick(2) == 0;
        c->days_left = c->has_deadline ? pick(40) - 5 : 0;
        if (pick(3) == 0) {
            p->vetoed[i][0] = p->med_ids[pick((int)p->nm)];
            c->vetoed = (struct match_strings){p->vetoed[i], 1};
        }
    }
}

/* ---- brute force, from the definition of the objective ---------------- */

struct search {
    const struct pool *p;
    int taken[MAX_MEDS];
    int64_t best;
};

static int64_t pair_cost(const struct pool *p, size_t c, size_t m)
{
    struct match_cost cost;
    match_cost(&p->cases[c], &p->meds[m], &p->w, &cost);
    return cost.total - cost.load;
}

/* docs/matching.md: unassigned, plus deadline_per_day for each day the
 * decision date (a passed one counts as today) is nearer than the horizon. */
static int64_t empty_seat(const struct pool *p, size_t c)
{
    const struct match_case *k = &p->cases[c];
    int64_t left = k->days_left > 0 ? k->days_left : 0;
    int64_t nearer =
        k->has_deadline && left < p->w.deadline_horizon ? p->w.deadline_horizon - left : 0;
    return p->w.unassigned + p->w.deadline_per_day * nearer;
}

static int64_t load_cost(const struct pool *p, const int *taken)
{
    int64_t sum = 0;
    for (size_t m = 0; m < p->nm; m++)
        for (int i = 1; i <= taken[m]; i++)
            sum += p->w.load_step * (p->meds[m].open_cases + i - 1);
    return sum;
}

static bool can_take(const struct search *s, size_t c, size_t m)
{
    const struct match_mediator *med = &s->p->meds[m];
    return match_check(&s->p->cases[c], med) == MATCH_ELIGIBLE &&
           med->open_cases + s->taken[m] < med->capacity;
}

static void search_case(struct search *s, size_t c, int64_t so_far)
{
    const struct pool *p = s->p;
    if (c == p->nc) {
        int64_t total = so_far + load_cost(p, s->taken);
        if (total < s->best)
            s->best = total;
        return;
    }
    int seats = p->cases[c].seats;
    /* No mediator at all. */
    search_case(s, c + 1, so_far + seats * empty_seat(p, c));
    for (size_t a = 0; a < p->nm; a++) {
        if (!can_take(s, c, a))
            continue;
        s->taken[a]++;
        int64_t one = so_far + pair_cost(p, c, a);
        search_case(s, c + 1, one + (seats - 1) * empty_seat(p, c));
        for (size_t b = a + 1; seats == 2 && b < p->nm; b++) {
            if (!can_take(s, c, b) || strcmp(p->meds[a].municipality, p->meds[b].municipality) == 0)
                continue;
            s->taken[b]++;
            search_case(s, c + 1, one + pair_cost(p, c, b));
            s->taken[b]--;
        }
        s->taken[a]--;
    }
}

static int64_t brute_force(const struct pool *p)
{
    struct search s = {.p = p, .best = INT64_MAX};
    search_case(&s, 0, 0);
    return s.best;
}

/* ---- checks ----------------------------------------------------------- */

/* Every pick is eligible, capacity holds, two seats come from two
 * municipalities, and the terms add up to the objective. */
static void check_solution(const struct pool *p, struct assign *a)
{
    int taken[MAX_MEDS] = {0};
    int64_t total = 0;
    for (size_t c = 0; c < p->nc; c++) {
        struct assign_pick picks[2];
        size_t n = assign_picks(a, c, picks);
        assert_int_equal(n + (size_t)assign_unfilled(a, c), (size_t)p->cases[c].seats);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(match_check(&p->cases[c], &p->meds[picks[i].mediator]),
                             MATCH_ELIGIBLE);
            taken[picks[i].mediator]++;
            total += picks[i].cost.total;
        }
        if (n == 2)
            assert_string_not_equal(p->meds[picks[0].mediator].municipality,
                                    p->meds[picks[1].mediator].municipality);
        total += assign_unfilled(a, c) * empty_seat(p, c);
    }
    for (size_t m = 0; m < p->nm; m++)
        assert_true(p->meds[m].open_cases + taken[m] <= p->meds[m].capacity || taken[m] == 0);
    assert_int_equal(total, assign_objective(a));
}

static void optimum_equals_brute_force(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 1500; seed++) {
        rng_state = seed;
        struct pool p;
        random_pool(&p);
        struct assign *a = assign_build(p.cases, p.nc, p.meds, p.nm, &p.w, err, sizeof err);
        assert_non_null(a);
        assert_int_equal(assign_run(a), MCF_OPTIMAL);
        int64_t want = brute_force(&p);
        if (assign_objective(a) != want)
            fail_msg("seed %llu: objective %lld, brute force %lld", (unsigned long long)seed,
                     (long long)assign_objective(a), (long long)want);
        check_solution(&p, a);
        assign_destroy(&a);
        assert_null(a);
    }
}

static void same_input_same_answer(void **state)
{
    (void)state;
    rng_state = 42;
    struct pool p;
    random_pool(&p);
    size_t first[MAX_CASES][2], n_first[MAX_CASES];
    for (int run = 0; run < 2; run++) {
        struct assign *a = assign_build(p.cases, p.nc, p.meds, p.nm, &p.w, err, sizeof err);
        assert_int_equal(assign_run(a), MCF_OPTIMAL);
        for (size_t c = 0; c < p.nc; c++) {
            struct assign_pick picks[2];
            size_t n = assign_picks(a, c, picks);
            if (run == 0) {
                n_first[c] = n;
                for (size_t i = 0; i < n; i++)
                    first[c][i] = picks[i].mediator;
            } else {
                assert_int_equal(n, n_first[c]);
                for (size_t i = 0; i < n; i++)
                    assert_int_equal(picks[i].mediator, first[c][i]);
            }
        }
        assign_destroy(&a);
    }
}

static void two_seats_need_two_municipalities(void **state)
{
    (void)state;
    struct pool p;
    memset(&p, 0, sizeof p);
    match_weights_default(&p.w);
    p.nc = 1;
    p.nm = 3;
    const char *const ids[] = {"a", "b", "c"};
    const char *const where[] = {"zeist", "zeist", "hilversum"};
    for (size_t i = 0; i < 3; i++)
        p.meds[i] = (struct match_mediator){.id = ids[i],
                                            .municipality = where[i],
                                            .lat = 52.1,
                                            .lon = 5.2,
                                            .capacity = 2,
                                            .languages = {nl, 1},
                                            .specialties = {labour, 1},
                                            .available = true};
    /* c is far away and costly, but a and b share a municipality. */
    p.meds[2].lat = 52.6;
    const char *const parties[] = {"almere"};
    p.cases[0] = (struct match_case){.id = "c1",
                                     .requester = "almere",
                                     .domain = "labour",
                                     .language = "nl",
                                     .parties = {parties, 1},
                                     .lat = 52.1,
                                     .lon = 5.2,
                                     .seats = 2};
    struct assign *a = assign_build(p.cases, 1, p.meds, 3, &p.w, err, sizeof err);
    assert_int_equal(assign_run(a), MCF_OPTIMAL);
    struct assign_pick picks[2];
    assert_int_equal(assign_picks(a, 0, picks), 2);
    assert_string_equal(p.meds[picks[0].mediator].id, "a"); /* the tie a/b breaks by id */
    assert_string_equal(p.meds[picks[1].mediator].id, "c");
    assign_destroy(&a);
}

static void nobody_eligible_leaves_seats_empty(void **state)
{
    (void)state;
    const char *const parties[] = {"zeist"};
    struct match_case c = {
        .id = "c1", .requester = "zeist", .language = "fr", .parties = {parties, 1}, .seats = 2};
    struct match_mediator m = {.id = "m1",
                               .municipality = "almere",
                               .capacity = 1,
                               .languages = {nl, 1},
                               .available = true};
    struct match_weights w;
    match_weights_default(&w);
    struct assign *a = assign_build(&c, 1, &m, 1, &w, err, sizeof err);
    assert_int_equal(assign_run(a), MCF_OPTIMAL);
    struct assign_pick picks[2];
    assert_int_equal(assign_picks(a, 0, picks), 0);
    assert_int_equal(assign_unfilled(a, 0), 2);
    assert_int_equal(assign_objective(a), 2 * w.unassigned);
    assign_destroy(&a);
}

/* One free place, two cases: the one nearer its decision date gets it,
 * although the other is the cheaper pair. */
static void the_nearer_decision_date_is_served_first(void **state)
{
    (void)state;
    const char *const parties[] = {"zeist"};
    struct match_case cs[2] = {
        {.id = "c1",
         .requester = "zeist",
         .language = "nl",
         .parties = {parties, 1},
         .seats = 1,
         .lat = 52.3,
         .lon = 5.2,
         .has_deadline = true,
         .days_left = 40},
        {.id = "c2",
         .requester = "zeist",
         .language = "nl",
         .parties = {parties, 1},
         .seats = 1,
         .lat = 53.2,
         .lon = 6.5,
         .has_deadline = true,
         .days_left = 3},
    };
    struct match_mediator m = {.id = "m1",
                               .municipality = "almere",
                               .lat = 52.3,
                               .lon = 5.2,
                               .capacity = 1,
                               .languages = {nl, 1},
                               .available = true};
    struct match_weights w;
    match_weights_default(&w);
    struct assign_pick picks[2];
    for (int with_dates = 0; with_dates < 2; with_dates++) {
        cs[0].has_deadline = cs[1].has_deadline = with_dates;
        struct assign *a = assign_build(cs, 2, &m, 1, &w, err, sizeof err);
        assert_int_equal(assign_run(a), MCF_OPTIMAL);
        /* Without dates the nearby case wins; with them, the urgent one. */
        assert_int_equal(assign_picks(a, with_dates ? 1 : 0, picks), 1);
        assert_int_equal(assign_unfilled(a, with_dates ? 0 : 1), 1);
        assign_destroy(&a);
    }
    assert_int_equal(match_empty_seat_cost(&cs[1], &w),
                     w.unassigned + w.deadline_per_day * (w.deadline_horizon - 3));
    assert_int_equal(match_empty_seat_cost(&cs[0], &w), w.unassigned);
    cs[0].days_left = -4; /* passed: as heavy as today */
    assert_int_equal(match_empty_seat_cost(&cs[0], &w),
                     w.unassigned + w.deadline_per_day * w.deadline_horizon);
}

/* The grid that speeds up distance caps never drops an eligible pair, even
 * across the date line or near the poles. */
static void prefilter_keeps_every_eligible_pair(void **state)
{
    (void)state;
    enum { NC = 40, NM = 200 };
    static struct match_case cases[NC];
    static struct match_mediator meds[NM];
    static char ids[NM][16], cids[NC][16];
    const char *const parties[] = {"nowhere"};
    struct match_weights w;
    match_weights_default(&w);
    for (uint64_t seed = 1; seed <= 30; seed++) {
        rng_state = seed;
        for (size_t i = 0; i < NM; i++) {
            snprintf(ids[i], sizeof ids[i], "m%zu", i);
            /* Half near the date line or the poles, half anywhere. */
            double lat = pick(2) ? (pick(2) ? 1 : -1) * (80 + pick(1000) / 100.0)
                                 : -90 + pick(18000) / 100.0;
            double lon = pick(2) ? (pick(2) ? 179.5 : -179.5) + (pick(100) - 50) / 100.0
                                 : -180 + pick(36000) / 100.0;
            meds[i] = (struct match_mediator){.id = ids[i],
                                              .municipality = towns[pick(3)],
                                              .lat = lat,
                                              .lon = fmax(-180, fmin(180, lon)),
                                              .capacity = 1,
                                              .languages = {nl, 1},
                                              .available = true};
        }
        size_t want = 0;
        for (size_t i = 0; i < NC; i++) {
            snprintf(cids[i], sizeof cids[i], "c%zu", i);
            cases[i] = (struct match_case){.id = cids[i],
                                           .requester = "nowhere",
                                           .language = "nl",
                                           .parties = {parties, 1},
                                           .lat = meds[pick(NM)].lat,
                                           .lon = meds[pick(NM)].lon,
                                           .seats = 1,
                                           .max_distance_km = 10 + pick(3) * pick(2000)};
            for (size_t m = 0; m < NM; m++)
                want += match_check(&cases[i], &meds[m]) == MATCH_ELIGIBLE;
        }
        struct assign *a = assign_build(cases, NC, meds, NM, &w, err, sizeof err);
        assert_non_null(a);
        if (assign_eligible_pairs(a) != want)
            fail_msg("seed %llu: %zu pairs, %zu eligible", (unsigned long long)seed,
                     assign_eligible_pairs(a), want);
        assign_destroy(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimum_equals_brute_force),
        cmocka_unit_test(same_input_same_answer),
        cmocka_unit_test(two_seats_need_two_municipalities),
        cmocka_unit_test(nobody_eligible_leaves_seats_empty),
        cmocka_unit_test(the_nearer_decision_date_is_served_first),
        cmocka_unit_test(prefilter_keeps_every_eligible_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* gen_instance: writes a synthetic matching instance (the JSON that
 * `mpool match --instance` reads) for the benchmarks.
 *
 *   gen_instance national|stress [--seed N] [--count-eligible]
 *
 * The same pool and seed always give the same bytes: the generator has its
 * own PRNG and draws in a fixed order. Build on its own:
 *
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE bench/gen_instance.c -lm -o gen_instance
 *
 * or, for --count-eligible (counts the (case, mediator) pairs that pass
 * every hard rule, instead of writing JSON), with the matcher:
 *
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -DGEN_WITH_MATCH -Ishared bench/gen_instance.c \
 *      shared/match/match.c -lm -o gen_instance */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"

#define MUNICIPALITIES 342
#define PSEUDONYMS     400 /* shared by parties and declarations, so some meet */
#define LAT_MIN        50.8
#define LAT_MAX        53.4
#define LON_MIN        3.6
#define LON_MAX        7.1
#define JITTER_LAT     0.05 /* about 5.5 km */
#define JITTER_LON     0.08 /* about 5.5 km at these latitudes */
#define ID_MAX         24

struct shape {
    const char *name;
    int mediators;
    int cases;
    int capped_percent; /* of cases with a distance cap */
    double cap_min_km, cap_max_km;
};

/* stress: every case has a cap, tuned so that about a million pairs pass
 * every rule (measured with --count-eligible). */
static const struct shape shapes[] = {
    {"national", 3000, 500, 70, 60, 150},
    {"stress", 10000, 10000, 100, 15, 27},
};

struct municipality {
    char id[ID_MAX];
    char party[ID_MAX]; /* "m:<id>" */
    double lat, lon;
    int balance_hours;
};

struct gen_mediator {
    struct match_mediator m;
    char id[ID_MAX];
    const char *languages[3];
    const char *specialties[2];
    const char *relationships[2];
    const char *recent_requesters[2];
};

struct gen_case {
    struct match_case c;
    char id[ID_MAX];
    const char *parties[2];
    const char *vetoed[1];
    const char *involved[1];
    const char *waived[1];
    const char *excluded[1];
};

struct pool {
    struct municipality municipalities[MUNICIPALITIES];
    char pseudonyms[PSEUDONYMS][ID_MAX];
    struct gen_mediator *mediators;
    size_t n_mediators;
    struct gen_case *cases;
    size_t n_cases;
};

/* ---- randomness (splitmix64: tiny, and the same on every platform) ---- */

static uint64_t rng_state;

static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* 0..n-1; the modulo bias is below 2^-50 for these small n. */
static int below(int n)
{
    return (int)(next_u64() % (uint64_t)n);
}

static int between(int lo, int hi)
{
    return lo + below(hi - lo + 1);
}

static double unit(void)
{
    return (double)(next_u64() >> 11) * (1.0 / 9007199254740992.0);
}

static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * unit();
}

static bool percent(int p)
{
    return below(100) < p;
}

/* ---- the pool ---------------------------------------------------------- */

static void make_municipalities(struct pool *p)
{
    for (int i = 0; i < MUNICIPALITIES; i++) {
        struct municipality *m = &p->municipalities[i];
        snprintf(m->id, sizeof m->id, "m%03d", i + 1);
        snprintf(m->party, sizeof m->party, "m:%s", m->id);
        m->lat = uniform(LAT_MIN, LAT_MAX);
        m->lon = uniform(LON_MIN, LON_MAX);
        m->balance_hours = between(-40, 40);
    }
    for (int i = 0; i < PSEUDONYMS; i++)
        snprintf(p->pseudonyms[i], sizeof p->pseudonyms[i], "p:%08x",
                 (unsigned)(next_u64() & 0xffffffffu));
}

static const char *any_municipality(const struct pool *p)
{
    return p->municipalities[below(MUNICIPALITIES)].id;
}

static const char *any_pseudonym(const struct pool *p)
{
    return p->pseudonyms[below(PSEUDONYMS)];
}

static int digits(size_t n)
{
    int d = 1;

    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d < 4 ? 4 : d;
}

/* "med0042": zero-padded so the ids sort in the order they were made. */
static void make_id(char out[ID_MAX], const char *prefix, int width, size_t n)
{
    int w = snprintf(out, ID_MAX, "%s%0*zu", prefix, width, n);

    if (w < 0 || w >= ID_MAX) {
        fprintf(stderr, "gen_instance: id %s%zu is too long\n", prefix, n);
        exit(1);
    }
}

static void pick_languages(struct gen_mediator *g)
{
    static const char *const sets[][3] = {
        {"nl", NULL, NULL}, {"nl", "en", NULL}, {"nl", "de", NULL}, {"nl", "en", "fr"}};
    int r = below(100), set = r < 70 ? 0 : r < 88 ? 1 : r < 95 ? 2 : 3;
    size_t n = 0;

    while (n < 3 && sets[set][n]) {
        g->languages[n] = sets[set][n];
        n++;
    }
    g->m.languages = (struct match_strings){g->languages, n};
}

static void pick_specialties(struct gen_mediator *g)
{
    int r = below(3);
    size_t n = 0;

    if (r != 1)
        g->specialties[n++] = "labour";
    if (r != 0)
        g->specialties[n++] = "citizen";
    g->m.specialties = (struct match_strings){g->specialties, n};
}

static void pick_history(const struct pool *p, struct gen_mediator *g)
{
    size_t nrel = percent(13) ? (size_t)between(1, 2) : 0;
    size_t nrecent = percent(30) ? (size_t)between(1, 2) : 0;

    for (size_t i = 0; i < nrel; i++)
        g->relationships[i] = any_pseudonym(p);
    for (size_t i = 0; i < nrecent; i++)
        g->recent_requesters[i] = any_municipality(p);
    g->m.relationships = (struct match_strings){g->relationships, nrel};
    g->m.recent_requesters = (struct match_strings){g->recent_requesters, nrecent};
}

static void make_mediator(const struct pool *p, size_t i, int width, struct gen_mediator *g)
{
    const struct municipality *home = &p->municipalities[below(MUNICIPALITIES)];
    struct match_mediator *m = &g->m;

    make_id(g->id, "med", width, i + 1);
    m->id = g->id;
    m->municipality = home->id;
    m->lat = home->lat + uniform(-JITTER_LAT, JITTER_LAT);
    m->lon = home->lon + uniform(-JITTER_LON, JITTER_LON);
    m->capacity = between(1, 3);
    m->open_cases = between(0, m->capacity);
    pick_languages(g);
    pick_specialties(g);
    m->certified = percent(85);
    m->available = percent(90);
    m->cases_last_365d = between(0, 8);
    pick_history(p, g);
    m->balance_hours = home->balance_hours;
}

/* Now and then a veto, an earlier involvement (half of them waived) or an
 * excluded municipality, so every rule has something to exclude. */
static void pick_objections(const struct pool *p, struct gen_case *g)
{
    struct match_case *c = &g->c;
    size_t nveto = 0, ninv = 0, nwaive = 0, nexcl = 0;

    if (percent(5))
        g->vetoed[nveto++] = p->mediators[below((int)p->n_mediators)].id;
    if (percent(5)) {
        g->involved[ninv++] = p->mediators[below((int)p->n_mediators)].id;
        if (percent(50))
            g->waived[nwaive++] = g->involved[0];
    }
    if (percent(5))
        g->excluded[nexcl++] = any_municipality(p);
    c->vetoed = (struct match_strings){g->vetoed, nveto};
    c->involved = (struct match_strings){g->involved, ninv};
    c->waived = (struct match_strings){g->waived, nwaive};
    c->excluded_municipalities = (struct match_strings){g->excluded, nexcl};
}

static void make_case(const struct pool *p, const struct shape *s, size_t i, int width,
                      struct gen_case *g)
{
    const struct municipality *requester = &p->municipalities[below(MUNICIPALITIES)];
    struct match_case *c = &g->c;
    size_t nparties = 0;

    make_id(g->id, "case", width, i + 1);
    c->id = g->id;
    c->seats = percent(10) ? 2 : 1;
    c->requester = requester->id;
    g->parties[nparties++] = requester->party;
    if (percent(30))
        g->parties[nparties++] = any_pseudonym(p);
    c->parties = (struct match_strings){g->parties, nparties};
    c->domain = percent(50) ? "labour" : "citizen";
    c->language = percent(95) ? "nl" : "en";
    c->lat = requester->lat + uniform(-JITTER_LAT, JITTER_LAT);
    c->lon = requester->lon + uniform(-JITTER_LON, JITTER_LON);
    c->requires_certified = percent(50);
    if (percent(s->capped_percent))
        c->max_distance_km = (double)between((int)s->cap_min_km, (int)s->cap_max_km);
    pick_objections(p, g);
}

static int make_pool(const struct shape *s, struct pool *p)
{
    p->n_mediators = (size_t)s->mediators;
    p->n_cases = (size_t)s->cases;
    p->mediators = calloc(p->n_mediators, sizeof *p->mediators);
    p->cases = calloc(p->n_cases, sizeof *p->cases);
    if (!p->mediators || !p->cases)
        return -1;
    make_municipalities(p);
    for (size_t i = 0; i < p->n_mediators; i++)
        make_mediator(p, i, digits(p->n_mediators), &p->mediators[i]);
    for (size_t i = 0; i < p->n_cases; i++)
        make_case(p, s, i, digits(p->n_cases), &p->cases[i]);
    return 0;
}

static void free_pool(struct pool *p)
{
    free(p->mediators);
    free(p->cases);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Every string written is generated here from [a-z0-9:], so none needs
 * escaping. */
static void write_list(FILE *f, const char *key, const struct match_strings *s)
{
    fprintf(f, ", \"%s\": [", key);
    for (size_t i = 0; i < s->n; i++)
        fprintf(f, "%s\"%s\"", i ? ", " : "", s->v[i]);
    fputc(']', f);
}

static void write_list_if_any(FILE *f, const char *key, const struct match_strings *s)
{
    if (s->n)
        write_list(f, key, s);
}

static void write_municipalities(FILE *f, const struct pool *p)
{
    fputs("  \"municipalities\": [\n", f);
    for (int i = 0; i < MUNICIPALITIES; i++)
        fprintf(f, "    {\"id\": \"%s\", \"balance_hours\": %d}%s\n", p->municipalities[i].id,
                p->municipalities[i].balance_hours, i + 1 < MUNICIPALITIES ? "," : "");
    fputs("  ],\n", f);
}

static void write_mediator(FILE *f, const struct match_mediator *m)
{
    fprintf(f,
            "    {\"id\": \"%s\", \"municipality\": \"%s\", \"lat\": %.5f, \"lon\": %.5f, "
            "\"capacity\": %d, \"open_cases\": %d",
            m->id, m->municipality, m->lat, m->lon, m->capacity, m->open_cases);
    write_list(f, "languages", &m->languages);
    write_list(f, "specialties", &m->specialties);
    fprintf(f, ", \"certified\": %s, \"available\": %s, \"cases_last_365d\": %d",
            m->certified ? "true" : "false", m->available ? "true" : "false", m->cases_last_365d);
    write_list_if_any(f, "relationships", &m->relationships);
    write_list_if_any(f, "recent_requesters", &m->recent_requesters);
    fputc('}', f);
}

/* Empty lists and absent caps are left out: the reader's defaults. */
static void write_case(FILE *f, const struct match_case *c)
{
    fprintf(f, "    {\"id\": \"%s\", \"requester\": \"%s\"", c->id, c->requester);
    write_list(f, "parties", &c->parties);
    fprintf(f,
            ", \"domain\": \"%s\", \"language\": \"%s\", \"lat\": %.5f, \"lon\": %.5f, "
            "\"seats\": %d, \"requires_certified\": %s",
            c->domain, c->language, c->lat, c->lon, c->seats,
            c->requires_certified ? "true" : "false");
    if (c->max_distance_km > 0)
        fprintf(f, ", \"max_distance_km\": %.0f", c->max_distance_km);
    write_list_if_any(f, "vetoed", &c->vetoed);
    write_list_if_any(f, "involved", &c->involved);
    write_list_if_any(f, "waived", &c->waived);
    write_list_if_any(f, "excluded_municipalities", &c->excluded_municipalities);
    fputc('}', f);
}

static int write_pool(FILE *f, const struct pool *p)
{
    fputs("{\n  \"weights\": {\"distance_per_km\": 1, \"specialty_miss\": 200, "
          "\"balance_per_hour\": 2, \"load_step\": 40, \"recent_requester\": 100, "
          "\"needs_cases_bonus\": 50, \"unassigned\": 1000000},\n",
          f);
    write_municipalities(f, p);
    fputs("  \"mediators\": [\n", f);
    for (size_t i = 0; i < p->n_mediators; i++) {
        write_mediator(f, &p->mediators[i].m);
        fputs(i + 1 < p->n_mediators ? ",\n" : "\n", f);
    }
    fputs("  ],\n  \"cases\": [\n", f);
    for (size_t i = 0; i < p->n_cases; i++) {
        write_case(f, &p->cases[i].c);
        fputs(i + 1 < p->n_cases ? ",\n" : "\n", f);
    }
    fputs("  ]\n}\n", f);
    if (fflush(f) != 0 || ferror(f)) {
        fprintf(stderr, "gen_instance: writing the instance failed: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- eligible pairs ------------------------------------------------------ */

#ifdef GEN_WITH_MATCH
/* The first rule each pair fails, so a change to the generator that
 * silences a rule shows here. */
static int count_eligible(const struct pool *p)
{
    unsigned long long hist[MATCH_REASON_COUNT] = {0};
    size_t no_one = 0;

    for (size_t i = 0; i < p->n_cases; i++) {
        unsigned long long before = hist[MATCH_ELIGIBLE];
        for (size_t j = 0; j < p->n_mediators; j++)
            hist[match_check(&p->cases[i].c, &p->mediators[j].m)]++;
        no_one += hist[MATCH_ELIGIBLE] == before;
    }
    printf("%llu eligible pairs of %zu cases x %zu mediators (%.1f per case), "
           "%zu cases with none\n",
           hist[MATCH_ELIGIBLE], p->n_cases, p->n_mediators,
           (double)hist[MATCH_ELIGIBLE] / (double)p->n_cases, no_one);
    for (int r = 1; r < MATCH_REASON_COUNT; r++)
        printf("  %-22s %llu\n", match_reason_code((enum match_reason)r), hist[r]);
    return 0;
}
#else
static int count_eligible(const struct pool *p)
{
    (void)p;
    fprintf(stderr,
            "gen_instance: --count-eligible needs the matcher; rebuild with "
            "-DGEN_WITH_MATCH and shared/match/match.c (see the top of bench/gen_instance.c)\n");
    return -1;
}
#endif

/* ---- main ------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr, "usage: gen_instance national|stress [--seed N] [--count-eligible]\n");
    return 2;
}

static int parse_seed(const char *s, uint64_t *seed)
{
    char *end;

    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-') {
        fprintf(stderr, "gen_instance: --seed '%s' is not a whole number 0 or more\n", s);
        return -1;
    }
    *seed = v;
    return 0;
}

int main(int argc, char **argv)
{
    const struct shape *shape = NULL;
    struct pool *pool;
    uint64_t seed = 1;
    bool count = false;
    int rc;

    if (argc < 2)
        return usage();
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        if (strcmp(argv[1], shapes[i].name) == 0)
            shape = &shapes[i];
    if (!shape)
        return usage();
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (parse_seed(argv[++i], &seed) != 0)
                return 2;
        } else if (strcmp(argv[i], "--count-eligible") == 0) {
            count = true;
        } else {
            return usage();
        }
    }
    rng_state = seed;
    pool = calloc(1, sizeof *pool);
    if (!pool || make_pool(shape, pool) != 0) {
        fprintf(stderr, "gen_instance: out of memory\n");
        if (pool)
            free_pool(pool);
        free(pool);
        return 1;
    }
    rc = count ? count_eligible(pool) : write_pool(stdout, pool);
    free_pool(pool);
    free(pool);
    return rc == 0 ? 0 : 1;
}

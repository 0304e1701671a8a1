/* shortlist_bench: the time to rank one case against a pool of mediators,
 * the coordinator's work for every shortlist. Prints microseconds per
 * shortlist for pools of 1,000 and 10,000 mediators. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "match/match.h"

static uint64_t state = 1;

static double uniform(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(state >> 11) / 9007199254740992.0;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const towns[] = {"almere", "zeist",   "hilversum", "amersfoort", "utrecht",
                                    "soest",  "de-bilt", "venlo",     "aalten",     "lochem"};
static const char *const langs[] = {"nl", "en"};
static const char *const specs[] = {"labour", "citizen"};
static const char *const parties[] = {"m:zeist", "p:00112233445566778899aabbccddeeff"};

int main(void)
{
    static const size_t sizes[] = {1000, 10000};
    struct match_weights w;
    match_weights_default(&w);
    struct match_case c = {.id = "c1",
                           .requester = "zeist",
                           .domain = "labour",
                           .language = "nl",
                           .parties = {parties, 2},
                           .lat = 52.09,
                           .lon = 5.23,
                           .seats = 1,
                           .requires_certified = true};
    printf("%-28s %12s %14s\n", "shortlist of 3", "mediators", "us/shortlist");
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        struct match_mediator *ms = calloc(n, sizeof *ms);
        char(*ids)[24] = calloc(n, sizeof *ids);
        if (!ms || !ids)
            return 1;
        for (size_t i = 0; i < n; i++) {
            snprintf(ids[i], sizeof ids[i], "med%05zu", i);
            ms[i] = (struct match_mediator){.id = ids[i],
                                            .municipality = towns[i % 10],
                                            .lat = 50.8 + 2.6 * uniform(),
                                            .lon = 3.6 + 3.5 * uniform(),
                                            .capacity = 1 + (int)(3 * uniform()),
                                            .languages = {langs, 1 + (i % 3 == 0)},
                                            .specialties = {specs, 1 + (i % 2)},
                                            .certified = uniform() < 0.85,
                                            .available = uniform() < 0.9,
                                            .cases_last_365d = (int)(8 * uniform())};
        }
        struct match_ranked out[3];
        unsigned hist[MATCH_REASON_COUNT];
        int runs = (int)(2000000 / n);
        double t0 = seconds();
        size_t got = 0;
        for (int r = 0; r < runs; r++)
            got += match_shortlist(&c, ms, n, &w, out, 3, hist);
        double per = (seconds() - t0) / runs * 1e6;
        printf("%-28s %12zu %14.1f   (%.1f us per 1000 mediators; %zu ranked)\n",
               "mediatorpool match_shortlist", n, per, per * 1000.0 / (double)n, got / runs);
        free(ms);
        free(ids);
    }
    return 0;
}

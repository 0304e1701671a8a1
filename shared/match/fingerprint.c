/* fingerprint: every field the matcher reads, in a fixed text form, hashed
 * with BLAKE2b (libsodium crypto_generichash). Text, not memory, so the
 * hash does not depend on padding, pointers or the platform. */
#include "match/fingerprint.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void put(crypto_generichash_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(crypto_generichash_state *st, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        crypto_generichash_update(st, (const unsigned char *)buf,
                                  (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void put_text(crypto_generichash_state *st, const char *s)
{
    /* Length-prefixed, so that no two different lists hash alike. */
    put(st, "%zu:", s ? strlen(s) : 0);
    if (s)
        crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
}

static void put_list(crypto_generichash_state *st, const struct match_strings *l)
{
    put(st, "[%zu", l->n);
    for (size_t i = 0; i < l->n; i++)
        put_text(st, l->v[i]);
    put(st, "]");
}

static void put_case(crypto_generichash_state *st, const struct match_case *c)
{
    put(st, "case");
    put_text(st, c->id);
    put_text(st, c->requester);
    put_text(st, c->domain);
    put_text(st, c->language);
    put_list(st, &c->parties);
    put_list(st, &c->vetoed);
    put_list(st, &c->involved);
    put_list(st, &c->waived);
    put_list(st, &c->declined);
    put_list(st, &c->excluded_municipalities);
    /* Added later: an input without them keeps the fingerprint it had. */
    if (c->replaced.n || c->expired.n) {
        put_list(st, &c->replaced);
        put_list(st, &c->expired);
    }
    put(st, "%.6f,%.6f,%d,%d,%.3f", c->lat, c->lon, c->seats, c->requires_certified,
        c->max_distance_km);
    if (c->has_deadline)
        put(st, ";days_left %d", c->days_left);
}

static void put_mediator(crypto_generichash_state *st, const struct match_mediator *m)
{
    put(st, "mediator");
    put_text(st, m->id);
    put_text(st, m->municipality);
    put(st, "%.6f,%.6f,%d,%d,%d,%d,%d,%lld", m->lat, m->lon, m->capacity, m->open_cases,
        m->certified, m->available, m->cases_last_365d, (long long)m->balance_hours);
    put_list(st, &m->languages);
    put_list(st, &m->specialties);
    put_list(st, &m->relationships);
    put_list(st, &m->recent_requesters);
}

void match_fingerprint(const struct match_case *cases, size_t n_cases,
                       const struct match_mediator *mediators, size_t n_mediators,
                       const struct match_weights *w, char out[FINGERPRINT_HEX])
{
    crypto_generichash_state st;
    unsigned char hash[32];
    crypto_generichash_init(&st, NULL, 0, sizeof hash);
    put(&st, "mediatorpool-match-1;%lld,%lld,%lld,%lld,%lld,%lld,%lld",
        (long long)w->distance_per_km, (long long)w->specialty_miss, (long long)w->balance_per_hour,
        (long long)w->load_step, (long long)w->recent_requester, (long long)w->needs_cases_bonus,
        (long long)w->unassigned);
    /* Deadline weights change nothing without a decision date: an input
     * with none hashes as it did before they existed. */
    for (size_t i = 0; i < n_cases; i++)
        if (cases[i].has_deadline) {
            put(&st, ";deadline %lld,%lld", (long long)w->deadline_per_day,
                (long long)w->deadline_horizon);
            break;
        }
    for (size_t i = 0; i < n_cases; i++)
        put_case(&st, &cases[i]);
    for (size_t i = 0; i < n_mediators; i++)
        put_mediator(&st, &mediators[i]);
    crypto_generichash_final(&st, hash, sizeof hash);
    sodium_bin2hex(out, FINGERPRINT_HEX, hash, sizeof hash);
}

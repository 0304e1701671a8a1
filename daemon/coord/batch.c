/* batch: read the waiting cases, solve, re-rank their shortlists, record. */
#include "coord/batch.h"

#include <string.h>

#include "match/assign.h"
#include "coord/candidates.h"
#include "coord/journal.h"
#include "coord/cases.h"
#include "base/log.h"
#include "mpool.pb-c.h"
#include "coord/rounds.h"
#include "journey/journey.h"
#include "store/store.h"

#define ST(x)         MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x
#define MAX_SHORTLIST 20

struct waiting {
    struct ccase *cases;
    struct match_case *mc;
    struct candidates *strings; /* one string pool per case */
    size_t count;
};

static void waiting_free(struct waiting *w)
{
    for (size_t i = 0; i < w->count; i++)
        candidates_free(&w->strings[i]);
    free(w->cases);
    free(w->mc);
    free(w->strings);
    memset(w, 0, sizeof *w);
}

static int waiting_load(struct node *n, struct waiting *w)
{
    memset(w, 0, sizeof *w);
    /* Waiting for a choice, or escalated: a new mediator may fit it now. */
    char states[64], sql[128];
    journey_states_list(journey_step(JOURNEY_ROUND), states, sizeof states);
    snprintf(sql, sizeof sql, "SELECT case_id FROM c_cases WHERE state IN (%s) ORDER BY case_id",
             states);
    sqlite3_stmt *st = store_prepare(n->db, sql);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (w->count == cap) {
            cap = cap ? cap * 2 : 16;
            struct ccase *c = realloc(w->cases, cap * sizeof *c);
            struct match_case *m = c ? realloc(w->mc, cap * sizeof *m) : NULL;
            struct candidates *s = c && m ? realloc(w->strings, cap * sizeof *s) : NULL;
            if (c)
                w->cases = c;
            if (m)
                w->mc = m;
            if (s)
                w->strings = s;
            if (!c || !m || !s) {
                rc = -1;
                break;
            }
        }
        const char *id = (const char *)sqlite3_column_text(st, 0);
        memset(&w->strings[w->count], 0, sizeof w->strings[0]);
        if (case_load(n, id, &w->cases[w->count]) != 1 ||
            candidates_case(n, id, &w->strings[w->count], &w->mc[w->count]) < 0)
            rc = -1;
        w->count++;
    }
    store_release(st);
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    if (rc < 0)
        waiting_free(w);
    return rc;
}

/* The optimum's picks first, then the best of the rest, as before. */
static size_t rerank(const struct match_case *mc, const struct candidates *cands,
                     const struct match_weights *wts, const struct assign_pick *picks,
                     size_t npicks, size_t cap, struct match_ranked *out,
                     unsigned hist[MATCH_REASON_COUNT])
{
    struct match_ranked ranked[MAX_SHORTLIST + 2];
    size_t n = match_shortlist(mc, cands->list, cands->count, wts, ranked, cap + npicks, hist);
    size_t count = 0;
    for (size_t p = 0; p < npicks && count < cap; p++) {
        out[count].mediator = picks[p].mediator;
        out[count].cost = picks[p].cost;
        count++;
    }
    for (size_t i = 0; i < n && count < cap; i++) {
        bool picked = false;
        for (size_t p = 0; p < npicks; p++)
            picked |= picks[p].mediator == ranked[i].mediator;
        if (!picked)
            out[count++] = ranked[i];
    }
    return count;
}

static int announce(struct node *n, struct waiting *w, size_t i, const struct candidates *cands,
                    const struct assign_pick *picks, size_t npicks, int64_t round,
                    const char *actor)
{
    struct match_ranked ranked[MAX_SHORTLIST];
    unsigned hist[MATCH_REASON_COUNT];
    size_t cap = shortlist_cap(n, &w->mc[i]);
    size_t count = rerank(&w->mc[i], cands, &n->cfg.weights, picks, npicks, cap, ranked, hist);
    char reason[120];
    struct ccase *c = &w->cases[i];
    if (count == 0 && c->state == S(ESCALATED))
        return 0; /* still nobody: it stays with the coordinator */
    reasonf(reason, sizeof reason,
            count ? "re-ranked by batch round %lld: the pool-wide optimum first"
                  : "batch round %lld: nobody is eligible any more",
            (long long)round);
    if (store_shortlist(n, c, cands, ranked, count) < 0 ||
        transition(n, c, count ? S(SHORTLISTED) : S(ESCALATED), actor, reason) < 0)
        return -1;
    return tell_shortlist(n, c, cands, ranked, count, hist, actor, reason, NULL);
}

static json_t *round_result(const struct waiting *w, struct assign *a,
                            const struct candidates *cands, struct assign_pick (*picks)[2],
                            size_t *npicks)
{
    json_t *assignments = json_array(), *unfilled = json_array();
    for (size_t i = 0; i < w->count; i++) {
        npicks[i] = assign_picks(a, i, picks[i]);
        json_t *ids = json_array();
        for (size_t p = 0; p < npicks[i]; p++)
            json_array_append_new(ids, json_string(cands->list[picks[i][p].mediator].id));
        json_array_append_new(assignments,
                              json_pack("{ssso}", "case", w->cases[i].id, "mediators", ids));
        if (assign_unfilled(a, i) > 0)
            json_array_append_new(unfilled, json_pack("{sssi}", "case", w->cases[i].id, "seats",
                                                      assign_unfilled(a, i)));
    }
    return json_pack("{sIsoso}", "objective", (json_int_t)assign_objective(a), "assignments",
                     assignments, "unfilled", unfilled);
}

static int run_round(struct node *n, const char *actor, struct waiting *w, struct candidates *cands,
                     json_t **result)
{
    char err[256];
    struct assign *a =
        assign_build(w->mc, w->count, cands->list, cands->count, &n->cfg.weights, err, sizeof err);
    if (!a)
        log_error("batch round: %s", err);
    if (!a || assign_run(a) != MCF_OPTIMAL) {
        assign_destroy(&a);
        return -1;
    }
    struct assign_pick(*picks)[2] = calloc(w->count ? w->count : 1, sizeof *picks);
    size_t *npicks = calloc(w->count ? w->count : 1, sizeof *npicks);
    int rc = picks && npicks ? 0 : -1;
    json_t *res = rc == 0 ? round_result(w, a, cands, picks, npicks) : NULL;
    int64_t round = res ? round_record(n, "batch", NULL, w->mc, w->count, cands->list, cands->count,
                                       assign_objective(a), json_incref(res))
                        : -1;
    if (round < 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < w->count; i++)
        rc = announce(n, w, i, cands, picks[i], npicks[i], round, actor);
    if (rc == 0 && res) {
        json_object_set_new(res, "round", json_integer(round));
        *result = res;
    } else {
        json_decref(res);
    }
    free(picks);
    free(npicks);
    assign_destroy(&a);
    return rc;
}

int batch_round(struct node *n, const char *actor, const struct tx_hook *hook, json_t **result,
                char *err, size_t errlen)
{
    struct waiting w;
    struct candidates cands;
    if (store_begin(n->db) < 0) {
        snprintf(err, errlen, "the database is busy; try again");
        return ST(INTERNAL);
    }
    int rc = -1;
    if (waiting_load(n, &w) == 0) {
        if (candidates_load(n, now_ms(), &cands) == 0) {
            rc = run_round(n, actor, &w, &cands, result);
            candidates_free(&cands);
        }
        waiting_free(&w);
    }
    if (rc < 0 || (hook && hook->before_commit(hook->ctx, *result) != 0) ||
        store_commit(n->db) < 0) {
        store_rollback(n->db);
        journal_forget(n);
        if (rc == 0) { /* the round ran: its answer is of no use now */
            json_decref(*result);
            *result = NULL;
        }
        snprintf(err, errlen, "the batch round failed; nothing changed (see the node's log)");
        return ST(INTERNAL);
    }
    journal_ring(n);
    log_info("batch round by %s: objective %lld", actor,
             (long long)json_integer_value(json_object_get(*result, "objective")));
    return ST(OK);
}

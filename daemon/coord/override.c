/* override: what time and the coordinator do to a case without a member's
 * message: an offer expires, or the coordinator offers the case to a
 * mediator of their own choice. */
#include <string.h>

#include "base/deadline.h"
#include "base/log.h"
#include "coord/actions.h"
#include "coord/cases.h"
#include "coord/journal.h"
#include "coord/rerank.h"
#include "coord/tally.h"
#include "journey/journey.h"
#include "match/match.h"
#include "store/store.h"
#include "wire/names.h"

#define RS(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

/* ---- expiry ------------------------------------------------------------ */

static int expire_one(struct node *n, const char *case_id, const char *mediator_id)
{
    struct ccase c;
    if (case_load(n, case_id, &c) != 1)
        return -1;
    const struct cseat *s = seat_of(&c, mediator_id);
    if (!s || s->state != S(OFFERED))
        return 0; /* answered in the meantime */
    /* An offer the decision date cut short is no answer of the mediator's:
     * they are not marked, and may be offered the case again. */
    bool capped = deadline_offer_capped(s->offer_expires_ms, c.decide_by);
    char reason[200];
    reasonf(reason, sizeof reason, "the offer to %s expired%s", mediator_id,
            capped ? " at the decision date" : "");
    if ((!capped && tally(n, c.requester, mediator_id, "expired", NULL) < 0) ||
        seat_end(n, &c, mediator_id, capped ? NULL : "expired", "expired", "coordinator",
                 "the offer expired") < 0)
        return -1;
    return reshortlist(n, &c, "coordinator", reason);
}

void journey_expire(struct node *n, int64_t now)
{
    char states[64], sql[200];
    journey_states_list(journey_step(JOURNEY_EXPIRE), states, sizeof states);
    snprintf(sql, sizeof sql,
             "SELECT case_id, mediator_id FROM c_seats WHERE state IN (%s)"
             " AND offer_expires_ms < ?1 LIMIT 50",
             states);
    sqlite3_stmt *st = store_prepare(n->db, sql);
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, now);
    char ids[50][ID_MAX + 16], meds[50][2 * ID_MAX];
    size_t count = 0;
    while (count < 50 && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(ids[count], sizeof ids[0], "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(meds[count], sizeof meds[0], "%s", (const char *)sqlite3_column_text(st, 1));
        count++;
    }
    store_release(st);
    for (size_t i = 0; i < count; i++) {
        if (store_begin(n->db) < 0)
            return;
        if (expire_one(n, ids[i], meds[i]) < 0 || store_commit(n->db) < 0) {
            store_rollback(n->db);
            journal_forget(n);
            log_error("case %s: could not expire its offer; will retry", ids[i]);
            continue;
        }
        journal_ring(n);
    }
}

/* ---- the coordinator's override --------------------------------------- */

/* The seat the override gives to someone else: the one named, or the
 * only one when no seat is open; "" when a seat is open. */
static int leaving_seat(struct ccase *c, const char *replace, char *out, size_t len, char *err,
                        size_t errlen)
{
    out[0] = '\0';
    if (replace && *replace) {
        if (!seat_of(c, replace)) {
            snprintf(err, errlen, "%s does not hold a seat of case %s", replace, c->id);
            return RS(REFUSED);
        }
        snprintf(out, len, "%s", replace);
    } else if (c->n_held >= (size_t)c->seats) {
        if (c->n_held > 1) {
            snprintf(err, errlen,
                     "case %s has two mediators: say which one the new one replaces "
                     "(--replace MEDIATOR)",
                     c->id);
            return RS(REFUSED);
        }
        snprintf(out, len, "%s", c->seat[0].mediator_id);
    }
    return RS(OK);
}

/* The new mediator as if the leaving one's seat were open already: a
 * colleague of theirs may take it, and so may they themselves, offered
 * the case anew. */
static int eligible_for_override(struct node *n, struct ccase *c, const char *mediator_id,
                                 const char *leaving, char *err, size_t errlen)
{
    if (seat_of(c, mediator_id) && strcmp(mediator_id, leaving) != 0) {
        snprintf(err, errlen, "%s already holds the other seat of case %s", mediator_id, c->id);
        return RS(REFUSED);
    }
    bool known;
    int why = check_now(n, c->id, mediator_id, leaving, &known);
    if (!known) {
        snprintf(err, errlen, "no mediator %s in the pool", mediator_id);
        return RS(NOT_FOUND);
    }
    if (why < 0)
        return RS(INTERNAL);
    enum match_class cls = match_reason_class((enum match_reason)why);
    /* Language, certification, distance, capacity and availability are the
     * coordinator's to weigh; conflicts of interest are not. */
    if (why != MATCH_ELIGIBLE && cls != MATCH_CLASS_NOT_NOW && cls != MATCH_CLASS_CASE) {
        snprintf(err, errlen, "%s may not mediate this case: %s (an override cannot lift it)",
                 mediator_id, match_reason_text((enum match_reason)why));
        return RS(REFUSED);
    }
    return RS(OK);
}

static int override_in_tx(struct node *n, struct ccase *c, const char *actor,
                          const char *mediator_id, const char *leaving, const char *reason,
                          unsigned minutes)
{
    /* The coordinator's words stay in its own record; the nodes are told
     * that it overrode. */
    char full[400];
    reasonf(full, sizeof full, "override: %s", reason);
    const char *told = "override by the coordinator";
    if (*leaving) {
        /* A mediator who took the case on leaves it as if reassigned. */
        int was = seat_of(c, leaving)->state;
        bool running = was == S(ACCEPTED) || was == S(IN_MEDIATION);
        if ((running && give_hours(n, c, leaving, minutes) < 0) ||
            seat_end(n, c, leaving, "replaced", running ? "reassigned" : "withdrawn", actor, told) <
                0)
            return RS(INTERNAL);
    }
    seat_take(n, c, mediator_id);
    snprintf(c->about, sizeof c->about, "%s", mediator_id);
    uint8_t key[KEY_LEN]; /* for the parties' names, as with a choice */
    if (box_key_of(n, mediator_id, key) < 0 ||
        transition(n, c, seats_state(c, c->state), actor, full) < 0 ||
        tell_requester(n, c, actor, told, key, NULL) < 0 ||
        tell_mediator(n, c, mediator_id, "offered", actor, "", NULL) < 0 ||
        rerank_listing(n, mediator_id, c->id) < 0)
        return RS(INTERNAL);
    return RS(OK);
}

static int override_check(struct node *n, struct ccase *c, const char *case_id,
                          const char *mediator_id, const char *replace, char *leaving,
                          size_t leaving_len, char *err, size_t errlen)
{
    int found = case_load(n, case_id, c);
    if (found <= 0) {
        snprintf(err, errlen, found == 0 ? "no case %s in the pool" : "database error", case_id);
        return found == 0 ? RS(NOT_FOUND) : RS(INTERNAL);
    }
    const struct journey_step *step = journey_step(JOURNEY_OVERRIDE);
    if (!journey_from(step, c->state)) {
        snprintf(err, errlen, "case %s: %s; %s", case_id,
                 case_state_words(case_state_name(c->state)), step->refusal);
        return RS(REFUSED);
    }
    int status = leaving_seat(c, replace, leaving, leaving_len, err, errlen);
    return status == RS(OK) ? eligible_for_override(n, c, mediator_id, leaving, err, errlen)
                            : status;
}

int journey_override(struct node *n, const char *actor, const char *case_id,
                     const char *mediator_id, const char *replace, const char *reason,
                     unsigned minutes, const struct tx_hook *hook, char *err, size_t errlen)
{
    struct ccase c;
    char leaving[2 * ID_MAX];
    if (store_begin(n->db) < 0)
        return RS(INTERNAL);
    int status =
        override_check(n, &c, case_id, mediator_id, replace, leaving, sizeof leaving, err, errlen);
    if (status == RS(OK))
        status = override_in_tx(n, &c, actor, mediator_id, leaving, reason, minutes);
    if (status != RS(OK) || (hook && hook->before_commit(hook->ctx, NULL) != 0) ||
        store_commit(n->db) < 0) {
        store_rollback(n->db);
        journal_forget(n);
        if (status == RS(OK)) {
            snprintf(err, errlen, "database error; nothing changed");
            status = RS(INTERNAL);
        }
        return status;
    }
    journal_ring(n);
    return status;
}

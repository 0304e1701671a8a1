/* journey_internal: what the coordinator's journey modules share. */
#ifndef MPOOL_CASES_H
#define MPOOL_CASES_H

#include <stdbool.h>

#include "coord/candidates.h"
#include "journey/journey.h"
#include "base/ids.h"
#include "mpool.pb-c.h"
#include "node/node.h"

#define S(x) MPOOL__V1__CASE_STATE__CASE_STATE_##x

/* A held seat of a case (c_seats). */
struct cseat {
    char mediator_id[2 * ID_MAX];
    int state; /* offered, awaiting_consent, accepted, in_mediation; closed, withdrawn */
    int64_t offer_expires_ms;
    int disclosure;
    unsigned minutes; /* at close */
};

struct ccase {
    char id[ID_MAX + 16];
    char requester[ID_MAX];
    char domain[64];
    char language[16];
    int urgency;
    int state; /* the case's: follows from its seats (journey_case_state) */
    int outcome;
    unsigned minutes;       /* at close: all mediators' together */
    int32_t decide_by;      /* the legal decision date (days since 1970), -1: none */
    char deadline_kind[16]; /* its kind: objection, complaint, internal; "" */
    int64_t created_ms;
    int seats; /* 1 or 2 */
    struct cseat seat[2];
    size_t n_held;
    /* The mediator the step at hand is about: its events name them. */
    char about[2 * ID_MAX];
};

/* The seat mediator_id holds, or NULL. */
struct cseat *seat_of(struct ccase *c, const char *mediator_id);
const struct cseat *seat_find(const struct ccase *c, const char *mediator_id);
/* A new seat for mediator_id, offered until the case's next offer expiry. */
struct cseat *seat_take(struct node *n, struct ccase *c, const char *mediator_id);
/* The seat is given up: its row goes at the next case_save. */
void seat_drop(struct ccase *c, const char *mediator_id);
/* The held seats in the journey's terms, for its checks; their number. */
size_t seats_journey(const struct ccase *c, struct journey_seat held[2]);
/* The state the case's seats put it in; `waiting` while one is open. */
int seats_state(const struct ccase *c, int waiting);
/* Takes mediator_id's seat away, marks why (what, unless NULL), tells
 * their node offer_state, and ranks the cases that list them again. */
int seat_end(struct node *n, struct ccase *c, const char *mediator_id, const char *what,
             const char *offer_state, const char *actor, const char *reason);

/* The seats of c from c_seats, and back. */
int seats_load(struct node *n, struct ccase *c);
int seats_save(struct node *n, const struct ccase *c);

/* snprintf for reasons: a cut never splits a UTF-8 character. */
void reasonf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int case_load(struct node *n, const char *id, struct ccase *c);
int case_save(struct node *n, const struct ccase *c);
int transition(struct node *n, struct ccase *c, int to, const char *actor, const char *reason);
/* A line in the case's record that leaves its state and its clock (the
 * time `pool stuck` counts from) as they are. */
int record(struct node *n, const struct ccase *c, int to, const char *actor, const char *reason);
int mark(struct node *n, const char *case_id, const char *mediator_id, const char *what);
/* The post's party references, and their legacy forms, as the case's
 * (c_case_parties); replace: the ones held before go first (an edit).
 * added (or NULL) counts the references the case did not hold yet. */
int case_parties_store(struct node *n, const Mpool__V1__CasePost *p, bool replace, size_t *added);
/* The ledger's line: minutes mediator_id gave case c (c_hours); none for 0. */
int give_hours(struct node *n, const struct ccase *c, const char *mediator_id, unsigned minutes);
void node_of(const char *mediator_id, char *out, size_t len);
/* box_key: the key of c->about, to seal to: on acceptance the narrative,
 * on an offer the parties' names. */
int tell_requester(struct node *n, const struct ccase *c, const char *actor, const char *reason,
                   const uint8_t *box_key, const ProtobufCBinaryData *sealed);
int tell_mediator(struct node *n, const struct ccase *c, const char *mediator_id,
                  const char *offer_state, const char *actor, const char *reason,
                  const ProtobufCBinaryData *sealed);
/* The parties' names, sealed by the requesting node to mediator_id (who
 * holds a seat of c), relayed unread to that mediator's node. */
int tell_names(struct node *n, const struct ccase *c, const char *mediator_id, const char *actor,
               const ProtobufCBinaryData *names);
int reshortlist(struct node *n, struct ccase *c, const char *actor, const char *reason);
/* How long a case's shortlist is: [pool] shortlist_size for each open
 * seat, at most 20. */
size_t shortlist_cap(const struct node *n, const struct match_case *mc);
/* The same, relaying note (a mediator's decline note sealed to the
 * requesting node) unread in the requester's event. */
int reshortlist_noted(struct node *n, struct ccase *c, const char *actor, const char *reason,
                      const ProtobufCBinaryData *note);
/* Ranks c again over cands (the pool as loaded once for a re-rank pass)
 * and, only when the order of its list changed, stores it and tells the
 * requester. Returns 1 changed, 0 unchanged, -1 on failure. */
int reshortlist_if_changed(struct node *n, struct ccase *c, const struct candidates *cands,
                           const char *actor, const char *reason);
/* Replaces the stored shortlist of c, and tells the requester. */
int store_shortlist(struct node *n, const struct ccase *c, const struct candidates *cands,
                    const struct match_ranked *ranked, size_t count);
int tell_shortlist(struct node *n, const struct ccase *c, const struct candidates *cands,
                   const struct match_ranked *ranked, size_t count,
                   const unsigned hist[MATCH_REASON_COUNT], const char *actor, const char *reason,
                   const ProtobufCBinaryData *note);
/* Whether a shortlist the requester received for the case named the
 * mediator (c_shown): the journey table's NAMES_SHOWN. */
bool shown_for_case(struct node *n, const char *case_id, const char *mediator_id);
/* The rule that excludes mediator_id from the case now, or MATCH_ELIGIBLE;
 * -1 on failure or when the mediator is unknown (*known false). The seat
 * of `leaving` (may be NULL) counts as given up. */
int check_now(struct node *n, const char *case_id, const char *mediator_id, const char *leaving,
              bool *known);
int box_key_of(struct node *n, const char *mediator_id, uint8_t key[32]);
int refuse(struct node *n, const struct ccase *c, const char *sender,
           const Mpool__V1__CaseAction *a, const char *why);

#endif

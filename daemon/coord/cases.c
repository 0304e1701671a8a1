/* journey: what the coordinator does with each member message. */
#include "coord/actions.h"
#include "coord/cases.h"

#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#include "coord/candidates.h"
#include "base/ids.h"
#include "coord/journal.h"
#include "base/log.h"
#include "match/match.h"
#include "node/notices.h"
#include "wire/names.h"
#include "wire/pseudonym.h"
#include "coord/rounds.h"
#include "coord/tally.h"
#include "store/store.h"
#include "base/text.h"

/* ---- case records ---------------------------------------------------- */

void reasonf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    text_cut_utf8(buf);
}

static void copy_col(char *dst, size_t len, sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(dst, len, "%s", v ? (const char *)v : "");
}

/* 1 found, 0 unknown, -1 storage failure. */
int case_load(struct node *n, const char *id, struct ccase *c)
{
    sqlite3_stmt *st = store_prepare(
        n->db, "SELECT requester, domain, language, urgency, state, outcome, minutes,"
               " COALESCE(decide_by, -1), seats, COALESCE(deadline_kind, ''), created_ms"
               " FROM c_cases WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(c, 0, sizeof *c);
        snprintf(c->id, sizeof c->id, "%s", id);
        copy_col(c->requester, sizeof c->requester, st, 0);
        copy_col(c->domain, sizeof c->domain, st, 1);
        copy_col(c->language, sizeof c->language, st, 2);
        c->urgency = sqlite3_column_int(st, 3);
        c->state = sqlite3_column_int(st, 4);
        c->outcome = sqlite3_column_int(st, 5);
        c->minutes = (unsigned)sqlite3_column_int(st, 6);
        c->decide_by = sqlite3_column_int(st, 7);
        c->seats = sqlite3_column_int(st, 8);
        copy_col(c->deadline_kind, sizeof c->deadline_kind, st, 9);
        c->created_ms = sqlite3_column_int64(st, 10);
    }
    store_release(st);
    if (rc == SQLITE_ROW)
        return seats_load(n, c) < 0 ? -1 : 1;
    return rc == SQLITE_DONE ? 0 : -1;
}

int case_save(struct node *n, const struct ccase *c)
{
    sqlite3_stmt *st =
        store_prepare(n->db, "UPDATE c_cases SET state = ?2, outcome = ?3, minutes = ?4, "
                             "updated_ms = ?5 WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, c->state);
    sqlite3_bind_int(st, 3, c->outcome);
    sqlite3_bind_int(st, 4, (int)c->minutes);
    sqlite3_bind_int64(st, 5, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc == 0 ? seats_save(n, c) : -1;
}

int record(struct node *n, const struct ccase *c, int to, const char *actor, const char *reason)
{
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO c_transitions(case_id, from_state, "
                                            "to_state, actor, reason, at_ms) "
                                            "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, c->state);
    sqlite3_bind_int(st, 3, to);
    sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, reason ? reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* The coordinators at this node hear of a case that waits for them. */
static int tell_coordinators(struct node *n, const char *case_id)
{
    for (size_t i = 0; i < n->users.count; i++)
        if ((n->users.list[i].roles & ROLE_COORDINATOR) &&
            notice_add(n->db, n->users.list[i].id, "pool_escalated", case_id, "", NULL) < 0)
            return -1;
    return 0;
}

/* The report counts cases that escalated, once each. */
static int tally_first_escalation(struct node *n, const struct ccase *c)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT COUNT(*) FROM c_transitions"
                                            " WHERE case_id = ?1 AND to_state = ?2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, S(ESCALATED));
    int64_t times = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    store_release(st);
    if (times < 0)
        return -1;
    return times == 1 ? tally(n, c->requester, NULL, "escalated", NULL) : 0;
}

int transition(struct node *n, struct ccase *c, int to, const char *actor, const char *reason)
{
    if (record(n, c, to, actor, reason) < 0)
        return -1;
    /* A reason may hold the coordinator's own words (an override): ids and
     * states only in the log. */
    log_info("case %s: %s -> %s by %s", c->id, case_state_name(c->state), case_state_name(to),
             actor);
    bool escalates = to == S(ESCALATED) && c->state != S(ESCALATED);
    c->state = to;
    if (escalates && (tell_coordinators(n, c->id) < 0 || tally_first_escalation(n, c) < 0))
        return -1;
    return case_save(n, c);
}

int give_hours(struct node *n, const struct ccase *c, const char *mediator_id, unsigned minutes)
{
    if (minutes == 0 || !*mediator_id)
        return 0;
    char giver[ID_MAX];
    node_of(mediator_id, giver, sizeof giver);
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO c_hours(case_id, requester, giver,"
                                            " mediator_id, minutes, at_ms)"
                                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->requester, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, giver, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, mediator_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, (int)minutes);
    sqlite3_bind_int64(st, 6, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

int case_parties_store(struct node *n, const Mpool__V1__CasePost *p, bool replace, size_t *added)
{
    int rc = 0;
    if (replace) {
        sqlite3_stmt *del = store_prepare(n->db, "DELETE FROM c_case_parties WHERE case_id = ?1");
        if (!del)
            return -1;
        sqlite3_bind_text(del, 1, p->case_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
        store_release(del);
    }
    sqlite3_stmt *ins = store_prepare(n->db, "INSERT OR IGNORE INTO c_case_parties(case_id, ref)"
                                             " VALUES(?1, ?2)");
    if (!ins)
        return -1;
    /* The legacy forms are matched alike: a relationship declared at a
     * node not yet upgraded still excludes (docs/privacy.md, names). */
    size_t total = p->n_parties + p->n_legacy_parties;
    for (size_t i = 0; rc == 0 && i < total; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, p->case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2,
                          i < p->n_parties ? p->parties[i] : p->legacy_parties[i - p->n_parties],
                          -1, SQLITE_STATIC);
        rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
        if (rc == 0 && added)
            *added += (size_t)sqlite3_changes(n->db);
    }
    store_release(ins);
    return rc;
}

int mark(struct node *n, const char *case_id, const char *mediator_id, const char *what)
{
    sqlite3_stmt *st = store_prepare(n->db, "INSERT OR IGNORE INTO c_case_marks(case_id, "
                                            "mediator_id, mark) VALUES(?1, ?2, ?3)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mediator_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    /* Vetoed, or gone from a seat: no longer one the parties may choose. */
    bool out = strcmp(what, "vetoed") == 0 || strcmp(what, "declined") == 0;
    st = rc == 0 && out ? store_prepare(n->db, "DELETE FROM c_shown WHERE case_id = ?1 AND"
                                               " mediator_id = ?2")
                        : NULL;
    if (st) {
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, mediator_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        store_release(st);
    } else if (rc == 0 && out) {
        rc = -1;
    }
    return rc;
}

void node_of(const char *mediator_id, char *out, size_t len)
{
    const char *colon = strchr(mediator_id, ':');
    size_t n = colon ? (size_t)(colon - mediator_id) : strlen(mediator_id);
    snprintf(out, len, "%.*s", (int)n, mediator_id);
}

/* ---- events ---------------------------------------------------------- */

/* An event and the seats it carries, built on the stack. */
struct event_buf {
    Mpool__V1__CaseEvent ev;
    Mpool__V1__Seat seat[2], *seat_ptrs[2];
};

/* The event names the mediator the step is about, with their seat's offer
 * and disclosure; to the requester it carries every held seat. */
static void event_init(struct event_buf *b, const struct ccase *c, const char *actor,
                       const char *reason, const char *about)
{
    Mpool__V1__CaseEvent *ev = &b->ev;
    mpool__v1__case_event__init(ev);
    ev->case_id = (char *)c->id;
    ev->state = (Mpool__V1__CaseState)c->state;
    ev->actor = (char *)actor;
    ev->reason = (char *)(reason ? reason : "");
    ev->at_ms = now_ms();
    /* An event about the whole case of one seat names its mediator, as
     * such an event always did. */
    if (!*about && c->seats == 1 && c->n_held == 1)
        about = c->seat[0].mediator_id;
    ev->mediator_id = (char *)about;
    ev->requester = (char *)c->requester;
    ev->domain = (char *)c->domain;
    ev->language = (char *)c->language;
    ev->urgency = (Mpool__V1__Urgency)c->urgency;
    ev->outcome = (Mpool__V1__Outcome)c->outcome;
    ev->minutes = c->minutes;
    for (size_t i = 0; i < c->n_held; i++) {
        const struct cseat *s = &c->seat[i];
        if (strcmp(s->mediator_id, about) == 0) {
            ev->offer_expires_ms = s->offer_expires_ms;
            ev->disclosure = (Mpool__V1__Disclosure)s->disclosure;
        }
        mpool__v1__seat__init(&b->seat[i]);
        b->seat[i].mediator_id = (char *)s->mediator_id;
        b->seat[i].state = (Mpool__V1__CaseState)s->state;
        b->seat[i].offer_expires_ms = s->offer_expires_ms;
        b->seat[i].disclosure = (Mpool__V1__Disclosure)s->disclosure;
        b->seat[i].minutes = s->minutes;
        b->seat_ptrs[i] = &b->seat[i];
    }
    ev->n_seats = c->n_held;
    ev->seats = b->seat_ptrs;
}

int tell_requester(struct node *n, const struct ccase *c, const char *actor, const char *reason,
                   const uint8_t *box_key, const ProtobufCBinaryData *sealed)
{
    struct event_buf b;
    event_init(&b, c, actor, reason, c->about);
    if (box_key) {
        b.ev.box_key.data = (uint8_t *)box_key;
        b.ev.box_key.len = KEY_LEN;
    }
    if (sealed)
        b.ev.sealed = *sealed;
    return journal_append(n, c->requester, &b.ev);
}

/* The mediator's node learns the municipality parties only: people and
 * units stay pseudonyms at the coordinator, and their names come only
 * sealed by the requester to the mediator (names), never read here. */
static int mediator_event(struct node *n, const struct ccase *c, const char *mediator_id,
                          const char *offer_state, const char *actor, const char *reason,
                          const ProtobufCBinaryData *sealed, const ProtobufCBinaryData *names)
{
    struct event_buf b;
    event_init(&b, c, actor, reason, mediator_id);
    Mpool__V1__CaseEvent ev = b.ev;
    /* Each mediator hears of their own seat only, and of their own hours. */
    ev.n_seats = 0;
    ev.seats = NULL;
    const struct cseat *own = seat_find(c, mediator_id);
    if (own && c->state == S(CLOSED))
        ev.minutes = own->minutes;
    ev.offer_state = (char *)offer_state;
    if (sealed)
        ev.sealed = *sealed;
    if (names)
        ev.sealed_names = *names;
    char *parties[16];
    char storage[16][ID_MAX + 2];
    sqlite3_stmt *st = store_prepare(n->db, "SELECT ref FROM c_case_parties WHERE case_id = ?1 "
                                            "AND ref LIKE 'm:%' ORDER BY ref LIMIT 16");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    while (ev.n_parties < 16 && sqlite3_step(st) == SQLITE_ROW) {
        copy_col(storage[ev.n_parties], sizeof storage[0], st, 0);
        parties[ev.n_parties] = storage[ev.n_parties];
        ev.n_parties++;
    }
    store_release(st);
    ev.parties = parties;
    char dest[ID_MAX];
    node_of(mediator_id, dest, sizeof dest);
    return journal_append(n, dest, &ev);
}

int tell_mediator(struct node *n, const struct ccase *c, const char *mediator_id,
                  const char *offer_state, const char *actor, const char *reason,
                  const ProtobufCBinaryData *sealed)
{
    return mediator_event(n, c, mediator_id, offer_state, actor, reason, sealed, NULL);
}

int tell_names(struct node *n, const struct ccase *c, const char *mediator_id, const char *actor,
               const ProtobufCBinaryData *names)
{
    if (!seat_find(c, mediator_id))
        fatal("case %s: names for %s, who holds no seat", c->id, mediator_id);
    /* No offer state: the names change none, and a node of the previous
     * release, which knows no names, would take a state for a new offer. */
    return mediator_event(n, c, mediator_id, "", actor, "the parties' names, sealed to you", NULL,
                          names);
}

/* ---- shortlist ------------------------------------------------------- */

int store_shortlist(struct node *n, const struct ccase *c, const struct candidates *cands,
                    const struct match_ranked *ranked, size_t count)
{
    sqlite3_stmt *del = store_prepare(n->db, "DELETE FROM c_shortlist WHERE case_id = ?1");
    if (!del)
        return -1;
    sqlite3_bind_text(del, 1, c->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
    store_release(del);
    sqlite3_stmt *ins = store_prepare(n->db, "INSERT INTO c_shortlist(case_id, rank, "
                                             "mediator_id, municipality, cost, why) "
                                             "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!ins)
        return -1;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const struct match_mediator *m = &cands->list[ranked[i].mediator];
        char why[512];
        match_explain(&ranked[i].cost, why, sizeof why);
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, c->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 2, (int)i + 1);
        sqlite3_bind_text(ins, 3, m->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, m->municipality, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 5, ranked[i].cost.total);
        sqlite3_bind_text(ins, 6, why, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
    }
    store_release(ins);
    return rc;
}

/* A mediator's public face, as their profile gave it: the parties choose
 * people, not ids. */
struct face {
    char name[4 * DISPLAY_NAME_MAX + 1];
    char about[4 * ABOUT_MAX + 1];
};

static int face_load(struct node *n, const char *mediator_id, struct face *f)
{
    f->name[0] = f->about[0] = '\0';
    sqlite3_stmt *st = store_prepare(n->db, "SELECT display_name, about FROM c_mediators"
                                            " WHERE mediator_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, mediator_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        copy_col(f->name, sizeof f->name, st, 0);
        copy_col(f->about, sizeof f->about, st, 1);
    }
    store_release(st);
    return 0;
}

/* Every mediator a shortlist to the requester names stays one the parties
 * may choose or veto for this case (while eligible): a re-rank never
 * takes a name away. */
static int remember_shown(struct node *n, const char *case_id,
                          const Mpool__V1__ShortlistEntry *entries, size_t count)
{
    sqlite3_stmt *st = store_prepare(n->db, "INSERT OR IGNORE INTO c_shown(case_id, mediator_id,"
                                            " first_ms) VALUES(?1, ?2, ?3)");
    int rc = st ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, entries[i].mediator_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    return rc;
}

int tell_shortlist(struct node *n, const struct ccase *c, const struct candidates *cands,
                   const struct match_ranked *ranked, size_t count,
                   const unsigned hist[MATCH_REASON_COUNT], const char *actor, const char *reason,
                   const ProtobufCBinaryData *note)
{
    struct event_buf b;
    event_init(&b, c, actor, reason, c->about);
    Mpool__V1__CaseEvent ev = b.ev;
    Mpool__V1__ShortlistEntry entries[20], *entry_ptrs[20];
    char whys[20][512];
    struct face faces[20];
    int rc = 0;
    for (size_t i = 0; i < count && i < 20; i++) {
        const struct match_mediator *m = &cands->list[ranked[i].mediator];
        mpool__v1__shortlist_entry__init(&entries[i]);
        entries[i].mediator_id = (char *)m->id;
        entries[i].municipality = (char *)m->municipality;
        entries[i].cost = ranked[i].cost.total;
        match_explain(&ranked[i].cost, whys[i], sizeof whys[i]);
        entries[i].why = whys[i];
        if (face_load(n, m->id, &faces[i]) < 0)
            rc = -1;
        entries[i].display_name = faces[i].name;
        entries[i].about = faces[i].about;
        entry_ptrs[i] = &entries[i];
    }
    if (rc < 0)
        return -1;
    ev.n_shortlist = count < 20 ? count : 20;
    ev.shortlist = entry_ptrs;
    if (remember_shown(n, c->id, entries, ev.n_shortlist) < 0)
        return -1;
    /* The requester learns the rules that concern this case only; the
     * others are one count (match_reason_hidden). */
    unsigned shown[MATCH_REASON_COUNT];
    unsigned hidden = match_histogram_fold(hist, shown);
    Mpool__V1__Exclusion excl[MATCH_REASON_COUNT + 1], *excl_ptrs[MATCH_REASON_COUNT + 1];
    for (int r = 0; r <= MATCH_REASON_COUNT; r++) {
        bool bucket = r == MATCH_REASON_COUNT;
        unsigned n_excl = bucket ? hidden : shown[r];
        if (!n_excl && r != MATCH_ELIGIBLE)
            continue;
        mpool__v1__exclusion__init(&excl[ev.n_excluded]);
        excl[ev.n_excluded].reason =
            (char *)(bucket ? MATCH_NOT_AVAILABLE_CODE : match_reason_code((enum match_reason)r));
        excl[ev.n_excluded].count = n_excl;
        excl_ptrs[ev.n_excluded] = &excl[ev.n_excluded];
        ev.n_excluded++;
    }
    ev.excluded = excl_ptrs;
    if (note)
        ev.sealed = *note;
    return journal_append(n, c->requester, &ev);
}

/* What a shortlist round decided, for its record. */
static json_t *shortlist_result(const struct candidates *cands, const struct match_ranked *ranked,
                                size_t count, const unsigned hist[MATCH_REASON_COUNT])
{
    json_t *list = json_array(), *excluded = json_object();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list,
                              json_pack("{sssI}", "mediator", cands->list[ranked[i].mediator].id,
                                        "cost", (json_int_t)ranked[i].cost.total));
    for (int r = 0; r < MATCH_REASON_COUNT; r++)
        if (hist[r])
            json_object_set_new(excluded, match_reason_code((enum match_reason)r),
                                json_integer(hist[r]));
    return json_pack("{soso}", "shortlist", list, "considered", excluded);
}

size_t shortlist_cap(const struct node *n, const struct match_case *mc)
{
    size_t cap = (size_t)n->cfg.shortlist_size * (size_t)(mc->seats > 1 ? mc->seats : 1);
    return cap < 20 ? cap : 20;
}

/* Ranks the pool for the case again and moves it to shortlisted, or to
 * escalated when nobody is eligible. */
int reshortlist(struct node *n, struct ccase *c, const char *actor, const char *reason)
{
    return reshortlist_noted(n, c, actor, reason, NULL);
}

/* A case ranked: the list, and what kept the others out. */
struct ranking {
    struct match_ranked ranked[20];
    size_t count;
    unsigned hist[MATCH_REASON_COUNT];
    struct match_case mc;
    struct candidates strings; /* the case's own strings */
};

static int rank_case(struct node *n, const struct ccase *c, const struct candidates *cands,
                     struct ranking *r)
{
    memset(&r->strings, 0, sizeof r->strings);
    if (candidates_case(n, c->id, &r->strings, &r->mc) < 0)
        return -1;
    r->count = match_shortlist(&r->mc, cands->list, cands->count, &n->cfg.weights, r->ranked,
                               shortlist_cap(n, &r->mc), r->hist);
    return 0;
}

/* Stores the ranking, moves the case to shortlisted (or escalated when
 * nobody is eligible) and tells the requester. */
static int write_ranking(struct node *n, struct ccase *c, const struct candidates *cands,
                         struct ranking *r, const char *actor, const char *reason,
                         const ProtobufCBinaryData *note)
{
    char why[600];
    if (r->count == 0) {
        char hist_text[400];
        match_histogram_public_text(r->hist, cands->count, hist_text, sizeof hist_text);
        reasonf(why, sizeof why, "%s%snobody eligible (%s)", reason ? reason : "",
                reason && *reason ? "; " : "", hist_text);
    } else {
        reasonf(why, sizeof why, "%s", reason ? reason : "");
    }
    int rc = store_shortlist(n, c, cands, r->ranked, r->count);
    /* What keeps mediators out, counted once per case: at its posting. */
    for (int k = 1; rc == 0 && c->state == S(POSTED) && k < MATCH_REASON_COUNT; k++)
        if (r->hist[k])
            rc = tally_n(n, c->requester, NULL, "excluded", match_reason_code((enum match_reason)k),
                         r->hist[k]);
    if (rc == 0 && round_record(n, "shortlist", c->id, &r->mc, 1, cands->list, cands->count,
                                r->count ? r->ranked[0].cost.total : 0,
                                shortlist_result(cands, r->ranked, r->count, r->hist)) < 0)
        rc = -1;
    if (rc == 0)
        rc = transition(n, c, r->count ? S(SHORTLISTED) : S(ESCALATED), actor, why);
    if (rc == 0)
        rc = tell_shortlist(n, c, cands, r->ranked, r->count, r->hist, actor, why, note);
    return rc;
}

int reshortlist_noted(struct node *n, struct ccase *c, const char *actor, const char *reason,
                      const ProtobufCBinaryData *note)
{
    struct candidates cands;
    struct ranking r;
    /* The list is for the open seat: it names no mediator. */
    c->about[0] = '\0';
    if (case_save(n, c) < 0 || candidates_load(n, now_ms(), &cands) < 0)
        return -1;
    int rc = rank_case(n, c, &cands, &r);
    if (rc == 0)
        rc = write_ranking(n, c, &cands, &r, actor, reason, note);
    candidates_free(&cands);
    candidates_free(&r.strings);
    return rc;
}

/* Whether the stored shortlist names the ranking's mediators in its order. */
static int same_order(struct node *n, const struct ccase *c, const struct candidates *cands,
                      const struct ranking *r)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT mediator_id FROM c_shortlist WHERE"
                                            " case_id = ?1 ORDER BY rank");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    size_t i = 0;
    bool same = true;
    int step;
    while (same && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        same = i < r->count && strcmp(id, cands->list[r->ranked[i].mediator].id) == 0;
        i++;
    }
    store_release(st);
    return same && i == r->count ? 1 : 0;
}

int reshortlist_if_changed(struct node *n, struct ccase *c, const struct candidates *cands,
                           const char *actor, const char *reason)
{
    struct ranking r;
    int rc = rank_case(n, c, cands, &r);
    int same = rc == 0 ? same_order(n, c, cands, &r) : -1;
    if (same == 0) {
        c->about[0] = '\0';
        rc = write_ranking(n, c, cands, &r, actor, reason, NULL);
    }
    candidates_free(&r.strings);
    return rc < 0 || same < 0 ? -1 : same == 0;
}

/* ---- checks shared by the actions ------------------------------------ */

bool shown_for_case(struct node *n, const char *case_id, const char *mediator_id)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT 1 FROM c_shown WHERE case_id = ?1 AND "
                                            "mediator_id = ?2");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mediator_id, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    store_release(st);
    return found;
}

/* The rule that excludes the mediator now, or MATCH_ELIGIBLE; -1 on failure
 * or when the mediator is unknown (*known false). */
/* The seated municipalities without the one of the mediator who leaves. */
static void without_leaving(struct match_case *mc, const char *leaving, const char **keep)
{
    char node[ID_MAX];
    node_of(leaving, node, sizeof node);
    size_t kept = 0;
    for (size_t i = 0; i < mc->excluded_municipalities.n && kept < 2; i++)
        if (strcmp(mc->excluded_municipalities.v[i], node) != 0)
            keep[kept++] = mc->excluded_municipalities.v[i];
    mc->excluded_municipalities.v = keep;
    mc->excluded_municipalities.n = kept;
}

int check_now(struct node *n, const char *case_id, const char *mediator_id, const char *leaving,
              bool *known)
{
    struct candidates cands, strings;
    struct match_case mc;
    const char *keep[2];
    *known = false;
    if (candidates_load(n, now_ms(), &cands) < 0)
        return -1;
    memset(&strings, 0, sizeof strings);
    int result = -1;
    if (candidates_case(n, case_id, &strings, &mc) == 0) {
        if (leaving && *leaving)
            without_leaving(&mc, leaving, keep);
        const struct match_mediator *m = candidates_find(&cands, mediator_id);
        *known = m != NULL;
        if (m)
            result = (int)match_check(&mc, m);
    }
    candidates_free(&cands);
    candidates_free(&strings);
    return result;
}

int box_key_of(struct node *n, const char *mediator_id, uint8_t key[KEY_LEN])
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT box_key FROM c_mediators WHERE "
                                            "mediator_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, mediator_id, -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == KEY_LEN) {
        memcpy(key, sqlite3_column_blob(st, 0), KEY_LEN);
        rc = 0;
    }
    store_release(st);
    return rc;
}

/* Tells the sender that its request was not applied, and why. */
int refuse(struct node *n, const struct ccase *c, const char *sender,
           const Mpool__V1__CaseAction *a, const char *why)
{
    char reason[300];
    reasonf(reason, sizeof reason, "refused: %s", why);
    const struct journey_step *step = a ? journey_step_of_wire(a->action) : NULL;
    log_warn("case %s: %s from %s refused: %s", c->id,
             step ? step->name
             : a  ? "action"
                  : "post",
             sender, why);
    /* Only a well-formed mediator id goes back: it becomes part of the
     * refusal's journal subject. */
    const char *mediator_id = a && mediator_id_valid(a->mediator_id) ? a->mediator_id : "";
    Mpool__V1__CaseEvent ev;
    if (strcmp(sender, c->requester) == 0) {
        /* The case as it stands, with the refusal as its reason. */
        struct event_buf b;
        event_init(&b, c, "coordinator", reason, "");
        b.ev.refusal = (char *)why;
        return journal_append_refusal(n, c->requester, &b.ev);
    }
    /* Another node learns no more about the case than that it was refused. */
    mpool__v1__case_event__init(&ev);
    ev.case_id = (char *)c->id;
    ev.mediator_id = (char *)mediator_id;
    ev.offer_state = "refused";
    ev.actor = "coordinator";
    ev.reason = reason;
    ev.at_ms = now_ms();
    return journal_append_refusal(n, sender, &ev);
}

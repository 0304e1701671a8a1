/* actions: what the coordinator does with each member message, plus
 * expiry and the coordinator's override. The journey table decides whether
 * a step may be taken (journey_apply_action); each do_ function then
 * records the transition and tells the nodes concerned. */
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <string.h>

#include "coord/actions.h"
#include "coord/cases.h"
#include "journey/journey.h"
#include "coord/journal.h"
#include "coord/edit.h"
#include "coord/refs.h"
#include "coord/rerank.h"
#include "coord/tally.h"
#include "base/deadline.h"
#include "base/log.h"
#include "match/match.h"
#include "wire/names.h"
#include "wire/pseudonym.h"
#include "wire/seal.h"
#include "store/store.h"
#include "base/text.h"

#define ACT(x) MPOOL__V1__ACTION__ACTION_##x

/* ---- a new case -------------------------------------------------------- */

static const char *post_problem(struct node *n, const char *sender, const Mpool__V1__CasePost *p,
                                char *why, size_t len)
{
    const char *problem = journey_post_problem(p);
    if (problem)
        return problem;
    if (!vocabulary_check(&n->cfg.vocabulary, 'd', p->domain, why, len) ||
        !vocabulary_check(&n->cfg.vocabulary, 'l', p->language, why, len))
        return why;
    char node[ID_MAX];
    const char *dash = strrchr(p->case_id, '-');
    snprintf(node, sizeof node, "%.*s", (int)(dash - p->case_id), p->case_id);
    if (strcmp(node, sender) != 0 || strcmp(p->requester, sender) != 0)
        return journey_step(JOURNEY_POST)->refusal;
    return NULL;
}

static int insert_case(struct node *n, const Mpool__V1__CasePost *p)
{
    sqlite3_stmt *st =
        store_prepare(n->db, "INSERT INTO c_cases(case_id, requester, domain, language, urgency, "
                             "requires_certified, seats, lat, lon, state, created_ms, updated_ms,"
                             " deadline_kind, decide_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                             " ?9, 1, ?10, ?10, NULLIF(?11, ''), ?12)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, p->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->requester, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->domain, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->language, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, p->urgency);
    sqlite3_bind_int(st, 6, p->requires_certified);
    sqlite3_bind_int(st, 7, (int)p->seats);
    sqlite3_bind_double(st, 8, p->lat);
    sqlite3_bind_double(st, 9, p->lon);
    sqlite3_bind_int64(st, 10, now_ms());
    sqlite3_bind_text(st, 11, p->deadline_kind, -1, SQLITE_STATIC);
    int32_t decide_by = deadline_parse(p->decide_by);
    if (decide_by >= 0)
        sqlite3_bind_int(st, 12, decide_by);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc == 0 ? case_parties_store(n, p, false, NULL) : -1;
}

/* Tells the requesting node that its case will not be matched, so its
 * copy does not wait for a shortlist that never comes. */
static int refuse_post(struct node *n, const char *sender, const Mpool__V1__CasePost *p,
                       const char *problem)
{
    const char *dash = case_id_valid(p->case_id) ? strrchr(p->case_id, '-') : NULL;
    if (!dash || (size_t)(dash - p->case_id) != strlen(sender) ||
        strncmp(p->case_id, sender, strlen(sender)) != 0)
        return 0; /* not a case of the sender's: nobody to tell */
    struct ccase c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "%s", p->case_id);
    snprintf(c.requester, sizeof c.requester, "%s", sender);
    c.state = S(WITHDRAWN);
    char reason[200];
    reasonf(reason, sizeof reason, "refused by the coordinator: %s", problem);
    return tell_requester(n, &c, "coordinator", reason, NULL, NULL);
}

static int handle_post(struct node *n, const char *sender, const Mpool__V1__Envelope *env)
{
    Mpool__V1__CasePost *p = mpool__v1__case_post__unpack(NULL, env->body.len, env->body.data);
    if (!p) {
        log_warn("rejected case post from %s: malformed body", sender);
        return 0;
    }
    int rc = 0;
    struct ccase c;
    char why[512];
    const char *problem = post_problem(n, sender, p, why, sizeof why);
    if (problem) {
        log_warn("rejected case post from %s: %s", sender, problem);
        rc = refuse_post(n, sender, p, problem);
    } else if ((rc = case_load(n, p->case_id, &c)) != 0) {
        if (rc > 0)
            log_warn("rejected case post from %s: %s exists already", sender, p->case_id);
        rc = rc > 0 ? 0 : -1;
    } else if ((rc = insert_case(n, p)) == 0 &&
               (rc = tally(n, p->requester, NULL, "posted", NULL)) == 0 &&
               (rc = case_load(n, p->case_id, &c)) == 1) {
        c.state = S(POSTED);
        rc = reshortlist(n, &c, "coordinator", "matched on posting");
    } else {
        rc = -1;
    }
    mpool__v1__case_post__free_unpacked(p, NULL);
    return rc;
}

/* ---- mediator profiles ----------------------------------------------- */

static char *strings_json(char **v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(v[i]));
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

static char *windows_json(Mpool__V1__Window **w, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{sIsI}", "from_ms", (json_int_t)w[i]->from_ms,
                                             "to_ms", (json_int_t)w[i]->to_ms));
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

/* A low-order point would make every seal to it fail, and with it the
 * requesting node's delivery of the narrative. */
static bool sealing_key_usable(const uint8_t key[KEY_LEN])
{
    uint8_t sk[KEY_LEN], shared[KEY_LEN];
    randombytes_buf(sk, sizeof sk);
    bool ok = crypto_scalarmult(shared, sk, key) == 0;
    sodium_memzero(sk, sizeof sk);
    return ok;
}

static const char *profile_problem(const char *sender, const Mpool__V1__MediatorProfile *p)
{
    char node[ID_MAX];
    if (!mediator_id_valid(p->mediator_id))
        return "malformed mediator id";
    node_of(p->mediator_id, node, sizeof node);
    if (strcmp(node, sender) != 0)
        return "a node may describe only its own mediators";
    if (p->box_key.len != KEY_LEN || !sealing_key_usable(p->box_key.data))
        return "the sealing key is not a usable X25519 public key";
    if (!isfinite(p->lat) || !isfinite(p->lon) || p->lat < -90 || p->lat > 90 || p->lon < -180 ||
        p->lon > 180)
        return "location out of range";
    if (p->capacity > 50 || p->n_languages == 0 || p->n_languages > 16 || p->n_specialties > 32 ||
        p->n_relationships > PROFILE_REFS_MAX || p->n_windows > 64 || p->n_away > 64)
        return "capacity, languages, specialties, relationships, windows or away periods out of "
               "range";
    for (size_t i = 0; i < p->n_relationships; i++)
        if (!party_ref_valid(p->relationships[i]))
            return "a relationship is not a party reference";
    for (size_t i = 0; i < p->n_languages; i++)
        if (!*p->languages[i] || !text_ok(p->languages[i], LANGUAGE_MAX))
            return "a language is empty, too long or not text";
    for (size_t i = 0; i < p->n_specialties; i++)
        if (!*p->specialties[i] || !text_ok(p->specialties[i], SPECIALTY_MAX))
            return "a specialty is empty, too long or not text";
    if (!text_ok(p->mfn_number, MFN_NUMBER_MAX))
        return "the MfN number is too long or not text";
    if (!text_chars_ok(p->display_name, DISPLAY_NAME_MAX, false) ||
        !text_chars_ok(p->about, ABOUT_MAX, true))
        return "the display name or the text about the mediator is too long or not text";
    return NULL;
}

static int store_profile(struct node *n, const char *sender, const Mpool__V1__MediatorProfile *p)
{
    char *langs = strings_json(p->languages, p->n_languages);
    char *specs = strings_json(p->specialties, p->n_specialties);
    char *wins = windows_json(p->windows, p->n_windows);
    char *away = windows_json(p->away, p->n_away);
    sqlite3_stmt *st = store_prepare(
        n->db, "INSERT INTO c_mediators(mediator_id, node, specialties, languages, mfn_number,"
               " mfn_expiry_ms, capacity, lat, lon, box_key, windows, active, updated_ms, away,"
               " display_name, about) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
               "ON CONFLICT(mediator_id) DO UPDATE SET specialties = excluded.specialties,"
               " languages = excluded.languages, mfn_number = excluded.mfn_number,"
               " mfn_expiry_ms = excluded.mfn_expiry_ms, capacity = excluded.capacity,"
               " lat = excluded.lat, lon = excluded.lon, box_key = excluded.box_key,"
               " windows = excluded.windows, active = excluded.active,"
               " updated_ms = excluded.updated_ms, away = excluded.away,"
               " display_name = excluded.display_name, about = excluded.about");
    int rc = -1;
    if (st && langs && specs && wins && away) {
        sqlite3_bind_text(st, 1, p->mediator_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, sender, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, specs, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, langs, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, p->mfn_number, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, p->mfn_expiry_ms);
        sqlite3_bind_int(st, 7, (int)p->capacity);
        sqlite3_bind_double(st, 8, p->lat);
        sqlite3_bind_double(st, 9, p->lon);
        sqlite3_bind_blob(st, 10, p->box_key.data, KEY_LEN, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, wins, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 12, p->active);
        sqlite3_bind_int64(st, 13, now_ms());
        sqlite3_bind_text(st, 14, away, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 15, p->display_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 16, p->about, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(langs);
    free(specs);
    free(wins);
    free(away);
    return rc;
}

static int store_relationships(struct node *n, const Mpool__V1__MediatorProfile *p)
{
    sqlite3_stmt *del = store_prepare(n->db, "DELETE FROM c_relationships WHERE mediator_id = ?1");
    sqlite3_stmt *ins = store_prepare(n->db, "INSERT OR IGNORE INTO c_relationships(mediator_id,"
                                             " ref) VALUES(?1, ?2)");
    int rc = del && ins ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(del, 1, p->mediator_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
    }
    for (size_t i = 0; rc == 0 && i < p->n_relationships; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, p->mediator_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, p->relationships[i], -1, SQLITE_STATIC);
        rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
    }
    store_release(del);
    store_release(ins);
    return rc;
}

/* An inactive profile retires the mediator: no new shortlist or offer;
 * what they already hold runs its course. */
static int retire_mediator(struct node *n, const char *sender, const char *mediator_id)
{
    char node[ID_MAX] = "";
    if (mediator_id_valid(mediator_id))
        node_of(mediator_id, node, sizeof node);
    if (strcmp(node, sender) != 0) {
        log_warn("rejected retirement from %s: not one of its mediators", sender);
        return 0;
    }
    sqlite3_stmt *st = store_prepare(n->db, "UPDATE c_mediators SET active = 0, updated_ms = ?2"
                                            " WHERE mediator_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, mediator_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    if (rc == 0)
        log_info("mediator %s: retired by %s", mediator_id, sender);
    return rc == 0 ? rerank_listing(n, mediator_id, NULL) : rc;
}

static int handle_profile(struct node *n, const char *sender, const Mpool__V1__Envelope *env)
{
    Mpool__V1__MediatorProfile *p =
        mpool__v1__mediator_profile__unpack(NULL, env->body.len, env->body.data);
    if (!p) {
        log_warn("rejected mediator profile from %s: malformed body", sender);
        return 0;
    }
    if (!p->active) {
        int rc = retire_mediator(n, sender, p->mediator_id);
        mpool__v1__mediator_profile__free_unpacked(p, NULL);
        return rc;
    }
    int rc = 0;
    const char *problem = profile_problem(sender, p);
    if (problem)
        log_warn("rejected mediator profile from %s: %s", sender, problem);
    else if ((rc = store_profile(n, sender, p)) == 0 && (rc = store_relationships(n, p)) == 0)
        rc = rerank_listing(n, p->mediator_id, NULL);
    if (rc == 0 && !problem)
        log_info("mediator %s: profile updated", p->mediator_id);
    mpool__v1__mediator_profile__free_unpacked(p, NULL);
    return rc;
}

/* ---- actions by the requesting municipality -------------------------- */

/* The case takes the state its seats put it in; the requester hears of it. */
static int settle(struct node *n, struct ccase *c, const char *actor, const char *reason,
                  const uint8_t *box_key, const ProtobufCBinaryData *note)
{
    if (transition(n, c, seats_state(c, c->state), actor, reason) < 0)
        return -1;
    return tell_requester(n, c, actor, reason, box_key, note);
}

/* Whole days in a span; a clock that stepped back counts 0. */
static int64_t whole_days(int64_t ms)
{
    return ms > 0 ? ms / 86400000 : 0;
}

/* "yes" when the parties took a mediator the ranking put first (for a
 * case of two seats: among the first two), for the yearly report. */
static const char *first_choice(struct node *n, const struct ccase *c, const char *mediator_id)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT rank FROM c_shortlist WHERE case_id = ?1"
                                            " AND mediator_id = ?2");
    int rank = 0;
    if (st) {
        sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, mediator_id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            rank = sqlite3_column_int(st, 0);
        store_release(st);
    }
    return rank >= 1 && rank <= c->seats ? "yes" : "no";
}

static int do_choose(struct node *n, struct ccase *c, const char *actor,
                     const Mpool__V1__CaseAction *a)
{
    bool known;
    int why = check_now(n, c->id, a->mediator_id, NULL, &known);
    if (why < 0 && known)
        return -1;
    if (why != MATCH_ELIGIBLE) {
        /* The one refusal a node cannot foresee: the mediator became
         * ineligible after the parties saw them. It says why in words;
         * the rules a shortlist counts together stay together here too,
         * as which of them it was can be a fact of another case. */
        const char *rule = !known ? "not in the pool"
                           : match_reason_hidden((enum match_reason)why)
                               ? MATCH_NOT_AVAILABLE_TEXT
                               : match_reason_text((enum match_reason)why);
        char reason[300];
        reasonf(reason, sizeof reason,
                "the parties' choice of %s is refused: %s is no longer eligible (%s)",
                a->mediator_id, a->mediator_id, rule);
        log_info("case %s: choice of %s refused: no longer eligible (%s)", c->id, a->mediator_id,
                 known ? match_reason_code((enum match_reason)why) : "unknown");
        n->applying.case_id = c->id;
        n->applying.refusal = reason;
        int rc = reshortlist(n, c, "coordinator", reason);
        n->applying.refusal = NULL;
        return rc;
    }
    if (tally(n, c->requester, NULL, "first_choice", first_choice(n, c, a->mediator_id)) < 0)
        return -1;
    snprintf(c->about, sizeof c->about, "%s", a->mediator_id);
    seat_take(n, c, a->mediator_id);
    bool open = c->n_held < (size_t)c->seats;
    /* The parties' choice is made when every seat has its mediator. */
    if (!open && (transition(n, c, S(CHOSEN), actor, "the parties' choice") < 0 ||
                  tell_requester(n, c, actor, "the parties' choice", NULL, NULL) < 0))
        return -1;
    /* The offer's event carries the mediator's key: the requesting node
     * seals the parties' names to it, for their declaration. */
    uint8_t key[KEY_LEN];
    if (box_key_of(n, a->mediator_id, key) < 0 ||
        settle(n, c, "coordinator",
               open ? "offered to a chosen mediator; a seat is still open"
                    : "offered to the chosen mediator",
               key, NULL) < 0 ||
        tell_mediator(n, c, a->mediator_id, "offered", actor, "", NULL) < 0)
        return -1;
    return rerank_listing(n, a->mediator_id, c->id);
}

static int do_veto(struct node *n, struct ccase *c, const char *actor,
                   const Mpool__V1__CaseAction *a)
{
    char reason[300];
    reasonf(reason, sizeof reason, "%s vetoed by a party (%s)", a->mediator_id, a->reason_code);
    if (tally(n, c->requester, a->mediator_id, "vetoed", a->reason_code) < 0)
        return -1;
    if (seat_of(c, a->mediator_id))
        return seat_end(n, c, a->mediator_id, "vetoed", "vetoed", actor, "vetoed by a party") < 0
                   ? -1
                   : reshortlist(n, c, actor, reason);
    if (mark(n, c->id, a->mediator_id, "vetoed") < 0)
        return -1;
    /* A veto of someone else on the list leaves a running offer alone. */
    if (c->state != S(SHORTLISTED))
        return tell_requester(n, c, actor, reason, NULL, NULL);
    return reshortlist(n, c, actor, reason);
}

static int accept_now(struct node *n, struct ccase *c, const char *mediator_id, const char *actor,
                      const char *reason)
{
    uint8_t key[KEY_LEN];
    struct cseat *s = seat_of(c, mediator_id);
    if (!s || box_key_of(n, mediator_id, key) < 0)
        return -1;
    s->state = S(ACCEPTED);
    s->offer_expires_ms = 0;
    snprintf(c->about, sizeof c->about, "%s", mediator_id);
    char days[16];
    snprintf(days, sizeof days, "%lld", (long long)whole_days(now_ms() - c->created_ms));
    if (tally(n, c->requester, mediator_id, "assigned", NULL) < 0 ||
        tally(n, c->requester, mediator_id, "days_to_accept", days) < 0)
        return -1;
    if (settle(n, c, actor, reason, key, NULL) < 0)
        return -1;
    return tell_mediator(n, c, mediator_id, "accepted", actor, reason, NULL);
}

static int do_consent(struct node *n, struct ccase *c, const char *actor, bool consent,
                      const Mpool__V1__CaseAction *a)
{
    if (consent) {
        if (mark(n, c->id, a->mediator_id, "waived") < 0)
            return -1;
        return accept_now(n, c, a->mediator_id, actor, "the parties consented to the disclosure");
    }
    char reason[200];
    reasonf(reason, sizeof reason, "the parties did not consent to the disclosure (%s)",
            a->reason_code);
    if (tally(n, c->requester, a->mediator_id, "refused_consent", a->reason_code) < 0)
        return -1;
    if (seat_end(n, c, a->mediator_id, "declined", "refused_consent", actor,
                 "the parties did not consent") < 0)
        return -1;
    return reshortlist(n, c, actor, reason);
}

/* An offer not yet taken on goes; a seat a mediator took on stays, as
 * withdrawn: they were involved with the case's people. */
static int do_withdraw(struct node *n, struct ccase *c, const char *actor,
                       const Mpool__V1__CaseAction *a)
{
    char left[2][sizeof c->seat[0].mediator_id];
    size_t n_left = c->n_held;
    for (size_t i = 0; i < n_left; i++)
        snprintf(left[i], sizeof left[i], "%s", c->seat[i].mediator_id);
    for (size_t i = 0; i < n_left; i++) {
        struct cseat *s = seat_of(c, left[i]);
        if (tell_mediator(n, c, left[i], "withdrawn", actor, "the case was withdrawn", NULL) < 0)
            return -1;
        if (s->state == S(OFFERED)) {
            seat_drop(c, left[i]);
        } else {
            s->state = S(WITHDRAWN);
            s->offer_expires_ms = 0;
        }
    }
    char reason[100];
    reasonf(reason, sizeof reason, "withdrawn (%s)", a->reason_code);
    c->about[0] = '\0';
    if (tally(n, c->requester, NULL, "withdrawn", a->reason_code) < 0)
        return -1;
    if (transition(n, c, S(WITHDRAWN), actor, reason) < 0 ||
        tell_requester(n, c, actor, reason, NULL, NULL) < 0)
        return -1;
    for (size_t i = 0; i < n_left; i++)
        if (rerank_listing(n, left[i], c->id) < 0)
            return -1;
    return 0;
}

/* The minutes mediator_id gave, as the close says. */
static unsigned close_minutes(const Mpool__V1__CaseAction *a, const char *mediator_id)
{
    for (size_t i = 0; i < a->n_hours; i++)
        if (strcmp(a->hours[i]->mediator_id, mediator_id) == 0)
            return a->hours[i]->minutes;
    return a->minutes;
}

static void hours_reason(char *out, size_t len, int outcome, unsigned minutes)
{
    reasonf(out, len, "outcome %s, %u.%u h", outcome_name(outcome), minutes / 60,
            minutes % 60 * 10 / 60);
}

/* The outcome, the days since the case was taken on, and whether its
 * legal decision date was kept. */
static int tally_close(struct node *n, const struct ccase *c)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT MIN(at_ms) FROM c_transitions WHERE"
                                            " case_id = ?1 AND to_state IN (5, 7)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    int64_t taken = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
                        ? sqlite3_column_int64(st, 0)
                        : now_ms();
    store_release(st);
    char days[16], kept[40];
    snprintf(days, sizeof days, "%lld", (long long)whole_days(now_ms() - taken));
    snprintf(kept, sizeof kept, "%s:%s", c->deadline_kind,
             deadline_today(now_ms()) <= c->decide_by ? "met" : "missed");
    if (tally(n, c->requester, NULL, "closed", outcome_name(c->outcome)) < 0 ||
        tally(n, c->requester, NULL, "days_to_close", days) < 0)
        return -1;
    return c->decide_by >= 0 && *c->deadline_kind ? tally(n, c->requester, NULL, "deadline", kept)
                                                  : 0;
}

static int do_close(struct node *n, struct ccase *c, const char *actor,
                    const Mpool__V1__CaseAction *a)
{
    c->outcome = a->outcome;
    c->minutes = 0;
    for (size_t i = 0; i < c->n_held; i++) {
        struct cseat *s = &c->seat[i];
        s->minutes = close_minutes(a, s->mediator_id);
        s->state = S(CLOSED);
        c->minutes += s->minutes;
        if (give_hours(n, c, s->mediator_id, s->minutes) < 0 ||
            tally(n, c->requester, s->mediator_id, "mediated", s->mediator_id) < 0)
            return -1;
    }
    if (tally_close(n, c) < 0)
        return -1;
    char reason[120];
    hours_reason(reason, sizeof reason, a->outcome, c->minutes);
    c->about[0] = '\0';
    if (transition(n, c, S(CLOSED), actor, reason) < 0 ||
        tell_requester(n, c, actor, reason, NULL, NULL) < 0)
        return -1;
    for (size_t i = 0; i < c->n_held; i++) {
        hours_reason(reason, sizeof reason, a->outcome, c->seat[i].minutes);
        if (tell_mediator(n, c, c->seat[i].mediator_id, "closed", actor, reason, NULL) < 0 ||
            rerank_listing(n, c->seat[i].mediator_id, c->id) < 0)
            return -1;
    }
    return 0;
}

static int do_deliver(struct node *n, struct ccase *c, const char *actor,
                      const Mpool__V1__CaseAction *a)
{
    seat_of(c, a->mediator_id)->state = S(IN_MEDIATION);
    snprintf(c->about, sizeof c->about, "%s", a->mediator_id);
    if (settle(n, c, actor, "narrative delivered to the mediator", NULL, NULL) < 0)
        return -1;
    return tell_mediator(n, c, a->mediator_id, "in_mediation", actor, "narrative delivered",
                         &a->sealed);
}

/* The names are the requester's to send and the mediator's to read: the
 * coordinator relays them as they came, and keeps nothing of them but the
 * journal's sealed copy. */
static int do_send_names(struct node *n, struct ccase *c, const char *actor,
                         const Mpool__V1__CaseAction *a)
{
    log_info("case %s: the parties' names go sealed to %s", c->id, a->mediator_id);
    return tell_names(n, c, a->mediator_id, actor, &a->sealed);
}

/* ---- actions by the mediator's municipality -------------------------- */

static int do_accept(struct node *n, struct ccase *c, const char *actor,
                     const Mpool__V1__CaseAction *a)
{
    if (a->declaration == MPOOL__V1__DECLARATION__DECLARATION_NO_CONFLICT)
        return accept_now(n, c, a->mediator_id, actor,
                          "accepted with a declaration of no conflict");
    if (a->disclosure == MPOOL__V1__DISCLOSURE__DISCLOSURE_INTEREST) {
        /* An interest in the outcome can never be waived by the parties. */
        if (tally(n, c->requester, a->mediator_id, "declined", "disclosed-interest") < 0 ||
            seat_end(n, c, a->mediator_id, "declined", "declined", actor,
                     "an interest in the outcome excludes the mediator") < 0)
            return -1;
        return reshortlist(n, c, actor, "the mediator disclosed an interest in the outcome");
    }
    struct cseat *s = seat_of(c, a->mediator_id);
    s->disclosure = a->disclosure;
    s->offer_expires_ms = 0;
    s->state = S(AWAITING_CONSENT);
    snprintf(c->about, sizeof c->about, "%s", a->mediator_id);
    char reason[120];
    reasonf(reason, sizeof reason, "the mediator disclosed a %s; the parties must consent",
            disclosure_name(a->disclosure));
    /* A note, if any, is sealed to the requesting node: relayed, not read. */
    if (settle(n, c, actor, reason, NULL, a->sealed.len ? &a->sealed : NULL) < 0)
        return -1;
    return tell_mediator(n, c, a->mediator_id, "awaiting_consent", actor, reason, NULL);
}

static int do_decline(struct node *n, struct ccase *c, const char *actor,
                      const Mpool__V1__CaseAction *a)
{
    char reason[300], told[100];
    reasonf(reason, sizeof reason, "%s declined (%s)", a->mediator_id, a->reason_code);
    reasonf(told, sizeof told, "declined (%s)", a->reason_code);
    if (tally(n, c->requester, a->mediator_id, "declined", a->reason_code) < 0 ||
        seat_end(n, c, a->mediator_id, "declined", "declined", actor, told) < 0)
        return -1;
    /* The mediator's note, if any, is sealed to the requesting node. */
    return reshortlist_noted(n, c, actor, reason, a->sealed.len ? &a->sealed : NULL);
}

/* A mediator leaves a case they took on: their hours go into the ledger,
 * their node destroys its copy of the narrative (offer_state ends the
 * offer there), and their seat is open again, with the case's history. */
static int leave_case(struct node *n, struct ccase *c, const Mpool__V1__CaseAction *a,
                      const char *what, const char *offer_state, const char *actor,
                      const char *told, const char *reason, const ProtobufCBinaryData *note)
{
    if (give_hours(n, c, a->mediator_id, a->minutes) < 0 ||
        seat_end(n, c, a->mediator_id, what, offer_state, actor, told) < 0)
        return -1;
    return reshortlist_noted(n, c, actor, reason, note);
}

static int do_step_back(struct node *n, struct ccase *c, const char *actor,
                        const Mpool__V1__CaseAction *a)
{
    char reason[300], told[100];
    reasonf(reason, sizeof reason, "%s stepped back (%s) after %u.%u h", a->mediator_id,
            a->reason_code, a->minutes / 60, a->minutes % 60 * 10 / 60);
    reasonf(told, sizeof told, "stepped back (%s)", a->reason_code);
    if (tally(n, c->requester, a->mediator_id, "stepped_back", a->reason_code) < 0)
        return -1;
    return leave_case(n, c, a, "declined", "stepped_back", actor, told, reason,
                      a->sealed.len ? &a->sealed : NULL);
}

static int do_reassign(struct node *n, struct ccase *c, const char *actor,
                       const Mpool__V1__CaseAction *a)
{
    char reason[300];
    reasonf(reason, sizeof reason, "another mediator than %s asked for (%s) after %u.%u h",
            a->mediator_id, a->reason_code, a->minutes / 60, a->minutes % 60 * 10 / 60);
    if (tally(n, c->requester, a->mediator_id, "reassigned", a->reason_code) < 0)
        return -1;
    /* Replaced only when neither a party objected nor a conflict arose:
     * the coordinator may offer a replaced mediator the case again. */
    return leave_case(n, c, a, journey_reassign_mark(a->reason_code), "reassigned", actor,
                      "the requesting municipality asked for another mediator", reason, NULL);
}

/* The requesting node moved the decision date: a postponement, a
 * suspension or an extension the objector consented to. */
static int do_move_deadline(struct node *n, struct ccase *c, const char *actor,
                            const Mpool__V1__CaseAction *a)
{
    sqlite3_stmt *st = store_prepare(n->db, "UPDATE c_cases SET decide_by = ?2 WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, deadline_parse(a->decide_by));
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    char reason[120];
    reasonf(reason, sizeof reason, "decision date moved to %s (%s)", a->decide_by, a->reason_code);
    log_info("case %s: decision date moved by %s", c->id, actor);
    return rc < 0 ? -1 : record(n, c, c->state, actor, reason);
}

/* Takes the step the table allowed; each do_ function only acts. */
static int take_step(struct node *n, struct ccase *c, const char *actor,
                     const Mpool__V1__CaseAction *a)
{
    switch (a->action) {
    case ACT(CHOOSE):
        return do_choose(n, c, actor, a);
    case ACT(VETO):
        return do_veto(n, c, actor, a);
    case ACT(CONSENT):
        return do_consent(n, c, actor, true, a);
    case ACT(REFUSE_CONSENT):
        return do_consent(n, c, actor, false, a);
    case ACT(WITHDRAW):
        return do_withdraw(n, c, actor, a);
    case ACT(CLOSE):
        return do_close(n, c, actor, a);
    case ACT(DELIVER_NARRATIVE):
        return do_deliver(n, c, actor, a);
    case ACT(ACCEPT):
        return do_accept(n, c, actor, a);
    case ACT(DECLINE):
        return do_decline(n, c, actor, a);
    case ACT(MOVE_DEADLINE):
        return do_move_deadline(n, c, actor, a);
    case ACT(STEP_BACK):
        return do_step_back(n, c, actor, a);
    case ACT(REASSIGN):
        return do_reassign(n, c, actor, a);
    case ACT(EDIT):
        return case_edit(n, c, actor, a);
    case ACT(SEND_NAMES):
        return do_send_names(n, c, actor, a);
    default:
        fatal("journey: action %d passed the table but has no handler", (int)a->action);
    }
}

/* Whether sender is the node the step's message must come from. */
static bool sent_by(const struct journey_step *s, const char *sender, const struct ccase *c,
                    const Mpool__V1__CaseAction *a)
{
    char med_node[ID_MAX];
    node_of(a->mediator_id, med_node, sizeof med_node);
    if (s->by == BY_REQUESTER)
        return strcmp(sender, c->requester) == 0;
    return s->by == BY_MEDIATOR && *a->mediator_id && strcmp(sender, med_node) == 0;
}

int journey_apply_action(struct node *n, const char *sender, const Mpool__V1__CaseAction *a,
                         enum coord_outcome *outcome)
{
    *outcome = COORD_DROPPED;
    const struct journey_step *s = journey_step_of_wire(a->action);
    struct ccase c;
    int found = case_id_valid(a->case_id) ? case_load(n, a->case_id, &c) : 0;
    if (found <= 0) {
        if (found == 0)
            log_warn("rejected action from %s: unknown or malformed case id", sender);
        return found;
    }
    if (!s || !sent_by(s, sender, &c, a)) {
        log_warn("rejected action %d on %s from %s: not this node's to take", a->action, c.id,
                 sender);
        return 0;
    }
    struct journey_seat held[2];
    struct journey_view view = {c.state, held, seats_journey(&c, held), false};
    if (mediator_id_valid(a->mediator_id))
        view.shown = shown_for_case(n, c.id, a->mediator_id);
    char why[200];
    enum journey_verdict verdict = journey_check_action(a, &view, why, sizeof why);
    if (verdict == JOURNEY_LATE) {
        log_info("case %s: %s for %s dropped: the offer ended first", c.id, s->name,
                 a->mediator_id);
        return 0;
    }
    if (verdict != JOURNEY_OK) {
        *outcome = COORD_REFUSED;
        return refuse(n, &c, sender, a, why);
    }
    char actor[2 * ID_MAX + 2];
    snprintf(actor, sizeof actor, "%s/%.63s", sender, a->actor);
    *outcome = COORD_APPLIED;
    return take_step(n, &c, actor, a);
}

static int handle_action(struct node *n, const char *sender, const Mpool__V1__Envelope *env)
{
    Mpool__V1__CaseAction *a = mpool__v1__case_action__unpack(NULL, env->body.len, env->body.data);
    if (!a) {
        log_warn("rejected case action from %s: malformed body", sender);
        return 0;
    }
    enum coord_outcome outcome;
    int rc = journey_apply_action(n, sender, a, &outcome);
    mpool__v1__case_action__free_unpacked(a, NULL);
    return rc;
}

int journey_dispatch(struct node *n, const char *sender, const Mpool__V1__Envelope *env)
{
    switch (env->type) {
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST:
        return handle_post(n, sender, env);
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION:
        return handle_action(n, sender, env);
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_MEDIATOR_PROFILE:
        return handle_profile(n, sender, env);
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_PARTIES:
        return refs_take(n, sender, env);
    default:
        fatal("journey: message type %d reached dispatch", (int)env->type);
    }
}

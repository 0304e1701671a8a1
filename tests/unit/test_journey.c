/* The case journey: one table, obeyed alike by the node that takes a
 * person's request and by the coordinator that applies the message.
 *
 * One node runs both roles (almere), so the real client operations and
 * the real coordinator code run against one database. For every state a
 * case can be in, every step a person can ask for and every role, the
 * node's answer and the coordinator's are compared with each other and
 * with what the table says. */
/* Before cmocka.h, whose fail() macro would rename the node's fail(). */
#include "api/clientapi.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ids.h"
#include "coord/actions.h"
#include "journey/journey.h"
#include "member/apply.h"
#include "node/node.h"
#include "store/store.h"
#include "wire/envelope.h"
#include "wire/names.h"

#define CS(x) MPOOL__V1__CASE_STATE__CASE_STATE_##x

static char dir[64];
static struct node node;

/* The requester's case: almere's own, with zeist's mediator proposed. */
#define CASE_A "almere-0000000a"
#define MED_A  "zeist:med"
/* A case of zeist's, offered to almere's mediator. */
#define CASE_Z "zeist-0000000b"
#define MED_Z  "almere:med"

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void roster_entry(FILE *f, const char *id, double lat, double lon, const struct node_keys *k)
{
    char curve[Z85_KEY_LEN + 1], sign[Z85_KEY_LEN + 1];
    key_to_z85(k->curve_pk, KEY_LEN, curve);
    key_to_z85(k->sign_pk, KEY_LEN, sign);
    fprintf(f, "[%s]\nname = %s\nlat = %g\nlon = %g\ncurve_key = %s\nsign_key = %s\n\n", id, id,
            lat, lon, curve, sign);
}

static void add_person(const char *id, unsigned roles)
{
    struct user_keys k;
    user_keys_generate(&k);
    struct user u = {.roles = roles};
    snprintf(u.id, sizeof u.id, "%s", id);
    memcpy(u.pk, k.pk, KEY_LEN);
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/users.ini", dir);
    assert_int_equal(users_append(path, &u, err, sizeof err), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/mpool-journey-%d", (int)getpid());
    mkdir(dir, 0700);
    struct node_keys almere, zeist;
    node_keys_generate(&almere);
    node_keys_generate(&zeist);
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/almere.key", dir);
    assert_int_equal(node_keys_save(path, &almere, err, sizeof err), 0);
    uint8_t secret[KEY_LEN];
    pool_secret_generate(secret);
    snprintf(path, sizeof path, "%s/pool.secret", dir);
    assert_int_equal(pool_secret_save(path, secret, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/roster.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    roster_entry(f, "almere", 52.3508, 5.2647, &almere);
    roster_entry(f, "zeist", 52.0894, 5.2333, &zeist);
    fclose(f);
    add_person("hr1", ROLE_HR);
    add_person("med", ROLE_MEDIATOR);
    add_person("boss", ROLE_COORDINATOR);
    char curve[Z85_KEY_LEN + 1], sign[Z85_KEY_LEN + 1], conf[1024];
    key_to_z85(almere.curve_pk, KEY_LEN, curve);
    key_to_z85(almere.sign_pk, KEY_LEN, sign);
    snprintf(conf, sizeof conf,
             "[node]\nid = almere\nrole = member, coordinator\ndatabase = journey.db\n"
             "keys = almere.key\npool_secret = pool.secret\nroster = roster.ini\n"
             "users = users.ini\nclients = tcp://127.0.0.1:1\nlog_level = error\n\n"
             "[coordinator]\nendpoint = tcp://127.0.0.1:2\nevents = tcp://127.0.0.1:3\n"
             "curve_key = %s\nsign_key = %s\nbind = tcp://127.0.0.1:2\n"
             "events_bind = tcp://127.0.0.1:3\n",
             curve, sign);
    write_file("mpoold.conf", conf);
    snprintf(path, sizeof path, "%s/mpoold.conf", dir);
    if (node_open(&node, path, false, err, sizeof err) < 0)
        fail_msg("node_open: %s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    node_close(&node);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void sql(const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char *err = NULL;
    if (sqlite3_exec(node.db, text, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", text, err);
}

/* ---- the cases, in one state at both ends ------------------------------ */

static bool has_mediator(int s)
{
    return s == CS(CHOSEN) || s == CS(OFFERED) || s == CS(AWAITING_CONSENT) || s == CS(ACCEPTED) ||
           s == CS(IN_MEDIATION) || s == CS(CLOSED);
}

/* What almere's mediator's offer of CASE_Z says in state s; NULL: none yet. */
static const char *offer_state_in(int s)
{
    if (s == CS(POSTED) || s == CS(CHOSEN))
        return NULL;
    if (s == CS(SHORTLISTED) || s == CS(ESCALATED))
        return "declined"; /* an earlier offer ended; the case went on */
    return case_state_name(s);
}

static void reset(void)
{
    sql("DELETE FROM c_shown; DELETE FROM m_shown; DELETE FROM m_pending;"
        " DELETE FROM m_outbox; DELETE FROM m_history; DELETE FROM m_case_parties;"
        " DELETE FROM m_cases; DELETE FROM m_offers; DELETE FROM c_journal;"
        " DELETE FROM c_transitions; DELETE FROM c_rounds; DELETE FROM c_case_marks;"
        " DELETE FROM c_shortlist; DELETE FROM c_case_parties; DELETE FROM c_seats; DELETE FROM "
        "c_cases;"
        " DELETE FROM c_relationships; DELETE FROM c_mediators;");
}

static void mediator_row(const char *id, const char *node_id)
{
    sql("INSERT INTO c_mediators(mediator_id, node, specialties, languages, mfn_number,"
        " mfn_expiry_ms, capacity, lat, lon, box_key, windows, active, updated_ms)"
        " VALUES('%s', '%s', '[\"labour\"]', '[\"nl\"]', '1', 4102444800000, 3, 52.1, 5.2,"
        " randomblob(32), '[]', 1, 0)",
        id, node_id);
}

/* "'x'" for a text, "NULL" for none, to paste into SQL. */
static const char *quoted(const char *text, char *buf, size_t len)
{
    if (!text)
        return "NULL";
    snprintf(buf, len, "'%s'", text);
    return buf;
}

static void coordinator_case(const char *id, const char *requester, const char *med, int s)
{
    sql("INSERT INTO c_cases(case_id, requester, domain, language, urgency, requires_certified,"
        " seats, lat, lon, state, created_ms, updated_ms)"
        " VALUES('%s', '%s', 'labour', 'nl', 2, 0, 1, 52.3, 5.2, %d, 0, 0)",
        id, requester, s);
    if (has_mediator(s))
        sql("INSERT INTO c_seats(case_id, mediator_id, state, updated_ms)"
            " VALUES('%s', '%s', %d, 0)",
            id, med, s);
    sql("INSERT INTO c_case_parties(case_id, ref) VALUES('%s', 'm:%s')", id, requester);
    if (s == CS(SHORTLISTED)) {
        sql("INSERT INTO c_shortlist(case_id, rank, mediator_id, municipality, cost, why)"
            " VALUES('%s', 1, '%s', '%.*s', 10, '')",
            id, med, (int)(strchr(med, ':') - med), med);
        sql("INSERT INTO c_shown(case_id, mediator_id, first_ms) VALUES('%s', '%s', 0)", id, med);
    }
}

static void set_state(int s)
{
    reset();
    mediator_row(MED_A, "zeist");
    mediator_row(MED_Z, "almere");
    coordinator_case(CASE_A, "almere", MED_A, s);
    coordinator_case(CASE_Z, "zeist", MED_Z, s);
    /* The requester's copy of CASE_A, as the coordinator's events left it. */
    char q[80], seats[160] = "[]";
    if (has_mediator(s))
        snprintf(seats, sizeof seats, "[{\"mediator_id\":\"%s\",\"state\":\"%s\"}]", MED_A,
                 case_state_name(s));
    sql("INSERT INTO m_cases(case_id, posted_by, domain, language, urgency, requires_certified,"
        " seats, lat, lon, state, mediator_id, shortlist, narrative, created_ms, updated_ms,"
        " deadline_kind, period_start, decide_by, seat_list) VALUES('%s', 'hr1', 'labour', 'nl',"
        " 'normal', 0, 1, 52.3, 5.2, '%s', %s, '%s', '', 0, 0, 'objection', 20000, 20042, '%s')",
        CASE_A, case_state_name(s), quoted(has_mediator(s) ? MED_A : NULL, q, sizeof q),
        s == CS(SHORTLISTED) ? "[{\"mediator_id\":\"" MED_A "\"}]" : "[]", seats);
    if (s == CS(SHORTLISTED))
        sql("INSERT INTO m_shown(case_id, mediator_id, first_ms) VALUES('%s', '%s', 0)", CASE_A,
            MED_A);
    /* With the parties' names come, as a mediator reads them before they
     * declare: the node takes no declaration before. */
    const char *offer = offer_state_in(s);
    if (offer)
        sql("INSERT INTO m_offers(case_id, user_id, state, requester, domain, language,"
            " urgency, parties, expires_ms, updated_ms, names) VALUES('%s', 'med', '%s', 'zeist',"
            " 'labour', 'nl', 'normal', '[]', 0, 0, x'00')",
            CASE_Z, offer);
}

/* ---- the steps a person can ask for -------------------------------------- */

struct asked {
    enum journey_action step;
    const char *op;
    const char *args; /* %s: the case id */
};

static const struct asked asked[] = {
    {JOURNEY_CHOOSE, "case.choose", "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A "\"}"},
    {JOURNEY_VETO, "case.veto",
     "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A
     "\",\"reason_code\":\"knows-mediator\",\"reason\":\"knows a party\"}"},
    {JOURNEY_CONSENT, "case.consent",
     "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A "\",\"consent\":true}"},
    {JOURNEY_REFUSE_CONSENT, "case.consent",
     "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A "\",\"consent\":false,"
     "\"reason_code\":\"too-close\"}"},
    {JOURNEY_WITHDRAW, "case.withdraw",
     "{\"case_id\":\"%s\",\"reason_code\":\"settled\",\"reason\":\"by phone\"}"},
    {JOURNEY_CLOSE, "case.close", "{\"case_id\":\"%s\",\"outcome\":\"agreement\",\"minutes\":90}"},
    {JOURNEY_DEADLINE, "case.deadline",
     "{\"case_id\":\"%s\",\"suspend_days\":3,\"reason_code\":\"omission\"}"},
    {JOURNEY_ACCEPT, "offer.accept", "{\"case_id\":\"%s\",\"declaration\":\"no-conflict\"}"},
    {JOURNEY_DECLINE, "offer.decline", "{\"case_id\":\"%s\",\"reason_code\":\"no-time\"}"},
};

static const char *const roles[] = {"hr1", "med", "boss"};

/* The node's verdict: did it answer OK (and so queue the message)? */
static bool node_permits(const struct asked *q, const char *user, const char *case_id)
{
    char text[512];
    snprintf(text, sizeof text, q->args, case_id);
    json_t *args = json_loads(text, 0, NULL);
    assert_non_null(args);
    struct request rq = {&node, users_find(&node.users, user), args, NULL, 0, 0};
    struct reply rp = {.status = MPOOL__V1__REPLY_STATUS__REPLY_STATUS_OK};
    assert_non_null(rq.user);
    clientapi_dispatch(&rq, &rp, q->op);
    json_decref(rp.result);
    free(rp.blob);
    json_decref(args);
    if (getenv("JOURNEY_DEBUG") && rp.status != MPOOL__V1__REPLY_STATUS__REPLY_STATUS_OK)
        fprintf(stderr, "%s: %s\n", q->op, rp.error);
    return rp.status == MPOOL__V1__REPLY_STATUS__REPLY_STATUS_OK;
}

/* The CaseAction the node queued last, as the coordinator will read it. */
static Mpool__V1__CaseAction *queued_action(void)
{
    sqlite3_stmt *st = store_prepare(node.db, "SELECT frame FROM m_outbox ORDER BY seq DESC"
                                              " LIMIT 1");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char err[256];
    Mpool__V1__Envelope *env =
        envelope_unpack(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                        node.keys.sign_pk, "almere", err, sizeof err);
    store_release(st);
    assert_non_null(env);
    assert_int_equal(env->type, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION);
    Mpool__V1__CaseAction *a = mpool__v1__case_action__unpack(NULL, env->body.len, env->body.data);
    mpool__v1__envelope__free_unpacked(env, NULL);
    assert_non_null(a);
    return a;
}

/* The action a person's node would send for q, had it let it through:
 * what the operation builds, naming the person as mediator for an answer. */
static Mpool__V1__CaseAction would_send(const struct asked *q, const char *user,
                                        const char *case_id, char *mediator, size_t len)
{
    const struct journey_step *s = journey_step(q->step);
    if (s->by == BY_MEDIATOR)
        snprintf(mediator, len, "almere:%s", user);
    else
        snprintf(mediator, len, "%s", MED_A);
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)case_id;
    a.action = (Mpool__V1__Action)s->wire;
    a.mediator_id = mediator;
    a.actor = (char *)user;
    a.reason_code = (char *)(s->code_required ? s->codes[0] : "");
    a.outcome = MPOOL__V1__OUTCOME__OUTCOME_AGREEMENT;
    a.minutes = 90;
    a.declaration = MPOOL__V1__DECLARATION__DECLARATION_NO_CONFLICT;
    if (q->step == JOURNEY_DEADLINE)
        a.decide_by = "2030-01-02";
    return a;
}

/* The coordinator's verdict on an action from almere. */
/* The events the last action at the coordinator left for the requester
 * (a refusal, say), counted before at_coordinator rolled them back. */
static int last_to_almere;

static enum coord_outcome at_coordinator(const Mpool__V1__CaseAction *a)
{
    enum coord_outcome outcome;
    assert_int_equal(store_begin(node.db), 0);
    assert_int_equal(journey_apply_action(&node, "almere", a, &outcome), 0);
    sqlite3_stmt *st =
        store_prepare(node.db, "SELECT COUNT(*) FROM c_journal WHERE dest = 'almere'");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    last_to_almere = sqlite3_column_int(st, 0);
    store_release(st);
    store_rollback(node.db);
    return outcome;
}

static void node_and_coordinator_agree_with_the_table(void **state)
{
    (void)state;
    int permitted = 0, pairs = 0;
    for (int s = CS(POSTED); s <= CS(ESCALATED); s++) {
        for (size_t i = 0; i < sizeof asked / sizeof *asked; i++) {
            const struct asked *q = &asked[i];
            const struct journey_step *step = journey_step(q->step);
            for (size_t r = 0; r < sizeof roles / sizeof *roles; r++) {
                const struct user *u = users_find(&node.users, roles[r]);
                bool by_table = (u->roles & step->role) && journey_from(step, s);
                /* HR act on their own case, a mediator on the offer to them. */
                const char *case_id = step->by == BY_MEDIATOR ? CASE_Z : CASE_A;
                if (u->roles & ROLE_MEDIATOR)
                    case_id = CASE_Z;
                set_state(s);
                bool at_node = node_permits(q, roles[r], case_id);
                /* What the node queued is what the coordinator gets. */
                Mpool__V1__CaseAction *sent = at_node ? queued_action() : NULL;
                if (sent)
                    assert_int_equal(sent->action, step->wire);
                if (at_node != by_table)
                    fail_msg("%s by %s in state %s: the node says %s, the table %s", step->name,
                             roles[r], case_state_name(s), at_node ? "yes" : "no",
                             by_table ? "yes" : "no");
                /* A person with the coordinator role sends no case steps. */
                if (!(u->roles & ROLE_COORDINATOR)) {
                    set_state(s);
                    char mediator[2 * ID_MAX];
                    Mpool__V1__CaseAction built =
                        would_send(q, roles[r], case_id, mediator, sizeof mediator);
                    bool coordinator = at_coordinator(sent ? sent : &built) == COORD_APPLIED;
                    if (coordinator != at_node)
                        fail_msg("%s by %s in state %s: the node says %s, the coordinator %s",
                                 step->name, roles[r], case_state_name(s), at_node ? "yes" : "no",
                                 coordinator ? "yes" : "no");
                }
                if (sent)
                    mpool__v1__case_action__free_unpacked(sent, NULL);
                permitted += at_node;
                pairs++;
            }
        }
    }
    assert_int_equal(pairs, 10 * 9 * 3);
    /* choose 1, veto 3, consent 1, refuse 1, withdraw 8, close 2, move the decision date 8,
     * accept 1, decline 1 */
    assert_int_equal(permitted, 26);
}

/* A mediator who is not proposed, or not the one the case is with, is
 * refused alike by the node (REFUSED) and the coordinator (a refusal). */
static void another_mediator_is_refused_at_both_ends(void **state)
{
    (void)state;
    static const struct asked other[] = {
        {JOURNEY_CHOOSE, "case.choose", "{\"case_id\":\"%s\",\"mediator_id\":\"zeist:other\"}"},
        {JOURNEY_VETO, "case.veto",
         "{\"case_id\":\"%s\",\"mediator_id\":\"zeist:other\",\"reason\":\"r\"}"},
        {JOURNEY_CONSENT, "case.consent",
         "{\"case_id\":\"%s\",\"mediator_id\":\"zeist:other\",\"consent\":true}"},
    };
    static const int states[] = {CS(SHORTLISTED), CS(OFFERED), CS(AWAITING_CONSENT)};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        for (size_t k = 0; k < sizeof states / sizeof *states; k++) {
            set_state(states[k]);
            assert_false(node_permits(&other[i], "hr1", CASE_A));
            set_state(states[k]);
            Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
            a.case_id = CASE_A;
            a.action = (Mpool__V1__Action)journey_step(other[i].step)->wire;
            a.mediator_id = "zeist:other";
            a.actor = "hr1";
            a.reason_code = "other";
            assert_int_equal(at_coordinator(&a), COORD_REFUSED);
        }
}

/* A re-rank that moved a mediator off the current shortlist takes no
 * choice away: one shown for the case may still be chosen or vetoed at
 * both ends; one never shown may not. */
static void a_mediator_shown_earlier_may_be_chosen_at_both_ends(void **state)
{
    (void)state;
    static const struct asked steps[] = {
        {JOURNEY_CHOOSE, "case.choose", "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A "\"}"},
        {JOURNEY_VETO, "case.veto",
         "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A "\",\"reason_code\":\"other\"}"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        for (int was_shown = 0; was_shown <= 1; was_shown++) {
            set_state(CS(SHORTLISTED));
            /* The current list names someone else now. */
            sql("UPDATE c_shortlist SET mediator_id = 'zeist:other' WHERE case_id = '%s'", CASE_A);
            sql("UPDATE m_cases SET shortlist = '[{\"mediator_id\":\"zeist:other\"}]'"
                " WHERE case_id = '%s'",
                CASE_A);
            if (!was_shown)
                sql("DELETE FROM c_shown; DELETE FROM m_shown;");
            assert_int_equal(node_permits(&steps[i], "hr1", CASE_A), was_shown);
            char mediator[2 * ID_MAX];
            Mpool__V1__CaseAction a =
                would_send(&steps[i], "hr1", CASE_A, mediator, sizeof mediator);
            assert_int_equal(at_coordinator(&a) == COORD_APPLIED, was_shown);
        }
    }
}

/* ---- pending steps ------------------------------------------------------ */

static int64_t count_of(const char *query)
{
    sqlite3_stmt *st = store_prepare(node.db, query);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    store_release(st);
    return v;
}

static void text_of(const char *query, char *out, size_t len)
{
    sqlite3_stmt *st = store_prepare(node.db, query);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    store_release(st);
}

/* Applies an event about CASE_A at the node, written when the coordinator
 * had applied almere's messages up to `seq`. */
static void event_at_node(int state, uint64_t seq, const char *reason, const char *refusal,
                          const char *listed, const char *seat)
{
    Mpool__V1__CaseEvent ev = MPOOL__V1__CASE_EVENT__INIT;
    Mpool__V1__ShortlistEntry entry = MPOOL__V1__SHORTLIST_ENTRY__INIT, *entries[1] = {&entry};
    Mpool__V1__Exclusion eligible = MPOOL__V1__EXCLUSION__INIT, *excl[1] = {&eligible};
    Mpool__V1__Seat held = MPOOL__V1__SEAT__INIT, *seats[1] = {&held};
    ev.case_id = CASE_A;
    ev.state = (Mpool__V1__CaseState)state;
    ev.actor = "coordinator";
    ev.reason = (char *)reason;
    ev.refusal = (char *)refusal;
    ev.answers_epoch = node.epoch;
    ev.answers_seq = seq;
    if (listed) {
        entry.mediator_id = (char *)listed;
        entry.municipality = "zeist";
        entry.why = "";
        ev.shortlist = entries;
        ev.n_shortlist = 1;
        eligible.reason = "eligible";
        eligible.count = 1;
        ev.excluded = excl;
        ev.n_excluded = 1;
    }
    if (seat) {
        held.mediator_id = (char *)seat;
        held.state = MPOOL__V1__CASE_STATE__CASE_STATE_OFFERED;
        ev.seats = seats;
        ev.n_seats = 1;
    }
    uint8_t body[1024];
    size_t len = mpool__v1__case_event__pack(&ev, body);
    Mpool__V1__Envelope env = MPOOL__V1__ENVELOPE__INIT;
    env.type = MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_EVENT;
    env.body.data = body;
    env.body.len = len;
    assert_int_equal(member_apply(&node, &env), 0);
}

static const struct asked choose_a = {JOURNEY_CHOOSE, "case.choose",
                                      "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A "\"}"};

/* A choice the node answered OK is not undone by an event the coordinator
 * wrote before it applied the choice: that event adds to the history and
 * the shortlist, and the state waits for the answer to the choice. */
static void a_choice_answered_ok_outlives_an_older_event(void **state)
{
    (void)state;
    char got[200];
    set_state(CS(SHORTLISTED));
    assert_true(node_permits(&choose_a, "hr1", CASE_A));
    int64_t seq = count_of("SELECT seq FROM m_pending WHERE step = 'choose'");
    text_of("SELECT state FROM m_cases WHERE case_id = '" CASE_A "'", got, sizeof got);
    assert_string_equal(got, "chosen");

    event_at_node(CS(SHORTLISTED), (uint64_t)seq - 1, "re-ranked: the load changed", "",
                  "zeist:other", NULL);
    text_of("SELECT state FROM m_cases WHERE case_id = '" CASE_A "'", got, sizeof got);
    assert_string_equal(got, "chosen");
    assert_int_equal(count_of("SELECT count(*) FROM m_history WHERE reason LIKE 're-ranked%'"), 1);
    assert_int_equal(count_of("SELECT count(*) FROM m_shown WHERE case_id = '" CASE_A "'"), 2);
    assert_int_equal(count_of("SELECT count(*) FROM m_pending"), 1);

    event_at_node(CS(OFFERED), (uint64_t)seq, "offered to the chosen mediator", "", NULL, MED_A);
    text_of("SELECT state FROM m_cases WHERE case_id = '" CASE_A "'", got, sizeof got);
    assert_string_equal(got, "offered");
    assert_int_equal(count_of("SELECT count(*) FROM m_pending"), 0);
}

/* A choice the coordinator refused: the state is the coordinator's, and
 * the person who chose gets a notice that says why. */
static void a_refused_choice_gives_a_notice_with_the_reason(void **state)
{
    (void)state;
    char got[300];
    set_state(CS(SHORTLISTED));
    sql("DELETE FROM notices");
    assert_true(node_permits(&choose_a, "hr1", CASE_A));
    int64_t seq = count_of("SELECT seq FROM m_pending WHERE step = 'choose'");
    event_at_node(CS(SHORTLISTED), (uint64_t)seq, "the choice is refused",
                  MED_A " is no longer eligible (not available for this case)", "zeist:other",
                  NULL);
    text_of("SELECT state FROM m_cases WHERE case_id = '" CASE_A "'", got, sizeof got);
    assert_string_equal(got, "shortlisted");
    text_of("SELECT kind || ': ' || detail FROM notices WHERE user_id = 'hr1' AND kind = 'refused'",
            got, sizeof got);
    assert_string_equal(got,
                        "refused: " MED_A " is no longer eligible (not available for this case)");
    assert_int_equal(count_of("SELECT count(*) FROM m_pending"), 0);
}

/* ---- checks on the message itself --------------------------------------- */

static Mpool__V1__CaseAction veto(const char *code)
{
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = CASE_A;
    a.action = MPOOL__V1__ACTION__ACTION_VETO;
    a.mediator_id = MED_A;
    a.actor = "hr1";
    a.reason_code = (char *)code;
    return a;
}

/* Only codes travel: words (an ESC among them) are malformed on the wire
 * and refused at the node, whose arguments keep them apart. */
static void words_and_control_characters_are_malformed_at_both_ends(void **state)
{
    (void)state;
    struct journey_view v = {CS(SHORTLISTED), NULL, 0, true};
    char why[200];
    Mpool__V1__CaseAction ok = veto("knows-mediator"), esc = veto("knows \x1b[2J a party"),
                          none = veto("");
    assert_int_equal(journey_check_action(&ok, &v, why, sizeof why), JOURNEY_OK);
    assert_int_equal(journey_check_action(&esc, &v, why, sizeof why), JOURNEY_MALFORMED);
    assert_non_null(strstr(why, "free text never leaves its node"));
    assert_int_equal(journey_check_action(&none, &v, why, sizeof why), JOURNEY_MALFORMED);
    assert_string_equal(why, "missing reason code");

    /* The node refuses it before anything is queued. */
    static const struct asked esc_veto = {JOURNEY_VETO, "case.veto",
                                          "{\"case_id\":\"%s\",\"mediator_id\":\"" MED_A
                                          "\",\"reason_code\":\"other\","
                                          "\"reason\":\"knows \\u001b[2J\"}"};
    set_state(CS(SHORTLISTED));
    assert_false(node_permits(&esc_veto, "hr1", CASE_A));
    sqlite3_stmt *queued = store_prepare(node.db, "SELECT COUNT(*) FROM m_outbox");
    assert_int_equal(sqlite3_step(queued), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(queued, 0), 0);
    store_release(queued);

    /* The coordinator refuses it with an event to the requester, so the
     * refusal shows in the case's history there. */
    set_state(CS(SHORTLISTED));
    enum coord_outcome outcome;
    assert_int_equal(store_begin(node.db), 0);
    assert_int_equal(journey_apply_action(&node, "almere", &esc, &outcome), 0);
    assert_int_equal(outcome, COORD_REFUSED);
    sqlite3_stmt *st = store_prepare(node.db, "SELECT COUNT(*) FROM c_journal WHERE dest ="
                                              " 'almere'");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    store_release(st);
    store_rollback(node.db);
}

static void the_table_knows_every_wire_action(void **state)
{
    (void)state;
    for (int w = 1; w <= MPOOL__V1__ACTION__ACTION_MOVE_DEADLINE; w++) {
        const struct journey_step *s = journey_step_of_wire(w);
        assert_non_null(s);
        assert_int_equal(s->wire, w);
    }
    assert_null(journey_step_of_wire(0));
    assert_null(journey_step_of_wire(99));
    for (int a = 0; a < JOURNEY_ACTION_COUNT; a++) {
        const struct journey_step *s = journey_step((enum journey_action)a);
        assert_int_equal((int)s->action, a);
        assert_true(s->from != 0);
        assert_non_null(s->doc_result);
    }
}

/* The parties' names go, sealed, only to a mediator who holds a seat of
 * the case, and only in a size a names list can have; the coordinator's
 * event to that mediator's node carries the bytes as they came. */
static void the_names_go_sealed_to_a_seated_mediator_only(void **state)
{
    (void)state;
    uint8_t sealed[200];
    memset(sealed, 0x5a, sizeof sealed);
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = CASE_A;
    a.action = MPOOL__V1__ACTION__ACTION_SEND_NAMES;
    a.mediator_id = MED_A;
    a.actor = "node";
    a.sealed.data = sealed;
    a.sealed.len = sizeof sealed;
    static const int held[] = {CS(OFFERED), CS(AWAITING_CONSENT), CS(ACCEPTED), CS(IN_MEDIATION)};
    for (size_t i = 0; i < sizeof held / sizeof *held; i++) {
        set_state(held[i]);
        enum coord_outcome outcome;
        assert_int_equal(store_begin(node.db), 0);
        assert_int_equal(journey_apply_action(&node, "almere", &a, &outcome), 0);
        assert_int_equal(outcome, COORD_APPLIED);
        sqlite3_stmt *st = store_prepare(node.db, "SELECT frame FROM c_journal WHERE dest ="
                                                  " 'zeist' ORDER BY seq DESC LIMIT 1");
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        char err[256];
        Mpool__V1__Envelope *env =
            envelope_unpack(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                            node.keys.sign_pk, node.cfg.node_id, err, sizeof err);
        store_release(st);
        assert_non_null(env);
        Mpool__V1__CaseEvent *ev =
            mpool__v1__case_event__unpack(NULL, env->body.len, env->body.data);
        assert_non_null(ev);
        assert_int_equal(ev->sealed_names.len, sizeof sealed);
        assert_memory_equal(ev->sealed_names.data, sealed, sizeof sealed);
        assert_int_equal(ev->sealed.len, 0);
        /* no state: a node of the previous release must not take it for a
         * fresh offer */
        assert_string_equal(ev->offer_state, "");
        mpool__v1__case_event__free_unpacked(ev, NULL);
        mpool__v1__envelope__free_unpacked(env, NULL);
        store_rollback(node.db);
    }
    /* Names that come after the offer ended are dropped: HR, who never
     * asked for them, finds no refusal in the case's history. */
    set_state(CS(SHORTLISTED));
    assert_int_equal(at_coordinator(&a), COORD_DROPPED);
    assert_int_equal(last_to_almere, 0);
    set_state(CS(OFFERED));
    a.mediator_id = "zeist:other";
    assert_int_equal(at_coordinator(&a), COORD_DROPPED);
    assert_int_equal(last_to_almere, 0);
    a.mediator_id = MED_A;
    a.sealed.len = 10;
    struct journey_seat seat = {MED_A, CS(OFFERED)};
    struct journey_view v = {CS(OFFERED), &seat, 1, false};
    char why[200];
    assert_int_equal(journey_check_action(&a, &v, why, sizeof why), JOURNEY_MALFORMED);
    a.sealed.len = 0;
    assert_int_equal(journey_check_action(&a, &v, why, sizeof why), JOURNEY_MALFORMED);
}

static void a_post_without_location_is_malformed(void **state)
{
    (void)state;
    char *parties[] = {"m:zeist"};
    Mpool__V1__CasePost p = MPOOL__V1__CASE_POST__INIT;
    p.case_id = CASE_A;
    p.requester = "almere";
    p.domain = "labour";
    p.language = "nl";
    p.urgency = MPOOL__V1__URGENCY__URGENCY_NORMAL;
    p.seats = 1;
    p.parties = parties;
    p.n_parties = 1;
    assert_non_null(journey_post_problem(&p));
    p.lat = 52.3508;
    p.lon = 5.2647;
    assert_null(journey_post_problem(&p));
    p.seats = 0;
    assert_non_null(journey_post_problem(&p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_table_knows_every_wire_action),
        cmocka_unit_test(a_post_without_location_is_malformed),
        cmocka_unit_test(a_mediator_shown_earlier_may_be_chosen_at_both_ends),
        cmocka_unit_test(a_choice_answered_ok_outlives_an_older_event),
        cmocka_unit_test(a_refused_choice_gives_a_notice_with_the_reason),
        cmocka_unit_test(words_and_control_characters_are_malformed_at_both_ends),
        cmocka_unit_test(node_and_coordinator_agree_with_the_table),
        cmocka_unit_test(another_mediator_is_refused_at_both_ends),
        cmocka_unit_test(the_names_go_sealed_to_a_seated_mediator_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

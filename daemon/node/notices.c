/* notices: the kinds of notice, and the table that keeps them. */
#include "node/notices.h"

#include <string.h>

#include "base/ids.h"
#include "store/store.h"

/* One row per kind: the only place its words are written. docs/guide-*.md
 * list the kinds, and test_notices.sh checks the mails against them. */
const struct notice_kind notice_kinds[] = {
    {"offer", FOR_MEDIATOR, "offered", "a case is offered to you",
     "Case {case} is offered to you. Please answer before the offer expires; without an answer "
     "it goes to another mediator.",
     "mpool offer show {case}\nmpool offer accept {case} --no-conflict\n"
     "mpool offer decline {case} --reason-code CODE"},
    {"offer_soon", FOR_MEDIATOR, NULL, "your offer expires soon",
     "Your offer for case {case} expires at {detail}. Please answer before then.",
     "mpool offer show {case}\nmpool offer accept {case} --no-conflict\n"
     "mpool offer decline {case} --reason-code CODE"},
    {"narrative", FOR_MEDIATOR, "in_mediation", "the mediation can begin",
     "The parties' account of case {case} has reached you: the mediation can begin.",
     "mpool offer narrative {case}"},
    {"offer_expired", FOR_MEDIATOR, "expired", "your offer expired",
     "Your offer for case {case} expired without an answer; it goes to another mediator.",
     "mpool offer list --all"},
    {"case_withdrawn", FOR_MEDIATOR, "withdrawn", "a case was withdrawn",
     "Case {case} was withdrawn by the municipality that asked; nothing more is asked of you.",
     "mpool offer list --all"},
    {"vetoed", FOR_MEDIATOR, "vetoed", "the parties chose otherwise",
     "A party asked for another mediator for case {case}; nothing more is asked of you.",
     "mpool offer list --all"},
    {"no_consent", FOR_MEDIATOR, "refused_consent", "the parties did not consent",
     "The parties did not accept what you disclosed for case {case}; nothing more is asked of "
     "you.",
     "mpool offer list --all"},
    {"reassigned", FOR_MEDIATOR, "reassigned", "a case goes to another mediator",
     "Case {case} goes to another mediator, as the municipality that asked or the pool's "
     "coordinator decided. Your copy of the parties' account is destroyed; your hours are in "
     "the pool's ledger.",
     "mpool offer list --all"},
    {"case_closed", FOR_MEDIATOR, "closed", "a case of yours is closed",
     "Case {case} is closed and its hours are in the pool's ledger.", "mpool offer list --all"},
    {"shortlist", FOR_HR, "shortlisted", "a shortlist is ready",
     "A shortlist for case {case} is ready, or ready again after a mediator declined or let the "
     "offer expire. The parties choose a mediator from it.",
     "mpool case show {case}\nmpool case choose {case} MEDIATOR"},
    {"accepted", FOR_HR, "accepted", "the mediator accepted",
     "The chosen mediator accepted case {case}; the parties' account goes to them now.",
     "mpool case show {case}"},
    {"consent", FOR_HR, "awaiting_consent", "the parties' consent is needed",
     "The mediator of case {case} disclosed a relationship, earlier involvement or an interest. "
     "The parties decide whether they accept it.",
     "mpool case show {case}\nmpool case consent {case} MEDIATOR\n"
     "mpool case consent {case} MEDIATOR --refuse --reason-code CODE"},
    {"escalated", FOR_HR, "escalated", "no mediator found yet",
     "No mediator in the pool fits case {case} now; the pool's coordinator takes it up.",
     "mpool case show {case}"},
    {"refused", FOR_HR, NULL, "the pool refused a step",
     "The pool could not take a step you took on case {case}: {detail}. The case shows where it "
     "stands now and what it waits for.",
     "mpool case show {case}"},
    {"deadline", FOR_HR, NULL, "a decision date is near",
     "The decision date of case {case} is near: {detail}. No mediator has accepted the case "
     "yet.",
     "mpool case show {case}\nmpool case deadline {case}"},
    {"pool_escalated", FOR_COORDINATOR, NULL, "a case needs the coordinator",
     "No mediator in the pool fits case {case}; it waits for the coordinator.",
     "mpool pool stuck\nmpool pool override {case} MEDIATOR --reason TEXT"},
    {"pool_stuck", FOR_COORDINATOR, NULL, "a case has not moved",
     "Case {case} has not moved since {detail}.", "mpool pool stuck"},
};
const size_t notice_kind_count = sizeof notice_kinds / sizeof *notice_kinds;

const struct notice_kind *notice_kind_named(const char *name)
{
    for (size_t i = 0; i < notice_kind_count; i++)
        if (strcmp(notice_kinds[i].name, name) == 0)
            return &notice_kinds[i];
    return NULL;
}

static const struct notice_kind *notice_when(enum notice_for who, const char *state)
{
    for (size_t i = 0; state && i < notice_kind_count; i++)
        if (notice_kinds[i].who == who && notice_kinds[i].when &&
            strcmp(notice_kinds[i].when, state) == 0)
            return &notice_kinds[i];
    return NULL;
}

const struct notice_kind *notice_for_offer(const char *offer_state)
{
    return notice_when(FOR_MEDIATOR, offer_state);
}

const struct notice_kind *notice_for_case(const char *case_state)
{
    return notice_when(FOR_HR, case_state);
}

int notice_add(sqlite3 *db, const char *user, const char *kind, const char *case_id,
               const char *detail, const char *once)
{
    sqlite3_stmt *st = store_prepare(db, "INSERT INTO notices(user_id, kind, case_id, detail,"
                                         " once, at_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                                         " ON CONFLICT(once) DO NOTHING");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, detail ? detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, once, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

void notice_text(const char *tmpl, const char *case_id, const char *detail, char *out, size_t len)
{
    size_t used = 0;
    if (len == 0)
        return;
    for (const char *p = tmpl; *p && used + 1 < len;) {
        const char *fill = NULL;
        if (strncmp(p, "{case}", 6) == 0) {
            fill = case_id;
            p += 6;
        } else if (strncmp(p, "{detail}", 8) == 0) {
            fill = detail;
            p += 8;
        } else {
            out[used++] = *p++;
            continue;
        }
        size_t n = strlen(fill);
        if (n > len - 1 - used)
            n = len - 1 - used;
        memcpy(out + used, fill, n);
        used += n;
    }
    out[used] = '\0';
}

void notice_commands(const struct notice_kind *k, const char *case_id, const char *detail,
                     void (*each)(const char *command, void *ctx), void *ctx)
{
    char text[512], *save = NULL;
    notice_text(k->command, case_id, detail, text, sizeof text);
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        each(line, ctx);
}

int64_t notice_sweep(sqlite3 *db, int64_t now, int64_t period_ms)
{
    sqlite3_stmt *st =
        store_prepare(db, "DELETE FROM notices WHERE at_ms < ?1 AND mail != 'queued'");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now - period_ms);
    int64_t removed = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(db) : -1;
    store_release(st);
    return removed;
}

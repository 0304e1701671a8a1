/* journey: the table of steps, and the checks both ends make with it. */
#include "journey/journey.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

#include "base/deadline.h"
#include "base/ids.h"
#include "base/text.h"
#include "store/roster.h"
#include "wire/names.h"
#include "wire/pseudonym.h"
#include "wire/seal.h"

#define ACT(x) MPOOL__V1__ACTION__ACTION_##x
#define CS(x)  MPOOL__V1__CASE_STATE__CASE_STATE_##x
#define ST(x)  JOURNEY_STATE(x)
#define ANY_BUT                                                                                    \
    (ST(POSTED) | ST(SHORTLISTED) | ST(CHOSEN) | ST(OFFERED) | ST(ACCEPTED) |                      \
     ST(AWAITING_CONSENT) | ST(IN_MEDIATION) | ST(ESCALATED))

/* ---- the reasons a person may give, as codes ---------------------------- */

static const char *const veto_codes[] = {"party-objects", "knows-mediator", "language",
                                         "availability",  "other",          NULL};
static const char *const consent_codes[] = {"too-close", "parties-disagree", "other", NULL};
static const char *const withdraw_codes[] = {
    "settled", "resolved-otherwise", "parties-unwilling", "referred", "other", NULL};
static const char *const decline_codes[] = {"no-time", "away", "expertise", "conflict-of-interest",
                                            "other",   NULL};
static const char *const step_back_codes[] = {"illness",        "no-time", "conflict-of-interest",
                                              "parties-object", "other",   NULL};
static const char *const reassign_codes[] = {
    "party-objects", "mediator-unavailable", "no-progress", "conflict-of-interest", "other", NULL};

/* The mark a reassignment leaves, by its code: a party's objection is a
 * veto and a conflict of interest a decline, neither of which an
 * override may lift; the other codes only replace the mediator. */
static const struct {
    const char *code, *mark;
} reassign_marks[] = {
    {"party-objects", "vetoed"},
    {"conflict-of-interest", "declined"},
};

/* ---- the arguments of the client operations --------------------------- */

#define MEDIATOR_ID_ARG                                                                            \
    {                                                                                              \
        "mediator_id", ARG_TEXT, true, 2 * ID_MAX, 0, 0, NULL, NULL                                \
    }
/* The words of a reason stay at the node where they were typed (or go
 * sealed to the requesting node); only the code travels. */
#define REASON_ARG(req)                                                                            \
    {                                                                                              \
        "reason", ARG_TEXT, req, REASON_MAX, 0, 0, NULL, NULL                                      \
    }
#define CODE_ARG(req, codes)                                                                       \
    {                                                                                              \
        "reason_code", ARG_CHOICE, req, 0, 0, 0, codes, NULL                                       \
    }

static const char *const urgencies[] = {"low", "normal", "high", NULL};
static const char *const party_kinds[] = {"municipality", "person", "unit", NULL};
static const char *const outcomes[] = {"agreement", "partial",  "none",
                                       "withdrawn", "referred", NULL};
static const char *const declarations[] = {"no-conflict", "disclosure", NULL};
static const char *const disclosures[] = {"relationship", "prior", "interest", NULL};

static const struct arg_spec party_args[] = {
    {"kind", ARG_CHOICE, true, 0, 0, 0, party_kinds, NULL},
    {"value", ARG_TEXT, true, 200, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec post_args[] = {
    {"domain", ARG_TEXT, true, DOMAIN_MAX, 0, 0, NULL, NULL},
    {"language", ARG_TEXT, true, LANGUAGE_MAX, 0, 0, NULL, NULL},
    {"urgency", ARG_CHOICE, false, 0, 0, 0, urgencies, NULL},
    {"parties", ARG_OBJECTS, true, 0, 1, 16, NULL, party_args},
    {"requires_certified", ARG_BOOL, false, 0, 0, 0, NULL, NULL},
    {"seats", ARG_INT, false, 0, 1, 2, NULL, NULL},
    {"lat", ARG_NUMBER, false, 0, -90, 90, NULL, NULL},
    {"lon", ARG_NUMBER, false, 0, -180, 180, NULL, NULL},
    {"period_start", ARG_TEXT, false, 10, 0, 0, NULL, NULL},
    {"committee", ARG_BOOL, false, 0, 0, 0, NULL, NULL},
    {"no_narrative", ARG_BOOL, false, 0, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec choose_args[] = {
    ARG_SPEC_CASE_ID,
    MEDIATOR_ID_ARG,
    {"second_mediator_id", ARG_TEXT, false, 2 * ID_MAX, 0, 0, NULL, NULL},
    ARG_SPEC_END};
static const struct arg_spec hours_args[] = {
    MEDIATOR_ID_ARG,
    {"minutes", ARG_INT, true, 0, 0, 100000, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec veto_args[] = {
    ARG_SPEC_CASE_ID, MEDIATOR_ID_ARG, CODE_ARG(true, veto_codes), REASON_ARG(false), ARG_SPEC_END};
static const struct arg_spec consent_args[] = {ARG_SPEC_CASE_ID,
                                               MEDIATOR_ID_ARG,
                                               {"consent", ARG_BOOL, true, 0, 0, 0, NULL, NULL},
                                               CODE_ARG(false, consent_codes),
                                               REASON_ARG(false),
                                               ARG_SPEC_END};
static const struct arg_spec withdraw_args[] = {ARG_SPEC_CASE_ID, CODE_ARG(true, withdraw_codes),
                                                REASON_ARG(false), ARG_SPEC_END};
static const struct arg_spec close_args[] = {
    ARG_SPEC_CASE_ID,
    {"outcome", ARG_CHOICE, true, 0, 0, 0, outcomes, NULL},
    {"minutes", ARG_INT, false, 0, 0, 100000, NULL, NULL},
    {"hours", ARG_OBJECTS, false, 0, 1, 2, NULL, hours_args},
    ARG_SPEC_END,
};
static const struct arg_spec accept_args[] = {
    ARG_SPEC_CASE_ID,
    {"declaration", ARG_CHOICE, true, 0, 0, 0, declarations, NULL},
    {"disclosure", ARG_CHOICE, false, 0, 0, 0, disclosures, NULL},
    {"note", ARG_TEXT, false, REASON_MAX, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec decline_args[] = {ARG_SPEC_CASE_ID, CODE_ARG(true, decline_codes),
                                               REASON_ARG(false), ARG_SPEC_END};
static const struct arg_spec deadline_args[] = {
    ARG_SPEC_CASE_ID,
    {"postpone_days", ARG_INT, false, 0, 1, 365, NULL, NULL},
    {"suspend_days", ARG_INT, false, 0, 1, 365, NULL, NULL},
    {"consented_days", ARG_INT, false, 0, 1, 365, NULL, NULL},
    CODE_ARG(true, deadline_move_codes),
    ARG_SPEC_END,
};
/* The hours a mediator who leaves a running case gave it: into the ledger. */
#define GIVEN_ARG                                                                                  \
    {                                                                                              \
        "minutes", ARG_INT, false, 0, 0, 100000, NULL, NULL                                        \
    }
static const struct arg_spec step_back_args[] = {ARG_SPEC_CASE_ID, CODE_ARG(true, step_back_codes),
                                                 REASON_ARG(false), GIVEN_ARG, ARG_SPEC_END};
static const struct arg_spec reassign_args[] = {
    ARG_SPEC_CASE_ID,  MEDIATOR_ID_ARG, CODE_ARG(true, reassign_codes),
    REASON_ARG(false), GIVEN_ARG,       ARG_SPEC_END};
static const struct arg_spec edit_args[] = {
    ARG_SPEC_CASE_ID,
    {"urgency", ARG_CHOICE, false, 0, 0, 0, urgencies, NULL},
    {"language", ARG_TEXT, false, LANGUAGE_MAX, 0, 0, NULL, NULL},
    {"seats", ARG_INT, false, 0, 1, 2, NULL, NULL},
    {"requires_certified", ARG_BOOL, false, 0, 0, 0, NULL, NULL},
    {"parties", ARG_OBJECTS, false, 0, 1, 16, NULL, party_args},
    {"period_start", ARG_TEXT, false, 10, 0, 0, NULL, NULL},
    {"committee", ARG_BOOL, false, 0, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec override_args[] = {
    ARG_SPEC_CASE_ID,
    MEDIATOR_ID_ARG,
    REASON_ARG(true),
    GIVEN_ARG,
    {"replace", ARG_TEXT, false, 2 * ID_MAX, 0, 0, NULL, NULL},
    ARG_SPEC_END};
static const struct arg_spec no_args[] = {ARG_SPEC_END};

/* ---- the table ----------------------------------------------------------- */

static const struct journey_step steps[JOURNEY_ACTION_COUNT] = {
    {JOURNEY_POST, "post", 0, "case.post", ROLE_HR, BY_REQUESTER, JOURNEY_NEW, CS(POSTED),
     NAMES_NONE, "a node may post only its own new cases", NULL, false, post_args, "`CasePost`",
     "valid fields (section 7); a case id the coordinator already has is only logged",
     "`posted` → new shortlist; requester gets `shortlisted` or "
     "`escalated` with the shortlist and the exclusion counts"},
    {JOURNEY_CHOOSE, "choose", ACT(CHOOSE), "case.choose", ROLE_HR, BY_REQUESTER, ST(SHORTLISTED),
     CS(CHOSEN), NAMES_SHOWN, "the case is not waiting for a choice", NULL, false, choose_args,
     "`CHOOSE m`",
     "a seat is open; m was shown for the case on a shortlist the requesting node received (a "
     "re-rank never takes a name away; a veto, a decline or leaving a seat does), holds no seat of "
     "the case and is of another "
     "municipality than the mediator of the other seat",
     "if m is still eligible now: m takes the open seat, `offered` until now + `offer_expiry`; "
     "when no seat stays open the case goes `chosen`, then takes the state of its seats; "
     "requester gets the events (the offer's with m's `box_key`, to seal the parties' names to), "
     "m's node gets `offered`. If not, the choice is refused: new "
     "shortlist, reason \"the parties' choice of m is refused: m is no longer eligible (the "
     "rule in words)\", and HR gets a notice"},
    {JOURNEY_VETO, "veto", ACT(VETO), "case.veto", ROLE_HR, BY_REQUESTER,
     ST(SHORTLISTED) | ST(OFFERED) | ST(AWAITING_CONSENT), CS(SHORTLISTED), NAMES_SHOWN_OR_CURRENT,
     "a veto applies only to a proposed or offered mediator", veto_codes, true, veto_args,
     "`VETO m`",
     "m shown for the case on a shortlist the requesting node received, or holding a seat "
     "(then the seat's state counts)",
     "m marked `vetoed`. If m holds a seat: m's node gets `vetoed`; the seat opens; new "
     "shortlist. "
     "Else, when shortlisted: new shortlist; when offered or awaiting consent: the running "
     "offer stays, and the requester gets an event with the unchanged state and the veto as "
     "reason"},
    {JOURNEY_CONSENT, "consent", ACT(CONSENT), "case.consent", ROLE_HR, BY_REQUESTER,
     ST(AWAITING_CONSENT), CS(ACCEPTED), NAMES_CURRENT,
     "no disclosure of that mediator awaits the parties' consent", consent_codes, false,
     consent_args, "`CONSENT m`", "m's seat awaiting consent",
     "m marked `waived`; `accepted`, as after `ACCEPT` with `NO_CONFLICT`"},
    {JOURNEY_REFUSE_CONSENT, "refuse consent", ACT(REFUSE_CONSENT), "case.consent", ROLE_HR,
     BY_REQUESTER, ST(AWAITING_CONSENT), CS(SHORTLISTED), NAMES_CURRENT,
     "no disclosure of that mediator awaits the parties' consent", consent_codes, true,
     consent_args, "`REFUSE_CONSENT m`", "m's seat awaiting consent",
     "m marked `declined`, m's node gets `refused_consent`; new shortlist"},
    {JOURNEY_WITHDRAW, "withdraw", ACT(WITHDRAW), "case.withdraw", ROLE_HR, BY_REQUESTER, ANY_BUT,
     CS(WITHDRAWN), NAMES_NONE, "the case is already finished", withdraw_codes, true, withdraw_args,
     "`WITHDRAW`", "—", "`withdrawn`; the node of each mediator holding a seat gets `withdrawn`"},
    {JOURNEY_CLOSE, "close", ACT(CLOSE), "case.close", ROLE_HR, BY_REQUESTER,
     ST(ACCEPTED) | ST(IN_MEDIATION), CS(CLOSED), NAMES_NONE,
     "only a case in mediation can be closed", NULL, false, close_args, "`CLOSE`",
     "outcome 1–5; `minutes` ≤ 100000 for each mediator, or `hours` with each seat's "
     "mediator once",
     "`closed` with outcome and minutes; the requester gets it with the total and each seat's "
     "minutes, each mediator's node with their own. Each mediator's minutes go into the "
     "ledger as given by their municipality"},
    {JOURNEY_DEADLINE, "move the decision date", ACT(MOVE_DEADLINE), "case.deadline", ROLE_HR,
     BY_REQUESTER, ANY_BUT, 0, NAMES_NONE, "the case is already finished", deadline_move_codes,
     true, deadline_args, "`MOVE_DEADLINE`",
     "`decide_by` a date YYYY-MM-DD (sent only for a case posted with a decision period)",
     "the state stays; the coordinator keeps the new date (the matcher's deadline term, the "
     "expiry of later offers, `pool stuck`); no event"},
    {JOURNEY_DELIVER, "deliver the narrative", ACT(DELIVER_NARRATIVE), NULL, 0, BY_REQUESTER,
     ST(ACCEPTED), CS(IN_MEDIATION), NAMES_CURRENT, "the case is not accepted by that mediator",
     NULL, false, NULL, "`DELIVER_NARRATIVE m` (automatic)",
     "m's seat accepted; `sealed` 48 bytes to 64 KiB + 48 bytes",
     "m's seat `in_mediation` (the case too once every seat is); requester gets it, m's node "
     "gets `in_mediation` with the sealed narrative"},
    {JOURNEY_ACCEPT, "accept", ACT(ACCEPT), "offer.accept", ROLE_MEDIATOR, BY_MEDIATOR, ST(OFFERED),
     CS(ACCEPTED), NAMES_CURRENT, "there is no open offer of this case to that mediator", NULL,
     false, accept_args, "`ACCEPT` with a declaration",
     "m's seat offered; `NO_CONFLICT`, or `DISCLOSURE` with `RELATIONSHIP`, "
     "`PRIOR_INVOLVEMENT` or `INTEREST`; a note in `sealed` of at most 300 + 48 bytes",
     "`NO_CONFLICT`: `accepted`; requester gets it with `box_key`, m's node gets `accepted`. "
     "`RELATIONSHIP` or `PRIOR_INVOLVEMENT`: `awaiting_consent`, the offer no longer expires; "
     "requester and m's node get it. `INTEREST` is never waivable: m marked `declined`, m's "
     "node gets `declined`; new shortlist"},
    {JOURNEY_DECLINE, "decline", ACT(DECLINE), "offer.decline", ROLE_MEDIATOR, BY_MEDIATOR,
     ST(OFFERED), CS(SHORTLISTED), NAMES_CURRENT,
     "there is no open offer of this case to that mediator", decline_codes, true, decline_args,
     "`DECLINE`", "m's seat offered",
     "m marked `declined`, m's node gets `declined`; m's seat opens, the other keeps its "
     "mediator; new shortlist"},
    {JOURNEY_STEP_BACK, "step back", ACT(STEP_BACK), "offer.step_back", ROLE_MEDIATOR, BY_MEDIATOR,
     ST(ACCEPTED) | ST(IN_MEDIATION), CS(SHORTLISTED), NAMES_CURRENT,
     "that mediator has not taken this case on", step_back_codes, true, step_back_args,
     "`STEP_BACK`", "m's seat accepted or in mediation; `minutes` ≤ 100000: the hours m gave",
     "m marked `declined`; the minutes go into the ledger as given by m's municipality; m's node "
     "gets `stepped_back` and destroys its copy of the narrative; new shortlist, the history "
     "kept"},
    {JOURNEY_REASSIGN, "ask for another mediator", ACT(REASSIGN), "case.reassign", ROLE_HR,
     BY_REQUESTER, ST(ACCEPTED) | ST(IN_MEDIATION), CS(SHORTLISTED), NAMES_CURRENT,
     "that mediator has not taken this case on", reassign_codes, true, reassign_args,
     "`REASSIGN m`", "m's seat accepted or in mediation; `minutes` ≤ 100000: the hours m gave",
     "m marked `vetoed` (code `party-objects`), `declined` (`conflict-of-interest`) or `replaced` "
     "(any other code); the minutes go into the ledger as given by m's municipality; m's node "
     "gets `reassigned` and destroys its copy of the narrative; new shortlist, the history kept"},
    {JOURNEY_EDIT, "edit", ACT(EDIT), "case.edit", ROLE_HR, BY_REQUESTER,
     ST(POSTED) | ST(SHORTLISTED) | ST(ESCALATED), CS(SHORTLISTED), NAMES_NONE,
     "an offer was made: the case can no longer be edited; withdraw it and post it again", NULL,
     false, edit_args, "`EDIT` with `edit`",
     "no seat held; `edit` a valid `CasePost` with the case's id, requester and domain",
     "the coordinator takes its language, urgency, seats, certification, parties and decision "
     "date; new shortlist, reason \"edited by the requesting municipality\""},
    {JOURNEY_NAMES, "send the parties' names", ACT(SEND_NAMES), NULL, 0, BY_REQUESTER,
     ST(OFFERED) | ST(AWAITING_CONSENT) | ST(ACCEPTED) | ST(IN_MEDIATION), 0, NAMES_CURRENT,
     "that mediator holds no offer of this case", NULL, false, NULL,
     "`SEND_NAMES m` (automatic, on the event that offers the case to m)",
     "m holds a seat of the case; `sealed` 48 bytes to 8 KiB + 48 bytes",
     "the state stays; m's node gets the sealed names, unread on the way, and keeps them until "
     "the offer ends without acceptance (then they are destroyed) or, once accepted, as long "
     "as the narrative"},
    {JOURNEY_EXPIRE, "expire", 0, NULL, 0, BY_COORDINATOR, ST(OFFERED), CS(SHORTLISTED),
     NAMES_CURRENT, "the offer is no longer open", NULL, false, NULL,
     "the offer's time passed (checked every second)", "m's seat offered",
     "m marked `expired`, m's node gets `expired`; m's seat opens; new shortlist"},
    {JOURNEY_OVERRIDE, "override", 0, "pool.override", ROLE_COORDINATOR, BY_COORDINATOR,
     ST(SHORTLISTED) | ST(ESCALATED) | ST(OFFERED) | ST(AWAITING_CONSENT) | ST(ACCEPTED) |
         ST(IN_MEDIATION),
     CS(OFFERED), NAMES_ANY, "a case that is posted, chosen or has ended cannot be overridden",
     NULL, false, override_args, "override",
     "m is eligible, or excluded only by availability, capacity, language, certification, "
     "distance, an earlier replacement on this case or an offer of it they let expire; never by "
     "a conflict (party or excluded municipality, veto, decline, "
     "involvement or relationship not waived)",
     "m takes an open seat, or the seat of `replace` (needed when two seats are held): that "
     "mediator is marked `replaced` and gets `withdrawn` (an offer) or `reassigned` (a case "
     "they took on: their copy of the narrative is destroyed, and the optional `minutes` they "
     "gave go into the ledger); `offered` to m until now + `offer_expiry`; requester (with m's "
     "`box_key`, as after a choice) and m's node get it"},
    {JOURNEY_ROUND, "batch round", 0, "pool.round", ROLE_COORDINATOR, BY_COORDINATOR,
     ST(SHORTLISTED) | ST(ESCALATED), CS(SHORTLISTED), NAMES_NONE, "", NULL, false, no_args,
     "batch round", "—",
     "every shortlisted and escalated case is ranked again with the pool-wide optimum first "
     "(docs/matching.md); requester gets `shortlisted` (or `escalated`) with reason "
     "\"re-ranked by batch round N\""},
};

const struct journey_step *journey_step(enum journey_action action)
{
    return action < JOURNEY_ACTION_COUNT ? &steps[action] : NULL;
}

const struct journey_step *journey_step_of_wire(int wire_action)
{
    for (size_t i = 0; wire_action != 0 && i < JOURNEY_ACTION_COUNT; i++)
        if (steps[i].wire == wire_action)
            return &steps[i];
    return NULL;
}

const struct journey_step *journey_step_of_op(const char *op)
{
    for (size_t i = 0; i < JOURNEY_ACTION_COUNT; i++)
        if (steps[i].op && strcmp(steps[i].op, op) == 0)
            return &steps[i];
    return NULL;
}

const char *journey_reassign_mark(const char *code)
{
    for (size_t i = 0; i < sizeof reassign_marks / sizeof reassign_marks[0]; i++)
        if (code && strcmp(code, reassign_marks[i].code) == 0)
            return reassign_marks[i].mark;
    return "replaced";
}

bool journey_code_ok(const struct journey_step *s, const char *code)
{
    for (size_t i = 0; s->codes && s->codes[i]; i++)
        if (strcmp(s->codes[i], code) == 0)
            return true;
    return false;
}

void journey_codes_text(const struct journey_step *s, char *out, size_t len)
{
    if (s->codes)
        args_choices_text(s->codes, out, len);
    else if (len)
        out[0] = '\0';
}

bool journey_from(const struct journey_step *s, int state)
{
    return state >= 0 && state < 32 && (s->from & (1u << state)) != 0;
}

void journey_states_list(const struct journey_step *s, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int state = 1; state < 32 && used < len; state++)
        if (s->from & (1u << state)) {
            int w = snprintf(out + used, len - used, "%s%d", used ? ", " : "", state);
            if (w < 0)
                break;
            used += (size_t)w;
        }
}

/* ---- the checks --------------------------------------------------------- */

static const char *fields_problem(const struct journey_step *s, const Mpool__V1__CaseAction *a)
{
    if (!case_id_valid(a->case_id))
        return "malformed case id";
    if (!text_ok(a->actor, ID_MAX - 1))
        return "the actor is too long or not text";
    if (*a->reason_code ? !journey_code_ok(s, a->reason_code) : s->code_required)
        return *a->reason_code ? "unknown reason code; free text never leaves its node"
                               : "missing reason code";
    if (s->names != NAMES_NONE ? !mediator_id_valid(a->mediator_id)
                               : *a->mediator_id && !mediator_id_valid(a->mediator_id))
        return "malformed mediator id";
    if (s->action != JOURNEY_CLOSE && a->n_hours)
        return "only a close carries hours per mediator";
    switch (s->action) {
    case JOURNEY_CLOSE:
        if (a->outcome < MPOOL__V1__OUTCOME__OUTCOME_AGREEMENT ||
            a->outcome > MPOOL__V1__OUTCOME__OUTCOME_REFERRED || a->minutes > 100000 ||
            a->n_hours > 2)
            return "unknown outcome or implausible hours";
        for (size_t i = 0; i < a->n_hours; i++)
            if (!mediator_id_valid(a->hours[i]->mediator_id) || a->hours[i]->minutes > 100000)
                return "hours for a malformed mediator id, or implausible hours";
        break;
    case JOURNEY_DEADLINE:
        if (deadline_parse(a->decide_by) < 0)
            return "the new decision date is not a date YYYY-MM-DD";
        break;
    case JOURNEY_REASSIGN:
        if (a->minutes > 100000)
            return "implausible hours";
        break;
    case JOURNEY_EDIT:
        if (!a->edit || strcmp(a->edit->case_id, a->case_id) != 0)
            return "an edit carries the case as it now reads, with the same id";
        if (journey_post_problem(a->edit))
            return journey_post_problem(a->edit);
        break;
    case JOURNEY_STEP_BACK:
    case JOURNEY_DECLINE:
        if (a->minutes > 100000)
            return "implausible hours";
        /* a note sealed to the requesting node */
        return a->sealed.len > REASON_MAX + crypto_box_SEALBYTES
                   ? "the sealed note is larger than a note can be"
                   : NULL;
    case JOURNEY_ACCEPT:
        if (a->declaration == MPOOL__V1__DECLARATION__DECLARATION_NO_CONFLICT)
            break;
        if (a->declaration != MPOOL__V1__DECLARATION__DECLARATION_DISCLOSURE)
            return "acceptance needs a declaration or a disclosure";
        if (a->disclosure < MPOOL__V1__DISCLOSURE__DISCLOSURE_RELATIONSHIP ||
            a->disclosure > MPOOL__V1__DISCLOSURE__DISCLOSURE_INTEREST)
            return "unknown kind of disclosure";
        if (a->sealed.len > REASON_MAX + crypto_box_SEALBYTES)
            return "the sealed note is larger than a note can be";
        return NULL;
    case JOURNEY_DELIVER:
        if (a->sealed.len < crypto_box_SEALBYTES ||
            a->sealed.len > NARRATIVE_MAX + crypto_box_SEALBYTES)
            return "the sealed narrative has an impossible size";
        return NULL;
    case JOURNEY_NAMES:
        if (a->sealed.len < crypto_box_SEALBYTES ||
            a->sealed.len > PARTY_NAMES_MAX + crypto_box_SEALBYTES)
            return "the sealed names have an impossible size";
        return NULL;
    default:
        break;
    }
    if (s->action != JOURNEY_DEADLINE && *a->decide_by)
        return "only a moved decision date carries a date";
    if (s->action != JOURNEY_EDIT && a->edit)
        return "only an edit carries a case";

    return a->sealed.len ? "this action carries no sealed text" : NULL;
}

const struct journey_seat *journey_seat_of(const struct journey_view *v, const char *mediator_id)
{
    for (size_t i = 0; mediator_id && *mediator_id && i < v->n_seats; i++)
        if (strcmp(v->seats[i].mediator_id, mediator_id) == 0)
            return &v->seats[i];
    return NULL;
}

/* How far a held seat has come, for the case's state: the least wins. */
static int seat_progress(int state)
{
    switch (state) {
    case CS(OFFERED):
        return 1;
    case CS(AWAITING_CONSENT):
        return 2;
    case CS(ACCEPTED):
        return 3;
    default:
        return 4;
    }
}

int journey_case_state(int seats, const struct journey_seat *held, size_t n_held, int waiting)
{
    if (n_held < (size_t)seats || n_held == 0)
        return waiting;
    int least = held[0].state;
    for (size_t i = 1; i < n_held; i++)
        if (seat_progress(held[i].state) < seat_progress(least))
            least = held[i].state;
    return least;
}

static bool same_municipality(const char *m1, const char *m2)
{
    const char *c1 = strchr(m1, ':'), *c2 = strchr(m2, ':');
    return c1 && c2 && c1 - m1 == c2 - m2 && strncmp(m1, m2, (size_t)(c1 - m1)) == 0;
}

/* CLOSE with hours names every seat's mediator once. */
static const char *hours_problem(const Mpool__V1__CaseAction *a, const struct journey_view *v)
{
    if (a->n_hours == 0)
        return NULL;
    if (a->n_hours != v->n_seats)
        return "give the hours of every mediator of the case, once each";
    for (size_t i = 0; i < a->n_hours; i++) {
        if (!journey_seat_of(v, a->hours[i]->mediator_id))
            return "hours for a mediator who does not hold this case";
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->hours[i]->mediator_id, a->hours[j]->mediator_id) == 0)
                return "give the hours of every mediator of the case, once each";
    }
    return NULL;
}

static const char *mediator_problem(const struct journey_step *s, const Mpool__V1__CaseAction *a,
                                    const struct journey_view *v)
{
    bool current = journey_seat_of(v, a->mediator_id) != NULL;
    switch (s->names) {
    case NAMES_SHOWN:
        if (current)
            return "that mediator already holds a seat of this case";
        for (size_t i = 0; i < v->n_seats; i++)
            if (same_municipality(v->seats[i].mediator_id, a->mediator_id))
                return "the two mediators of a case come from two different municipalities";
        return v->shown ? NULL : "that mediator was not on any shortlist of this case";
    case NAMES_SHOWN_OR_CURRENT:
        return v->shown || current ? NULL : "that mediator was not proposed for this case";
    case NAMES_CURRENT:
        return current ? NULL : s->refusal;
    default:
        /* An edit comes before any offer: a held seat is one. */
        if (s->action == JOURNEY_EDIT && v->n_seats)
            return s->refusal;
        return s->action == JOURNEY_CLOSE ? hours_problem(a, v) : NULL;
    }
}

/* The state a step is checked against: the seat of the mediator it names
 * when they hold one and the step is about them, else the case's. */
static int state_for(const struct journey_step *s, const Mpool__V1__CaseAction *a,
                     const struct journey_view *v)
{
    const struct journey_seat *seat = journey_seat_of(v, a->mediator_id);
    bool about_seat = s->names == NAMES_CURRENT || s->names == NAMES_SHOWN_OR_CURRENT;
    /* A case that ended ended for every seat, whatever a copy says. */
    bool ended = v->state == CS(CLOSED) || v->state == CS(WITHDRAWN);
    return seat && about_seat && !ended ? seat->state : v->state;
}

enum journey_verdict journey_check_action(const Mpool__V1__CaseAction *a,
                                          const struct journey_view *v, char *why, size_t len)
{
    const struct journey_step *s = journey_step_of_wire(a->action);
    const char *problem = s ? fields_problem(s, a) : "unknown action";
    if (problem) {
        snprintf(why, len, "%s", problem);
        return JOURNEY_MALFORMED;
    }
    problem = !journey_from(s, state_for(s, a, v)) ? s->refusal : mediator_problem(s, a, v);
    if (problem) {
        snprintf(why, len, "%s", problem);
        bool automatic = s->role == 0 && !s->op && s->by == BY_REQUESTER;
        return automatic && s->to == 0 ? JOURNEY_LATE : JOURNEY_REFUSED;
    }
    return JOURNEY_OK;
}

/* Legacy references are pseudonyms only (docs/privacy.md, names). */
bool journey_legacy_parties_ok(const Mpool__V1__CasePost *p)
{
    if (p->n_legacy_parties > 16)
        return false;
    for (size_t i = 0; i < p->n_legacy_parties; i++)
        if (!party_ref_valid(p->legacy_parties[i]) || strncmp(p->legacy_parties[i], "p:", 2) != 0)
            return false;
    return true;
}

const char *journey_post_problem(const Mpool__V1__CasePost *p)
{
    if (!case_id_valid(p->case_id))
        return "malformed case id";
    if (!*p->domain || !text_ok(p->domain, DOMAIN_MAX) || !*p->language ||
        !text_ok(p->language, LANGUAGE_MAX))
        return "domain or language missing, too long or not text";
    if (p->urgency < MPOOL__V1__URGENCY__URGENCY_LOW ||
        p->urgency > MPOOL__V1__URGENCY__URGENCY_HIGH)
        return "unknown urgency";
    if (p->seats < 1 || p->seats > 2)
        return "seats must be 1 or 2";
    if (p->n_parties == 0 || p->n_parties > 16)
        return "a case needs 1 to 16 parties";
    for (size_t i = 0; i < p->n_parties; i++)
        if (!party_ref_valid(p->parties[i]))
            return "a party is neither m:<municipality> nor p:<pseudonym>";
    if (!journey_legacy_parties_ok(p))
        return "a legacy party reference is not p:<pseudonym>, or there are more than 16";
    if (!isfinite(p->lat) || !isfinite(p->lon) || p->lat < -90 || p->lat > 90 || p->lon < -180 ||
        p->lon > 180)
        return "location out of range";
    enum deadline_kind kind = deadline_kind_parse(p->deadline_kind);
    if ((kind == DEADLINE_NONE) != !*p->deadline_kind ||
        (kind == DEADLINE_NONE) != (deadline_parse(p->decide_by) < 0) ||
        (kind == DEADLINE_NONE && *p->decide_by))
        return "a decision period needs both a kind (objection, complaint or internal) and a "
               "date YYYY-MM-DD, or neither";
    if (p->lat == 0 && p->lon == 0)
        return "no location: 0, 0 counts as none; give the place of the mediation, or none for the "
               "requesting municipality's own";
    return NULL;
}

/* ---- section 9 of docs/protocol.md ------------------------------------ */

static void print_states(FILE *out, unsigned from)
{
    if (from == JOURNEY_NEW) {
        fputs("—", out);
        return;
    }
    if (from == ANY_BUT) {
        fputs("any but closed, withdrawn", out);
        return;
    }
    const char *sep = "";
    for (int s = 1; s < 32; s++)
        if (from & (1u << s)) {
            fprintf(out, "%s%s", sep, case_state_name(s));
            sep = ", ";
        }
}

static const char *sender_words(enum journey_sender by)
{
    return by == BY_REQUESTER ? "requesting node" : by == BY_MEDIATOR ? "m's node" : "coordinator";
}

static void print_who(FILE *out, const struct journey_step *s)
{
    fprintf(out, "%s, %s", s->doc_trigger, sender_words(s->by));
    if (!s->role)
        return;
    char role[32];
    role_format(s->role, role, sizeof role);
    if (s->op)
        fprintf(out, " (%s: `%s`)", role, s->op);
    else
        fprintf(out, " (%s)", role);
}

void journey_markdown(FILE *out)
{
    fputs("| from | step, who may take it | conditions | result and events | refused with | "
          "reason codes |\n"
          "|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < JOURNEY_ACTION_COUNT; i++) {
        const struct journey_step *s = &steps[i];
        fputs("| ", out);
        print_states(out, s->from);
        fputs(" | ", out);
        print_who(out, s);
        char codes[200];
        journey_codes_text(s, codes, sizeof codes);
        fprintf(out, " | %s | %s | %s | %s%s |\n", s->doc_conditions, s->doc_result,
                *s->refusal ? s->refusal : "—", *codes ? codes : "—",
                *codes && !s->code_required ? " (when refusing)" : "");
    }
}

/* journey: the case journey as one table.
 *
 * For every step a case can take (post, choose, veto, consent, ...) one
 * row says who may take it (the person's role, and the node the message
 * must come from), from which states, to which state it leads, which
 * mediator it must name, and which arguments the client operation takes.
 * A member node checks a person's request against it before it answers
 * OK and queues anything; the coordinator checks the message against it,
 * with the same functions, before it applies it. docs/protocol.md
 * section 9 is printed from it (journey_markdown). */
#ifndef MPOOL_JOURNEY_H
#define MPOOL_JOURNEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mpool.pb-c.h"
#include "wire/args.h"

enum journey_action {
    JOURNEY_POST,
    JOURNEY_CHOOSE,
    JOURNEY_VETO,
    JOURNEY_CONSENT,
    JOURNEY_REFUSE_CONSENT,
    JOURNEY_WITHDRAW,
    JOURNEY_CLOSE,
    JOURNEY_DEADLINE,
    JOURNEY_DELIVER,
    JOURNEY_ACCEPT,
    JOURNEY_DECLINE,
    JOURNEY_STEP_BACK,
    JOURNEY_REASSIGN,
    JOURNEY_EDIT,
    JOURNEY_NAMES,
    JOURNEY_EXPIRE,
    JOURNEY_OVERRIDE,
    JOURNEY_ROUND,
    JOURNEY_ACTION_COUNT
};

/* The node a step's message must come from. */
enum journey_sender {
    BY_REQUESTER = 1, /* the node that posted the case */
    BY_MEDIATOR,      /* the node of the CaseAction's mediator_id */
    BY_COORDINATOR,   /* the coordinator itself: a person there, or its clock */
};

/* What the step says about the mediator it names. */
enum journey_mediator {
    NAMES_NONE,             /* names no mediator (or the current one, unchecked) */
    NAMES_SHOWN,            /* one shown for the case on a shortlist the requester received */
    NAMES_SHOWN_OR_CURRENT, /* one shown for the case, or one who holds a seat of it */
    NAMES_CURRENT,          /* the one the case is with */
    NAMES_ANY,              /* any mediator of the pool (the pool's rules decide) */
};

/* A bit per CaseState; bit 0 (UNSPECIFIED) stands for a case not yet known. */
#define JOURNEY_STATE(s) (1u << MPOOL__V1__CASE_STATE__CASE_STATE_##s)
#define JOURNEY_NEW      1u

struct journey_step {
    enum journey_action action;
    const char *name; /* the step in words, for logs and docs */
    int wire;         /* its Mpool__V1__Action, 0 when it is no CaseAction */
    const char *op;   /* the client operation that takes it, or NULL */
    unsigned role;    /* enum role bits of the person; 0: automatic */
    enum journey_sender by;
    unsigned from; /* JOURNEY_STATE bits */
    int to;        /* the state it leads to (Mpool__V1__CaseState); 0: it stays */
    enum journey_mediator names;
    const char *refusal; /* why not, when the state or mediator does not fit */
    /* The reasons a person may give, as codes (NULL-terminated), or NULL
     * when the step takes none. Only the code travels. */
    const char *const *codes;
    bool code_required;          /* the step needs one (consent: only when refusing) */
    const struct arg_spec *args; /* the client operation's arguments */
    /* For docs/protocol.md: the trigger, the conditions, what happens. */
    const char *doc_trigger, *doc_conditions, *doc_result;
};

const struct journey_step *journey_step(enum journey_action action);
/* The step of a CaseAction.action, or NULL. */
const struct journey_step *journey_step_of_wire(int wire_action);
/* The first step a client operation takes, or NULL. */
const struct journey_step *journey_step_of_op(const char *op);
bool journey_from(const struct journey_step *s, int state);
/* The states a step starts from as "4" or "2, 10", for SQL's IN (...). */
void journey_states_list(const struct journey_step *s, char *out, size_t len);

/* A held seat of a case: its mediator and where the seat stands. */
struct journey_seat {
    const char *mediator_id;
    int state; /* Mpool__V1__CaseState: offered .. in_mediation, closed, withdrawn */
};

/* A case as the checking side sees it. A step that names a mediator who
 * holds a seat is checked against that seat's state; every other step
 * against the case's. */
struct journey_view {
    int state;                        /* Mpool__V1__CaseState; 0: the side does not know the case */
    const struct journey_seat *seats; /* the held seats */
    size_t n_seats;
    /* The action's mediator was shown for this case: on a shortlist the
     * requesting node received, the current one or an earlier one. A
     * re-rank changes the order and may add names; it never takes a choice
     * away. Whether they are still eligible now is the coordinator's
     * check when it applies the step. */
    bool shown;
};

/* The seat mediator_id holds, or NULL. */
const struct journey_seat *journey_seat_of(const struct journey_view *v, const char *mediator_id);
/* The state a case with these held seats is in, out of `seats` (1 or 2):
 * `waiting` (shortlisted or escalated) while a seat is open, else the
 * least advanced seat's (offered, awaiting consent, accepted, in
 * mediation). */
int journey_case_state(int seats, const struct journey_seat *held, size_t n_held, int waiting);

enum journey_verdict {
    JOURNEY_OK,
    JOURNEY_MALFORMED, /* a field is missing, out of range or not text */
    JOURNEY_REFUSED,   /* the case's state or mediator does not allow it */
    /* An automatic step that changes no state (the parties' names) and
     * finds its seat gone: the offer ended on the way; nobody asked for it,
     * so nobody is told, and it is dropped. */
    JOURNEY_LATE,
};

/* The check both ends make on a CaseAction. why gets a reason in words. */
enum journey_verdict journey_check_action(const Mpool__V1__CaseAction *a,
                                          const struct journey_view *v, char *why, size_t len);
/* The fields of a CasePost: NULL when valid, else what is wrong. */
const char *journey_post_problem(const Mpool__V1__CasePost *p);
/* True when the legacy references of p are at most 16 pseudonyms. */
bool journey_legacy_parties_ok(const Mpool__V1__CasePost *p);

/* The mark ("vetoed", "declined" or "replaced") a reassignment with
 * reason code leaves on the mediator for the case. */
const char *journey_reassign_mark(const char *code);
/* Whether code is one of the step's reason codes. */
bool journey_code_ok(const struct journey_step *s, const char *code);
/* "a, b or c": the step's codes for messages and help; "" when none. */
void journey_codes_text(const struct journey_step *s, char *out, size_t len);

/* Section 9's table of steps, as Markdown. */
void journey_markdown(FILE *out);

#endif

/* names: the words for enum values used in the database, the client API
 * and the logs. Parsers return 0 (the _UNSPECIFIED value) for unknown. */
#ifndef MPOOL_NAMES_H
#define MPOOL_NAMES_H

#include <stdbool.h>

const char *case_state_name(int state);
int case_state_parse(const char *name);
const char *outcome_name(int outcome);
int outcome_parse(const char *name);
const char *urgency_name(int urgency);
int urgency_parse(const char *name);
const char *disclosure_name(int disclosure);
int disclosure_parse(const char *name);

/* A case has ended once closed or withdrawn: in SQL over the member's
 * state words (m_cases) and the coordinator's numbers (c_cases), and in C.
 * The one list; retention, listings and refusals all read it. */
#define CASE_ENDED_NAMES   "('closed', 'withdrawn')"
#define CASE_ENDED_NUMBERS "(8, 9)"
bool case_state_ended(const char *name);
/* A mediator has taken the case on: a case in these states is not at risk
 * of its decision date (`pool stuck`, `case due`, the deadline notice). */
#define CASE_TAKEN_NAMES   "('accepted', 'in_mediation')"
#define CASE_TAKEN_NUMBERS "(5, 7)"
/* At risk: a decision date on or before the day `limit` (an SQL parameter),
 * and nobody has taken the case on, nor has it ended. The one rule, over
 * the coordinator's cases (state numbers) and a member's (state names). */
#define AT_RISK_SQL(state, decide_by, limit, ended, taken)                                         \
    "(" decide_by " IS NOT NULL AND " decide_by " <= " limit " AND " state " NOT IN " ended        \
    " AND " state " NOT IN " taken ")"
/* The states in which an offer has ended at the mediator's node (m_offers). */
#define OFFER_ENDED_NAMES                                                                          \
    "('closed', 'withdrawn', 'declined', 'expired', 'vetoed', 'refused_consent', 'stepped_back', " \
    "'reassigned')"
bool offer_state_ended(const char *name);

/* A state in the words people read: mpool's text output and the node's
 * refusals. The names stay as they are on the wire, in the database and
 * under --json. A name without words comes back as it is. */
const char *case_state_words(const char *name);
/* An offer's state, as the mediator reads it. */
const char *offer_state_words(const char *name);

#endif

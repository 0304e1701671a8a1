/* names: the words for enum values used in the database, the client API
 * and the logs. Parsers return 0 (the _UNSPECIFIED value) for unknown. */
#ifndef MPOOL_NAMES_H
#define MPOOL_NAMES_H

const char *case_state_name(int state);
int case_state_parse(const char *name);
const char *outcome_name(int outcome);
int outcome_parse(const char *name);
const char *urgency_name(int urgency);
int urgency_parse(const char *name);
const char *disclosure_name(int disclosure);
int disclosure_parse(const char *name);

#endif

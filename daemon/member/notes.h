/* notes: the words people typed that stay at this node.
 *
 * A reason given with a step travels as a code; what HR typed with it is
 * kept here, at the requesting node, and so is a mediator's note on a
 * decline or a step back, which reaches this node sealed to its own key. case.show lists
 * them beside the case's history. */
#ifndef MPOOL_NOTES_H
#define MPOOL_NOTES_H

#include <jansson.h>

#include "node/node.h"

/* Keeps a note on case_id inside the caller's transaction; an empty text
 * keeps nothing. author is "<user>" here or "<node>/<user>" elsewhere. */
int case_note_add(struct node *n, const char *case_id, const char *author, const char *step,
                  const char *code, const char *text, size_t len);
/* The step and reason code of a mediator's sealed note, from the reason of
 * the event that brought it: "step back" or "decline", with the code in
 * code ("" when the reason has none). */
const char *case_note_step_of(const char *reason, char *code, size_t len);
/* [{"at_ms","author","step","code","text"}] of case_id, oldest first. */
json_t *case_notes_json(struct node *n, const char *case_id);

#endif

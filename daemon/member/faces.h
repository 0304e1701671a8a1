/* faces: the public face of the pool's mediators (display name and a
 * short text, as in the MfN register) as the shortlists of this node's
 * cases showed them, so that HR can show the parties people, not ids. */
#ifndef MPOOL_FACES_H
#define MPOOL_FACES_H

#include <jansson.h>

#include "mpool.pb-c.h"
#include "node/node.h"

/* Keeps the faces of the event's shortlist (m_pool_mediators). 0 or -1. */
int faces_keep(struct node *n, const Mpool__V1__CaseEvent *ev);
/* Adds "display_name" and "about" to each object of list that has a
 * "mediator_id" ("" for a mediator no shortlist showed). */
void faces_add(struct node *n, json_t *list);

#endif

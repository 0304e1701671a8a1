/* edit: the requesting municipality changed its case before any offer
 * (journey step EDIT): the coordinator takes the new language, urgency,
 * seats, certification and parties, and ranks the case again. */
#ifndef MPOOL_EDIT_H
#define MPOOL_EDIT_H

#include "coord/cases.h"

int case_edit(struct node *n, struct ccase *c, const char *actor, const Mpool__V1__CaseAction *a);

#endif

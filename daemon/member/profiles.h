/* profiles: this node's mediators as the coordinator knows them.
 *
 * A profile always travels whole, so the last one wins and a lost or
 * repeated message cannot leave half an update. A mediator who leaves the
 * node's list is retired with an inactive profile. */
#ifndef MPOOL_PROFILES_H
#define MPOOL_PROFILES_H

#include "node/node.h"

/* Queues the whole profile of u inside the caller's transaction. */
int mediator_profile_send(struct node *n, const struct user *u);
/* Queues the profile of every registered mediator still on the node's
 * list, inside the caller's transaction (a coordinator that started
 * afresh has to learn them again). */
int mediator_profiles_requeue(struct node *n);
/* After a reload of users.ini, in a transaction of its own: retires the
 * mediators who left the list (or lost the role) and sends again the
 * profiles of those who returned or were given a new key. */
int mediator_profiles_sync(struct node *n);

#endif

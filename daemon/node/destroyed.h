/* destroyed: the node's destruction list (AVG art. 5(1)(e)): what kind of
 * record was destroyed, of which case, when, and by which rule. */
#ifndef MPOOL_DESTROYED_H
#define MPOOL_DESTROYED_H

#include <sqlite3.h>

/* Records one destruction inside the caller's transaction. */
int destroyed_add(sqlite3 *db, const char *kind, const char *case_id, const char *rule);

#endif

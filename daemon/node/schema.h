/* schema: the numbered migrations of a node's database. */
#ifndef MPOOL_SCHEMA_H
#define MPOOL_SCHEMA_H

#include <stddef.h>

extern const char *const schema_migrations[];
extern const size_t schema_migration_count;

#endif

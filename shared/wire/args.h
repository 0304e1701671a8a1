/* args: strict reading of a client request's arguments (a JSON object).
 *
 * Each operation lists the keys it takes; a key it does not list, a value
 * of the wrong type, a text that is too long or not UTF-8 without control
 * characters, and a missing required key are refused with a reason that
 * names the key. */
#ifndef MPOOL_ARGS_H
#define MPOOL_ARGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/ids.h"

enum arg_kind {
    ARG_TEXT,    /* a string of 1 (0 when optional) to max bytes, see text_ok */
    ARG_CHOICE,  /* one of choices */
    ARG_INT,     /* a whole number from lo to hi */
    ARG_NUMBER,  /* a finite number from lo to hi */
    ARG_BOOL,    /* true or false */
    ARG_TEXTS,   /* a list of lo to hi texts, each of 1 to max bytes */
    ARG_OBJECTS, /* a list of lo to hi objects, each read with items */
    ARG_LINES,   /* a string of 0 to max characters that may hold line breaks */
};

struct arg_spec {
    const char *key;
    enum arg_kind kind;
    bool required;
    size_t max;                   /* ARG_TEXT, ARG_TEXTS: bytes per text; ARG_LINES: characters */
    double lo, hi;                /* ARG_INT, ARG_NUMBER: value; lists: items */
    const char *const *choices;   /* ARG_CHOICE: NULL-terminated */
    const struct arg_spec *items; /* ARG_OBJECTS: the keys of each item */
};
/* The paging arguments of a list op (api/request.h, struct page). */
#define PAGE_ARGS                                                                                  \
    {"limit", ARG_INT, false, 0, 1, 1000, NULL, NULL},                                             \
    {                                                                                              \
        "after", ARG_INT, false, 0, 0, 1e9, NULL, NULL                                             \
    }
/* A spec list ends with an entry whose key is NULL. */
#define ARG_SPEC_END                                                                               \
    {                                                                                              \
        NULL, ARG_TEXT, false, 0, 0, 0, NULL, NULL                                                 \
    }

/* The case id of an operation on one case ("<node>-<8 hex>"). */
#define ARG_SPEC_CASE_ID                                                                           \
    {                                                                                              \
        "case_id", ARG_TEXT, true, ID_MAX + 12, 0, 0, NULL, NULL                                   \
    }

/* 0 when args fit spec; else -1 with a one-line reason in why. */
int args_check(const struct arg_spec *spec, const json_t *args, char *why, size_t len);

/* "a, b or c" for a NULL-terminated list, for messages. */
void args_choices_text(const char *const *choices, char *out, size_t len);

#endif

/* instance: a matching problem read from JSON into the matcher's structures.
 *
 * Every object is checked against a table of its fields, so a misspelt key
 * is an error rather than a silently ignored setting. The jansson tree stays
 * alive after parsing: the structures point at its strings, and one block
 * holds every list of those pointers. */
#include "match/instance.h"

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_TEXT_MAX 60 /* characters of a user's string quoted in an error */

enum field_kind {
    FIELD_ID,       /* non-empty text */
    FIELD_TEXT,     /* text, may be empty */
    FIELD_LIST,     /* array of text */
    FIELD_NUMBER,   /* number from lo to hi */
    FIELD_POSITIVE, /* number greater than 0 */
    FIELD_INT,      /* whole number from lo to hi, stored as int */
    FIELD_INT64,    /* any whole number, stored as int64_t */
    FIELD_BOOL,
};

struct field {
    const char *name;
    enum field_kind kind;
    size_t offset;
    bool required;
    double lo, hi;
    const char *want; /* completes "must be ..." */
};

union field_value {
    const char *text;
    struct match_strings list;
    double number;
    int whole;
    int64_t whole64;
    bool flag;
};

struct instance_storage {
    json_t *root;
    size_t n_strings;
    const char *strings[];
};

/* One municipality: its balance is copied to each of its mediators. */
struct municipality {
    const char *id;
    int64_t balance_hours;
};

/* Open addressing over ids; `at` is the position in the source array. */
struct id_slot {
    const char *key;
    size_t at;
};

struct id_index {
    struct id_slot *slots;
    size_t mask;
};

struct parser {
    char *err;
    size_t errlen;
    const char **next_string; /* next free entry of storage->strings */
    const char **end_string;
};

#define MEDIATOR(member) offsetof(struct match_mediator, member)
#define CASE(member)     offsetof(struct match_case, member)
#define WEIGHT(member)   offsetof(struct match_weights, member)
#define ROW(member)      offsetof(struct municipality, member)

static const struct field weight_fields[] = {
    {"distance_per_km", FIELD_INT64, WEIGHT(distance_per_km), false, 0, 1000000,
     "a whole number from 0 to 1000000"},
    {"specialty_miss", FIELD_INT64, WEIGHT(specialty_miss), false, 0, 1000000000,
     "a whole number from 0 to 1000000000"},
    {"balance_per_hour", FIELD_INT64, WEIGHT(balance_per_hour), false, 0, 1000000,
     "a whole number from 0 to 1000000"},
    {"load_step", FIELD_INT64, WEIGHT(load_step), false, 0, 1000000,
     "a whole number from 0 to 1000000"},
    {"recent_requester", FIELD_INT64, WEIGHT(recent_requester), false, 0, 1000000000,
     "a whole number from 0 to 1000000000"},
    {"needs_cases_bonus", FIELD_INT64, WEIGHT(needs_cases_bonus), false, 0, 1000000000,
     "a whole number from 0 to 1000000000"},
    {"unassigned", FIELD_INT64, WEIGHT(unassigned), false, 0, 1000000000000,
     "a whole number from 0 to 1000000000000"},
    {"deadline_per_day", FIELD_INT64, WEIGHT(deadline_per_day), false, 0, 1000000000,
     "a whole number from 0 to 1000000000"},
    {"deadline_horizon", FIELD_INT64, WEIGHT(deadline_horizon), false, 0, 3650,
     "a whole number from 0 to 3650"},
    {NULL, 0, 0, false, 0, 0, NULL},
};

static const struct field municipality_fields[] = {
    {"id", FIELD_ID, ROW(id), true, 0, 0, "non-empty text"},
    {"balance_hours", FIELD_INT64, ROW(balance_hours), false, -1000000, 1000000,
     "a whole number from -1000000 to 1000000"},
    {NULL, 0, 0, false, 0, 0, NULL},
};

static const struct field mediator_fields[] = {
    {"id", FIELD_ID, MEDIATOR(id), true, 0, 0, "non-empty text"},
    {"municipality", FIELD_ID, MEDIATOR(municipality), true, 0, 0, "non-empty text"},
    {"lat", FIELD_NUMBER, MEDIATOR(lat), true, -90, 90, "a number from -90 to 90"},
    {"lon", FIELD_NUMBER, MEDIATOR(lon), true, -180, 180, "a number from -180 to 180"},
    {"capacity", FIELD_INT, MEDIATOR(capacity), true, 0, 1000, "a whole number from 0 to 1000"},
    {"open_cases", FIELD_INT, MEDIATOR(open_cases), false, 0, INT_MAX, "a whole number, 0 or more"},
    {"languages", FIELD_LIST, MEDIATOR(languages), false, 0, 0, "an array of text"},
    {"specialties", FIELD_LIST, MEDIATOR(specialties), false, 0, 0, "an array of text"},
    {"relationships", FIELD_LIST, MEDIATOR(relationships), false, 0, 0, "an array of text"},
    {"recent_requesters", FIELD_LIST, MEDIATOR(recent_requesters), false, 0, 0, "an array of text"},
    {"certified", FIELD_BOOL, MEDIATOR(certified), false, 0, 0, "true or false"},
    {"available", FIELD_BOOL, MEDIATOR(available), false, 0, 0, "true or false"},
    {"cases_last_365d", FIELD_INT, MEDIATOR(cases_last_365d), false, 0, INT_MAX,
     "a whole number, 0 or more"},
    {NULL, 0, 0, false, 0, 0, NULL},
};

static const struct field case_fields[] = {
    {"id", FIELD_ID, CASE(id), true, 0, 0, "non-empty text"},
    {"requester", FIELD_ID, CASE(requester), true, 0, 0, "non-empty text"},
    {"parties", FIELD_LIST, CASE(parties), false, 0, 0, "an array of text"},
    {"domain", FIELD_TEXT, CASE(domain), false, 0, 0, "text"},
    {"language", FIELD_ID, CASE(language), true, 0, 0, "non-empty text"},
    {"lat", FIELD_NUMBER, CASE(lat), true, -90, 90, "a number from -90 to 90"},
    {"lon", FIELD_NUMBER, CASE(lon), true, -180, 180, "a number from -180 to 180"},
    {"seats", FIELD_INT, CASE(seats), false, 1, 2, "1 or 2"},
    {"requires_certified", FIELD_BOOL, CASE(requires_certified), false, 0, 0, "true or false"},
    {"max_distance_km", FIELD_POSITIVE, CASE(max_distance_km), false, 0, 20038,
     "a number greater than 0 and at most 20038 (half the earth's circumference)"},
    {"vetoed", FIELD_LIST, CASE(vetoed), false, 0, 0, "an array of text"},
    {"involved", FIELD_LIST, CASE(involved), false, 0, 0, "an array of text"},
    {"waived", FIELD_LIST, CASE(waived), false, 0, 0, "an array of text"},
    {"declined", FIELD_LIST, CASE(declined), false, 0, 0, "an array of text"},
    {"replaced", FIELD_LIST, CASE(replaced), false, 0, 0, "an array of text"},
    {"expired", FIELD_LIST, CASE(expired), false, 0, 0, "an array of text"},
    {"excluded_municipalities", FIELD_LIST, CASE(excluded_municipalities), false, 0, 0,
     "an array of text"},
    {"days_left", FIELD_INT, CASE(days_left), false, -36500, 36500,
     "a whole number from -36500 to 36500"},
    {NULL, 0, 0, false, 0, 0, NULL},
};

static const char *const top_level_keys[] = {"weights", "municipalities", "mediators", "cases",
                                             NULL};

/* ---- errors ------------------------------------------------------------ */

/* Text quoted in a message: cut to the buffer, and never breaking the line. */
static void shown_text(const char *s, char *out, size_t outlen)
{
    size_t n = 0;

    for (; *s && n + 1 < outlen; s++, n++)
        out[n] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    out[n] = '\0';
}

static int fail(struct parser *p, const char *fmt, ...)
{
    va_list ap;

    if (!p->err || p->errlen == 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* "mediators[3] (m7)": the element's place, and its id once it has one. */
static void element_name(const char *array, size_t i, json_t *element, char *out, size_t outlen)
{
    json_t *id = json_object_get(element, "id");

    if (json_is_string(id) && json_string_length(id) > 0) {
        char shown[SHOWN_TEXT_MAX + 1];
        shown_text(json_string_value(id), shown, sizeof shown);
        snprintf(out, outlen, "%s[%zu] (%s)", array, i, shown);
    } else {
        snprintf(out, outlen, "%s[%zu]", array, i);
    }
}

/* Lists the keys a table knows, so a typo's message shows the right one. */
static int fail_unknown_key(struct parser *p, const char *where, const char *key,
                            const char *const *known, size_t n_known)
{
    char list[512] = "";
    char shown[SHOWN_TEXT_MAX + 1];
    size_t used = 0;

    for (size_t i = 0; i < n_known && used < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", known[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    shown_text(key, shown, sizeof shown);
    return fail(p, "%s%s%s: unknown field; the known fields are %s", where, *where ? "." : "",
                shown, list);
}

/* ---- id index ------------------------------------------------------------ */

static uint64_t id_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int id_index_init(struct id_index *ix, size_t n)
{
    size_t size = 8;

    /* At most half full, so probes stay short. */
    while (size < n * 2) {
        if (size > SIZE_MAX / 2 / sizeof *ix->slots)
            return -1;
        size *= 2;
    }
    ix->slots = calloc(size, sizeof *ix->slots);
    ix->mask = size - 1;
    return ix->slots ? 0 : -1;
}

static void id_index_free(struct id_index *ix)
{
    free(ix->slots);
    ix->slots = NULL;
}

/* The slot holding key, or the empty slot where it belongs. */
static struct id_slot *id_index_slot(const struct id_index *ix, const char *key)
{
    size_t i = (size_t)id_hash(key) & ix->mask;

    while (ix->slots[i].key && strcmp(ix->slots[i].key, key) != 0)
        i = (i + 1) & ix->mask;
    return &ix->slots[i];
}

/* ---- fields ------------------------------------------------------------ */

static const struct field *find_field(const struct field *fields, const char *name)
{
    for (; fields->name; fields++)
        if (strcmp(fields->name, name) == 0)
            return fields;
    return NULL;
}

static int fail_field(struct parser *p, const char *where, const struct field *f)
{
    return fail(p, "%s%s%s: must be %s", where, *where ? "." : "", f->name, f->want);
}

static int take_list(struct parser *p, const char *where, const struct field *f, json_t *v,
                     struct match_strings *out)
{
    size_t i;
    json_t *item;

    if (!json_is_array(v))
        return fail_field(p, where, f);
    out->v = NULL;
    out->n = json_array_size(v);
    if (out->n == 0)
        return 0;
    out->v = p->next_string;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item))
            return fail(p, "%s.%s[%zu]: must be text", where, f->name, i);
        if (p->next_string == p->end_string)
            return fail(p, "%s.%s: internal error: lists miscounted", where, f->name);
        *p->next_string++ = json_string_value(item);
    }
    return 0;
}

static bool number_in_range(const struct field *f, json_t *v)
{
    if (!json_is_number(v))
        return false;
    double x = json_number_value(v);
    if (f->kind == FIELD_POSITIVE)
        return x > 0 && x <= f->hi;
    return x >= f->lo && x <= f->hi;
}

static bool int_in_range(const struct field *f, json_t *v)
{
    if (!json_is_integer(v))
        return false;
    json_int_t x = json_integer_value(v);
    return x >= (json_int_t)f->lo && x <= (json_int_t)f->hi;
}

/* Checks v's type and range into a value of f's kind. */
static int read_value(struct parser *p, const char *where, const struct field *f, json_t *v,
                      union field_value *out)
{
    switch (f->kind) {
    case FIELD_ID:
    case FIELD_TEXT:
        if (!json_is_string(v) || (f->kind == FIELD_ID && json_string_length(v) == 0))
            return fail_field(p, where, f);
        out->text = json_string_value(v);
        return 0;
    case FIELD_LIST:
        return take_list(p, where, f, v, &out->list);
    case FIELD_NUMBER:
    case FIELD_POSITIVE:
        if (!number_in_range(f, v))
            return fail_field(p, where, f);
        out->number = json_number_value(v);
        return 0;
    case FIELD_INT:
        if (!int_in_range(f, v))
            return fail_field(p, where, f);
        out->whole = (int)json_integer_value(v);
        return 0;
    case FIELD_INT64:
        if (!json_is_integer(v))
            return fail_field(p, where, f);
        out->whole64 = (int64_t)json_integer_value(v);
        /* Bounded, so that no sum of cost terms can overflow. */
        if (f->lo != f->hi && ((double)out->whole64 < f->lo || (double)out->whole64 > f->hi))
            return fail_field(p, where, f);
        return 0;
    case FIELD_BOOL:
        if (!json_is_boolean(v))
            return fail_field(p, where, f);
        out->flag = json_is_true(v);
        return 0;
    }
    return fail(p, "%s.%s: internal error: unknown field kind", where, f->name);
}

static size_t value_size(enum field_kind kind)
{
    union field_value u;

    switch (kind) {
    case FIELD_ID:
    case FIELD_TEXT:
        return sizeof u.text;
    case FIELD_LIST:
        return sizeof u.list;
    case FIELD_NUMBER:
    case FIELD_POSITIVE:
        return sizeof u.number;
    case FIELD_INT:
        return sizeof u.whole;
    case FIELD_INT64:
        return sizeof u.whole64;
    case FIELD_BOOL:
        return sizeof u.flag;
    }
    return 0;
}

/* Stores v at f's place in obj; memcpy, as obj's type varies by table. */
static int take_field(struct parser *p, const char *where, const struct field *f, json_t *v,
                      void *obj)
{
    union field_value value;

    if (read_value(p, where, f, v, &value) != 0)
        return -1;
    memcpy((char *)obj + f->offset, &value, value_size(f->kind));
    return 0;
}

static int fail_unknown_field(struct parser *p, const char *where, const char *key,
                              const struct field *fields)
{
    const char *names[32];
    size_t n = 0;

    for (; fields->name && n < sizeof names / sizeof names[0]; fields++)
        names[n++] = fields->name;
    return fail_unknown_key(p, where, key, names, n);
}

/* Fills obj from a JSON object; obj already holds the defaults. */
static int take_object(struct parser *p, const char *where, const struct field *fields,
                       json_t *json, void *obj)
{
    uint32_t seen = 0;
    const char *key;
    json_t *v;

    json_object_foreach(json, key, v)
    {
        const struct field *f = find_field(fields, key);
        if (!f)
            return fail_unknown_field(p, where, key, fields);
        if (take_field(p, where, f, v, obj) != 0)
            return -1;
        seen |= UINT32_C(1) << (f - fields);
    }
    for (const struct field *f = fields; f->name; f++)
        if (f->required && !(seen & (UINT32_C(1) << (f - fields))))
            return fail(p, "%s.%s: is required (%s)", where, f->name, f->want);
    return 0;
}

/* ---- elements ------------------------------------------------------------ */

/* Gives each element's id a place in ix; a second use is an error. */
static int claim_id(struct parser *p, struct id_index *ix, const char *where, const char *array,
                    const char *id, size_t i)
{
    struct id_slot *slot = id_index_slot(ix, id);

    if (slot->key) {
        char shown[SHOWN_TEXT_MAX + 1];
        shown_text(id, shown, sizeof shown);
        return fail(p, "%s.id: '%s' is already the id of %s[%zu]; ids must be unique", where, shown,
                    array, slot->at);
    }
    slot->key = id;
    slot->at = i;
    return 0;
}

static int take_municipalities(struct parser *p, json_t *array, struct municipality *out,
                               struct id_index *ix)
{
    size_t i;
    json_t *element;
    char where[128];

    json_array_foreach(array, i, element)
    {
        element_name("municipalities", i, element, where, sizeof where);
        if (!json_is_object(element))
            return fail(p, "%s: must be an object with id and balance_hours", where);
        if (take_object(p, where, municipality_fields, element, &out[i]) != 0)
            return -1;
        if (claim_id(p, ix, where, "municipalities", out[i].id, i) != 0)
            return -1;
    }
    return 0;
}

static void mediator_defaults(void *element)
{
    struct match_mediator *m = element;
    memset(m, 0, sizeof *m);
    m->available = true;
}

/* Outside days_left's range: the case gave none. */
#define NO_DAYS_LEFT INT_MIN

static void case_defaults(void *element)
{
    struct match_case *c = element;
    memset(c, 0, sizeof *c);
    c->domain = "";
    c->seats = 1;
    c->days_left = NO_DAYS_LEFT;
}

/* A case runs against a decision date when it gave days_left. */
static int case_deadline(struct parser *p, const char *where, void *element, void *ctx)
{
    struct match_case *c = element;
    (void)p, (void)where, (void)ctx;
    c->has_deadline = c->days_left != NO_DAYS_LEFT;
    if (!c->has_deadline)
        c->days_left = 0;
    return 0;
}

/* Without a municipalities list every balance is 0; with one, a mediator's
 * municipality must be on it, or a typo would silently zero its balance. */
static int take_balance(struct parser *p, const char *where, struct match_mediator *m,
                        const struct municipality *ms, const struct id_index *ix, size_t n_ms)
{
    if (n_ms == 0)
        return 0;
    const struct id_slot *slot = id_index_slot(ix, m->municipality);
    if (!slot->key) {
        char shown[SHOWN_TEXT_MAX + 1];
        shown_text(m->municipality, shown, sizeof shown);
        return fail(p, "%s.municipality: '%s' is not among municipalities", where, shown);
    }
    m->balance_hours = ms[slot->at].balance_hours;
    return 0;
}

struct balances {
    const struct municipality *ms;
    const struct id_index *ix;
    size_t n;
};

static int mediator_balance(struct parser *p, const char *where, void *element, void *ctx)
{
    const struct balances *b = ctx;
    return take_balance(p, where, element, b->ms, b->ix, b->n);
}

/* What mediators and cases have in common: an array of objects, each with
 * defaults, its own fields and an id unique within the array. */
struct element_kind {
    const char *name;
    const struct field *fields;
    size_t size;
    size_t id_offset;
    void (*defaults)(void *element);
    /* more to check once the fields are read, or NULL */
    int (*after)(struct parser *p, const char *where, void *element, void *ctx);
};

static const struct element_kind mediator_kind = {"mediators",
                                                  mediator_fields,
                                                  sizeof(struct match_mediator),
                                                  offsetof(struct match_mediator, id),
                                                  mediator_defaults,
                                                  mediator_balance};
static const struct element_kind case_kind = {
    "cases",       case_fields,  sizeof(struct match_case), offsetof(struct match_case, id),
    case_defaults, case_deadline};

/* Reads every element into out; *taken counts those read, for freeing. */
static int take_elements(struct parser *p, json_t *array, const struct element_kind *k, void *out,
                         size_t *taken, void *ctx)
{
    struct id_index ix = {NULL, 0};
    size_t i;
    json_t *element;
    char where[128];
    int rc = 0;

    if (id_index_init(&ix, json_array_size(array)) != 0)
        return fail(p, "%s: out of memory", k->name);
    json_array_foreach(array, i, element)
    {
        char *e = (char *)out + i * k->size;

        element_name(k->name, i, element, where, sizeof where);
        k->defaults(e);
        if (!json_is_object(element)) {
            rc = fail(p, "%s: must be an object", where);
            break;
        }
        if (take_object(p, where, k->fields, element, e) != 0 ||
            claim_id(p, &ix, where, k->name, *(const char **)(e + k->id_offset), i) != 0 ||
            (k->after && k->after(p, where, e, ctx) != 0)) {
            rc = -1;
            break;
        }
        *taken = i + 1;
    }
    id_index_free(&ix);
    return rc;
}

/* ---- top level ------------------------------------------------------------ */

/* Room for every list entry, counted before anything points into it. */
static size_t count_strings(json_t *array, const struct field *fields)
{
    size_t n = 0, i;
    json_t *element, *v;
    const char *key;

    json_array_foreach(array, i, element)
    {
        json_object_foreach(element, key, v)
        {
            const struct field *f = find_field(fields, key);
            if (f && f->kind == FIELD_LIST && json_is_array(v))
                n += json_array_size(v);
        }
    }
    return n;
}

static int check_top_level(struct parser *p, json_t *root)
{
    const char *key;
    json_t *v;

    if (!json_is_object(root))
        return fail(p, "instance: must be a JSON object with mediators and cases");
    json_object_foreach(root, key, v)
    {
        size_t n = 0;
        while (top_level_keys[n] && strcmp(top_level_keys[n], key) != 0)
            n++;
        if (!top_level_keys[n])
            return fail_unknown_key(p, "", key, top_level_keys,
                                    sizeof top_level_keys / sizeof top_level_keys[0] - 1);
    }
    return 0;
}

/* The array under key, or an error; an absent optional one reads as empty. */
static int top_array(struct parser *p, json_t *root, const char *key, bool required, json_t **out)
{
    *out = json_object_get(root, key);
    if (!*out && !required)
        return 0;
    if (!*out)
        return fail(p, "%s: is required (an array, may be empty)", key);
    if (!json_is_array(*out))
        return fail(p, "%s: must be an array", key);
    return 0;
}

static int take_weights(struct parser *p, json_t *root, struct match_weights *w)
{
    json_t *v = json_object_get(root, "weights");

    match_weights_default(w);
    if (!v)
        return 0;
    if (!json_is_object(v))
        return fail(p, "weights: must be an object of whole numbers");
    return take_object(p, "weights", weight_fields, v, w);
}

static int allocate(struct parser *p, struct instance *in, size_t n_strings, size_t n_mediators,
                    size_t n_cases)
{
    struct instance_storage *s;

    if (n_strings > (SIZE_MAX - sizeof *s) / sizeof s->strings[0])
        return fail(p, "instance: too large");
    s = calloc(1, sizeof *s + n_strings * sizeof s->strings[0]);
    if (!s)
        return fail(p, "instance: out of memory");
    s->n_strings = n_strings;
    in->storage = s;
    p->next_string = s->strings;
    p->end_string = s->strings + n_strings;
    if (n_mediators && !(in->mediators = calloc(n_mediators, sizeof *in->mediators)))
        return fail(p, "instance: out of memory for %zu mediators", n_mediators);
    if (n_cases && !(in->cases = calloc(n_cases, sizeof *in->cases)))
        return fail(p, "instance: out of memory for %zu cases", n_cases);
    return 0;
}

static int take_people(struct parser *p, json_t *municipalities, json_t *mediators, json_t *cases,
                       struct instance *in)
{
    size_t n_ms = json_array_size(municipalities); /* 0 when absent */
    struct municipality *ms = NULL;
    struct id_index ix = {NULL, 0};
    int rc = -1;

    if (n_ms && !(ms = calloc(n_ms, sizeof *ms))) {
        fail(p, "municipalities: out of memory");
        goto out;
    }
    if (id_index_init(&ix, n_ms) != 0) {
        fail(p, "municipalities: out of memory");
        goto out;
    }
    struct balances balances = {ms, &ix, n_ms};
    if (take_municipalities(p, municipalities, ms, &ix) != 0 ||
        take_elements(p, mediators, &mediator_kind, in->mediators, &in->n_mediators, &balances) !=
            0 ||
        take_elements(p, cases, &case_kind, in->cases, &in->n_cases, NULL) != 0)
        goto out;
    rc = 0;
out:
    id_index_free(&ix);
    free(ms);
    return rc;
}

static int take_instance(struct parser *p, json_t *root, struct instance *in)
{
    json_t *municipalities, *mediators, *cases;

    if (check_top_level(p, root) != 0 || take_weights(p, root, &in->weights) != 0 ||
        top_array(p, root, "municipalities", false, &municipalities) != 0 ||
        top_array(p, root, "mediators", true, &mediators) != 0 ||
        top_array(p, root, "cases", true, &cases) != 0)
        return -1;
    size_t n_strings =
        count_strings(mediators, mediator_fields) + count_strings(cases, case_fields);
    if (allocate(p, in, n_strings, json_array_size(mediators), json_array_size(cases)) != 0)
        return -1;
    return take_people(p, municipalities, mediators, cases, in);
}

int instance_parse(const char *text, size_t len, struct instance *out, char *err, size_t errlen)
{
    struct parser p = {err, errlen, NULL, NULL};
    struct instance in;
    json_error_t jerr;
    json_t *root;

    memset(out, 0, sizeof *out);
    memset(&in, 0, sizeof in);
    if (err && errlen)
        err[0] = '\0';
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char why[JSON_ERROR_TEXT_LENGTH];
        shown_text(jerr.text, why, sizeof why);
        return fail(&p, "instance: not JSON: %s at line %d column %d", why, jerr.line, jerr.column);
    }
    if (take_instance(&p, root, &in) != 0) {
        instance_free(&in);
        json_decref(root);
        return -1;
    }
    ((struct instance_storage *)in.storage)->root = root;
    *out = in;
    return 0;
}

void instance_free(struct instance *in)
{
    struct instance_storage *s;

    if (!in)
        return;
    s = in->storage;
    if (s) {
        json_decref(s->root);
        free(s);
    }
    free(in->mediators);
    free(in->cases);
    memset(in, 0, sizeof *in);
}

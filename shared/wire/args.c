/* args: one walk over the spec, one over the object. jansson parses;
 * what it cannot say (which keys an operation takes, the limits of each
 * value) is written here. */
#include "wire/args.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"

void args_choices_text(const char *const *choices, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; choices[i] && used < len; i++) {
        const char *sep = i == 0 ? "" : choices[i + 1] ? ", " : " or ";
        int w = snprintf(out + used, len - used, "%s%s", sep, choices[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int bad(char *why, size_t len, const char *where, const char *what)
{
    snprintf(why, len, "argument '%s' %s", where, what);
    return -1;
}

static int check_text(const json_t *v, const struct arg_spec *s, const char *where, char *why,
                      size_t len)
{
    char what[96];
    const char *text = json_string_value(v);
    if (!text || !text_ok(text, s->max) || (s->required && !*text)) {
        snprintf(what, sizeof what,
                 "must be a text of %d to %zu bytes, UTF-8 without control characters",
                 s->required ? 1 : 0, s->max);
        return bad(why, len, where, what);
    }
    return 0;
}

static int check_one(const json_t *v, const struct arg_spec *s, const char *where, char *why,
                     size_t len);

static int check_list(const json_t *v, const struct arg_spec *s, const char *where, char *why,
                      size_t len)
{
    char what[96];
    if (!json_is_array(v) || json_array_size(v) < s->lo || json_array_size(v) > s->hi) {
        snprintf(what, sizeof what, "must be a list of %.0f to %.0f %s", s->lo, s->hi,
                 s->kind == ARG_TEXTS ? "texts" : "objects");
        return bad(why, len, where, what);
    }
    struct arg_spec item = *s;
    item.kind = ARG_TEXT;
    item.required = true;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        char at[80];
        snprintf(at, sizeof at, "%s' item '%zu", where, i + 1);
        if (s->kind == ARG_TEXTS ? check_text(e, &item, at, why, len) < 0
                                 : args_check(s->items, e, why, len) < 0) {
            if (s->kind == ARG_OBJECTS) {
                char inner[256];
                snprintf(inner, sizeof inner, "%s", why);
                snprintf(why, len, "%s item %zu: %s", where, i + 1, inner);
            }
            return -1;
        }
    }
    return 0;
}

static int check_one(const json_t *v, const struct arg_spec *s, const char *where, char *why,
                     size_t len)
{
    char what[160];
    double d = json_number_value(v);
    switch (s->kind) {
    case ARG_TEXT:
        return check_text(v, s, where, why, len);
    case ARG_LINES:
        if (!json_is_string(v) || !text_chars_ok(json_string_value(v), s->max, true)) {
            snprintf(what, sizeof what,
                     "must be a text of at most %zu characters, UTF-8 "
                     "without control characters but line breaks",
                     s->max);
            return bad(why, len, where, what);
        }
        return 0;
    case ARG_CHOICE:
        for (size_t i = 0; json_is_string(v) && s->choices[i]; i++)
            if (strcmp(json_string_value(v), s->choices[i]) == 0)
                return 0;
        args_choices_text(s->choices, what + 8, sizeof what - 8);
        memcpy(what, "must be ", 8);
        return bad(why, len, where, what);
    case ARG_INT:
        if (!json_is_integer(v) || d < s->lo || d > s->hi) {
            snprintf(what, sizeof what, "must be a whole number from %.0f to %.0f", s->lo, s->hi);
            return bad(why, len, where, what);
        }
        return 0;
    case ARG_NUMBER:
        if (!json_is_number(v) || !isfinite(d) || d < s->lo || d > s->hi) {
            snprintf(what, sizeof what, "must be a number from %g to %g", s->lo, s->hi);
            return bad(why, len, where, what);
        }
        return 0;
    case ARG_BOOL:
        return json_is_boolean(v) ? 0 : bad(why, len, where, "must be true or false");
    case ARG_TEXTS:
    case ARG_OBJECTS:
        return check_list(v, s, where, why, len);
    }
    return bad(why, len, where, "has a kind no operation uses");
}

int args_check(const struct arg_spec *spec, const json_t *args, char *why, size_t len)
{
    if (!json_is_object(args)) {
        snprintf(why, len, "arguments must be a JSON object");
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)args, key, v)
    {
        const struct arg_spec *s = spec;
        while (s->key && strcmp(s->key, key) != 0)
            s++;
        if (!s->key) {
            char shown[48];
            snprintf(shown, sizeof shown, "%s", key);
            text_cut_utf8(shown);
            snprintf(why, len, "unknown argument '%s'%s",
                     text_ok(shown, sizeof shown) ? shown : "?",
                     "; see docs/protocol.md for the arguments of this operation");
            return -1;
        }
        if (check_one(v, s, key, why, len) < 0)
            return -1;
    }
    for (const struct arg_spec *s = spec; s->key; s++)
        if (s->required && !json_object_get(args, s->key)) {
            snprintf(why, len, "missing argument '%s'", s->key);
            return -1;
        }
    return 0;
}

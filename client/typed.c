/* typed: small readers for what people type, before the strict checks. */
#include "typed.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "wire/names.h"

char *typed_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    return s;
}

void typed_decimal(const char *text, char *out, size_t len)
{
    snprintf(out, len, "%s", text);
    char *comma = strchr(out, ',');
    if (comma && !strchr(out, '.') && !strchr(comma + 1, ','))
        *comma = '.';
}

/* ISO 639 codes of the languages mediations in Dutch municipalities are
 * held in, with their names in Dutch, English and the language itself. */
static const struct {
    const char *code, *names[4];
} languages[] = {
    {"nl", {"nederlands", "dutch", "vlaams", NULL}},
    {"en", {"engels", "english", NULL}},
    {"de", {"duits", "german", "deutsch", NULL}},
    {"fr", {"frans", "french", "français", NULL}},
    {"fy", {"fries", "frisian", "frysk", NULL}},
    {"tr", {"turks", "turkish", "türkçe", NULL}},
    {"ar", {"arabisch", "arabic", NULL}},
    {"pl", {"pools", "polish", "polski", NULL}},
    {"es", {"spaans", "spanish", "español", NULL}},
    {"pap", {"papiaments", "papiamento", NULL}},
    {"srn", {"sranantongo", "sranan", "surinaams", NULL}},
    {"uk", {"oekraïens", "ukrainian", "українська", NULL}},
};

const char *typed_language_code(const char *text)
{
    for (size_t i = 0; i < sizeof languages / sizeof *languages; i++)
        for (size_t j = 0; languages[i].names[j]; j++)
            /* strcasecmp folds ASCII only; the non-ASCII names match as typed in
             * lower case, which is how they are written. */
            if (strcasecmp(text, languages[i].names[j]) == 0)
                return languages[i].code;
    return NULL;
}

/* Lower case, and ' ', '-' as '_'. */
static void state_key(const char *text, char *out, size_t len)
{
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < len; p++)
        out[n++] = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    out[n] = '\0';
}

const char *typed_state(const char *text, const char *const *allowed)
{
    char key[64], name[64];
    state_key(text, key, sizeof key);
    for (size_t i = 0; allowed && allowed[i]; i++) {
        state_key(case_state_words(allowed[i]), name, sizeof name);
        if (strcmp(key, allowed[i]) == 0 || strcmp(key, name) == 0)
            return allowed[i];
        state_key(offer_state_words(allowed[i]), name, sizeof name);
        if (strcmp(key, name) == 0)
            return allowed[i];
    }
    return NULL;
}

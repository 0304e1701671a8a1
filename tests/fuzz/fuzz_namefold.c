/* fuzz_namefold: a name as anyone may type it. Folding never crashes,
 * refuses what is not UTF-8, yields UTF-8 without a space at either end
 * or two in a row, and folding its own result changes nothing: every node
 * computes one form. */
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "base/namefold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_form(const char *s, size_t len)
{
    if (u8_check((const uint8_t *)s, len) != NULL || strlen(s) != len)
        abort();
    if (len > 0 && (s[0] == ' ' || s[len - 1] == ' ' || strstr(s, "  ")))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024)
        return 0; /* names are at most 200 bytes */
    char *in = malloc(size + 1);
    if (!in)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0'; /* a NUL inside ends the name, as in C strings */
    char *once = NULL, *twice = NULL;
    size_t once_len = 0, twice_len = 0;
    if (namefold(in, &once, &once_len) == 0) {
        check_form(once, once_len);
        if (namefold(once, &twice, &twice_len) != 0 || twice_len != once_len ||
            memcmp(once, twice, once_len) != 0)
            abort();
    } else if (u8_check((const uint8_t *)in, strlen(in)) == NULL) {
        abort(); /* valid UTF-8 always folds (unless memory runs out) */
    }
    namefold_free(once, once_len);
    namefold_free(twice, twice_len);
    free(in);
    return 0;
}

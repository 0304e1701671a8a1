/* names_open: opens the sealed parties' names of offers with the
 * person's own key, which is loaded once and wiped after. */
#include "names_open.h"

#include <sodium.h>
#include <string.h>

#include "base/text.h"
#include "out.h"
#include "wire/keys.h"
#include "wire/seal.h"

/* What a names list must be: at most 16 objects of a kind and a label. */
static bool names_valid(const json_t *names)
{
    size_t i;
    const json_t *p;

    if (!json_is_array(names) || json_array_size(names) > 16)
        return false;
    json_array_foreach(names, i, p)
    {
        const char *kind = json_string_value(json_object_get(p, "kind"));
        const char *label = json_string_value(json_object_get(p, "label"));
        if (!kind || !label || !text_ok(kind, 20) || !text_ok(label, 200))
            return false;
    }
    return true;
}

/* The names in base64 b64, opened with keys; NULL when they do not open. */
static json_t *open_one(const struct user_keys *keys, const char *b64)
{
    size_t max = PARTY_NAMES_MAX + crypto_box_SEALBYTES, bin_len = 0;
    uint8_t *bin = malloc(max);
    if (!bin)
        return NULL;
    json_t *names = NULL;
    if (sodium_base642bin(bin, max, b64, strlen(b64), NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) == 0) {
        size_t len = 0;
        uint8_t *text = seal_open(keys->pk, keys->sk, bin, bin_len, &len);
        if (text) {
            names = json_loadb((const char *)text, len, 0, NULL);
            sodium_memzero(text, len);
            free(text);
        }
    }
    free(bin);
    if (names && !names_valid(names)) {
        json_decref(names);
        names = NULL;
    }
    return names;
}

static void open_offer(const struct user_keys *keys, json_t *offer)
{
    const char *b64 = json_string_value(json_object_get(offer, "names_sealed"));
    json_t *names = b64 ? open_one(keys, b64) : NULL;
    if (b64 && !names)
        json_object_set_new(offer, "names_problem",
                            json_string("the names are not sealed to your key, or were altered "
                                        "on the way"));
    json_object_set_new(offer, "names", names ? names : json_null());
    json_object_del(offer, "names_sealed");
}

static bool any_sealed(const json_t *offers)
{
    size_t i;
    const json_t *o;

    if (json_is_object(offers))
        return json_is_string(json_object_get(offers, "names_sealed"));
    json_array_foreach(offers, i, o)
    {
        if (json_is_string(json_object_get(o, "names_sealed")))
            return true;
    }
    return false;
}

int names_open(struct cli *cli, json_t *offers)
{
    struct user_keys *keys = NULL;
    bool sealed = any_sealed(offers);
    int rc;

    if (sealed && !(keys = cli_user_keys(cli, &rc)))
        return rc;
    if (json_is_object(offers)) {
        open_offer(keys, offers);
    } else {
        size_t i;
        json_t *o;
        json_array_foreach(offers, i, o)
        {
            open_offer(keys, o);
        }
    }
    cli_user_keys_free(keys);
    return RC_OK;
}

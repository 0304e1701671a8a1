/* cmd_offer: what a mediator does with the cases offered to them. The
 * narrative is opened here, with the mediator's own key: neither the
 * coordinator nor the mediator's node can read it. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "case_op.h"
#include "cmd.h"
#include "names_open.h"
#include "out.h"
#include "page.h"
#include "wire/names.h"
#include "wire/seal.h"
#include "wait.h"

enum { F_ALL = 1 };

/* Parties as the node lists them: reference strings or {"kind","label"}. */
static void parties_text(const json_t *parties, char *buf, size_t len)
{
    size_t used = 0, i;
    const json_t *p;

    snprintf(buf, len, "-");
    json_array_foreach(parties, i, p)
    {
        const char *s = json_is_string(p) ? json_string_value(p)
                                          : out_or(out_str(p, "label"), out_str(p, "ref"));
        if (used >= len)
            break;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", s);
        used += n > 0 ? (size_t)n : 0;
    }
}

static struct table *offer_table(void)
{
    return table_new(8, "CASE", "STATE", "REQUESTER", "DOMAIN", "LANG", "URGENCY", "EXPIRES (UTC)",
                     "PARTIES");
}

static void offer_row(struct table *t, size_t i, const json_t *o)
{
    char expires[32], parties[512];

    (void)i;
    out_time(out_int(o, "expires_ms"), expires, sizeof expires);
    /* The names the parties go by, once they came sealed to this reader. */
    const json_t *names = json_object_get(o, "names");
    parties_text(json_is_array(names) ? names : json_object_get(o, "parties"), parties,
                 sizeof parties);
    table_row(t, out_str(o, "case_id"), offer_state_words(out_str(o, "state")),
              out_str(o, "requester"), out_str(o, "domain"), out_str(o, "language"),
              out_str(o, "urgency"), expires, parties);
}

/* ---- offer list ---- */

static const struct flag list_flags[] = {
    {F_ALL, "all", NULL, "answered and expired offers too"},
    PAGE_FLAGS("offers"),
    {0, NULL, NULL, NULL},
};

struct offer_list {
    bool all;
    struct page_opts page;
};

static bool list_flag(struct args *a, void *opts, int key)
{
    struct offer_list *l = opts;
    bool ok = true;
    if (!page_flag(a, &l->page, key, &ok))
        l->all = true;
    return ok;
}

/* ctx: the line to print when there are no offers. */
static void print_offers(const json_t *result, const void *ctx)
{
    struct table *t = offer_table();

    table_add_each(t, json_object_get(result, "offers"), offer_row);
    table_finish(t, NULL, "", ctx);
    out_page(result, json_array_size(json_object_get(result, "offers")),
             strcmp(ctx, "no offers") == 0 ? "mpool offer list --all" : "mpool offer list");
}

static int offer_list(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct offer_list l = {false, {0, 0}};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, list_flag, &l, &rc))
        return rc;
    json_t *args = l.all ? json_pack("{s:b}", "all", 1) : json_object();
    page_args(args, &l.page);
    struct reply r;
    rc = cli_call(cli, "offer.list", args, NULL, 0, &r);
    json_decref(args);
    if (rc == RC_OK && (rc = names_open(cli, json_object_get(r.result, "offers"))) != RC_OK)
        reply_free(&r);
    if (rc == RC_OK)
        cli_print_reply(cli, &r, print_offers, l.all ? "no offers" : "no open offers");
    return rc;
}

/* ---- offer show ---- */

static void name_row(struct table *t, size_t i, const json_t *p)
{
    (void)i;
    table_row(t, out_str(p, "kind"), out_str(p, "label"));
}

/* The parties by name, and what the declaration of an answer is about. */
static void print_names(const json_t *o)
{
    const char *id = out_str(o, "case_id");
    const json_t *names = json_object_get(o, "names");
    if (!json_is_array(names)) {
        const char *problem = out_str(o, "names_problem");
        if (*problem)
            out_line("The parties' names: %s; ask the requesting municipality.", problem);
        else if (offer_state_ended(out_str(o, "state")))
            out_line("The parties' names were destroyed when your part in the case ended.");
        else
            out_line("The parties' names have not arrived yet: the requesting municipality's "
                     "node sends them sealed to your key; ask again shortly.");
        return;
    }
    struct table *t = table_new(2, "KIND", "NAME");
    table_add_each(t, names, name_row);
    table_finish(t, "The parties:", "  ", "The parties: none by name");
    if (strcmp(out_str(o, "state"), "offered") == 0)
        out_line("Check your relationships with each of them before you answer: 'mpool offer "
                 "accept %s --no-conflict' declares that you have no interest, no relationship "
                 "and no prior involvement with any of these parties; '--disclose relationship', "
                 "'--disclose prior' or '--disclose interest' discloses one.",
                 id);
}

static void print_offer(const json_t *o, const void *ctx)
{
    char expires[32], parties[512];

    (void)ctx;
    out_time(out_int(o, "expires_ms"), expires, sizeof expires);
    parties_text(json_object_get(o, "parties"), parties, sizeof parties);
    out_line("Offer of case %s to you: %s", out_str(o, "case_id"),
             offer_state_words(out_str(o, "state")));
    out_line("  requested by  %s", out_str(o, "requester"));
    out_line("  domain        %s, in %s, urgency %s", out_str(o, "domain"), out_str(o, "language"),
             out_str(o, "urgency"));
    if (strcmp(out_str(o, "state"), "offered") == 0)
        out_line("  answer by     %s UTC", expires);
    out_line("  municipality parties  %s", parties);
    out_line("  narrative     %s", out_bool(o, "narrative")
                                       ? "sealed to you: 'mpool offer narrative' opens it"
                                       : "comes after you accept");
    print_names(o);
}

static int offer_show(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct reply r;
    struct case_flags f = {0};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    char **pos = case_flags_read(&a, &f, 1, &rc);
    if (!pos)
        return rc;
    json_t *args = json_pack("{s:s}", "case_id", pos[0]);
    rc = cli_call(cli, "offer.show", args, NULL, 0, &r);
    json_decref(args);
    if (rc == RC_OK && (rc = names_open(cli, r.result)) != RC_OK)
        reply_free(&r);
    if (rc == RC_OK)
        cli_print_reply(cli, &r, print_offer, NULL);
    return rc;
}

/* ---- offer accept and decline ---- */

static const struct flag accept_flags[] = {
    {CF_NO_CONFLICT, "no-conflict", NULL,
     "declare no interest, no relationship and no prior involvement with the parties "
     "'mpool offer show' names"},
    {CF_DISCLOSE, "disclose", "KIND", "disclose a relationship, prior (involvement) or interest"},
    {CF_NOTE, "note", "TEXT", "a note with the disclosure, for the parties"},
    {0, NULL, NULL, NULL},
};

static int accept_check(const struct args *a, const struct case_flags *f)
{
    if (f->no_conflict == (f->disclose != NULL))
        return args_fail(a, "give either --no-conflict or --disclose KIND");
    if (f->note && !f->disclose)
        return args_fail(a, "--note goes with --disclose");
    return RC_OK;
}

static json_t *accept_args(char *const *ids, const struct case_flags *f)
{
    if (f->no_conflict)
        return json_pack("{s:s, s:s}", "case_id", ids[0], "declaration", "no-conflict");
    json_t *args = json_pack("{s:s, s:s, s:s}", "case_id", ids[0], "declaration", "disclosure",
                             "disclosure", f->disclose);
    if (args && f->note)
        json_object_set_new(args, "note", json_string(f->note));
    return args;
}

static const struct case_op accept_op = {"offer.accept", 1,    NULL, accept_check,
                                         accept_args,    NULL, false};
static const struct flag decline_flags[] = {
    {CF_REASON_CODE, "reason-code", "CODE", "why, as one of the reason codes below (required)"},
    {CF_REASON, "reason", "TEXT",
     "your own words, in one line, sealed to the requesting municipality alone"},
    {0, NULL, NULL, NULL},
};

static const struct case_op decline_op = {
    "offer.decline", 1, "--reason-code is missing; say why you decline", NULL, NULL, NULL, false};

/* ---- offer step-back ---- */

static const struct flag step_back_flags[] = {
    {CF_REASON_CODE, "reason-code", "CODE", "why, as one of the reason codes below (required)"},
    {CF_REASON, "reason", "TEXT",
     "your own words, in one line, sealed to the requesting municipality alone"},
    CASE_GIVEN_FLAG,
    {0, NULL, NULL, NULL},
};

static json_t *step_back_args(char *const *ids, const struct case_flags *f)
{
    return case_given_args(ids, 1, f);
}

static const struct case_op step_back_op = {"offer.step_back",
                                            1,
                                            "--reason-code is missing; say why you step back",
                                            NULL,
                                            step_back_args,
                                            NULL,
                                            false};

/* ---- offer narrative ---- */

static const struct flag narrative_flags[] = {
    {CF_OUT, "out", "FILE",
     "write the narrative to FILE (a new file, mode 0600) instead of "
     "printing it"},
    {0, NULL, NULL, NULL},
};

/* A new file only readable by its owner; never one that exists, nor
 * through a symbolic link, since the narrative is confidential. */
static int write_private_file(const char *path, const uint8_t *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    size_t done = 0;

    if (fd < 0) {
        out_error(RC_ERROR, "cannot create %s (%s); give --out a new file", path, strerror(errno));
        return RC_ERROR;
    }
    bool ok = fchmod(fd, 0600) == 0;
    while (ok && done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        out_error(RC_ERROR, "cannot write %s (%s)", path, strerror(saved));
        unlink(path);
        return RC_ERROR;
    }
    return RC_OK;
}

static int save_narrative(const struct cli *cli, const char *case_id, const char *out_file,
                          const uint8_t *text, size_t len)
{
    int rc = write_private_file(out_file, text, len);

    if (rc != RC_OK)
        return rc;
    if (cli->json) {
        json_t *v = json_pack("{s:s, s:s, s:I}", "case_id", case_id, "file", out_file, "bytes",
                              (json_int_t)len);
        out_json(v);
        json_decref(v);
    } else {
        out_line("wrote the narrative for case %s to %s (%zu bytes)", case_id, out_file, len);
    }
    return RC_OK;
}

/* The narrative as it is: it is the requester's own text, for this reader. */
static int print_narrative(const struct cli *cli, const char *case_id, const uint8_t *text,
                           size_t len)
{
    if (!cli->json) {
        fwrite(text, 1, len, stdout);
        if (len > 0 && text[len - 1] != '\n')
            putchar('\n');
        return RC_OK;
    }
    json_t *v = json_pack("{s:s, s:s%}", "case_id", case_id, "narrative", (const char *)text, len);
    if (!v) {
        out_error(RC_ERROR, "the narrative for case %s is not UTF-8 text; use --out FILE", case_id);
        return RC_ERROR;
    }
    out_json(v);
    json_decref(v);
    return RC_OK;
}

static int open_narrative(struct cli *cli, const char *case_id, const char *out_file,
                          const struct reply *r)
{
    size_t len;
    int rc;

    if (r->bloblen == 0) {
        out_error(RC_ERROR,
                  "your node holds no narrative for case %s yet; it comes after the "
                  "requesting municipality's node sends it",
                  case_id);
        return RC_NOT_FOUND;
    }
    struct user_keys *keys = cli_user_keys(cli, &rc);
    if (!keys)
        return rc;
    uint8_t *text = seal_open(keys->pk, keys->sk, r->blob, r->bloblen, &len);
    cli_user_keys_free(keys);
    if (!text) {
        out_error(RC_ERROR,
                  "the narrative for case %s is not sealed to your key (%s) or was "
                  "altered on the way; ask the requesting municipality to send it again",
                  case_id, cli->cfg.key_file);
        return RC_ERROR;
    }
    if (out_file)
        rc = save_narrative(cli, case_id, out_file, text, len);
    else
        rc = print_narrative(cli, case_id, text, len);
    sodium_memzero(text, len);
    free(text);
    return rc;
}

static int offer_narrative(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct reply r;
    struct case_flags f = {0};
    struct stat st;
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    char **pos = case_flags_read(&a, &f, 1, &rc);
    if (!pos)
        return rc;
    if (f.out_file && (f.out_file[0] == '\0' || lstat(f.out_file, &st) == 0))
        return args_fail(&a, "--out '%s' exists already; give a new file", f.out_file);
    json_t *args = json_pack("{s:s}", "case_id", pos[0]);
    rc = cli_call(cli, "offer.narrative", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    rc = open_narrative(cli, pos[0], f.out_file, &r);
    reply_free(&r);
    return rc;
}

/* ---- offer wait ---- */

static const json_t *offer_of(const json_t *result, const char *case_id)
{
    size_t i;
    const json_t *o;

    json_array_foreach(json_object_get(result, "offers"), i, o)
    {
        if (strcmp(out_str(o, "case_id"), case_id) == 0)
            return o;
    }
    return NULL;
}

static const char *offer_state_of(const json_t *result, const char *case_id)
{
    return json_string_value(json_object_get(offer_of(result, case_id), "state"));
}

static json_t *offer_wait_args(const char *case_id)
{
    (void)case_id;
    return json_pack("{s:b}", "all", 1);
}

static void show_offer(const struct cli *cli, const json_t *result, const char *case_id)
{
    const json_t *offer = offer_of(result, case_id);

    if (cli->json) {
        out_json(offer);
        return;
    }
    struct table *t = offer_table();
    offer_row(t, 0, offer);
    table_finish(t, NULL, "", NULL);
}

static const struct wait_kind offer_wait_kind = {
    "offer.list", offer_wait_args, NULL, offer_state_of, "the offer for case", show_offer, "offer"};

static int offer_wait(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return wait_command(cli, cmd, argc, argv, &offer_wait_kind);
}

const struct command offer_commands[] = {
    {"offer", "list", "[--all] [--limit N] [--after N]",
     "Lists the cases offered to you: open ones, or all.", list_flags, offer_list, NULL},
    {"offer", "show", "CASE",
     "Shows an offer to you with the parties' names, opened with your own key: the people "
     "your declaration is about.",
     args_no_flags, offer_show, NULL},
    {"offer", "accept", "CASE (--no-conflict | --disclose KIND [--note TEXT])",
     "Accepts an offer with your declaration about the parties 'mpool offer show' names: no "
     "interest, relationship or prior involvement, or a disclosure.",
     accept_flags, case_op_command, &accept_op},
    {"offer", "decline", "CASE --reason-code CODE [--reason TEXT]", "Declines an offer.",
     decline_flags, case_op_command, &decline_op},
    {"offer", "step-back", "CASE --reason-code CODE [--reason TEXT] [--hours H]",
     "Steps back from a case you accepted or mediate; it goes to another mediator, and your "
     "copy of its narrative is destroyed.",
     step_back_flags, case_op_command, &step_back_op},
    {"offer", "narrative", "CASE [--out FILE]",
     "Opens the case's narrative with your own key and prints it, or writes it to FILE.",
     narrative_flags, offer_narrative, NULL},
    {"offer", "wait", "[CASE --state STATE[,STATE...]] [--timeout-wait SEC]",
     "Waits until your offer for a case is in one of the states, then shows it; without CASE, "
     "waits for the next offer. Exit 1 on timeout.",
     wait_flags, offer_wait, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* mailer: SMTP in the actor's thread, the queue in the loop's. */
#include "node/mailer.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "node/notices.h"
#include "store/store.h"

#define MAIL_MAX       4096
#define RETRY_FIRST_MS 30000LL
#define RETRY_MAX_MS   3600000LL
#define GIVE_UP_MS     (2 * 86400000LL)
#define IDLE_CHECK_MS  1000
#define PASSWORD_MAX   256
#define SEND_TIMEOUT_S 60L
#define WRAP_COLUMNS   72

struct mailer {
    zactor_t *actor;
    struct mail_settings settings; /* read by the actor's thread only after start */
    char password[PASSWORD_MAX];
    atomic_bool stopping; /* asks a transfer in flight to give up */
    int64_t busy_seq;     /* the notice the actor is sending; 0: idle */
    int64_t unmarked_seq; /* sent, but the database did not take the mark yet */
};

/* ---- the actor's thread ------------------------------------------------ */

struct upload {
    const char *data;
    size_t left;
};

static size_t upload_read(char *buf, size_t size, size_t count, void *arg)
{
    struct upload *u = arg;
    size_t n = size * count < u->left ? size * count : u->left;
    memcpy(buf, u->data, n);
    u->data += n;
    u->left -= n;
    return n;
}

static int transfer_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    const struct mailer *m = arg;
    return atomic_load(&m->stopping) ? 1 : 0;
}

/* One mail to one address. 0, or -1 with what went wrong in why: libcurl's
 * words and the server's reply code, never its text (it may quote the
 * address). */
static int smtp_send(struct mailer *m, const char *to, const char *mail, char *why, size_t len)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(why, len, "libcurl could not start");
        return -1;
    }
    char from[EMAIL_MAX + 3], rcpt_to[EMAIL_MAX + 3];
    snprintf(from, sizeof from, "<%s>", m->settings.from);
    snprintf(rcpt_to, sizeof rcpt_to, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_to);
    struct upload up = {mail, strlen(mail)};
    curl_easy_setopt(curl, CURLOPT_URL, m->settings.url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, upload_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     m->settings.starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
    if (m->settings.ca_file[0])
        curl_easy_setopt(curl, CURLOPT_CAINFO, m->settings.ca_file);
    if (m->settings.user[0]) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, m->settings.user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, m->password);
    }
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, SEND_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, transfer_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, m);
    CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK)
        snprintf(why, len, "%s (SMTP reply %ld)", curl_easy_strerror(rc), code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

/* Frames in: seq, address, mail. Frames out: seq, 0 or -1, why. */
static void mail_actor(zsock_t *pipe, void *arg)
{
    struct mailer *m = arg;
    zsock_signal(pipe, 0);
    for (;;) {
        zmsg_t *msg = zmsg_recv(pipe);
        if (!msg)
            break;
        char *first = zmsg_popstr(msg);
        bool term = !first || strcmp(first, "$TERM") == 0;
        char *to = term ? NULL : zmsg_popstr(msg);
        char *mail = term ? NULL : zmsg_popstr(msg);
        if (!term) {
            char why[256] = "";
            int rc = to && mail ? smtp_send(m, to, mail, why, sizeof why) : -1;
            zsock_send(pipe, "sis", first, rc, why);
        }
        zstr_free(&first);
        zstr_free(&to);
        zstr_free(&mail);
        zmsg_destroy(&msg);
        if (term)
            break;
    }
}

/* ---- the loop's side --------------------------------------------------- */

struct mailer *mailer_new(const struct config *cfg, char *err, size_t errlen)
{
    err[0] = '\0';
    if (!cfg->mail.url[0])
        return NULL;
    /* The SMTP password lives here: locked, out of core files, wiped on
     * free. libcurl keeps a copy of its own while a transfer is set up. */
    struct mailer *m = sodium_malloc(sizeof *m);
    if (m)
        memset(m, 0, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* Only a node that mails pays for libcurl and its TLS library. No
     * other thread of the process uses libcurl, and the mail thread does
     * not exist yet. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "libcurl failed to initialise");
        sodium_free(m);
        return NULL;
    }
    m->settings = cfg->mail;
    char why[512];
    if (m->settings.password_file[0] && secret_file_read(m->settings.password_file, m->password,
                                                         sizeof m->password, why, sizeof why) < 0) {
        snprintf(err, errlen, "[mail] password: %s", why);
        curl_global_cleanup();
        sodium_free(m);
        return NULL;
    }
    atomic_init(&m->stopping, false);
    m->actor = zactor_new(mail_actor, m);
    if (!m->actor) {
        snprintf(err, errlen, "cannot start the mail thread");
        curl_global_cleanup();
        sodium_free(m);
        return NULL;
    }
    return m;
}

void mailer_destroy(struct mailer **pm)
{
    struct mailer *m = *pm;
    if (!m)
        return;
    atomic_store(&m->stopping, true);
    zactor_destroy(&m->actor);
    sodium_free(m);
    curl_global_cleanup();
    *pm = NULL;
}

zactor_t *mailer_actor(struct mailer *m)
{
    return m->actor;
}

/* Appends text to out at *used, wrapped at WRAP_COLUMNS on blanks, with
 * CRLF line ends and indent before every line; "" is an empty line. */
static void append_wrapped(char *out, size_t len, size_t *used, const char *text,
                           const char *indent)
{
    do {
        size_t room = WRAP_COLUMNS - strlen(indent);
        size_t n = strlen(text);
        if (n > room) {
            size_t cut = room;
            while (cut > 0 && text[cut] != ' ')
                cut--;
            n = cut ? cut : room;
        }
        int w = snprintf(out + *used, len - *used, "%s%.*s\r\n", indent, (int)n, text);
        *used = w < 0 || (size_t)w >= len - *used ? len : *used + (size_t)w;
        text += n;
        while (*text == ' ')
            text++;
    } while (*text);
}

/* The mail being written, for notice_commands. */
struct body {
    char *out;
    size_t len, *used;
};

static void add_command(const char *command, void *ctx)
{
    struct body *b = ctx;
    append_wrapped(b->out, b->len, b->used, command, "    ");
}

size_t mail_compose(const struct config *cfg, const char *to, int64_t seq, const char *kind,
                    const char *case_id, const char *detail, int64_t at_ms, char *out, size_t len)
{
    const struct notice_kind *k = notice_kind_named(kind);
    /* Only an id goes into the header: nothing that could start a line. */
    if (!k || len == 0 || !case_id_valid(case_id) || !text_ok(detail, 64))
        return 0;
    char what[512], date[64];
    notice_text(k->what, case_id, detail, what, sizeof what);
    time_t secs = (time_t)(at_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
             tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    const char *domain = strchr(cfg->mail.from, '@') + 1;
    int w = snprintf(out, len,
                     "Date: %s\r\nFrom: %s\r\nTo: %s\r\n"
                     "Message-ID: <notice.%lld.%lld.%s@%s>\r\n"
                     "Subject: mediatorpool, case %s: %s\r\n"
                     "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n",
                     date, cfg->mail.from, to, (long long)seq, (long long)at_ms, cfg->node_id,
                     domain, case_id, k->subject);
    if (w < 0 || (size_t)w >= len)
        return 0;
    size_t used = (size_t)w;
    append_wrapped(out, len, &used, what, "");
    append_wrapped(out, len, &used, "", "");
    append_wrapped(out, len, &used, "What to run:", "");
    struct body b = {out, len, &used};
    notice_commands(k, case_id, detail, add_command, &b);
    w = snprintf(out + used, len - used,
                 "\r\n-- \r\nmpoold at %s. This mail names no person and holds nothing from the "
                 "case:\r\nmpool shows you the rest.\r\n",
                 cfg->node_id);
    if (w < 0 || (size_t)w >= len - used)
        return 0;
    return used + (size_t)w;
}

static int mark(sqlite3 *db, int64_t seq, const char *state, int64_t next_try_ms)
{
    sqlite3_stmt *st = store_prepare(db, "UPDATE notices SET mail = ?2, tries = tries + (?2 ="
                                         " 'queued'), next_try_ms = ?3 WHERE seq = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, next_try_ms);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc < 0)
        log_error("mail: cannot mark notice %lld %s: %s", (long long)seq, state,
                  sqlite3_errmsg(db));
    store_release(st);
    return rc;
}

/* A mail the server took is marked before any other goes: never sent
 * twice because the database was busy or full for a while. */
static bool mark_sent(struct node *n)
{
    struct mailer *m = n->mailer;
    if (m->unmarked_seq && mark(n->db, m->unmarked_seq, "sent", 0) == 0)
        m->unmarked_seq = 0;
    return m->unmarked_seq == 0;
}

/* Hands one notice to the actor, or marks it as needing no mail. Returns
 * true when the loop may look at the next one at once. */
static bool send_one(struct node *n, sqlite3_stmt *st)
{
    int64_t seq = sqlite3_column_int64(st, 0);
    const char *user_id = (const char *)sqlite3_column_text(st, 1);
    const struct user *u = users_find(&n->users, user_id);
    if (!n->mailer || !u || !u->email[0]) {
        mark(n->db, seq, "none", 0);
        return true;
    }
    char *mail = malloc(MAIL_MAX);
    size_t len =
        mail ? mail_compose(&n->cfg, u->email, seq, (const char *)sqlite3_column_text(st, 2),
                            (const char *)sqlite3_column_text(st, 3),
                            (const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 5),
                            mail, MAIL_MAX)
             : 0;
    if (len == 0) {
        log_error("mail: notice %lld cannot be written as a mail; it is left unsent",
                  (long long)seq);
        mark(n->db, seq, "failed", 0);
        free(mail);
        return true;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)seq);
    if (zsock_send(n->mailer->actor, "sss", id, u->email, mail) == 0)
        n->mailer->busy_seq = seq;
    free(mail);
    return false;
}

void mailer_run(struct node *n, int64_t now)
{
    struct mailer *m = n->mailer;
    if ((m && m->busy_seq) || now < n->next_mail_ms)
        return;
    if (m && !mark_sent(n)) {
        n->next_mail_ms = now + IDLE_CHECK_MS;
        return;
    }
    sqlite3_stmt *st = store_prepare(n->db, "SELECT seq, user_id, kind, case_id, detail, at_ms"
                                            " FROM notices WHERE mail = 'queued' AND"
                                            " next_try_ms <= ?1 ORDER BY seq LIMIT 1");
    if (!st)
        return;
    bool more = true;
    for (int i = 0; more && i < 100; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, now);
        more = sqlite3_step(st) == SQLITE_ROW && send_one(n, st);
    }
    store_release(st);
    if (!m || !m->busy_seq)
        n->next_mail_ms = now + IDLE_CHECK_MS;
}

void mailer_finish(struct node *n)
{
    /* A mail on its way: its answer is awaited a moment, so that a stop
     * does not leave a sent mail unmarked (and sent again after). */
    if (!n->mailer || !n->mailer->busy_seq)
        return;
    zpoller_t *p = zpoller_new(n->mailer->actor, NULL);
    if (p && zpoller_wait(p, 3000))
        mailer_handle(n);
    zpoller_destroy(&p);
    if (n->mailer->unmarked_seq)
        mark_sent(n);
}

void mailer_retry_now(struct node *n)
{
    if (n->mailer && store_exec(n->db, "UPDATE notices SET next_try_ms = 0"
                                       " WHERE mail = 'queued' AND next_try_ms > 0") < 0)
        log_error("mail: %s", store_failure(n->db));
}

static int64_t retry_delay(int tries)
{
    int64_t delay = RETRY_FIRST_MS;
    for (int i = 0; i < tries && delay < RETRY_MAX_MS; i++)
        delay *= 2;
    return delay < RETRY_MAX_MS ? delay : RETRY_MAX_MS;
}

void mailer_handle(struct node *n)
{
    struct mailer *m = n->mailer;
    char *id = NULL, *why = NULL;
    int rc = -1;
    int64_t seq = m->busy_seq;
    m->busy_seq = 0;
    n->next_mail_ms = 0; /* the next queued notice goes at once */
    if (zsock_recv(m->actor, "sis", &id, &rc, &why) < 0 || !id || strtoll(id, NULL, 10) != seq) {
        log_error("mail: the mail thread's answer is garbled; notice %lld is tried again",
                  (long long)seq);
        zstr_free(&id);
        zstr_free(&why);
        return;
    }
    if (rc == 0) {
        m->unmarked_seq = seq;
        mark_sent(n);
        log_info("mail: notice %lld sent", (long long)seq);
    }
    sqlite3_stmt *st = rc == 0 ? NULL
                               : store_prepare(n->db, "SELECT tries, at_ms, user_id FROM notices"
                                                      " WHERE seq = ?1");
    if (st) {
        sqlite3_bind_int64(st, 1, seq);
        if (sqlite3_step(st) != SQLITE_ROW) {
            /* swept meanwhile: nothing to mark */
        } else if (now_ms() - sqlite3_column_int64(st, 1) > GIVE_UP_MS) {
            mark(n->db, seq, "failed", 0);
            log_error("mail: notice %lld to %s not sent after two days, given up: %s",
                      (long long)seq, sqlite3_column_text(st, 2), why);
        } else {
            int tries = sqlite3_column_int(st, 0);
            mark(n->db, seq, "queued", now_ms() + retry_delay(tries));
            log_warn("mail: notice %lld to %s not sent (%s); tried again in %llds", (long long)seq,
                     sqlite3_column_text(st, 2), why, (long long)(retry_delay(tries) / 1000));
        }
    }
    store_release(st);
    zstr_free(&id);
    zstr_free(&why);
}

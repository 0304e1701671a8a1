/* dashboard: the coordinator's read-only web pages, served by libmicrohttpd
 * from the node's own loop: MHD runs without threads of its own and hands
 * the loop one epoll descriptor, so only the loop's thread touches SQLite.
 *
 * A browser signs in with a one-time link (coord/dashlink.c) and then
 * holds a session cookie. Every answer carries a strict content policy
 * (no scripts, styles and images from the dashboard only), every page
 * view goes to the audit trail, and no page holds a label or a narrative. */
#include "node/dashboard.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "coord/dashlink.h"
#include "coord/dashpages.h"
#include "node/audit.h"
#include "store/store.h"
#include "store/roster.h"
#include "wire/keys.h"
#include <stdarg.h>

#define PEM_MAX 65536
/* Under TLS the __Host- prefix binds the cookie to this origin, Secure
 * and for the whole path, whatever else runs on the machine. */
#define COOKIE_TLS   "__Host-mpool_session"
#define COOKIE_PLAIN "mpool_session"
/* TLS 1.2 and 1.3 only: elliptic-curve key exchange (no RSA key transport,
 * no finite-field Diffie-Hellman), no CBC suites, no SHA-1 or SHA-224
 * signatures. */
#define TLS_PRIORITIES                                                                             \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:-DHE-RSA:-DHE-DSS:-AES-128-CBC:"              \
    "-AES-256-CBC:-CAMELLIA-128-CBC:-CAMELLIA-256-CBC:-3DES-CBC:-GROUP-FFDHE2048:"                 \
    "-GROUP-FFDHE3072:-GROUP-FFDHE4096:-GROUP-FFDHE6144:-GROUP-FFDHE8192:-SIGN-RSA-SHA1:"          \
    "-SIGN-DSA-SHA1:-SIGN-ECDSA-SHA1:-SIGN-RSA-SHA224:-SIGN-DSA-SHA224:-SIGN-ECDSA-SHA224:"        \
    "%SAFE_RENEGOTIATION"

/* A warning anyone on the network can cause goes to the log at most once
 * a minute, with a count of those held back since. */
struct quota {
    int64_t since_ms;
    unsigned held;
};

struct dashboard {
    struct MHD_Daemon *mhd;
    bool tls;
    struct quota refused; /* sign-in links refused */
    struct quota server;  /* the web server's own warnings */
};

/* Whether a line may go to the log now; *held is then how many were held
 * back since the last one. */
static bool quota_take(struct quota *q, unsigned *held)
{
    int64_t now = now_ms();
    if (q->since_ms && now - q->since_ms < 60000) {
        q->held++;
        return false;
    }
    *held = q->held;
    q->held = 0;
    q->since_ms = now;
    return true;
}

static const char *cookie_name(const struct node *n)
{
    return n->dashboard->tls ? COOKIE_TLS : COOKIE_PLAIN;
}

/* A session or link is good for a person who is still on the node's list
 * with the coordinator role: a reload that drops them signs them out. */
static bool still_coordinator(const struct node *n, const char *user)
{
    const struct user *u = users_find(&n->users, user);
    return u && (u->roles & ROLE_COORDINATOR);
}

static const char policy[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                             "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/* Every answer: its content policy and headers, a cookie or a location
 * when it sets one. */
static enum MHD_Result answer(const struct node *n, struct MHD_Connection *c, unsigned status,
                              const char *type, const char *body, size_t len, const char *cookie)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Content-Security-Policy", policy);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (n->dashboard->tls)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    if (cookie)
        MHD_add_response_header(r, "Set-Cookie", cookie);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

/* A short page; head may add to <head> (a refresh). */
static enum MHD_Result page_text(const struct node *n, struct MHD_Connection *c, unsigned status,
                                 const char *title, const char *text, const char *head,
                                 const char *cookie)
{
    char body[1536];
    int len = snprintf(body, sizeof body,
                       "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">%s"
                       "<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\"></head>"
                       "<body><main><h1>%s</h1><p>%s</p></main></body></html>\n",
                       head ? head : "", title, title, text);
    size_t used = len < 0 ? 0 : (size_t)len < sizeof body ? (size_t)len : sizeof body - 1;
    return answer(n, c, status, "text/html; charset=utf-8", body, used, cookie);
}

static enum MHD_Result signed_out(const struct node *n, struct MHD_Connection *c)
{
    return page_text(n, c, MHD_HTTP_UNAUTHORIZED, "Not signed in",
                     "Ask for a link with <code>mpool pool dashboard</code> and open it; a link "
                     "works once, for a few minutes, and a session ends after a while.",
                     NULL, NULL);
}

/* Anyone may send made-up links. */
static void refused_link(struct node *n)
{
    unsigned held;
    if (quota_take(&n->dashboard->refused, &held))
        log_warn("dashboard: a sign-in link was refused (unknown, used or too old); %u more "
                 "in the minute before",
                 held);
}

/* The one-time link's token for a session cookie. The page then moves on
 * to the overview itself: a same-site step, so the strict cookie goes
 * along even when the link was opened from another site. */
static enum MHD_Result sign_in(struct node *n, struct MHD_Connection *c)
{
    const char *token = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    char sid[DASHLINK_TOKEN_LEN + 1], user[ID_MAX];
    if (!dashlink_redeem(n->dashlinks, token, now_ms(), n->cfg.dashboard.session_ms, sid, user) ||
        !still_coordinator(n, user)) {
        refused_link(n);
        return signed_out(n, c);
    }
    char cookie[256];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s",
             cookie_name(n), sid, (long long)(n->cfg.dashboard.session_ms / 1000),
             n->dashboard->tls ? "; Secure" : "");
    sodium_memzero(sid, sizeof sid);
    log_info("dashboard: %s signed in", user);
    enum MHD_Result rc =
        page_text(n, c, MHD_HTTP_OK, "Signed in", "On to <a href=\"/\">the overview</a>.",
                  "<meta http-equiv=\"refresh\" content=\"0; url=/\">", cookie);
    sodium_memzero(cookie, sizeof cookie);
    return rc;
}

/* A page view goes to the audit trail, as every read does: before the
 * page is built (result "read"), and a page that then fails adds a row
 * with its result. The row names the page, one of the fixed pages, never
 * the path as sent: that may be anything, invalid UTF-8 too. -1 when the
 * row cannot be committed. */
static int audit_view(struct node *n, const char *user, const char *path, const char *result)
{
    char op[96];
    const char *name = dash_page_name(path);
    snprintf(op, sizeof op, "dashboard %s", name ? name : "(unknown page)");
    if (store_begin(n->db) < 0 || audit_append(n->db, now_ms(), user, op, NULL, result) < 0 ||
        store_commit(n->db) < 0) {
        store_rollback(n->db);
        log_error("dashboard: could not record a page view in the audit trail");
        return -1;
    }
    return 0;
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *c, const char *url,
                             const char *method, const char *version, const char *upload,
                             size_t *upload_len, void **state)
{
    (void)version;
    (void)upload;
    (void)state;
    struct node *n = cls;
    if (strcmp(method, "GET") != 0 || *upload_len != 0)
        return page_text(n, c, MHD_HTTP_METHOD_NOT_ALLOWED, "Read only",
                         "The dashboard only shows; nothing can be changed here.", NULL, NULL);
    if (strcmp(url, "/style.css") == 0)
        return answer(n, c, MHD_HTTP_OK, "text/css", dash_stylesheet, strlen(dash_stylesheet),
                      NULL);
    if (strcmp(url, "/login") == 0)
        return sign_in(n, c);
    char user[ID_MAX];
    const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, cookie_name(n));
    if (!dashlink_session(n->dashlinks, sid, now_ms(), user) || !still_coordinator(n, user))
        return signed_out(n, c);
    /* No row, no page: the view is recorded before anything is read. */
    if (audit_view(n, user, url, "read") < 0)
        return page_text(n, c, MHD_HTTP_SERVICE_UNAVAILABLE, "Not shown",
                         "The node cannot record this read; try again.", NULL, NULL);
    char *html = NULL;
    int status =
        dash_page(n, url, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "year"), &html);
    if (status != 200) {
        audit_view(n, user, url, status == 404 ? "not_found" : "internal");
        free(html);
        return page_text(n, c, status == 404 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_INTERNAL_SERVER_ERROR,
                         status == 404 ? "No such page" : "Something went wrong",
                         status == 404 ? "See the links on the overview."
                                       : "The node's log says what; try again.",
                         NULL, NULL);
    }
    enum MHD_Result rc =
        answer(n, c, MHD_HTTP_OK, "text/html; charset=utf-8", html, strlen(html), NULL);
    free(html);
    return rc;
}

/* The web server warns of what any client can cause (handshakes that
 * fail, connections over the limit). */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    unsigned held;
    if (!quota_take(&((struct dashboard *)cls)->server, &held))
        return;
    char line[256];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_warn("dashboard: %s (%u more warnings in the minute before)", line, held);
}

static int read_pem(const char *path, bool secret, char *buf, char *err, size_t errlen)
{
    if (secret)
        return secret_file_read_all(path, buf, PEM_MAX, err, errlen);
    FILE *f = fopen(path, "r");
    size_t len = f ? fread(buf, 1, PEM_MAX - 1, f) : 0;
    bool whole = f && feof(f);
    if (f)
        fclose(f);
    buf[len] = '\0';
    if (whole && len)
        return 0;
    snprintf(err, errlen, "cannot read %s: give the path of a PEM file under 64 KiB", path);
    return -1;
}

/* A few connections per address, so that no one client holds them all;
 * an idle one is closed after 10 s. */
static struct MHD_Daemon *start(struct node *n, struct sockaddr_in *addr, char *cert, char *key)
{
    unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (cert ? MHD_USE_TLS : 0);
    if (cert)
        return MHD_start_daemon(
            flags, 0, NULL, NULL, serve, n, MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_EXTERNAL_LOGGER,
            mhd_log, n->dashboard, MHD_OPTION_CONNECTION_LIMIT, 64u,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, 8u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
            MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES, MHD_OPTION_HTTPS_MEM_CERT, cert,
            MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
    return MHD_start_daemon(flags, 0, NULL, NULL, serve, n, MHD_OPTION_SOCK_ADDR, addr,
                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, n->dashboard,
                            MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                            8u, MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
}

static int parse_bind(const char *bind, struct sockaddr_in *addr)
{
    char host[32];
    unsigned port;
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    if (sscanf(bind, "%31[0-9.]:%u", host, &port) != 2 || port == 0 || port > 65535 ||
        inet_pton(AF_INET, host, &addr->sin_addr) != 1)
        return -1;
    addr->sin_port = htons((uint16_t)port);
    return 0;
}

int dashboard_check(const struct config *cfg, char *err, size_t errlen)
{
    const struct dashboard_settings *s = &cfg->dashboard;
    if (!s->bind[0] || !s->cert[0])
        return 0;
    char *pem = malloc(PEM_MAX);
    int rc = pem && read_pem(s->cert, false, pem, err, errlen) == 0 &&
                     read_pem(s->key, true, pem, err, errlen) == 0
                 ? 0
                 : -1;
    if (pem)
        sodium_memzero(pem, PEM_MAX);
    free(pem);
    return rc;
}

int dashboard_open(struct node *n, char *err, size_t errlen)
{
    const struct dashboard_settings *s = &n->cfg.dashboard;
    if (!s->bind[0])
        return 0;
    struct sockaddr_in addr;
    if (parse_bind(s->bind, &addr) < 0) {
        snprintf(err, errlen, "[dashboard] bind = %s is not an address and port", s->bind);
        return -1;
    }
    bool tls = s->cert[0] != '\0';
    char *cert = tls ? malloc(PEM_MAX) : NULL, *key = tls ? malloc(PEM_MAX) : NULL;
    int rc = !tls || (cert && key) ? 0 : -1;
    if (rc == 0 && tls &&
        (read_pem(s->cert, false, cert, err, errlen) < 0 ||
         read_pem(s->key, true, key, err, errlen) < 0))
        rc = -1;
    char origin[160];
    if (s->url[0])
        snprintf(origin, sizeof origin, "%s", s->url);
    else
        snprintf(origin, sizeof origin, "%s://%s", tls ? "https" : "http", s->bind);
    if (rc == 0) {
        n->dashboard = calloc(1, sizeof *n->dashboard);
        n->dashlinks = dashlink_new(origin);
        if (n->dashboard && n->dashlinks) {
            n->dashboard->tls = tls;
            n->dashboard->mhd = start(n, &addr, cert, key);
        }
        if (!n->dashboard || !n->dashboard->mhd) {
            snprintf(err, errlen,
                     "[dashboard] cannot serve on %s: is the port in use, or the certificate "
                     "and key not a pair?",
                     s->bind);
            rc = -1;
        }
    }
    if (key)
        sodium_memzero(key, PEM_MAX);
    free(cert);
    free(key);
    if (rc < 0) {
        dashboard_close(n);
        return -1;
    }
    log_info("dashboard: serving on %s", origin);
    return 0;
}

void dashboard_close(struct node *n)
{
    if (n->dashboard && n->dashboard->mhd)
        MHD_stop_daemon(n->dashboard->mhd);
    free(n->dashboard);
    n->dashboard = NULL;
    dashlink_destroy(&n->dashlinks);
}

int dashboard_fd(const struct node *n)
{
    if (!n->dashboard)
        return -1;
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(n->dashboard->mhd, MHD_DAEMON_INFO_EPOLL_FD);
    return info ? info->epoll_fd : -1;
}

void dashboard_run(struct node *n)
{
    if (n->dashboard)
        MHD_run(n->dashboard->mhd);
}

long dashboard_timeout(const struct node *n, long wait_ms)
{
    MHD_UNSIGNED_LONG_LONG due;
    if (n->dashboard && MHD_get_timeout(n->dashboard->mhd, &due) == MHD_YES &&
        due < (MHD_UNSIGNED_LONG_LONG)wait_ms)
        return (long)due;
    return wait_ms;
}

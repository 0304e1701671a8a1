/* config: mpoold's INI configuration (read with inih).
 *
 *   [node]
 *   id = almere                  ; this node's id in the roster
 *   role = member                ; member, coordinator, or "member, coordinator"
 *   database = /var/lib/mpoold/mpool.db
 *   keys = /etc/mpoold/node.key  ; node key file (0600)
 *   pool_secret = /etc/mpoold/pool.secret ; members only (0600)
 *   roster = /etc/mpoold/roster.ini
 *   users = /etc/mpoold/users.ini
 *   clients = tcp://127.0.0.1:7101 ; where mpool connects
 *   log_level = info
 *
 *   [coordinator]                ; every node: where the coordinator is
 *   endpoint = tcp://coord.example:7001   ; its ROUTER
 *   events = tcp://coord.example:7002     ; its PUB
 *   curve_key = <Z85>            ; pinned CURVE public key
 *   sign_key = <Z85>             ; pinned Ed25519 public key
 *   bind = tcp://0.0.0.0:7001     ; coordinator only: ROUTER bind
 *   events_bind = tcp://0.0.0.0:7002 ; coordinator only: PUB bind
 *
 *   [pool]                       ; coordinator policy
 *   shortlist_size = 3
 *   offer_expiry = 172800        ; seconds an offer stays open
 *   stuck_after = 604800         ; seconds without a transition
 *   retry = 1000                 ; ms between outbox resends
 *   max_message = 1048576        ; bytes, ZMQ_MAXMSGSIZE
 *   domains = labour, citizen, objection, complaint ; coordinator: the pool's words
 *   languages = nl, en           ; sent to every member (base/vocabulary.h)
 *   journal_retention = 2592000  ; coordinator: seconds every journal entry is
 *                                ; kept; older ones are compacted to the last
 *                                ; event of each case (docs/reliability.md)
 *
 *   [match]                      ; coordinator: the objective (docs/matching.md)
 *   distance_per_km = 1          ; and specialty_miss, balance_per_hour, load_step,
 *   unassigned = 1000000         ; recent_requester, needs_cases_bonus,
 *   deadline_per_day = 10000     ; deadline_horizon (days)
 *   max_distance_km = 0          ; a distance cap for every case; 0: none
 *   recent_days = 90             ; how far back "served the requester lately" looks
 *   availability = 1             ; 0 ignores mediators' availability windows
 *
 *   [retention]                  ; days after a case ended (docs/privacy.md)
 *   narrative = 0                ; the narrative at the requesting node
 *   labels = 365                 ; party names and typed notes
 *   case = 730                   ; the case record at the requesting node
 *   coordinator = 730            ; the coordinator's case rows, then statistics
 *   audit = 1825                 ; every node: audit trail rows, days after written
 *
 *   [mail]                       ; notices by SMTP (node/mailer.c); unset: none
 *   smtp_url = smtp://mail.example.nl:587 ; or smtps://host:465
 *   from = mediatorpool@example.nl
 *   user = mpoold                ; with password, for SMTP AUTH
 *   password = /etc/mpoold/smtp.password ; a file (0600) or credential:NAME
 *   starttls = required          ; or off, only for a server on loopback
 *   ca_file = /etc/ssl/pool-ca.pem ; optional; else the system's store
 *
 *   [deadlines]                  ; domain = objection | complaint | internal N
 *   objection = objection        ; (store/periods.h)
 *
 * Paths may be relative to the configuration file's folder.
 * $CREDENTIALS_DIRECTORY/<name> is used for keys and pool_secret when the
 * configured value is "credential:<name>" (systemd LoadCredential). */
#ifndef MPOOL_CONFIG_H
#define MPOOL_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ids.h"
#include "base/text.h"
#include "base/vocabulary.h"
#include "wire/keys.h"
#include "base/log.h"
#include "match/match.h"
#include "store/periods.h"

#define ENDPOINT_MAX 256

struct config {
    char node_id[ID_MAX];
    bool member;
    bool coordinator;
    char database[PATH_MAX];
    char keys_file[PATH_MAX];
    char pool_secret_file[PATH_MAX];
    char roster_file[PATH_MAX];
    char users_file[PATH_MAX];
    char clients_endpoint[ENDPOINT_MAX];
    enum log_level log_level;

    char coord_endpoint[ENDPOINT_MAX];
    char coord_events[ENDPOINT_MAX];
    uint8_t coord_curve_pk[KEY_LEN];
    uint8_t coord_sign_pk[KEY_LEN];
    char coord_bind[ENDPOINT_MAX];
    char coord_events_bind[ENDPOINT_MAX];

    unsigned shortlist_size;
    int64_t offer_expiry_ms;
    int64_t stuck_after_ms;
    int64_t retry_ms;
    int64_t max_message;
    int64_t journal_retention_ms;
    struct vocabulary vocabulary; /* coordinator: the pool's domains and languages */

    /* [match]: the published objective's weights and the rule switches */
    struct match_weights weights;
    int64_t max_distance_km;    /* R9 for every case; 0: no limit */
    int64_t recent_days;        /* "served the requester lately" looks back this far */
    int64_t check_availability; /* 1: R8 honours availability windows */

    /* [retention]: how long after a case ended (closed or withdrawn) each
     * kind of record is kept; the daily sweep destroys what is due. */
    struct retention {
        int64_t narrative_ms;   /* the narrative, at the requesting node */
        int64_t labels_ms;      /* party names and the notes people typed */
        int64_t case_ms;        /* the case record at the requesting node */
        int64_t coordinator_ms; /* the coordinator's case rows: then statistics only */
        int64_t audit_ms;       /* an audit trail row, counted from when it was written */
    } retention;

    /* [mail]: where the node's notices go; url[0] == '\0': no mail */
    struct mail_settings {
        char url[ENDPOINT_MAX];
        char from[EMAIL_MAX + 1];
        char user[128];
        char password_file[PATH_MAX];
        int64_t starttls; /* 1: required; 0: off, for a server on loopback */
        char ca_file[PATH_MAX];
    } mail;

    struct periods periods; /* [deadlines]: the legal period of each domain */

    /* [dashboard]: the coordinator's read-only web pages; bind[0] == '\0':
     * none. HTTPS with cert and key, plain HTTP only on loopback. */
    struct dashboard_settings {
        char bind[64]; /* IPv4 address:port */
        char url[128]; /* where browsers reach it: https://host:port; "" from bind */
        char cert[PATH_MAX];
        char key[PATH_MAX]; /* a file, or credential:NAME */
        int64_t session_ms; /* how long a signed-in browser stays signed in */
    } dashboard;
};

/* Reads and checks the whole file. On error returns -1 with a one-line
 * message in err naming the file, line or key, and what to do.
 * Ranges: shortlist_size 1..20, offer_expiry and stuck_after 1..31536000 s,
 * retry 1..3600000 ms, max_message 262144..67108864 bytes (a sealed narrative must fit),
 * journal_retention 1..315360000 s. */
int config_load(const char *path, struct config *cfg, char *err, size_t errlen);

/* The reader behind every INI file of a node (this one, roster.ini,
 * users.ini): inih, plus the line numbers its Debian build does not give
 * handlers. Lines too long for inih are refused, where inih would cut them
 * silently, and indented lines are plain lines, not continuations. */
struct conf_file;
/* inih keeps no more of a [section] name; longer ones are refused. */
#define CONF_SECTION_MAX 49
typedef int (*conf_handler)(struct conf_file *f, void *user, const char *section, const char *name,
                            const char *value);
/* Calls handler for each key until it returns 0; returns 0, or -1 with err
 * set to the first error of the file. */
int conf_file_parse(const char *path, conf_handler handler, void *user, char *err, size_t errlen);
/* For handlers: records "<path> line <n>: <message>" and returns 0, which
 * the handler returns to stop. */
int conf_file_error(struct conf_file *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

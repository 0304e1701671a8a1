/* loop: the poll loop of mpoold and its timers. */
#include <string.h>

#include "api/clientapi.h"
#include "base/ids.h"
#include "base/log.h"
#include "coord/actions.h"
#include "coord/coord.h"
#include "coord/journal.h"
#include "coord/members.h"
#include "api/repeat.h"
#include "coord/sweep.h"
#include "member/fetch.h"
#include "member/outbox.h"
#include "member/profiles.h"
#include "member/retention.h"
#include "node/dashboard.h"
#include "node/audit.h"
#include "node/node.h"
#include "node/mailer.h"
#include "node/notices.h"
#include "node/notify.h"
#include "node/reminders.h"
#include "store/store.h"

/* Retention is counted in days: a daily sweep keeps every period to the day. */
#define SWEEP_INTERVAL_MS (24 * 3600 * 1000LL)
/* Reminders are minutes or hours ahead; a few seconds late is on time. */
#define REMIND_INTERVAL_MS 5000
/* A destruction's checkpoint that a reader held up is tried again this
 * often: each try is one call that never waits. */
#define RECLAIM_INTERVAL_MS 500

/* Often enough that nothing outlives the retention by more than half of
 * it, seldom enough that a long journal is not scanned every second. */
static int64_t compact_interval_ms(const struct config *cfg)
{
    int64_t half = cfg->journal_retention_ms / 2;
    return half < 1000 ? 1000 : half > 600000 ? 600000 : half;
}

static void run_timers(struct node *n)
{
    int64_t now = now_ms();
    if (n->cfg.member && now >= n->next_flush_ms) {
        member_resend(n);
        n->next_flush_ms = now + n->cfg.retry_ms;
    }
    if (n->cfg.member && now >= n->next_fetch_ms) {
        member_fetch(n);
        n->next_fetch_ms = now + 2 * n->cfg.retry_ms;
    }
    if (n->cfg.coordinator && now >= n->next_expiry_ms) {
        journey_expire(n, now);
        journal_strip_ended(n);
        n->next_expiry_ms = now + 1000;
    }
    if (now >= n->next_sweep_ms) {
        if (n->cfg.member)
            member_sweep(n, now);
        if (n->cfg.coordinator)
            coord_sweep(n, now);
        audit_sweep(n->db, now, n->cfg.retention.audit_ms);
        repeat_sweep(n->db, now);
        if (notice_sweep(n->db, now, NOTICE_KEEP_MS) < 0)
            log_error("notices: the sweep failed; it runs again tomorrow");
        n->next_sweep_ms = now + SWEEP_INTERVAL_MS;
    }
    if (now >= n->next_remind_ms) {
        reminders_run(n, now);
        n->next_remind_ms = now + REMIND_INTERVAL_MS;
    }
    mailer_run(n, now);
    if (store_reclaim_pending() && now >= n->next_reclaim_ms) {
        store_reclaim(n->db);
        n->next_reclaim_ms = now + RECLAIM_INTERVAL_MS;
    }
    if (n->cfg.coordinator && now >= n->next_compact_ms) {
        journal_compact(n, now);
        n->next_compact_ms = now + compact_interval_ms(&n->cfg);
    }
}

/* What the loop waits on: the node's sockets, the mailer's pipe and the
 * dashboard's descriptor, each with what to do when it is ready. */
enum wait_for { W_CLIENTS, W_ROUTER, W_DEALER, W_SUB, W_LINK, W_MAILER, W_DASHBOARD };

struct waits {
    zmq_pollitem_t items[7];
    enum wait_for what[7];
    size_t count;
};

static void wait_on(struct waits *w, void *sock, int fd, enum wait_for what)
{
    w->items[w->count] = (zmq_pollitem_t){sock, fd, ZMQ_POLLIN, 0};
    w->what[w->count++] = what;
}

static void waits_init(struct node *n, struct waits *w)
{
    memset(w, 0, sizeof *w);
    wait_on(w, zsock_resolve(n->clients), 0, W_CLIENTS);
    if (n->router)
        wait_on(w, zsock_resolve(n->router), 0, W_ROUTER);
    if (n->dealer) {
        wait_on(w, zsock_resolve(n->dealer), 0, W_DEALER);
        wait_on(w, zsock_resolve(n->sub), 0, W_SUB);
        wait_on(w, zsock_resolve(n->link_events), 0, W_LINK);
    }
    if (n->mailer)
        wait_on(w, zsock_resolve(mailer_actor(n->mailer)), 0, W_MAILER);
    if (dashboard_fd(n) >= 0)
        wait_on(w, NULL, dashboard_fd(n), W_DASHBOARD);
}

/* Serves each ready one, in the order they were added. The dashboard runs
 * every turn: libmicrohttpd also has timeouts of its own to keep. */
static void serve_ready(struct node *n, const struct waits *w)
{
    for (size_t i = 0; i < w->count; i++) {
        if (!(w->items[i].revents & ZMQ_POLLIN))
            continue;
        switch (w->what[i]) {
        case W_CLIENTS:
            clientapi_handle(n);
            break;
        case W_ROUTER:
            coord_handle(n);
            break;
        case W_DEALER:
            member_handle(n);
            break;
        case W_SUB:
            member_doorbell(n);
            break;
        case W_LINK:
            member_link_up(n);
            break;
        case W_MAILER:
            mailer_handle(n);
            break;
        case W_DASHBOARD:
            break;
        }
    }
    dashboard_run(n);
}

int node_run(struct node *n, volatile int *stop, volatile int *reload)
{
    struct waits w;
    waits_init(n, &w);
    if (n->mailer)
        mailer_retry_now(n);
    /* users.ini may have changed while the node was stopped, too. */
    if (n->cfg.member)
        mediator_profiles_sync(n);
    /* ... and roster.ini: a municipality may have left the pool. */
    if (n->cfg.coordinator)
        coord_retire_departed(n);
    notify_ready();
    log_info("serving as %s%s%s", n->cfg.member ? "member" : "",
             n->cfg.member && n->cfg.coordinator ? " and " : "",
             n->cfg.coordinator ? "coordinator" : "");
    while (!*stop) {
        if (*reload) {
            *reload = 0;
            notify_reloading();
            node_reload(n);
            notify_ready();
        }
        run_timers(n);
        if (zmq_poll(w.items, (int)w.count, dashboard_timeout(n, 100)) < 0 && zmq_errno() != EINTR)
            fatal("the node's loop cannot wait: %s", zmq_strerror(zmq_errno()));
        serve_ready(n, &w);
    }
    notify_stopping();
    mailer_finish(n);
    if (n->cfg.member)
        member_shutdown(n);
    log_info("stopped");
    return 0;
}

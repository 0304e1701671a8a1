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
#include "node/audit.h"
#include "node/node.h"
#include "node/mailer.h"
#include "node/notices.h"
#include "node/notify.h"
#include "node/reminders.h"

/* Retention is counted in days: a daily sweep keeps every period to the day. */
#define SWEEP_INTERVAL_MS (24 * 3600 * 1000LL)
/* Reminders are minutes or hours ahead; a few seconds late is on time. */
#define REMIND_INTERVAL_MS 5000

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
    if (n->cfg.coordinator && now >= n->next_compact_ms) {
        journal_compact(n, now);
        n->next_compact_ms = now + compact_interval_ms(&n->cfg);
    }
}

int node_run(struct node *n, volatile int *stop, volatile int *reload)
{
    zpoller_t *poller = zpoller_new(n->clients, NULL);
    if (n->router)
        zpoller_add(poller, n->router);
    if (n->dealer) {
        zpoller_add(poller, n->dealer);
        zpoller_add(poller, n->sub);
        zpoller_add(poller, n->link_events);
    }
    if (n->mailer) {
        zpoller_add(poller, mailer_actor(n->mailer));
        mailer_retry_now(n);
    }
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
        void *which = zpoller_wait(poller, 100);
        if (which == n->clients)
            clientapi_handle(n);
        else if (which && which == n->router)
            coord_handle(n);
        else if (which && which == n->dealer)
            member_handle(n);
        else if (which && which == n->sub)
            member_doorbell(n);
        else if (which && which == n->link_events)
            member_link_up(n);
        else if (which && n->mailer && which == mailer_actor(n->mailer))
            mailer_handle(n);
    }
    notify_stopping();
    mailer_finish(n);
    if (n->cfg.member)
        member_shutdown(n);
    zpoller_destroy(&poller);
    log_info("stopped");
    return 0;
}

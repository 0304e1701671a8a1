/* rounds: one row per decision in c_rounds. */
#include "coord/rounds.h"

#include "match/fingerprint.h"
#include "base/ids.h"
#include "base/log.h"
#include "store/store.h"

json_t *round_config_json(const struct config *cfg)
{
    const struct match_weights *w = &cfg->weights;
    return json_pack(
        "{s{sIsIsIsIsIsIsIsIsI}sIsIsIsI}", "weights", "distance_per_km",
        (json_int_t)w->distance_per_km, "specialty_miss", (json_int_t)w->specialty_miss,
        "balance_per_hour", (json_int_t)w->balance_per_hour, "load_step", (json_int_t)w->load_step,
        "recent_requester", (json_int_t)w->recent_requester, "needs_cases_bonus",
        (json_int_t)w->needs_cases_bonus, "unassigned", (json_int_t)w->unassigned,
        "deadline_per_day", (json_int_t)w->deadline_per_day, "deadline_horizon",
        (json_int_t)w->deadline_horizon, "max_distance_km", (json_int_t)cfg->max_distance_km,
        "recent_days", (json_int_t)cfg->recent_days, "availability",
        (json_int_t)cfg->check_availability, "shortlist_size", (json_int_t)cfg->shortlist_size);
}

int64_t round_record(struct node *n, const char *kind, const char *case_id,
                     const struct match_case *cases, size_t n_cases,
                     const struct match_mediator *mediators, size_t n_mediators, int64_t objective,
                     json_t *result)
{
    char hash[FINGERPRINT_HEX];
    match_fingerprint(cases, n_cases, mediators, n_mediators, &n->cfg.weights, hash);
    json_t *cfg = round_config_json(&n->cfg);
    char *cfg_text = cfg ? json_dumps(cfg, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *result_text = result ? json_dumps(result, JSON_COMPACT) : NULL;
    json_decref(cfg);
    json_decref(result);
    sqlite3_stmt *st = store_prepare(
        n->db, "INSERT INTO c_rounds(kind, case_id, at_ms, config, input_hash, objective, "
               "result) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    int64_t id = -1;
    if (st && cfg_text && result_text) {
        sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
        if (case_id)
            sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now_ms());
        sqlite3_bind_text(st, 4, cfg_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, objective);
        sqlite3_bind_text(st, 7, result_text, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_DONE)
            id = sqlite3_last_insert_rowid(n->db);
        else
            log_error("rounds: cannot record a %s round: %s", kind, sqlite3_errmsg(n->db));
    }
    store_release(st);
    free(cfg_text);
    free(result_text);
    return id;
}

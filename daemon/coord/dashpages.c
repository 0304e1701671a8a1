/* dashpages: the dashboard's pages, as HTML with inline SVG charts drawn by
 * base/svg.c and, beside each chart, a table of its figures for screen
 * readers. Only ids, states and counts: no label, no narrative. */
#include "coord/dashpages.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/deadline.h"
#include "base/svg.h"
#include "coord/hours.h"
#include "match/match.h"
#include "store/store.h"
#include "wire/names.h"

const char dash_stylesheet[] =
    "body{font-family:sans-serif;max-width:72em;margin:1em auto;color:#222}"
    "nav a{margin-right:1em}"
    "table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #bbb;padding:.3em .6em;text-align:right}"
    "th:first-child,td:first-child{text-align:left}"
    ".figures{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}\n";

static void head(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", out);
    svg_escape(out, title);
    fputs(" - mediation pool</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body>\n"
          "<nav><a href=\"/\">Overview</a><a href=\"/ledger\">Ledger</a>"
          "<a href=\"/mediators\">Mediators</a><a href=\"/flow\">Flow</a>"
          "<a href=\"/rounds\">Rounds</a></nav>\n<main><h1>",
          out);
    svg_escape(out, title);
    fputs("</h1>\n", out);
}

static void foot(FILE *out)
{
    fputs("</main></body></html>\n", out);
}

/* A chart of one or two series and the table of its figures. */
static void chart_and_table(FILE *out, const char *title, const char *const *labels, size_t n,
                            const char *const *series, size_t n_series, const double *values)
{
    struct svg_bars b = {title, labels, n, series, n_series, values};
    char *svg = svg_bar_chart(&b);
    fputs("<div class=\"figures\"><figure>", out);
    if (svg)
        fputs(svg, out);
    free(svg);
    fputs("<figcaption>", out);
    svg_escape(out, title);
    fputs("</figcaption></figure>\n<table><caption>", out);
    svg_escape(out, title);
    fputs("</caption><tr><th></th>", out);
    for (size_t s = 0; s < n_series; s++) {
        fputs("<th>", out);
        svg_escape(out, series[s]);
        fputs("</th>", out);
    }
    fputs("</tr>\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", out);
        svg_escape(out, labels[i]);
        fputs("</td>", out);
        for (size_t s = 0; s < n_series; s++)
            fprintf(out, "<td>%g</td>", values[i * n_series + s]);
        fputs("</tr>\n", out);
    }
    fputs("</table></div>\n", out);
}

static int64_t count_of(sqlite3 *db, const char *sql, int64_t arg)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    int64_t v = -1;
    if (st) {
        if (sqlite3_bind_parameter_count(st) >= 1)
            sqlite3_bind_int64(st, 1, arg);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    }
    store_release(st);
    return v;
}

/* ---- overview: the cases now ---------------------------------------- */

static int overview(struct node *n, FILE *out)
{
    head(out, "Overview");
    const char *labels[12];
    double values[12];
    size_t count = 0;
    sqlite3_stmt *st = store_prepare(n->db, "SELECT state, COUNT(*) FROM c_cases"
                                            " GROUP BY state ORDER BY state");
    while (st && count < 12 && sqlite3_step(st) == SQLITE_ROW) {
        labels[count] = case_state_name(sqlite3_column_int(st, 0));
        values[count++] = (double)sqlite3_column_int64(st, 1);
    }
    store_release(st);
    static const char *const series[] = {"cases"};
    chart_and_table(out, "Cases by state now", labels, count, series, 1, values);
    int64_t now = now_ms();
    int64_t escalated = count_of(n->db, "SELECT COUNT(*) FROM c_cases WHERE state = 10", 0);
    int64_t stuck = count_of(n->db,
                             "SELECT COUNT(*) FROM c_cases WHERE state NOT IN " CASE_ENDED_NUMBERS
                             " AND updated_ms < ?1",
                             now - n->cfg.stuck_after_ms);
    int64_t at_risk =
        count_of(n->db,
                 "SELECT COUNT(*) FROM c_cases c WHERE " AT_RISK_SQL(
                     "c.state", "c.decide_by", "?1", CASE_ENDED_NUMBERS, CASE_TAKEN_NUMBERS),
                 deadline_today(now) + AT_RISK_DAYS);
    fprintf(out,
            "<table><caption>Waiting for the coordinator</caption>"
            "<tr><td>escalated: nobody eligible</td><td>%lld</td></tr>"
            "<tr><td>stuck: no step for a while</td><td>%lld</td></tr>"
            "<tr><td>decision date within %d days, no mediator yet</td><td>%lld</td></tr>"
            "</table>\n",
            (long long)escalated, (long long)stuck, AT_RISK_DAYS, (long long)at_risk);
    foot(out);
    return escalated < 0 || stuck < 0 || at_risk < 0 ? -1 : 0;
}

/* ---- ledger: hours of a year ---------------------------------------- */

struct ledger_rows {
    const struct roster *roster;
    double *values; /* given, received per roster node */
};

static void ledger_row(void *ctx, const char *giver, const char *requester, int64_t minutes)
{
    struct ledger_rows *l = ctx;
    for (size_t i = 0; i < l->roster->count; i++) {
        if (strcmp(l->roster->nodes[i].id, giver) == 0)
            l->values[2 * i] += (double)minutes / 60.0;
        if (strcmp(l->roster->nodes[i].id, requester) == 0)
            l->values[2 * i + 1] += (double)minutes / 60.0;
    }
}

static int ledger(struct node *n, FILE *out, long year)
{
    char title[64], y[16];
    snprintf(title, sizeof title, "Ledger %ld", year);
    snprintf(y, sizeof y, "%ld", year);
    size_t count = n->roster.count;
    const char **labels = calloc(count ? count : 1, sizeof *labels);
    double *values = calloc(count ? 2 * count : 1, sizeof *values);
    struct ledger_rows rows = {&n->roster, values};
    int rc = labels && values ? hours_of_year(n->db, y, ledger_row, &rows) : -1;
    size_t shown = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        if (!hours_ledger_line(n, n->roster.nodes[i].id))
            continue;
        labels[shown] = n->roster.nodes[i].id;
        values[2 * shown] = values[2 * i];
        values[2 * shown + 1] = values[2 * i + 1];
        shown++;
    }
    if (rc == 0) {
        head(out, title);
        fprintf(out,
                "<p>Hours given and received in %ld. Another year: <a href=\"/ledger?year="
                "%ld\">%ld</a>, <a href=\"/ledger?year=%ld\">%ld</a>.</p>\n",
                year, year - 1, year - 1, year + 1, year + 1);
        static const char *const series[] = {"hours given", "hours received"};
        chart_and_table(out, "Hours given and received per municipality", labels, shown, series, 2,
                        values);
        foot(out);
    }
    free(labels);
    free(values);
    return rc;
}

/* ---- mediators: load, away periods, pace ------------------------------ */

#define MAX_ROWS 200

/* The periods of a JSON list of {from_ms, to_ms} that have not ended, as
 * "2026-12-20 to 2027-01-03". */
static void away_text(const char *json, int64_t now, char *out, size_t len)
{
    json_t *list = json_loads(json ? json : "[]", 0, NULL);
    size_t i, used = 0;
    json_t *w;
    out[0] = '\0';
    json_array_foreach(list, i, w)
    {
        int64_t from = json_integer_value(json_object_get(w, "from_ms"));
        int64_t to = json_integer_value(json_object_get(w, "to_ms"));
        if (to <= now || used + 32 > len)
            continue;
        char a[11], b[11];
        deadline_format(deadline_today(from), a);
        deadline_format(deadline_today(to), b);
        used += (size_t)snprintf(out + used, len - used, "%s%s to %s", used ? ", " : "", a, b);
    }
    json_decref(list);
    if (!used)
        snprintf(out, len, "-");
}

static int mediators(struct node *n, FILE *out)
{
    char sql[640];
    snprintf(sql, sizeof sql,
             "SELECT m.mediator_id, m.capacity, m.away, (SELECT COUNT(*) FROM c_seats s WHERE"
             " s.mediator_id = m.mediator_id AND s.state IN (4, 5, 6, 7)), COALESCE((SELECT"
             " SUM(t.count) FROM c_tally t WHERE t.measure = 'mediated' AND t.code ="
             " m.mediator_id AND t.month >= strftime('%%Y-%%m', 'now', '-%d months')), 0),"
             " m.display_name FROM c_mediators m WHERE m.active = 1 ORDER BY m.mediator_id"
             " LIMIT %d",
             MFN_PACE_MONTHS - 1, MAX_ROWS);
    sqlite3_stmt *st = store_prepare(n->db, sql);
    if (!st)
        return -1;
    static char ids[MAX_ROWS][2 * ID_MAX];
    static char away[MAX_ROWS][96];
    static char names[MAX_ROWS][4 * DISPLAY_NAME_MAX + 1];
    const char *labels[MAX_ROWS];
    double values[2 * MAX_ROWS];
    int64_t closed[MAX_ROWS];
    size_t count = 0;
    int step;
    int64_t now = now_ms();
    while ((step = sqlite3_step(st)) == SQLITE_ROW && count < MAX_ROWS) {
        snprintf(ids[count], sizeof ids[0], "%s", (const char *)sqlite3_column_text(st, 0));
        labels[count] = ids[count];
        values[2 * count] = (double)sqlite3_column_int64(st, 3);
        values[2 * count + 1] = (double)sqlite3_column_int(st, 1);
        away_text((const char *)sqlite3_column_text(st, 2), now, away[count], sizeof away[0]);
        closed[count] = sqlite3_column_int64(st, 4);
        snprintf(names[count], sizeof names[0], "%s", (const char *)sqlite3_column_text(st, 5));
        count++;
    }
    store_release(st);
    if (step != SQLITE_DONE && step != SQLITE_ROW)
        return -1;
    head(out, "Mediators");
    static const char *const series[] = {"open cases", "capacity"};
    chart_and_table(out, "Open cases against capacity", labels, count, series, 2, values);
    fprintf(out,
            "<table><caption>Away and the MfN pace (%d mediations in %d months)</caption>"
            "<tr><th>mediator</th><th>name</th><th>away</th><th>mediations</th>"
            "<th>on pace</th></tr>\n",
            MFN_PACE_CASES, MFN_PACE_MONTHS);
    for (size_t i = 0; i < count; i++) {
        fputs("<tr><td>", out);
        svg_escape(out, ids[i]);
        fputs("</td><td>", out);
        svg_escape(out, names[i][0] ? names[i] : "-");
        fputs("</td><td>", out);
        svg_escape(out, away[i]);
        fprintf(out, "</td><td>%lld</td><td>%s</td></tr>\n", (long long)closed[i],
                closed[i] >= MFN_PACE_CASES ? "yes" : "no");
    }
    fputs("</table>\n", out);
    foot(out);
    return 0;
}

/* ---- flow: the last twelve months --------------------------------------- */

static int flow(struct node *n, FILE *out)
{
    static const char *const measures[] = {"posted", "assigned", "closed", "withdrawn",
                                           "escalated"};
    enum { N_MEASURES = 5, MONTHS = 12 };
    static char months[MONTHS][24];
    const char *labels[MONTHS];
    double values[MONTHS * N_MEASURES] = {0};
    double accept[MONTHS] = {0}, accepted[MONTHS] = {0};
    static const char *const outcomes[] = {"agreement", "partial", "none", "withdrawn", "referred"};
    double by_outcome[MONTHS][5] = {{0}};
    for (int i = 0; i < MONTHS; i++) {
        time_t t = (time_t)(now_ms() / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        int back = MONTHS - 1 - i, m = tm.tm_mon - back, y = tm.tm_year + 1900;
        while (m < 0) {
            m += 12;
            y--;
        }
        snprintf(months[i], sizeof months[i], "%04u-%02u", (unsigned)y % 10000u,
                 (unsigned)m % 12u + 1u);
        labels[i] = months[i];
    }
    sqlite3_stmt *st = store_prepare(n->db, "SELECT month, measure, code, SUM(count) FROM c_tally"
                                            " WHERE month >= ?1 GROUP BY 1, 2, 3");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, months[0], -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *month = (const char *)sqlite3_column_text(st, 0);
        const char *measure = (const char *)sqlite3_column_text(st, 1);
        double count = (double)sqlite3_column_int64(st, 3);
        for (int i = 0; i < MONTHS; i++) {
            if (strcmp(months[i], month) != 0)
                continue;
            for (int k = 0; k < N_MEASURES; k++)
                if (strcmp(measures[k], measure) == 0)
                    values[i * N_MEASURES + k] += count;
            for (int o = 0; o < 5 && strcmp(measure, "closed") == 0; o++)
                if (strcmp(outcomes[o], (const char *)sqlite3_column_text(st, 2)) == 0)
                    by_outcome[i][o] += count;
            if (strcmp(measure, "days_to_accept") == 0) {
                accept[i] += count * atof((const char *)sqlite3_column_text(st, 2));
                accepted[i] += count;
            }
        }
    }
    store_release(st);
    if (step != SQLITE_DONE)
        return -1;
    head(out, "Flow");
    /* The chart takes four series: escalations go in the table below. */
    double charted[MONTHS * 4];
    for (int i = 0; i < MONTHS; i++)
        for (int k = 0; k < 4; k++)
            charted[i * 4 + k] = values[i * N_MEASURES + k];
    chart_and_table(out, "Cases per month", labels, MONTHS, measures, 4, charted);
    fputs("<table><caption>Escalations and the days to a mediator, per month</caption>"
          "<tr><th>month</th><th>escalated</th><th>mean days to a mediator</th></tr>\n",
          out);
    for (int i = 0; i < MONTHS; i++) {
        fprintf(out, "<tr><td>%s</td><td>%g</td><td>", months[i], values[i * N_MEASURES + 4]);
        if (accepted[i] > 0)
            fprintf(out, "%.1f", accept[i] / accepted[i]);
        else
            fputs("-", out);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n<table><caption>Closed per month, by outcome</caption><tr><th>month</th>",
          out);
    for (int o = 0; o < 5; o++)
        fprintf(out, "<th>%s</th>", outcomes[o]);
    fputs("</tr>\n", out);
    for (int i = 0; i < MONTHS; i++) {
        fprintf(out, "<tr><td>%s</td>", months[i]);
        for (int o = 0; o < 5; o++)
            fprintf(out, "<td>%g</td>", by_outcome[i][o]);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    foot(out);
    return 0;
}

/* ---- rounds: each batch round ------------------------------------------- */

static int rounds(struct node *n, FILE *out)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT id, at_ms, objective, input_hash, config"
                                            " FROM c_rounds WHERE kind = 'batch'"
                                            " ORDER BY id DESC LIMIT 100");
    if (!st)
        return -1;
    head(out, "Batch rounds");
    fputs("<table><caption>The last batch rounds, newest first</caption><tr><th>round</th>"
          "<th>when (UTC)</th><th>objective</th><th>fingerprint</th><th>configuration</th>"
          "</tr>\n",
          out);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        time_t t = (time_t)(sqlite3_column_int64(st, 1) / 1000);
        struct tm tm;
        char when[32];
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        fprintf(out, "<tr><td>%lld</td><td>%s</td><td>%lld</td><td><code>",
                (long long)sqlite3_column_int64(st, 0), when,
                (long long)sqlite3_column_int64(st, 2));
        svg_escape(out, (const char *)sqlite3_column_text(st, 3));
        fputs("</code></td><td><code>", out);
        svg_escape(out, (const char *)sqlite3_column_text(st, 4));
        fputs("</code></td></tr>\n", out);
    }
    store_release(st);
    fputs("</table>\n", out);
    foot(out);
    return step == SQLITE_DONE ? 0 : -1;
}

/* ---- the pages ---------------------------------------------------------- */

static long this_year(void)
{
    time_t t = (time_t)(now_ms() / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900L;
}

static int ledger_page(struct node *n, FILE *out, const char *year)
{
    char *end = NULL;
    long y = year ? strtol(year, &end, 10) : 0;
    if (!year || *end || y < 2000 || y > 2999)
        y = this_year();
    return ledger(n, out, y);
}

static int overview_page(struct node *n, FILE *out, const char *year)
{
    (void)year;
    return overview(n, out);
}

static int mediators_page(struct node *n, FILE *out, const char *year)
{
    (void)year;
    return mediators(n, out);
}

static int flow_page(struct node *n, FILE *out, const char *year)
{
    (void)year;
    return flow(n, out);
}

static int rounds_page(struct node *n, FILE *out, const char *year)
{
    (void)year;
    return rounds(n, out);
}

/* The pages, by path: the one list that serving and the audit trail read. */
static const struct {
    const char *path;
    int (*draw)(struct node *n, FILE *out, const char *year);
} pages[] = {
    {"/", overview_page}, {"/ledger", ledger_page}, {"/mediators", mediators_page},
    {"/flow", flow_page}, {"/rounds", rounds_page},
};

const char *dash_page_name(const char *path)
{
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if (strcmp(path, pages[i].path) == 0)
            return pages[i].path;
    return NULL;
}

int dash_page(struct node *n, const char *path, const char *year, char **html)
{
    const char *name = dash_page_name(path);
    size_t i = 0;
    while (name && pages[i].path != name)
        i++;
    if (!name)
        return 404;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return 500;
    int status = pages[i].draw(n, out, year) == 0 ? 200 : 500;
    if (fclose(out) != 0 || status != 200) {
        free(text);
        return 500;
    }
    *html = text;
    return 200;
}

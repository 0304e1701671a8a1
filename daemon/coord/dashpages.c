/* dashpages: the dashboard's pages, as HTML with inline SVG charts drawn by
 * base/svg.c and, beside each chart, a table of its figures for screen
 * readers. Only ids, states and counts: no label, no narrative. */
#include "coord/dashpages.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/deadline.h"
#include "base/svg.h"
#include "coord/hours.h"
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
          "<nav><a href=\"/\">Overview</a><a href=\"/ledger\">Ledger</a></nav>\n<main><h1>",
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
    if (rc == 0) {
        for (size_t i = 0; i < count; i++)
            labels[i] = n->roster.nodes[i].id;
        head(out, title);
        fprintf(out,
                "<p>Hours given and received in %ld. Another year: <a href=\"/ledger?year="
                "%ld\">%ld</a>, <a href=\"/ledger?year=%ld\">%ld</a>.</p>\n",
                year, year - 1, year - 1, year + 1, year + 1);
        static const char *const series[] = {"hours given", "hours received"};
        chart_and_table(out, "Hours given and received per municipality", labels, count, series, 2,
                        values);
        foot(out);
    }
    free(labels);
    free(values);
    return rc;
}

/* ---- the pages ---------------------------------------------------------- */

static long this_year(void)
{
    time_t t = (time_t)(now_ms() / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900L;
}

int dash_page(struct node *n, const char *path, const char *year, char **html)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return 500;
    int status = 200;
    if (strcmp(path, "/") == 0) {
        status = overview(n, out) == 0 ? 200 : 500;
    } else if (strcmp(path, "/ledger") == 0) {
        char *end = NULL;
        long y = year ? strtol(year, &end, 10) : 0;
        if (!year || *end || y < 2000 || y > 2999)
            y = this_year();
        status = ledger(n, out, y) == 0 ? 200 : 500;
    } else {
        status = 404;
    }
    if (fclose(out) != 0 || status != 200) {
        free(text);
        return status == 200 ? 500 : status;
    }
    *html = text;
    return 200;
}

/* cmd_report: the coordinator's yearly report (`mpool pool report`), as
 * text, JSON, CSV (RFC 4180) or one self-contained HTML page with an inline
 * SVG chart and no scripts, for a municipality's annual report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "out.h"
#include "base/svg.h"

static const char *const formats[] = {"text", "json", "csv", "html", NULL};

struct report_opts {
    long year;
    const char *municipality;
    const char *format;
};

enum { F_YEAR = 1, F_MUNICIPALITY, F_FORMAT };

static const struct flag report_flags[] = {
    {F_YEAR, "year", "YYYY", "the calendar year to report on (required)"},
    {F_MUNICIPALITY, "municipality", "ID", "one municipality only, beside the whole pool"},
    {F_FORMAT, "format", "FORMAT", "text (default), json, csv or html"},
    {0, NULL, NULL, NULL},
};

static bool report_flag(struct args *a, void *opts, int key)
{
    struct report_opts *o = opts;
    switch (key) {
    case F_YEAR:
        return args_long(a, "--year", a->value, 2000, 2999, &o->year);
    case F_MUNICIPALITY:
        o->municipality = a->value;
        return args_word(a, "--municipality", a->value, ID_MAX - 1);
    case F_FORMAT:
        o->format = a->value;
        return args_enum(a, "--format", a->value, formats);
    default:
        return false;
    }
}

/* ---- the figures, once for every format ---- */

static json_int_t num(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

static json_int_t sum_of(const json_t *row, const char *key)
{
    json_int_t total = 0;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(row, key), k, v)
    {
        total += json_integer_value(v);
    }
    return total;
}

/* "agreement 2, none 1", or "-" */
static void codes_text(const json_t *obj, char *buf, size_t len)
{
    size_t used = 0;
    const char *k;
    json_t *v;
    buf[0] = '\0';
    json_object_foreach((json_t *)obj, k, v)
    {
        int w = snprintf(buf + used, len - used, "%s%s %lld", used ? ", " : "", k,
                         (long long)json_integer_value(v));
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
    if (!used)
        snprintf(buf, len, "-");
}

static void median_text(const json_t *row, const char *key, char *buf, size_t len)
{
    const json_t *v = json_object_get(row, key);
    if (json_is_number(v))
        snprintf(buf, len, "%g", json_number_value(v));
    else
        snprintf(buf, len, "-");
}

/* ---- text ---- */

static void text_row(const json_t *row)
{
    char given[32], received[32], balance[32], acc[16], clo[16], buf[400];
    out_hours(num(row, "given_minutes"), false, given, sizeof given);
    out_hours(num(row, "received_minutes"), false, received, sizeof received);
    out_hours(num(row, "balance_minutes"), true, balance, sizeof balance);
    median_text(row, "median_days_to_accept", acc, sizeof acc);
    median_text(row, "median_days_to_close", clo, sizeof clo);
    const char *id = json_string_value(json_object_get(row, "id"));
    if (strcmp(id, "pool") == 0)
        out_line("The whole pool");
    else
        out_line("%s (%s)", json_string_value(json_object_get(row, "name")), id);
    out_line("  cases         %lld posted, %lld escalated, %lld withdrawn",
             (long long)num(row, "posted"), (long long)num(row, "escalated"),
             (long long)sum_of(row, "withdrawn"));
    codes_text(json_object_get(row, "closed"), buf, sizeof buf);
    out_line("  closed        %s", buf);
    out_line("  hours         %s given, %s received, balance %s", given, received, balance);
    out_line("  median days   %s to a mediator, %s from then to the close", acc, clo);
    out_line("  mediators     %lld took cases on; %lld of %lld below the MfN pace",
             (long long)num(row, "assigned"), (long long)num(row, "below_pace"),
             (long long)num(row, "mediators"));
    static const char *const coded[] = {"declined",     "vetoed",     "refused_consent",
                                        "stepped_back", "reassigned", NULL};
    static const char *const words[] = {"declines",   "vetoes",     "no consent",
                                        "step backs", "reassigned", NULL};
    for (size_t i = 0; coded[i]; i++) {
        codes_text(json_object_get(row, coded[i]), buf, sizeof buf);
        out_line("  %-13s %s", words[i], buf);
    }
    out_line("  expiries      %lld", (long long)num(row, "expired"));
    const char *kind;
    json_t *d;
    json_object_foreach(json_object_get(row, "deadlines"), kind, d)
    {
        out_line("  %-13s %lld met, %lld missed", kind, (long long)num(d, "met"),
                 (long long)num(d, "missed"));
    }
    const json_t *first = json_object_get(row, "first_choice");
    out_line("  first choice  %lld of %lld choices", (long long)num(first, "yes"),
             (long long)(num(first, "yes") + num(first, "no")));
}

static void print_text(const json_t *r, const void *ctx)
{
    (void)ctx;
    char buf[600];
    out_line("Yearly report %lld", (long long)num(r, "year"));
    out_line("%s", "");
    text_row(json_object_get(r, "pool"));
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "municipalities"), i, row)
    {
        out_line("%s", "");
        text_row(row);
    }
    out_line("%s", "");
    codes_text(json_object_get(r, "excluded"), buf, sizeof buf);
    out_line("what kept mediators out when cases were posted: %s", buf);
    json_array_foreach(json_object_get(r, "below_pace"), i, row)
    {
        out_line("below the MfN pace: %s, %lld closed in 3 years",
                 json_string_value(json_object_get(row, "mediator_id")),
                 (long long)num(row, "closed_3y"));
    }
}

/* ---- CSV: one figure a line ---- */

static void csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void csv_line(const char *who, const char *measure, const char *code, json_int_t value)
{
    csv_field(who);
    putchar(',');
    csv_field(measure);
    putchar(',');
    csv_field(code);
    printf(",%lld\r\n", (long long)value);
}

static void csv_row(const json_t *row)
{
    const char *who = json_string_value(json_object_get(row, "id"));
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)row, key, v)
    {
        if (json_is_integer(v)) {
            csv_line(who, key, "", json_integer_value(v));
        } else if (json_is_real(v)) {
            csv_field(who);
            putchar(',');
            csv_field(key);
            printf(",,%g\r\n", json_real_value(v));
        } else if (json_is_object(v)) {
            const char *code;
            json_t *c;
            json_object_foreach(v, code, c)
            {
                if (json_is_integer(c))
                    csv_line(who, key, code, json_integer_value(c));
                const char *part;
                json_t *p;
                json_object_foreach(json_is_object(c) ? c : NULL, part, p)
                {
                    char both[96];
                    snprintf(both, sizeof both, "%s:%s", code, part);
                    csv_line(who, key, both, json_integer_value(p));
                }
            }
        }
    }
}

static void print_csv(const json_t *r)
{
    fputs("municipality,measure,code,value\r\n", stdout);
    csv_row(json_object_get(r, "pool"));
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "municipalities"), i, row)
    {
        csv_row(row);
    }
    const char *code;
    json_t *v;
    json_object_foreach(json_object_get(r, "excluded"), code, v)
    {
        /* of the municipality asked for, or of the whole pool */
        const char *of = json_string_value(json_object_get(r, "municipality"));
        csv_line(of ? of : "pool", "excluded", code, json_integer_value(v));
    }
    json_array_foreach(json_object_get(r, "below_pace"), i, row)
    {
        csv_line(json_string_value(json_object_get(row, "municipality")), "closed_3y",
                 json_string_value(json_object_get(row, "mediator_id")), num(row, "closed_3y"));
    }
}

/* ---- HTML: one page, its chart inline, every chart's figures in a table ---- */

static void html_text(const char *s)
{
    svg_escape(stdout, s);
}

static void html_cell(const char *tag, const char *s)
{
    printf("<%s>", tag);
    html_text(s);
    printf("</%s>", tag);
}

static void html_hours_chart(const json_t *rows)
{
    size_t n = json_array_size(rows);
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    double *values = calloc(n ? 2 * n : 1, sizeof *values);
    if (!labels || !values) {
        free(labels);
        free(values);
        return;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        labels[i] = json_string_value(json_object_get(row, "id"));
        values[2 * i] = (double)num(row, "given_minutes") / 60.0;
        values[2 * i + 1] = (double)num(row, "received_minutes") / 60.0;
    }
    static const char *const series[] = {"hours given", "hours received"};
    struct svg_bars b = {"Hours given and received per municipality", labels, n, series, 2, values};
    char *svg = svg_bar_chart(&b);
    if (svg)
        printf("<figure>%s<figcaption>Hours given and received per municipality; the table "
               "below holds the same figures.</figcaption></figure>\n",
               svg);
    free(svg);
    free(labels);
    free(values);
}

static void html_hours_table(const json_t *rows, const json_t *pool)
{
    puts("<table><tr><th>municipality</th><th>hours given</th><th>hours received</th>"
         "<th>balance</th></tr>");
    size_t i;
    json_t *row;
    for (i = 0; i <= json_array_size(rows); i++) {
        row = i < json_array_size(rows) ? json_array_get(rows, i) : (json_t *)pool;
        char given[32], received[32], balance[32];
        out_hours(num(row, "given_minutes"), false, given, sizeof given);
        out_hours(num(row, "received_minutes"), false, received, sizeof received);
        out_hours(num(row, "balance_minutes"), true, balance, sizeof balance);
        fputs("<tr>", stdout);
        html_cell("td", json_string_value(json_object_get(row, "name")));
        html_cell("td", given);
        html_cell("td", received);
        html_cell("td", balance);
        puts("</tr>");
    }
    puts("</table>");
}

static void html_cases_table(const json_t *rows, const json_t *pool)
{
    puts("<table><tr><th>municipality</th><th>posted</th><th>escalated</th><th>withdrawn</th>"
         "<th>closed</th><th>outcomes</th><th>median days to a mediator</th>"
         "<th>median days to the close</th><th>first choice taken</th>"
         "<th>declines</th><th>vetoes</th><th>expiries</th><th>step backs</th></tr>");
    for (size_t i = 0; i <= json_array_size(rows); i++) {
        const json_t *row = i < json_array_size(rows) ? json_array_get(rows, i) : pool;
        char buf[400], acc[16], clo[16];
        median_text(row, "median_days_to_accept", acc, sizeof acc);
        median_text(row, "median_days_to_close", clo, sizeof clo);
        fputs("<tr>", stdout);
        html_cell("td", json_string_value(json_object_get(row, "name")));
        printf("<td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td>",
               (long long)num(row, "posted"), (long long)num(row, "escalated"),
               (long long)sum_of(row, "withdrawn"), (long long)sum_of(row, "closed"));
        codes_text(json_object_get(row, "closed"), buf, sizeof buf);
        html_cell("td", buf);
        html_cell("td", acc);
        html_cell("td", clo);
        const json_t *first = json_object_get(row, "first_choice");
        printf("<td>%lld of %lld</td>", (long long)num(first, "yes"),
               (long long)(num(first, "yes") + num(first, "no")));
        static const char *const coded[] = {"declined", "vetoed", NULL};
        for (size_t k = 0; coded[k]; k++) {
            codes_text(json_object_get(row, coded[k]), buf, sizeof buf);
            html_cell("td", buf);
        }
        printf("<td>%lld</td>", (long long)num(row, "expired"));
        codes_text(json_object_get(row, "stepped_back"), buf, sizeof buf);
        html_cell("td", buf);
        puts("</tr>");
    }
    puts("</table>");
}

static void html_pool_lists(const json_t *r)
{
    const json_t *pool = json_object_get(r, "pool");
    puts("<h2>Legal decision dates</h2><table><tr><th>period</th><th>met</th><th>missed</th></tr>");
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(pool, "deadlines"), key, v)
    {
        fputs("<tr>", stdout);
        html_cell("td", key);
        printf("<td>%lld</td><td>%lld</td></tr>\n", (long long)num(v, "met"),
               (long long)num(v, "missed"));
    }
    puts("</table><h2>What kept mediators out when cases were posted</h2>"
         "<table><tr><th>rule</th><th>mediators</th></tr>");
    json_object_foreach(json_object_get(r, "excluded"), key, v)
    {
        fputs("<tr>", stdout);
        html_cell("td", key);
        printf("<td>%lld</td></tr>\n", (long long)json_integer_value(v));
    }
    puts("</table><h2>Mediators below the MfN pace</h2>"
         "<table><tr><th>mediator</th><th>closed in 3 years</th></tr>");
    size_t i;
    json_array_foreach(json_object_get(r, "below_pace"), i, v)
    {
        fputs("<tr>", stdout);
        html_cell("td", json_string_value(json_object_get(v, "mediator_id")));
        printf("<td>%lld</td></tr>\n", (long long)num(v, "closed_3y"));
    }
    puts("</table>");
}

static void print_html(const json_t *r)
{
    const json_t *rows = json_object_get(r, "municipalities"), *pool = json_object_get(r, "pool");
    long long year = (long long)num(r, "year");
    printf("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<title>Mediation pool: yearly report %lld</title><style>"
           "body{font-family:sans-serif;max-width:72em;margin:2em auto;color:#222}"
           "table{border-collapse:collapse;margin:1em 0}"
           "th,td{border:1px solid #bbb;padding:.3em .6em;text-align:right}"
           "th:first-child,td:first-child{text-align:left}</style></head><body>\n"
           "<h1>Mediation pool: yearly report %lld</h1>\n"
           "<p>Cases, hours and mediators of the municipalities in the pool, in counts only: "
           "no case, party or person is named.</p>\n<h2>Hours given and received</h2>\n",
           year, year);
    html_hours_chart(rows);
    html_hours_table(rows, pool);
    puts("<h2>Cases</h2>");
    html_cases_table(rows, pool);
    html_pool_lists(r);
    puts("</body></html>");
}

/* ---- the command ---- */

static void print_report(const json_t *result, const void *ctx)
{
    const char *format = ctx;
    if (strcmp(format, "csv") == 0)
        print_csv(result);
    else if (strcmp(format, "html") == 0)
        print_html(result);
    else if (strcmp(format, "json") == 0)
        out_json(result);
    else
        print_text(result, NULL);
}

static int pool_report(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct report_opts o = {0, NULL, "text"};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, report_flag, &o, &rc))
        return rc;
    if (!o.year)
        return args_fail(&a, "--year is missing; say which year to report on, such as 2026");
    json_t *args = json_pack("{s:I}", "year", (json_int_t)o.year);
    if (o.municipality)
        json_object_set_new(args, "municipality", json_string(o.municipality));
    return cli_request(cli, "pool.report", args, print_report, o.format);
}

static void print_link(const json_t *result, const void *ctx)
{
    char until[32];
    (void)ctx;
    out_time(json_integer_value(json_object_get(result, "expires_ms")), until, sizeof until);
    out_line("%s", json_string_value(json_object_get(result, "url")));
    out_line("Open it in your browser before %s UTC; it works once.", until);
}

static int pool_dashboard(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return cli_query(cli, cmd, argc, argv, "pool.dashboard", print_link, NULL);
}

const struct command report_commands[] = {
    {"pool", "report", "--year YYYY [--municipality ID] [--format text|json|csv|html]",
     "The yearly report: cases, hours, medians, declines, deadlines and the MfN pace, per "
     "municipality and for the whole pool.",
     report_flags, pool_report, NULL},
    {"pool", "dashboard", "", "A one-time link that signs your browser in to the pool's dashboard.",
     args_no_flags, pool_dashboard, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

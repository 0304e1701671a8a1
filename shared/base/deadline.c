/* deadline: calendar arithmetic on day numbers. Easter follows the
 * anonymous Gregorian computus; the holidays are those Atw art. 3 names. */
#include "base/deadline.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAY_S  86400
#define DAY_MS (DAY_S * 1000LL)

static const char *const kind_names[] = {"", "objection", "complaint", "internal"};

const char *const deadline_move_codes[] = {"omission",           "complex-case", "committee-advice",
                                           "objector-consented", "other",        NULL};

const char *deadline_kind_name(enum deadline_kind kind)
{
    return (unsigned)kind < sizeof kind_names / sizeof *kind_names ? kind_names[kind] : "";
}

enum deadline_kind deadline_kind_parse(const char *word)
{
    for (size_t k = 1; word && k < sizeof kind_names / sizeof *kind_names; k++)
        if (strcmp(word, kind_names[k]) == 0)
            return (enum deadline_kind)k;
    return DEADLINE_NONE;
}

int32_t deadline_day(int year, int month, int day)
{
    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    return (int32_t)(timegm(&tm) / DAY_S);
}

static void split(int32_t day, struct tm *tm)
{
    time_t t = (time_t)day * DAY_S;
    gmtime_r(&t, tm);
}

int32_t deadline_parse(const char *text)
{
    int y, m, d;
    char end;
    if (!text || strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
        y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    int32_t day = deadline_day(y, m, d);
    struct tm tm;
    split(day, &tm);
    /* 31 April comes back as 1 May: not a date. */
    return tm.tm_mday == d && tm.tm_mon == m - 1 ? day : -1;
}

void deadline_format(int32_t day, char out[11])
{
    struct tm tm;
    split(day, &tm);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

int32_t deadline_easter(int year)
{
    int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return deadline_day(year, month, day);
}

/* King's Day: 27 April, or 26 April when the 27th is a Sunday. */
static int32_t kings_day(int year)
{
    int32_t day = deadline_day(year, 4, 27);
    struct tm tm;
    split(day, &tm);
    return tm.tm_wday == 0 ? day - 1 : day;
}

bool deadline_holiday(int32_t day, const struct deadline_extra *extra)
{
    struct tm tm;
    split(day, &tm);
    int year = tm.tm_year + 1900, month = tm.tm_mon + 1;
    if ((month == 1 && tm.tm_mday == 1) || (month == 5 && tm.tm_mday == 5) ||
        (month == 12 && (tm.tm_mday == 25 || tm.tm_mday == 26)) || day == kings_day(year))
        return true;
    int32_t easter = deadline_easter(year);
    /* Good Friday, Easter Monday, Ascension Day, Whit Monday */
    if (day == easter - 2 || day == easter + 1 || day == easter + 39 || day == easter + 50)
        return true;
    for (size_t i = 0; extra && i < extra->count; i++)
        if (extra->days[i] == day)
            return true;
    return false;
}

static bool rest_day(int32_t day, const struct deadline_extra *extra)
{
    struct tm tm;
    split(day, &tm);
    return tm.tm_wday == 0 || tm.tm_wday == 6 || deadline_holiday(day, extra);
}

int32_t deadline_next_working_day(int32_t day, const struct deadline_extra *extra)
{
    while (rest_day(day, extra))
        day++;
    return day;
}

static int32_t add_working_days(int32_t day, int32_t count, const struct deadline_extra *extra)
{
    while (count > 0) {
        day++;
        if (!rest_day(day, extra))
            count--;
    }
    return day;
}

int32_t deadline_compute(const struct deadline_input *in, const struct deadline_extra *extra,
                         const char **why)
{
    *why = NULL;
    if (in->suspended_days < 0 || in->postponed_days < 0 || in->consented_days < 0)
        *why = "a suspension or postponement cannot be negative";
    else if (in->kind == DEADLINE_INTERNAL)
        return in->working_days > 0 ? add_working_days(in->start, in->working_days, extra)
                                    : (*why = "an internal target needs working days", -1);
    else if (in->kind == DEADLINE_OBJECTION && in->postponed_days > 42)
        *why = "Awb 7:10(3) allows one postponement of at most 6 weeks; "
               "more needs the objector's consent";
    else if (in->kind == DEADLINE_COMPLAINT && in->postponed_days > 28)
        *why = "Awb 9:11(2) allows a postponement of at most 4 weeks";
    else if (in->kind == DEADLINE_COMPLAINT && (in->suspended_days || in->consented_days))
        *why = "a complaint's period is not suspended, nor postponed further with consent";
    else if (in->kind != DEADLINE_OBJECTION && in->kind != DEADLINE_COMPLAINT)
        *why = "no legal period for this kind of case";
    if (*why)
        return -1;
    int32_t weeks =
        in->kind == DEADLINE_OBJECTION ? (in->committee ? 12 : 6) : (in->committee ? 10 : 6);
    int32_t end =
        in->start + 7 * weeks + in->suspended_days + in->postponed_days + in->consented_days;
    return deadline_next_working_day(end, extra);
}

int32_t deadline_near_days(enum deadline_kind kind, int32_t start, int32_t decide_by)
{
    _Static_assert(AT_RISK_DAYS == 14, "DEADLINE_NEAR_DAYS_SQL says 14");
    /* An internal target whose start is not known warns as a legal date
     * does, as the SQL form's COALESCE does for a NULL start. */
    if (kind != DEADLINE_INTERNAL || start < 0)
        return AT_RISK_DAYS;
    int32_t third = (decide_by - start) / 3;
    return third > 1 ? third : 1;
}

int32_t deadline_today(int64_t now_ms)
{
    return (int32_t)(now_ms / DAY_MS);
}

bool deadline_offer_capped(int64_t expires_ms, int32_t decide_by)
{
    return decide_by >= 0 && expires_ms == (int64_t)decide_by * DAY_MS;
}

int64_t deadline_offer_expiry(int64_t now_ms, int64_t expiry_ms, int32_t decide_by)
{
    int64_t normal = now_ms + expiry_ms, cap = (int64_t)decide_by * DAY_MS;
    return decide_by >= 0 && cap > now_ms && cap < normal ? cap : normal;
}

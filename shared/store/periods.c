/* periods: read [deadlines] keys, which name domains, so the section is
 * read here rather than from config.c's table of fixed keys. */
#include "store/periods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set_holidays(struct periods *p, const char *value, char *why, size_t len)
{
    char copy[HOLIDAYS_MAX * 12];
    snprintf(copy, sizeof copy, "%s", value);
    p->n_holidays = 0;
    for (char *save = NULL, *part = strtok_r(copy, ", ", &save); part;
         part = strtok_r(NULL, ", ", &save)) {
        int32_t day = deadline_parse(part);
        if (day < 0 || p->n_holidays == HOLIDAYS_MAX) {
            snprintf(why, len, "holidays: '%s' is not a date YYYY-MM-DD (or more than %d dates)",
                     part, HOLIDAYS_MAX);
            return 0;
        }
        p->holidays[p->n_holidays++] = day;
    }
    return 1;
}

int periods_set(struct periods *p, const char *name, const char *value, char *why, size_t len)
{
    if (strcmp(name, "holidays") == 0)
        return set_holidays(p, value, why, len);
    if (strlen(name) >= sizeof p->list[0].domain || periods_find(p, name) ||
        p->count == PERIODS_MAX) {
        snprintf(why, len, "domain '%s' is too long, given twice, or one of more than %d", name,
                 PERIODS_MAX);
        return 0;
    }
    struct period *d = &p->list[p->count];
    int days = 0;
    char extra;
    enum deadline_kind kind = deadline_kind_parse(value);
    if (kind == DEADLINE_OBJECTION || kind == DEADLINE_COMPLAINT) {
        d->kind = kind;
    } else if (sscanf(value, "internal %d%c", &days, &extra) == 1 && days >= 1 && days <= 365) {
        d->kind = DEADLINE_INTERNAL;
        d->working_days = days;
    } else {
        snprintf(why, len,
                 "%s = '%s': set it to objection (Awb 7:10), complaint (Awb 9:11) or "
                 "'internal N' (N working days, 1 to 365)",
                 name, value);
        return 0;
    }
    snprintf(d->domain, sizeof d->domain, "%s", name);
    p->count++;
    return 1;
}

const struct period *periods_find(const struct periods *p, const char *domain)
{
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->list[i].domain, domain) == 0)
            return &p->list[i];
    return NULL;
}

struct deadline_extra periods_holidays(const struct periods *p)
{
    struct deadline_extra e = {p->holidays, p->n_holidays};
    return e;
}

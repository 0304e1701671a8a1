/* names: one table per enum, index = protobuf value. */
#include "wire/names.h"

#include <stdio.h>
#include <string.h>

#include "mpool.pb-c.h"

static const char *const states[] = {"unspecified", "posted",    "shortlisted",      "chosen",
                                     "offered",     "accepted",  "awaiting_consent", "in_mediation",
                                     "closed",      "withdrawn", "escalated"};
static const char *const outcomes[] = {"", "agreement", "partial", "none", "withdrawn", "referred"};
static const char *const urgencies[] = {"", "low", "normal", "high"};
static const char *const disclosures[] = {"", "relationship", "prior", "interest"};

#define COUNT(a) ((int)(sizeof(a) / sizeof *(a)))

static const char *name_of(const char *const *table, int count, int value)
{
    return value > 0 && value < count ? table[value] : "";
}

static int parse(const char *const *table, int count, const char *name)
{
    for (int i = 1; name && i < count; i++)
        if (strcmp(table[i], name) == 0)
            return i;
    return 0;
}

const char *case_state_name(int state)
{
    return name_of(states, COUNT(states), state);
}

int case_state_parse(const char *name)
{
    return parse(states, COUNT(states), name);
}

const char *outcome_name(int outcome)
{
    return name_of(outcomes, COUNT(outcomes), outcome);
}

int outcome_parse(const char *name)
{
    return parse(outcomes, COUNT(outcomes), name);
}

const char *urgency_name(int urgency)
{
    return name_of(urgencies, COUNT(urgencies), urgency);
}

int urgency_parse(const char *name)
{
    return parse(urgencies, COUNT(urgencies), name);
}

const char *disclosure_name(int disclosure)
{
    return name_of(disclosures, COUNT(disclosures), disclosure);
}

int disclosure_parse(const char *name)
{
    return parse(disclosures, COUNT(disclosures), name);
}

_Static_assert(MPOOL__V1__CASE_STATE__CASE_STATE_CLOSED == 8 &&
                   MPOOL__V1__CASE_STATE__CASE_STATE_WITHDRAWN == 9,
               "CASE_ENDED_NUMBERS names the closed and withdrawn states");

/* Whether 'name' stands in an SQL list of quoted words. */
static bool listed(const char *list, const char *name)
{
    char quoted[40];
    int n = snprintf(quoted, sizeof quoted, "'%s'", name ? name : "");
    return n > 2 && (size_t)n < sizeof quoted && strstr(list, quoted) != NULL;
}

bool case_state_ended(const char *name)
{
    return listed(CASE_ENDED_NAMES, name);
}

bool offer_state_ended(const char *name)
{
    return listed(OFFER_ENDED_NAMES, name);
}

struct words {
    const char *name, *words;
};

static const struct words case_words[] = {
    {"posted", "posted, waiting for a shortlist"},
    {"shortlisted", "waiting for the parties' choice"},
    {"chosen", "chosen, waiting for the pool"},
    {"offered", "waiting for the mediator's answer"},
    {"accepted", "accepted, the narrative on its way"},
    {"awaiting_consent", "waiting for the parties' consent"},
    {"in_mediation", "in mediation"},
    {"closed", "closed"},
    {"withdrawn", "withdrawn"},
    {"escalated", "with the coordinator: no mediator fits"},
};

static const struct words offer_words[] = {
    {"offered", "offered to you, waiting for your answer"},
    {"answered", "answered, waiting for the pool"},
    {"accepted", "accepted, the narrative on its way"},
    {"awaiting_consent", "waiting for the parties' consent"},
    {"in_mediation", "in mediation"},
    {"closed", "closed"},
    {"withdrawn", "withdrawn by the municipality"},
    {"declined", "declined"},
    {"expired", "expired without an answer"},
    {"vetoed", "vetoed by a party"},
    {"refused_consent", "the parties did not consent"},
    {"stepped_back", "you stepped back"},
    {"reassigned", "given to another mediator"},
};

static const char *words_of(const struct words *list, size_t count, const char *name)
{
    for (size_t i = 0; name && i < count; i++)
        if (strcmp(list[i].name, name) == 0)
            return list[i].words;
    return name ? name : "";
}

const char *case_state_words(const char *name)
{
    return words_of(case_words, COUNT(case_words), name);
}

const char *offer_state_words(const char *name)
{
    return words_of(offer_words, COUNT(offer_words), name);
}

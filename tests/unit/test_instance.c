/* Tests for instance: reading a matching problem from JSON, as someone
 * running `mpool match --instance` would write it, and the messages they
 * get when they get it wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match/instance.h"
#include "match/match.h"

/* JSON in the tests is written with single quotes, which json() turns into
 * double quotes, so the examples read as they would in a file. */
static char json_buf[8192];

static const char *json(const char *single_quoted)
{
    size_t n = strlen(single_quoted);

    assert_true(n < sizeof json_buf);
    for (size_t i = 0; i <= n; i++)
        json_buf[i] = single_quoted[i] == '\'' ? '"' : single_quoted[i];
    return json_buf;
}

/* The example of the issue, verbatim. */
static const char issue_example[] =
    "{ 'weights': { 'distance_per_km': 1, 'specialty_miss': 200, 'balance_per_hour': 2,\n"
    "               'load_step': 40, 'recent_requester': 100, 'needs_cases_bonus': 50,\n"
    "               'unassigned': 1000000 },\n"
    "  'municipalities': [ { 'id': 'almere', 'balance_hours': 12 } ],\n"
    "  'mediators': [ { 'id': 'm1', 'municipality': 'almere', 'lat': 52.37, 'lon': 5.21,\n"
    "                   'capacity': 2, 'open_cases': 1, 'languages': ['nl','en'],\n"
    "                   'specialties': ['labour','citizen'], 'certified': true,\n"
    "                   'relationships': ['p:9f2c'], 'recent_requesters': ['zeist'],\n"
    "                   'cases_last_365d': 1, 'available': true } ],\n"
    "  'cases': [ { 'id': 'c1', 'requester': 'zeist', 'parties': ['zeist','p:9f2c'],\n"
    "               'domain': 'labour', 'language': 'nl', 'lat': 52.09, 'lon': 5.23, "
    "'seats': 1,\n"
    "               'requires_certified': true, 'max_distance_km': 150, 'vetoed': ['m7'],\n"
    "               'involved': ['m9'], 'waived': [], 'excluded_municipalities': "
    "['hilversum'] } ] }\n";

#define MEDIATOR_M1                                                                                \
    "{'id': 'm1', 'municipality': 'almere', 'lat': 52.37, 'lon': 5.21, 'capacity': 2}"
#define CASE_C1 "{'id': 'c1', 'requester': 'zeist', 'language': 'nl', 'lat': 52.09, 'lon': 5.23}"

static void parse_ok(const char *single_quoted, struct instance *in)
{
    char err[512];
    const char *text = json(single_quoted);

    if (instance_parse(text, strlen(text), in, err, sizeof err) != 0)
        fail_msg("expected the instance to parse, got: %s", err);
}

/* Fails with exactly `want`, and leaves nothing behind to free. */
static void expect_error(const char *single_quoted, const char *want)
{
    struct instance in;
    char err[512];
    const char *text = json(single_quoted);

    memset(&in, 0xa5, sizeof in);
    assert_int_equal(instance_parse(text, strlen(text), &in, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_null(in.mediators);
    assert_null(in.cases);
    assert_null(in.storage);
    assert_int_equal(in.n_mediators, 0);
    assert_int_equal(in.n_cases, 0);
}

/* For messages that list alternatives: compare the start only. */
static void expect_error_start(const char *single_quoted, const char *want)
{
    struct instance in;
    char err[512];
    const char *text = json(single_quoted);

    assert_int_equal(instance_parse(text, strlen(text), &in, err, sizeof err), -1);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("expected a message starting with \"%s\", got \"%s\"", want, err);
    assert_null(strchr(err, '\n'));
    assert_null(in.storage);
}

static void assert_strings(const struct match_strings *s, size_t n, ...)
{
    va_list ap;

    assert_int_equal(s->n, n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(s->v[i], va_arg(ap, const char *));
    va_end(ap);
}

/* ---- what parses ------------------------------------------------------ */

static void issue_example_parses_every_field(void **state)
{
    (void)state;
    struct instance in;

    parse_ok(issue_example, &in);
    assert_int_equal(in.weights.distance_per_km, 1);
    assert_int_equal(in.weights.specialty_miss, 200);
    assert_int_equal(in.weights.balance_per_hour, 2);
    assert_int_equal(in.weights.load_step, 40);
    assert_int_equal(in.weights.recent_requester, 100);
    assert_int_equal(in.weights.needs_cases_bonus, 50);
    assert_int_equal(in.weights.unassigned, 1000000);

    assert_int_equal(in.n_mediators, 1);
    const struct match_mediator *m = &in.mediators[0];
    assert_string_equal(m->id, "m1");
    assert_string_equal(m->municipality, "almere");
    assert_float_equal(m->lat, 52.37, 1e-12);
    assert_float_equal(m->lon, 5.21, 1e-12);
    assert_int_equal(m->capacity, 2);
    assert_int_equal(m->open_cases, 1);
    assert_strings(&m->languages, 2, "nl", "en");
    assert_strings(&m->specialties, 2, "labour", "citizen");
    assert_true(m->certified);
    assert_strings(&m->relationships, 1, "p:9f2c");
    assert_strings(&m->recent_requesters, 1, "zeist");
    assert_int_equal(m->cases_last_365d, 1);
    assert_true(m->available);
    assert_int_equal(m->balance_hours, 12);

    assert_int_equal(in.n_cases, 1);
    const struct match_case *c = &in.cases[0];
    assert_string_equal(c->id, "c1");
    assert_string_equal(c->requester, "zeist");
    assert_strings(&c->parties, 2, "zeist", "p:9f2c");
    assert_string_equal(c->domain, "labour");
    assert_string_equal(c->language, "nl");
    assert_float_equal(c->lat, 52.09, 1e-12);
    assert_float_equal(c->lon, 5.23, 1e-12);
    assert_int_equal(c->seats, 1);
    assert_true(c->requires_certified);
    assert_float_equal(c->max_distance_km, 150, 0);
    assert_strings(&c->vetoed, 1, "m7");
    assert_strings(&c->involved, 1, "m9");
    assert_strings(&c->waived, 0);
    assert_strings(&c->declined, 0);
    assert_strings(&c->excluded_municipalities, 1, "hilversum");

    /* What the example means: m1 declared a relationship with a party. */
    assert_int_equal(match_check(c, m), MATCH_RELATIONSHIP);
    instance_free(&in);
}

static void omitted_fields_take_defaults(void **state)
{
    (void)state;
    struct instance in;
    struct match_weights want;

    parse_ok("{'mediators': [" MEDIATOR_M1 "], 'cases': [" CASE_C1 "]}", &in);
    match_weights_default(&want);
    assert_memory_equal(&in.weights, &want, sizeof want);

    const struct match_mediator *m = &in.mediators[0];
    assert_int_equal(m->open_cases, 0);
    assert_strings(&m->languages, 0);
    assert_strings(&m->specialties, 0);
    assert_strings(&m->relationships, 0);
    assert_strings(&m->recent_requesters, 0);
    assert_false(m->certified);
    assert_true(m->available);
    assert_int_equal(m->cases_last_365d, 0);
    assert_int_equal(m->balance_hours, 0);

    const struct match_case *c = &in.cases[0];
    assert_strings(&c->parties, 0);
    assert_string_equal(c->domain, "");
    assert_int_equal(c->seats, 1);
    assert_false(c->requires_certified);
    assert_float_equal(c->max_distance_km, 0, 0);
    assert_strings(&c->vetoed, 0);
    assert_strings(&c->involved, 0);
    assert_strings(&c->waived, 0);
    assert_strings(&c->excluded_municipalities, 0);
    assert_false(c->has_deadline);
    instance_free(&in);
}

static void weights_given_override_only_themselves(void **state)
{
    (void)state;
    struct instance in;
    struct match_weights want;

    parse_ok("{'weights': {'load_step': 7, 'balance_per_hour': 3}, 'mediators': [], "
             "'cases': []}",
             &in);
    match_weights_default(&want);
    want.load_step = 7;
    want.balance_per_hour = 3;
    assert_memory_equal(&in.weights, &want, sizeof want);
    instance_free(&in);
}

static void empty_arrays_give_an_empty_instance(void **state)
{
    (void)state;
    struct instance in;

    parse_ok("{'municipalities': [], 'mediators': [], 'cases': []}", &in);
    assert_int_equal(in.n_mediators, 0);
    assert_int_equal(in.n_cases, 0);
    instance_free(&in);
    assert_null(in.storage);

    /* An empty municipalities list does not require membership. */
    parse_ok("{'municipalities': [], 'mediators': [" MEDIATOR_M1 "], 'cases': []}", &in);
    assert_int_equal(in.n_mediators, 1);
    assert_int_equal(in.mediators[0].balance_hours, 0);
    instance_free(&in);
}

static void balance_comes_from_the_municipality(void **state)
{
    (void)state;
    struct instance in;

    parse_ok("{'municipalities': [{'id': 'almere', 'balance_hours': -40}, {'id': 'zeist'}],"
             " 'mediators': [" MEDIATOR_M1 ", {'id': 'z1', 'municipality': 'zeist', 'lat': 52.09,"
             " 'lon': 5.23, 'capacity': 1}], 'cases': []}",
             &in);
    assert_int_equal(in.mediators[0].balance_hours, -40);
    assert_int_equal(in.mediators[1].balance_hours, 0);
    instance_free(&in);
}

static void two_seats_and_a_cap(void **state)
{
    (void)state;
    struct instance in;

    parse_ok("{'mediators': [], 'cases': [{'id': 'c2', 'requester': 'zeist', 'language': 'en',"
             " 'lat': -33.9, 'lon': 151.2, 'seats': 2, 'max_distance_km': 12.5,"
             " 'declined': ['m3'], 'replaced': ['m4'], 'expired': ['m5', 'm6']}]}",
             &in);
    assert_int_equal(in.cases[0].seats, 2);
    assert_float_equal(in.cases[0].max_distance_km, 12.5, 0);
    assert_strings(&in.cases[0].declined, 1, "m3");
    assert_strings(&in.cases[0].replaced, 1, "m4");
    assert_strings(&in.cases[0].expired, 2, "m5", "m6");
    instance_free(&in);
}

/* A decision date in 0 or -2 days is one; an absent days_left is none. */
static void days_left_gives_a_decision_date(void **state)
{
    (void)state;
    struct instance in;

    parse_ok("{'weights': {'deadline_per_day': 7, 'deadline_horizon': 10}, 'mediators': [],"
             " 'cases': [" CASE_C1 ", {'id': 'c2', 'requester': 'zeist', 'language': 'nl',"
             " 'lat': 52.0, 'lon': 5.0, 'days_left': 0}, {'id': 'c3', 'requester': 'zeist',"
             " 'language': 'nl', 'lat': 52.0, 'lon': 5.0, 'days_left': -2}]}",
             &in);
    assert_int_equal(in.weights.deadline_per_day, 7);
    assert_int_equal(in.weights.deadline_horizon, 10);
    assert_false(in.cases[0].has_deadline);
    assert_true(in.cases[1].has_deadline);
    assert_int_equal(in.cases[1].days_left, 0);
    assert_true(in.cases[2].has_deadline);
    assert_int_equal(in.cases[2].days_left, -2);
    assert_int_equal(match_empty_seat_cost(&in.cases[2], &in.weights), in.weights.unassigned + 70);
    instance_free(&in);
}

/* The caller may free its text at once: nothing points into it. */
static void strings_outlive_the_text(void **state)
{
    (void)state;
    struct instance in;
    char err[256];
    const char *text = json(issue_example);
    char *copy = strdup(text);

    assert_non_null(copy);
    assert_int_equal(instance_parse(copy, strlen(copy), &in, err, sizeof err), 0);
    memset(copy, 'x', strlen(copy));
    free(copy);
    assert_string_equal(in.mediators[0].id, "m1");
    assert_string_equal(in.cases[0].excluded_municipalities.v[0], "hilversum");
    instance_free(&in);
}

static void free_is_safe_twice_and_on_empty(void **state)
{
    (void)state;
    struct instance in;

    memset(&in, 0, sizeof in);
    instance_free(&in);
    instance_free(NULL);
    parse_ok(issue_example, &in);
    instance_free(&in);
    assert_null(in.mediators);
    assert_null(in.storage);
    instance_free(&in);
}

/* ---- what is refused, and what the user is told ---------------------- */

static void missing_required_field(void **state)
{
    (void)state;
    expect_error("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                 " 'lon': 5.21}], 'cases': []}",
                 "mediators[0] (m1).capacity: is required (a whole number from 0 to 1000)");
    expect_error("{'mediators': [{'municipality': 'almere', 'lat': 52.37, 'lon': 5.21,"
                 " 'capacity': 1}], 'cases': []}",
                 "mediators[0].id: is required (non-empty text)");
    expect_error("{'mediators': [], 'cases': [{'id': 'c1', 'requester': 'zeist', 'lat': 52.09,"
                 " 'lon': 5.23}]}",
                 "cases[0] (c1).language: is required (non-empty text)");
    expect_error("{'mediators': []}", "cases: is required (an array, may be empty)");
    expect_error("{'municipalities': [{'balance_hours': 3}], 'mediators': [], 'cases': []}",
                 "municipalities[0].id: is required (non-empty text)");
}

static void wrong_type(void **state)
{
    (void)state;
    expect_error("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                 " 'lon': 5.21, 'capacity': '2'}], 'cases': []}",
                 "mediators[0] (m1).capacity: must be a whole number from 0 to 1000");
    expect_error("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                 " 'lon': 5.21, 'capacity': 2.5}], 'cases': []}",
                 "mediators[0] (m1).capacity: must be a whole number from 0 to 1000");
    expect_error("{'mediators': [" MEDIATOR_M1 "], 'cases': [{'id': 'c1', 'requester': 'zeist',"
                 " 'language': 'nl', 'lat': 52.09, 'lon': 5.23, 'requires_certified': 1}]}",
                 "cases[0] (c1).requires_certified: must be true or false");
    expect_error("{'mediators': [], 'cases': [{'id': 'c1', 'requester': 'zeist',"
                 " 'language': 'nl', 'lat': 52.09, 'lon': 5.23, 'vetoed': ['m1', 7]}]}",
                 "cases[0] (c1).vetoed[1]: must be text");
    expect_error("{'mediators': [], 'cases': [{'id': 'c1', 'requester': 'zeist',"
                 " 'language': 'nl', 'lat': 52.09, 'lon': 5.23, 'waived': 'm1'}]}",
                 "cases[0] (c1).waived: must be an array of text");
    expect_error("{'mediators': [{'id': 42}], 'cases': []}",
                 "mediators[0].id: must be non-empty text");
    expect_error("{'mediators': [], 'cases': ['c1']}", "cases[0]: must be an object");
    expect_error("{'mediators': {}, 'cases': []}", "mediators: must be an array");
    expect_error("{'weights': {'unassigned': 1e6}, 'mediators': [], 'cases': []}",
                 "weights.unassigned: must be a whole number from 0 to 1000000000000");
    expect_error("{'weights': [], 'mediators': [], 'cases': []}",
                 "weights: must be an object of whole numbers");
    expect_error("[]", "instance: must be a JSON object with mediators and cases");
}

static void out_of_range(void **state)
{
    (void)state;
    /* Bounded so that no sum of cost terms can overflow. */
    expect_error("{'weights': {'load_step': -1}, 'mediators': [], 'cases': []}",
                 "weights.load_step: must be a whole number from 0 to 1000000");
    expect_error("{'municipalities': [{'id': 'almere', 'balance_hours': 2000000}],"
                 " 'mediators': [], 'cases': []}",
                 "municipalities[0] (almere).balance_hours: must be a whole number from "
                 "-1000000 to 1000000");
    expect_error("{'mediators': [], 'cases': [{'id': 'c1', 'requester': 'zeist', 'language': "
                 "'nl', 'lat': 52, 'lon': 5, 'max_distance_km': 1e11}]}",
                 "cases[0] (c1).max_distance_km: must be a number greater than 0 and at most "
                 "20038 (half the earth's circumference)");
    expect_error("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 90.5,"
                 " 'lon': 5.21, 'capacity': 2}], 'cases': []}",
                 "mediators[0] (m1).lat: must be a number from -90 to 90");
    expect_error("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                 " 'lon': -181, 'capacity': 2}], 'cases': []}",
                 "mediators[0] (m1).lon: must be a number from -180 to 180");
    expect_error("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                 " 'lon': 5.21, 'capacity': 1001}], 'cases': []}",
                 "mediators[0] (m1).capacity: must be a whole number from 0 to 1000");
    expect_error("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                 " 'lon': 5.21, 'capacity': 1, 'open_cases': -1}], 'cases': []}",
                 "mediators[0] (m1).open_cases: must be a whole number, 0 or more");
    expect_error("{'mediators': [], 'cases': [{'id': 'c1', 'requester': 'zeist',"
                 " 'language': 'nl', 'lat': 52.09, 'lon': 5.23, 'seats': 3}]}",
                 "cases[0] (c1).seats: must be 1 or 2");
    expect_error("{'mediators': [], 'cases': [{'id': 'c1', 'requester': 'zeist',"
                 " 'language': 'nl', 'lat': 52.09, 'lon': 5.23, 'max_distance_km': 0}]}",
                 "cases[0] (c1).max_distance_km: must be a number greater than 0 and at most 20038 "
                 "(half the earth's circumference)");
    expect_error("{'mediators': [], 'cases': [{'id': '', 'requester': 'zeist',"
                 " 'language': 'nl', 'lat': 52.09, 'lon': 5.23}]}",
                 "cases[0].id: must be non-empty text");
}

static void unknown_keys_are_named(void **state)
{
    (void)state;
    expect_error_start("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                       " 'lon': 5.21, 'capacity': 2, 'capasity': 3}], 'cases': []}",
                       "mediators[0] (m1).capasity: unknown field; the known fields are id, "
                       "municipality, lat, lon, capacity,");
    expect_error_start("{'mediators': [], 'cases': [], 'medaitors': []}",
                       "medaitors: unknown field; the known fields are weights, municipalities, "
                       "mediators, cases");
    expect_error_start("{'weights': {'unasigned': 5}, 'mediators': [], 'cases': []}",
                       "weights.unasigned: unknown field");
    expect_error_start("{'mediators': [], 'cases': [{'id': 'c1', 'requester': 'zeist',"
                       " 'language': 'nl', 'lat': 52.09, 'lon': 5.23, 'veto': []}]}",
                       "cases[0] (c1).veto: unknown field");
    expect_error_start("{'municipalities': [{'id': 'almere', 'balance': 1}], 'mediators': [],"
                       " 'cases': []}",
                       "municipalities[0] (almere).balance: unknown field");
}

static void duplicate_ids(void **state)
{
    (void)state;
    expect_error("{'mediators': [" MEDIATOR_M1 ", " MEDIATOR_M1 "], 'cases': []}",
                 "mediators[1] (m1).id: 'm1' is already the id of mediators[0]; ids must be "
                 "unique");
    expect_error("{'mediators': [], 'cases': [" CASE_C1 ", " CASE_C1 "]}",
                 "cases[1] (c1).id: 'c1' is already the id of cases[0]; ids must be unique");
    expect_error("{'municipalities': [{'id': 'almere'}, {'id': 'zeist'}, {'id': 'almere'}],"
                 " 'mediators': [], 'cases': []}",
                 "municipalities[2] (almere).id: 'almere' is already the id of "
                 "municipalities[0]; ids must be unique");
    /* A mediator and a case may share an id: they are different things. */
    struct instance in;
    parse_ok("{'mediators': [{'id': 'c1', 'municipality': 'almere', 'lat': 52.37, 'lon': 5.21,"
             " 'capacity': 2}], 'cases': [" CASE_C1 "]}",
             &in);
    instance_free(&in);
}

static void duplicate_keys_are_refused(void **state)
{
    (void)state;
    expect_error_start("{'mediators': [{'id': 'm1', 'municipality': 'almere', 'lat': 52.37,"
                       " 'lon': 5.21, 'capacity': 2, 'capacity': 3}], 'cases': []}",
                       "instance: not JSON: duplicate object key");
}

static void unknown_municipality(void **state)
{
    (void)state;
    expect_error("{'municipalities': [{'id': 'almere', 'balance_hours': 12}], 'mediators': ["
                 "{'id': 'm1', 'municipality': 'almere', 'lat': 52.37, 'lon': 5.21, 'capacity': 2},"
                 "{'id': 'm2', 'municipality': 'almere', 'lat': 52.37, 'lon': 5.21, 'capacity': 2},"
                 "{'id': 'm3', 'municipality': 'almere', 'lat': 52.37, 'lon': 5.21, 'capacity': 2},"
                 "{'id': 'm7', 'municipality': 'almre', 'lat': 52.37, 'lon': 5.21, 'capacity': 2}"
                 "], 'cases': []}",
                 "mediators[3] (m7).municipality: 'almre' is not among municipalities");
}

static void malformed_json_names_the_line(void **state)
{
    (void)state;
    expect_error_start("{'mediators': [],\n"
                       " 'cases': [\n"
                       "   {'id': 'c1',, 'requester': 'zeist'}]}",
                       "instance: not JSON: ");
    const char *text = json("{'mediators': [],\n 'cases': [\n   {'id': 'c1',, }]}");
    struct instance in;
    char err[256];
    assert_int_equal(instance_parse(text, strlen(text), &in, err, sizeof err), -1);
    assert_non_null(strstr(err, " at line 3 column "));

    expect_error_start("", "instance: not JSON: ");
    expect_error_start("{'mediators': [], 'cases': []", "instance: not JSON: ");
}

/* Only len bytes count: text need not end in a NUL, and what follows is
 * not read. */
static void reads_only_len_bytes(void **state)
{
    (void)state;
    const char *text = json("{'mediators': [], 'cases': []}garbage");
    struct instance in;
    char err[256];

    assert_int_equal(instance_parse(text, strlen(text) - strlen("garbage"), &in, err, sizeof err),
                     0);
    instance_free(&in);
}

/* An id with a line break must not split the one-line message. */
static void messages_stay_on_one_line(void **state)
{
    (void)state;
    const char *text = "{\"mediators\": [{\"id\": \"m\\n1\", \"capacity\": 2}], \"cases\": []}";
    struct instance in;
    char err[256];

    assert_int_equal(instance_parse(text, strlen(text), &in, err, sizeof err), -1);
    assert_null(strchr(err, '\n'));
    assert_string_equal(err, "mediators[0] (m?1).municipality: is required (non-empty text)");
}

/* A small buffer gets a cut message, never an overflow; none at all is
 * allowed too. */
static void small_error_buffers(void **state)
{
    (void)state;
    const char *text = json("{'mediators': [{'id': 'm1'}], 'cases': []}");
    struct instance in;
    char err[9];

    memset(err, 'x', sizeof err);
    assert_int_equal(instance_parse(text, strlen(text), &in, err, sizeof err), -1);
    assert_string_equal(err, "mediator");
    assert_int_equal(instance_parse(text, strlen(text), &in, NULL, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(issue_example_parses_every_field),
        cmocka_unit_test(omitted_fields_take_defaults),
        cmocka_unit_test(weights_given_override_only_themselves),
        cmocka_unit_test(empty_arrays_give_an_empty_instance),
        cmocka_unit_test(balance_comes_from_the_municipality),
        cmocka_unit_test(two_seats_and_a_cap),
        cmocka_unit_test(days_left_gives_a_decision_date),
        cmocka_unit_test(strings_outlive_the_text),
        cmocka_unit_test(free_is_safe_twice_and_on_empty),
        cmocka_unit_test(missing_required_field),
        cmocka_unit_test(wrong_type),
        cmocka_unit_test(out_of_range),
        cmocka_unit_test(unknown_keys_are_named),
        cmocka_unit_test(duplicate_ids),
        cmocka_unit_test(duplicate_keys_are_refused),
        cmocka_unit_test(unknown_municipality),
        cmocka_unit_test(malformed_json_names_the_line),
        cmocka_unit_test(reads_only_len_bytes),
        cmocka_unit_test(messages_stay_on_one_line),
        cmocka_unit_test(small_error_buffers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

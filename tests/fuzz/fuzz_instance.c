/* fuzz_instance: the matcher's JSON instance reader, and the solver on
 * what it accepts.
 *
 * A small accepted instance is solved twice: the network always has an arc
 * for an empty seat, so it must be solvable, every seat must be filled or
 * counted empty, and the same input must give the same objective. */
#include <stdlib.h>

#include "match/assign.h"
#include "match/instance.h"

#define SOLVE_MAX 20 /* cases and mediators; keeps each run fast */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_seats(struct assign *a, const struct instance *in)
{
    for (size_t c = 0; c < in->n_cases; c++) {
        struct assign_pick picks[2];
        size_t n = assign_picks(a, c, picks);
        int empty = assign_unfilled(a, c);
        if (empty < 0 || n + (size_t)empty != (size_t)in->cases[c].seats)
            abort();
    }
}

/* Returns 0 with the objective in *objective, or -1 when assign_build
 * refuses the instance (out of memory, costs beyond 64 bits). */
static int solve(const struct instance *in, int64_t *objective)
{
    char err[256];
    struct assign *a = assign_build(in->cases, in->n_cases, in->mediators, in->n_mediators,
                                    &in->weights, err, sizeof err);
    if (!a)
        return -1;
    enum mcf_result r = assign_run(a);
    if (r == MCF_NOMEM) {
        assign_destroy(&a);
        return -1;
    }
    if (r != MCF_OPTIMAL)
        abort();
    check_seats(a, in);
    *objective = assign_objective(a);
    assign_destroy(&a);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct instance in;
    char err[512];
    int64_t first, second;

    if (instance_parse((const char *)data, size, &in, err, sizeof err) != 0)
        return 0;
    if (in.n_cases <= SOLVE_MAX && in.n_mediators <= SOLVE_MAX && solve(&in, &first) == 0) {
        if (solve(&in, &second) != 0 || first != second)
            abort();
    }
    instance_free(&in);
    return 0;
}

/* svg: charts as SVG text, drawn the same way every time (whole-number
 * coordinates, no clock, no randomness), so that a test can compare them
 * and a page holds them inline without scripts. Written here: no Debian
 * library draws charts into a string. */
#ifndef MPOOL_SVG_H
#define MPOOL_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Grouped bars: one group per label, one bar per series in each. */
struct svg_bars {
    const char *title;         /* the chart's <title>, for screen readers */
    const char *const *labels; /* a label per group */
    size_t n_groups;
    const char *const *series; /* the legend, at most 4 */
    size_t n_series;
    const double *values; /* n_groups * n_series, group after group; negative counts as 0 */
};

/* The chart as an <svg> element, malloc'd; NULL when out of memory. */
char *svg_bar_chart(const struct svg_bars *b);

/* Text for XML: & < > " ' escaped. */
void svg_escape(FILE *out, const char *text);

#endif

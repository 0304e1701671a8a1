/* Tests for the charts: the same figures draw the same text, the tallest
 * bar fills the plot, and labels cannot break out of the markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/svg.h"

static const char *const labels[] = {"almere", "hilversum"};
static const char *const series[] = {"hours given", "hours received"};

static void the_same_figures_draw_the_same_chart(void **state)
{
    (void)state;
    double values[] = {0, 5, 3, 0};
    struct svg_bars b = {"Hours", labels, 2, series, 2, values};
    char *one = svg_bar_chart(&b), *two = svg_bar_chart(&b);
    assert_non_null(one);
    assert_string_equal(one, two);
    assert_true(strncmp(one, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    /* The axis runs to 5, the tallest bar fills the 160-point plot, and a
     * bar of 3 is 96 points high; each says its figure to a screen reader. */
    assert_non_null(strstr(one, "height=\"160\" fill=\"#e08a1e\"><title>almere, hours received: "
                                "5</title>"));
    assert_non_null(strstr(one, "height=\"96\" fill=\"#1f5fa8\"><title>hilversum, hours given: "
                                "3</title>"));
    assert_non_null(strstr(one, ">5</text>"));
    free(one);
    free(two);
}

static void labels_cannot_break_the_markup(void **state)
{
    (void)state;
    const char *const bad[] = {"<script>alert(1)</script>", "a&b \"c\" 'd'"};
    double values[] = {1, 2, 3, 4};
    struct svg_bars b = {"x < y", bad, 2, series, 2, values};
    char *svg = svg_bar_chart(&b);
    assert_non_null(svg);
    assert_null(strstr(svg, "<script"));
    assert_non_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(svg, "a&amp;b &quot;c&quot; &#39;d&#39;"));
    assert_non_null(strstr(svg, "<title>x &lt; y</title>"));
    free(svg);
}

static void nothing_to_draw_still_draws_an_axis(void **state)
{
    (void)state;
    double values[] = {0, 0};
    struct svg_bars b = {"Empty", labels, 1, series, 2, values};
    char *svg = svg_bar_chart(&b);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "height=\"0\""));
    assert_non_null(strstr(svg, ">1</text>"));
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_figures_draw_the_same_chart),
        cmocka_unit_test(labels_cannot_break_the_markup),
        cmocka_unit_test(nothing_to_draw_still_draws_an_axis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* svg: a bar chart in a fixed grid; the tallest bar fills the plot. */
#include "base/svg.h"

#include <math.h>
#include <stdlib.h>

#define BAR_W     18
#define GAP_W     14
#define PLOT_H    160
#define LEFT      48
#define TOP       28
#define LABEL_H   40
#define GROUP_MIN 76 /* room for a label under a group of one or two bars */

static const char *const fills[] = {"#1f5fa8", "#e08a1e", "#3a8f4a", "#8a3f9e"};

void svg_escape(FILE *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++)
        switch (*p) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*p, out);
        }
}

/* A round top for the axis: 1, 2 or 5 times a power of ten. */
static double axis_top(double max)
{
    if (max <= 0)
        return 1;
    double step = pow(10, floor(log10(max)));
    for (;;) {
        if (step >= max)
            return step;
        if (2 * step >= max)
            return 2 * step;
        if (5 * step >= max)
            return 5 * step;
        step *= 10;
    }
}

static void legend(FILE *out, const struct svg_bars *b)
{
    for (size_t s = 0; s < b->n_series && s < 4; s++) {
        int x = LEFT + (int)s * 140;
        fprintf(out, "<rect x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>", x,
                fills[s]);
        fprintf(out, "<text x=\"%d\" y=\"18\" font-size=\"12\">", x + 16);
        svg_escape(out, b->series[s]);
        fputs("</text>", out);
    }
}

static void axis(FILE *out, double top, int width)
{
    for (int i = 0; i <= 4; i++) {
        int y = TOP + PLOT_H - i * PLOT_H / 4;
        fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>", LEFT, y,
                width - 8, y);
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%g</text>",
                LEFT - 4, y + 4, top * i / 4);
    }
}

static int group_width(size_t n_series)
{
    int w = (int)n_series * BAR_W + GAP_W;
    return w < GROUP_MIN ? GROUP_MIN : w;
}

static void bars(FILE *out, const struct svg_bars *b, double top)
{
    size_t n_series = b->n_series < 4 ? b->n_series : 4;
    int group_w = group_width(n_series);
    for (size_t g = 0; g < b->n_groups; g++) {
        int x0 = LEFT + (group_w - (int)n_series * BAR_W) / 2 + (int)g * group_w;
        for (size_t s = 0; s < n_series; s++) {
            double v = b->values[g * b->n_series + s];
            int h = v > 0 ? (int)lround(v / top * PLOT_H) : 0;
            fprintf(out,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                    "<title>",
                    x0 + (int)s * BAR_W, TOP + PLOT_H - h, BAR_W - 2, h, fills[s]);
            svg_escape(out, b->labels[g]);
            fputs(", ", out);
            svg_escape(out, b->series[s]);
            fprintf(out, ": %g</title></rect>", v > 0 ? v : 0);
        }
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">",
                x0 + (int)n_series * BAR_W / 2, TOP + PLOT_H + 16);
        svg_escape(out, b->labels[g]);
        fputs("</text>", out);
    }
}

char *svg_bar_chart(const struct svg_bars *b)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    double max = 0;
    for (size_t i = 0; i < b->n_groups * b->n_series; i++)
        if (b->values[i] > max)
            max = b->values[i];
    double top = axis_top(max);
    size_t n_series = b->n_series < 4 ? b->n_series : 4;
    int width = LEFT + (int)b->n_groups * group_width(n_series) + GAP_W + 8;
    if (width < LEFT + 4 * 140)
        width = LEFT + 4 * 140;
    int height = TOP + PLOT_H + LABEL_H;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\"><title>",
            width, height, width, height);
    svg_escape(out, b->title);
    fputs("</title>", out);
    legend(out, b);
    axis(out, top, width);
    bars(out, b, top);
    fputs("</svg>", out);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

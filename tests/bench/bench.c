/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench.c — measuring, the table and the CSV (see bench.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "os/os_platform.h"

struct bench_opts bench_opts;

#define MAX_ROWS 64
#define MAX_REPS 64

struct row
{
    char id[16], name[160], unit[8], goal_text[48];
    char a_what[200], b_what[200];
    struct bench_side a, b;
    enum bench_goal goal;
    double goal_value;
};

static struct row rows[MAX_ROWS];
static int row_count;
static int failures;

void bench_fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bench: FAIL: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures++;
}

int bench_failed(void) { return failures != 0; }

static double time_ns(bench_kernel k, void *ctx, uint64_t n)
{
    uint64_t t0 = rtcpm_clock_us();
    k(ctx, n);
    return (double)(rtcpm_clock_us() - t0) * 1000.0;
}

/* Operations per repetition so that one lasts about sample_ms. */
static uint64_t calibrate(bench_kernel k, void *ctx)
{
    double target = bench_opts.sample_ms * 1e6, t;
    uint64_t n = 1;

    for (;;)
    {
        t = time_ns(k, ctx, n);
        if (bench_failed()) return 1;
        if (t >= target / 8 || n >= ((uint64_t)1 << 40)) break;
        n *= t < target / 1000 ? 64 : 8;
    }
    if (t <= 0) t = 1000; /* below the clock's resolution: 1 us */
    n = (uint64_t)((double)n * target / t);
    return n ? n : 1;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

void bench_summarize(double *samples, int count, struct bench_side *r)
{
    double median;
    r->present = count > 0;
    if (!count) return;
    qsort(samples, (size_t)count, sizeof(*samples), cmp_double);
    median = count % 2 ? samples[count / 2] : (samples[count / 2 - 1] + samples[count / 2]) / 2;
    r->value = median;
    r->spread = median > 0 ? (samples[count - 1] - samples[0]) / 2 / median * 100 : 0;
}

static int reps(void) { return bench_opts.reps < 1 ? 1 : bench_opts.reps > MAX_REPS ? MAX_REPS : bench_opts.reps; }

void bench_pair_ns(bench_kernel a, void *a_ctx, bench_kernel b, void *b_ctx, struct bench_side *ra,
                   struct bench_side *rb)
{
    double sa[MAX_REPS], sb[MAX_REPS];
    uint64_t na = calibrate(a, a_ctx), nb = calibrate(b, b_ctx);
    int i, r = reps();

    for (i = 0; i < r && !bench_failed(); i++)
    {
        sa[i] = time_ns(a, a_ctx, na) / (double)na;
        sb[i] = time_ns(b, b_ctx, nb) / (double)nb;
    }
    bench_summarize(sa, i, ra);
    bench_summarize(sb, i, rb);
}

void bench_one_ns(bench_kernel k, void *ctx, struct bench_side *res)
{
    double s[MAX_REPS];
    uint64_t n = calibrate(k, ctx);
    int i, r = reps();

    for (i = 0; i < r && !bench_failed(); i++) s[i] = time_ns(k, ctx, n) / (double)n;
    bench_summarize(s, i, res);
}

void bench_to_rate(struct bench_side *r)
{
    /* the spread of 1/x around the median, to first order, is the same percentage */
    if (r->present && r->value > 0) r->value = 1e9 / r->value;
}

void bench_add_row(const char *id, const char *name, const char *unit, const struct bench_side *a,
                   const struct bench_side *b, enum bench_goal goal, double goal_value, const char *goal_text)
{
    struct row *w;
    if (row_count == MAX_ROWS) return;
    w = &rows[row_count++];
    memset(w, 0, sizeof(*w));
    snprintf(w->id, sizeof(w->id), "%s", id);
    snprintf(w->name, sizeof(w->name), "%s", name);
    snprintf(w->unit, sizeof(w->unit), "%s", unit);
    snprintf(w->goal_text, sizeof(w->goal_text), "%s", goal_text ? goal_text : "");
    w->a = *a;
    w->b = *b;
    snprintf(w->a_what, sizeof(w->a_what), "%s", a->what ? a->what : "");
    snprintf(w->b_what, sizeof(w->b_what), "%s", b->what ? b->what : "");
    w->goal = goal;
    w->goal_value = goal_value;
}

/* "12.3 ns", "4.56 us", "1.23 ms"; "1.23 M/s"; "109.2 B" */
static void format_value(const char *unit, double v, char *buf, size_t len)
{
    if (!strcmp(unit, "ns"))
    {
        if (v >= 1e6)
            snprintf(buf, len, "%.2f ms", v / 1e6);
        else if (v >= 1e3)
            snprintf(buf, len, "%.2f us", v / 1e3);
        else
            snprintf(buf, len, "%.1f ns", v);
    }
    else if (!strcmp(unit, "/s"))
    {
        if (v >= 1e6)
            snprintf(buf, len, "%.2f M/s", v / 1e6);
        else if (v >= 1e3)
            snprintf(buf, len, "%.1f k/s", v / 1e3);
        else
            snprintf(buf, len, "%.1f /s", v);
    }
    else
        snprintf(buf, len, "%.1f %s", v, unit);
}

static const char *met(const struct row *w)
{
    if (w->goal == GOAL_NONE) return "-";
    switch (w->goal)
    {
    case GOAL_RATIO_LE:
        if (!w->a.present || !w->b.present) return "-";
        return w->b.value / w->a.value <= w->goal_value ? "yes" : "no";
    case GOAL_BOTH_LE:
        if ((w->a.present && w->a.value > w->goal_value) || (w->b.present && w->b.value > w->goal_value)) return "no";
        return w->a.present || w->b.present ? "yes" : "-";
    case GOAL_B_GE:
        if (!w->b.present) return "-";
        return w->b.value >= w->goal_value ? "yes" : "no";
    default: return "-";
    }
}

static void side_cell(const struct row *w, const struct bench_side *s, const char *what, char *buf, size_t len)
{
    char v[32];
    if (!s->present)
    {
        snprintf(buf, len, "%s: not measured here", what);
        return;
    }
    format_value(w->unit, s->value, v, sizeof(v));
    if (s->spread > 0)
        snprintf(buf, len, "%s: **%s** ±%.0f%%", what, v, s->spread);
    else
        snprintf(buf, len, "%s: **%s**", what, v);
}

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
    {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int sane(const struct bench_side *s) { return !s->present || (isfinite(s->value) && s->value > 0); }

int bench_report(const char *platform)
{
    FILE *csv = NULL;
    int i, bad = 0;

    printf("| # | benchmark (%s) | A | B | B/A | goal | met |\n", platform);
    printf("|---|---|---|---|---|---|---|\n");
    if (bench_opts.csv_path && !(csv = fopen(bench_opts.csv_path, "w")))
    {
        fprintf(stderr, "bench: cannot write %s\n", bench_opts.csv_path);
        bad = 1;
    }
    if (csv)
        fprintf(csv, "id,platform,benchmark,unit,a_what,a_value,a_spread_pct,b_what,b_value,b_spread_pct,ratio,"
                     "goal,goal_kind,goal_value,met\n");
    for (i = 0; i < row_count; i++)
    {
        const struct row *w = &rows[i];
        char a[320], b[320], ratio[32] = "-";
        static const char *const kinds[] = { "none", "ratio_le", "both_le", "b_ge" };

        if (w->a.present && w->b.present && w->a.value > 0)
            snprintf(ratio, sizeof(ratio), "%.2f", w->b.value / w->a.value);
        side_cell(w, &w->a, w->a_what, a, sizeof(a));
        side_cell(w, &w->b, w->b_what, b, sizeof(b));
        printf("| %s | %s | %s | %s | %s | %s | %s |\n", w->id, w->name, a, b, ratio,
               w->goal_text[0] ? w->goal_text : "-", met(w));
        if (!sane(&w->a) || !sane(&w->b))
        {
            fprintf(stderr, "bench: row %s (%s): a value is not finite and positive\n", w->id, w->name);
            bad = 1;
        }
        if (csv)
        {
            csv_field(csv, w->id);
            fputc(',', csv);
            csv_field(csv, platform);
            fputc(',', csv);
            csv_field(csv, w->name);
            fputc(',', csv);
            csv_field(csv, w->unit);
            fputc(',', csv);
            csv_field(csv, w->a_what);
            if (w->a.present)
                fprintf(csv, ",%.6g,%.1f,", w->a.value, w->a.spread);
            else
                fprintf(csv, ",,,");
            csv_field(csv, w->b_what);
            if (w->b.present)
                fprintf(csv, ",%.6g,%.1f,", w->b.value, w->b.spread);
            else
                fprintf(csv, ",,,");
            fprintf(csv, "%s,", strcmp(ratio, "-") ? ratio : "");
            csv_field(csv, w->goal_text);
            fprintf(csv, ",%s,%g,%s\n", kinds[w->goal], w->goal_value, met(w));
        }
    }
    if (csv) fclose(csv);
    if (!row_count)
    {
        fprintf(stderr, "bench: no row measured\n");
        bad = 1;
    }
    return bad || bench_failed();
}

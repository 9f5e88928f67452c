/* progress.c - progress-bar text (see progress.h). */
#include "progress.h"

#include <stdio.h>

size_t progress_format_bytes(char *buf, size_t cap, uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = (double)bytes;
    size_t unit = 0;
    int n;

    if (bytes < 1024) {
        n = snprintf(buf, cap, "%u B", (unsigned)bytes);
    } else {
        value /= 1024.0;
        /* Round as %.1f will, so that 1023.96 KiB is shown as 1.0 MiB, not 1024.0 KiB. */
        while (value >= 1023.95 && unit + 1 < sizeof units / sizeof units[0]) {
            value /= 1024.0;
            unit++;
        }
        n = snprintf(buf, cap, "%.1f %s", value, units[unit]);
    }
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t progress_format(char *buf, size_t cap, uint64_t done, uint64_t total, uint64_t resumed_at,
                       uint64_t elapsed_ms)
{
    char bar[PROGRESS_BAR_WIDTH + 1], have[32], all[32], rate[32];
    unsigned percent, filled;
    int n;

    if (done > total)
        done = total;
    if (total == 0 || done == total) {
        percent = 100;
    } else {
        percent = (unsigned)((double)done * 100.0 / (double)total);
        if (percent > 99)
            percent = 99; /* 100% means every byte is here */
    }
    filled = percent * PROGRESS_BAR_WIDTH / 100;
    for (unsigned i = 0; i < PROGRESS_BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[PROGRESS_BAR_WIDTH] = '\0';
    if (progress_format_bytes(have, sizeof have, done) == 0 ||
        progress_format_bytes(all, sizeof all, total) == 0)
        return 0;
    if (resumed_at > done)
        resumed_at = done;
    if (elapsed_ms == 0 ||
        progress_format_bytes(rate, sizeof rate,
                              (uint64_t)((double)(done - resumed_at) * 1000.0 /
                                         (double)elapsed_ms)) == 0)
        snprintf(rate, sizeof rate, "-");
    n = snprintf(buf, cap, "[%s] %s of %s %3u%% %s/s", bar, have, all, percent, rate);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

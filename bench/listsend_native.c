/* listsend_native.c - the pure part of LIST (common/listsend.c and
 * listsort.c) natively over a fake folder of N names in shuffled order:
 * enumerations made, memory the sort held at its peak, runs, seconds.
 * The runs go to a real temporary file, as on the server.
 * Build and run: cc -std=c11 -O2 -Icommon bench/listsend_native.c common/listing.c
 * common/listsend.c common/listsort.c
 * common/numparse.c common/utf8.c -o build/listsend_native &&
 * build/listsend_native 100000 1000000 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listsend.h"

struct fake {
    uint32_t *order;
    size_t n;
    unsigned passes;
};

static int fake_pass(void *arg, int check_links, int (*fn)(void *, const struct listing_entry *),
                     void *fn_arg)
{
    struct fake *d = arg;
    char name[32];

    (void)check_links;
    d->passes++;
    for (size_t i = 0; i < d->n; i++) {
        struct listing_entry e = {0, 0, 132000000000000000ull, name, 0, 0};
        e.name_len = (size_t)snprintf(name, sizeof name, "f%07u", d->order[i]);
        if (fn(fn_arg, &e) != 0)
            return LISTSEND_ABORTED;
    }
    return 0;
}

static int inside(void *arg, const struct listing_entry *e)
{
    (void)arg;
    (void)e;
    return 1;
}

static int never(void *arg)
{
    (void)arg;
    return 0;
}

static int file_write(void *arg, uint64_t off, const void *buf, size_t len)
{
    return fseek(arg, (long)off, SEEK_SET) != 0 || fwrite(buf, 1, len, arg) != len;
}

static int file_read(void *arg, uint64_t off, void *buf, size_t len)
{
    return fseek(arg, (long)off, SEEK_SET) != 0 || fread(buf, 1, len, arg) != len;
}

static int discard(void *arg, const char *buf, size_t len)
{
    (void)arg;
    (void)buf;
    (void)len;
    return 0;
}

int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        struct fake d = {NULL, strtoul(argv[a], NULL, 10), 0};
        struct listsend_source src = {fake_pass, inside, never, &d};
        FILE *tmp = tmpfile();
        struct listsort_store st = {file_write, file_read, tmp};
        struct listsort_stats stats;
        uint64_t entries, bytes;
        struct timespec t0, t1;
        int rc;

        d.order = malloc(d.n * sizeof *d.order);
        for (size_t i = 0; i < d.n; i++)
            d.order[i] = (uint32_t)(d.n - 1 - i);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = listsend_run(&src, &st, LISTSEND_SORT_MEMORY, discard, NULL, &entries, &bytes,
                          &stats);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("%zu entries: rc %d, %u enumerations, %llu lines, %zu runs, %.1f MiB spilled, "
               "sort peak %.2f MiB, %.2f s\n",
               d.n, rc, d.passes, (unsigned long long)entries, stats.runs,
               stats.stored_bytes / 1048576.0, stats.peak_memory / 1048576.0,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        free(d.order);
        fclose(tmp);
    }
    return 0;
}

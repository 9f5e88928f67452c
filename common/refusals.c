/* refusals.c - summaries of repeated refusals (see refusals.h). */
#include "refusals.h"

#include <stdio.h>
#include <string.h>

void refusals_init(struct refusals *r, uint64_t interval_ms)
{
    memset(r, 0, sizeof *r);
    r->interval_ms = interval_ms;
}

/* Copies src into a fixed field, cut to fit. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);

    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int same(const struct refusals_entry *e, const char *addr, const char *why)
{
    return strncmp(e->addr, addr, sizeof e->addr - 1) == 0 &&
           strncmp(e->why, why, sizeof e->why - 1) == 0;
}

static int expired(const struct refusals *r, uint64_t since, uint64_t now)
{
    return now >= since && now - since >= r->interval_ms;
}

int refusals_note(struct refusals *r, const char *addr, const char *why, uint64_t now)
{
    struct refusals_entry *free_slot = NULL;

    if (addr[0] == '\0')
        addr = "?";
    for (size_t i = 0; i < REFUSALS_SLOTS; i++) {
        struct refusals_entry *e = &r->e[i];
        if (e->addr[0] == '\0') {
            if (free_slot == NULL)
                free_slot = e;
        } else if (same(e, addr, why)) {
            e->held++;
            return 0;
        }
    }
    if (free_slot == NULL) {
        if (r->others++ == 0)
            r->others_since = now;
        return 0;
    }
    copy_cut(free_slot->addr, sizeof free_slot->addr, addr);
    copy_cut(free_slot->why, sizeof free_slot->why, why);
    free_slot->since = now;
    free_slot->held = 0;
    return 1;
}

size_t refusals_next_summary(struct refusals *r, uint64_t now, int all, char *buf, size_t cap)
{
    for (size_t i = 0; i < REFUSALS_SLOTS; i++) {
        struct refusals_entry *e = &r->e[i];
        int n;
        if (e->addr[0] == '\0' || !(all || expired(r, e->since, now)))
            continue;
        if (e->held == 0) {
            e->addr[0] = '\0'; /* its one refusal is in the log already */
            continue;
        }
        n = snprintf(buf, cap, "refused: %s %s %lu more time(s) in %llu s\n", e->addr, e->why,
                     e->held, (unsigned long long)(r->interval_ms / 1000u));
        e->addr[0] = '\0';
        if (n > 0 && (size_t)n < cap)
            return (size_t)n;
    }
    if (r->others > 0 && (all || expired(r, r->others_since, now))) {
        int n = snprintf(buf, cap,
                         "refused: %lu connection(s) from other addresses in %llu s (too many "
                         "addresses to follow one by one)\n",
                         r->others, (unsigned long long)(r->interval_ms / 1000u));
        r->others = 0;
        if (n > 0 && (size_t)n < cap)
            return (size_t)n;
    }
    return 0;
}

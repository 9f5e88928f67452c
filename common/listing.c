/* listing.c - LIST lines and the bounded name-order selection (see listing.h). */
#include "listing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mts_error.h"
#include "numparse.h"
#include "utf8.h"

#define SECONDS_PER_DAY 86400ull
#define DAYS_PER_400_YEARS 146097ull
/* 9999-12-31T23:59:59Z in seconds since 1601-01-01. */
#define LAST_SECOND 265046774399ull

static const char head_prefix[] = "#Listing ";
static const char head_suffix[] = " entries.";
static const char end_prefix[] = "#End of listing, ";
static const char end_suffix[] = " entries.";

static int is_leap(unsigned year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned month_days(unsigned year, unsigned month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[month - 1] + (month == 2 && is_leap(year));
}

void listing_format_time(uint64_t ticks, char *buf)
{
    uint64_t secs = ticks / LISTING_TICKS_PER_SECOND, days;
    unsigned year, month = 1, n100, n1, sod;

    if (secs > LAST_SECOND)
        secs = LAST_SECOND;
    days = secs / SECONDS_PER_DAY;
    sod = (unsigned)(secs % SECONDS_PER_DAY);
    /* 1601 opens a 400-year cycle: its century years 1700, 1800 and 1900
     * (not leap) and 2000 (leap) end each of the cycle's four centuries. */
    year = 1601 + 400 * (unsigned)(days / DAYS_PER_400_YEARS);
    days %= DAYS_PER_400_YEARS;
    n100 = (unsigned)(days / 36524);
    if (n100 == 4)
        n100 = 3;
    days -= n100 * 36524ull;
    year += 100 * n100 + 4 * (unsigned)(days / 1461);
    days %= 1461;
    n1 = (unsigned)(days / 365);
    if (n1 == 4)
        n1 = 3;
    days -= n1 * 365ull;
    year += n1;
    while (days >= month_days(year, month))
        days -= month_days(year, month++);
    /* Every field is in range here; the wide buffer only quiets the
     * compiler's truncation analysis, which cannot see that. */
    {
        char wide[64];
        snprintf(wide, sizeof wide, "%04u-%02u-%02uT%02u:%02u:%02uZ", year, month,
                 (unsigned)days + 1, sod / 3600, sod / 60 % 60, sod % 60);
        memcpy(buf, wide, LISTING_TIME_LEN + 1);
    }
}

static int digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 0;
}

int listing_parse_time(const char *b, size_t len, uint64_t *ticks)
{
    unsigned year, month, day, hour, min, sec;
    uint64_t y, days;

    if (len != LISTING_TIME_LEN || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' ||
        b[16] != ':' || b[19] != 'Z' || digits(b, 4, &year) || digits(b + 5, 2, &month) ||
        digits(b + 8, 2, &day) || digits(b + 11, 2, &hour) || digits(b + 14, 2, &min) ||
        digits(b + 17, 2, &sec))
        return MTS_ESYNTAX;
    if (year < 1601 || month < 1 || month > 12 || day < 1 || day > month_days(year, month) ||
        hour > 23 || min > 59 || sec > 59)
        return MTS_ESYNTAX;
    /* Leap days before this year since 1601: 1600 is a multiple of 400. */
    y = year - 1601u;
    days = y * 365 + y / 4 - y / 100 + y / 400;
    for (unsigned m = 1; m < month; m++)
        days += month_days(year, m);
    days += day - 1;
    *ticks = ((days * SECONDS_PER_DAY) + (uint64_t)hour * 3600u + (uint64_t)min * 60u + sec) *
             LISTING_TICKS_PER_SECOND;
    return 0;
}

static size_t count_line(char *buf, size_t cap, const char *prefix, uint64_t count,
                         const char *suffix)
{
    int n = snprintf(buf, cap, "%s%llu%s\r\n", prefix, (unsigned long long)count, suffix);

    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t listing_format_head(char *buf, size_t cap, uint64_t count)
{
    return count_line(buf, cap, head_prefix, count, head_suffix);
}

size_t listing_format_end(char *buf, size_t cap, uint64_t count)
{
    return count_line(buf, cap, end_prefix, count, end_suffix);
}

static int name_is_clean(const char *name, size_t len)
{
    if (len == 0 || !utf8_is_valid(name, len))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f)
            return 0;
    }
    return 1;
}

size_t listing_format_entry(char *buf, size_t cap, const struct listing_entry *e)
{
    char when[LISTING_TIME_LEN + 1];
    int n;

    if (!name_is_clean(e->name, e->name_len))
        return 0;
    listing_format_time(e->write_time, when);
    n = snprintf(buf, cap, "%c %llu %s ", e->is_dir ? 'd' : 'f',
                 (unsigned long long)(e->is_dir ? 0 : e->size), when);
    if (n <= 0 || (size_t)n >= cap || e->name_len + 3 > cap - (size_t)n)
        return 0;
    memcpy(buf + n, e->name, e->name_len);
    memcpy(buf + n + e->name_len, "\r\n", 3);
    return (size_t)n + e->name_len + 2;
}

/* Reads "<prefix><count><suffix>" exactly; 0 or -1. */
static int parse_count(const char *line, size_t len, const char *prefix, const char *suffix,
                       uint64_t *count)
{
    size_t plen = strlen(prefix), slen = strlen(suffix);

    if (len <= plen + slen || memcmp(line, prefix, plen) != 0 ||
        memcmp(line + len - slen, suffix, slen) != 0)
        return -1;
    return numparse_u64(line + plen, len - plen - slen, UINT64_MAX, count) == 0 ? 0 : -1;
}

int listing_parse_line(const char *line, size_t len, struct listing_line *out)
{
    size_t i, size_end;

    memset(out, 0, sizeof *out);
    if (len > 0 && line[len - 1] == '\r')
        len--;
    if (parse_count(line, len, head_prefix, head_suffix, &out->count) == 0) {
        out->kind = LISTING_HEAD;
        return 0;
    }
    if (parse_count(line, len, end_prefix, end_suffix, &out->count) == 0) {
        out->kind = LISTING_END;
        return 0;
    }
    /* "t N YYYY-MM-DDTHH:MM:SSZ name" */
    if (len < 2 || (line[0] != 'f' && line[0] != 'd') || line[1] != ' ')
        return MTS_ESYNTAX;
    for (size_end = 2; size_end < len && line[size_end] != ' '; size_end++)
        ;
    if (size_end == len ||
        numparse_u64(line + 2, size_end - 2, UINT64_MAX, &out->entry.size) != 0)
        return MTS_ESYNTAX;
    i = size_end + 1;
    if (len - i < LISTING_TIME_LEN + 2 ||
        listing_parse_time(line + i, LISTING_TIME_LEN, &out->entry.write_time) != 0 ||
        line[i + LISTING_TIME_LEN] != ' ')
        return MTS_ESYNTAX;
    i += LISTING_TIME_LEN + 1;
    if (!name_is_clean(line + i, len - i) || len - i >= LISTING_NAME_MAX)
        return MTS_ESYNTAX;
    out->kind = LISTING_ENTRY;
    out->entry.is_dir = line[0] == 'd';
    if (out->entry.is_dir && out->entry.size != 0)
        return MTS_ESYNTAX;
    out->entry.name = line + i;
    out->entry.name_len = len - i;
    return 0;
}

int listing_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen;
}

struct listing_batch *listing_batch_create(size_t cap)
{
    struct listing_batch *b = cap ? calloc(1, sizeof *b) : NULL;

    if (b == NULL)
        return NULL;
    b->cap = cap;
    b->slots = malloc(cap * sizeof *b->slots);
    b->heap = malloc(cap * sizeof(struct listing_slot *));
    if (b->slots == NULL || b->heap == NULL) {
        listing_batch_destroy(b);
        return NULL;
    }
    return b;
}

void listing_batch_destroy(struct listing_batch *b)
{
    if (b == NULL)
        return;
    free(b->slots);
    free(b->heap);
    free(b);
}

void listing_batch_begin(struct listing_batch *b)
{
    b->count = 0;
}

static int slot_cmp(const struct listing_slot *a, const struct listing_slot *b)
{
    return listing_name_cmp(a->name, a->name_len, b->name, b->name_len);
}

/* A max-heap on the name while a pass runs: heap[0] is the largest kept,
 * the one a smaller newcomer replaces. */
static void sift_down(struct listing_slot **h, size_t n, size_t i)
{
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = l + 1;
        struct listing_slot *t;
        if (l < n && slot_cmp(h[l], h[big]) > 0)
            big = l;
        if (r < n && slot_cmp(h[r], h[big]) > 0)
            big = r;
        if (big == i)
            return;
        t = h[i];
        h[i] = h[big];
        h[big] = t;
        i = big;
    }
}

static void sift_up(struct listing_slot **h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        struct listing_slot *t;
        if (slot_cmp(h[parent], h[i]) >= 0)
            return;
        t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

static void fill(struct listing_slot *s, const struct listing_entry *e)
{
    s->is_dir = e->is_dir;
    s->tag = e->tag;
    s->size = e->size;
    s->write_time = e->write_time;
    s->name_len = e->name_len;
    memcpy(s->name, e->name, e->name_len);
}

int listing_batch_offer(struct listing_batch *b, const struct listing_entry *e)
{
    struct listing_slot *s;

    if (e->name_len == 0 || e->name_len >= LISTING_NAME_MAX)
        return 0;
    if (b->has_cursor && listing_name_cmp(e->name, e->name_len, b->cursor, b->cursor_len) <= 0)
        return 0;
    if (b->count < b->cap) {
        s = &b->slots[b->count];
        fill(s, e);
        b->heap[b->count] = s;
        sift_up(b->heap, b->count++);
        return 1;
    }
    s = b->heap[0];
    if (listing_name_cmp(e->name, e->name_len, s->name, s->name_len) >= 0)
        return 0;
    fill(s, e);
    sift_down(b->heap, b->count, 0);
    return 1;
}

size_t listing_batch_finish(struct listing_batch *b)
{
    /* Heap sort in place: the largest goes to the end, one at a time. */
    for (size_t n = b->count; n > 1; n--) {
        struct listing_slot *t = b->heap[0];
        b->heap[0] = b->heap[n - 1];
        b->heap[n - 1] = t;
        sift_down(b->heap, n - 1, 0);
    }
    /* A name offered twice in a pass (a folder changing under the walk) is
     * handed out once. */
    if (b->count > 1) {
        size_t kept = 1;
        for (size_t i = 1; i < b->count; i++) {
            if (slot_cmp(b->heap[kept - 1], b->heap[i]) != 0)
                b->heap[kept++] = b->heap[i];
        }
        b->count = kept;
    }
    if (b->count > 0) {
        const struct listing_slot *last = b->heap[b->count - 1];
        memcpy(b->cursor, last->name, last->name_len);
        b->cursor_len = last->name_len;
        b->has_cursor = 1;
    }
    return b->count;
}

/* listsort.c - an external merge sort of listing entries (see listsort.h). */
#include "listsort.h"

#include <stdlib.h>
#include <string.h>

/* A packed record: size (8), write time (8), name length (2), is_dir (1),
 * tag (1), then the name's bytes. The same layout in the arena and in a
 * run, so a run is the arena's records copied out in order. */
#define OFF_SIZE 0
#define OFF_TIME 8
#define OFF_LEN 16
#define OFF_DIR 18
#define OFF_TAG 19

/* Runs are written through a buffer of an eighth of mem, at most this
 * (and at least one record), taken from the arena's share, so that the
 * store sees few large writes. */
#define SPILL_BUFFER (64u << 10)

struct run {
    uint64_t start, end; /* the run's bytes in the store */
};

/* One run being merged: a window of its bytes. */
struct cursor {
    unsigned char *buf;
    size_t cap, pos, len;
    uint64_t next, end; /* the store's bytes still to read */
};

struct listsort {
    struct listsort_store store;
    size_t mem;
    /* Adding: records from the front of the arena, pointers to them from
     * its (aligned) end backwards. */
    unsigned char *arena;
    size_t arena_size, index_end, used, count;
    unsigned char *spill; /* spill_size bytes */
    size_t spill_size;
    struct run *runs;
    size_t nruns, runs_cap;
    uint64_t stored;
    /* Merging: a heap of run numbers by their current record's name; or,
     * with no runs, the sorted arena read in place. */
    int finished;
    struct cursor *cursors;
    unsigned char *windows; /* the cursors' buffers, one block */
    size_t *heap, heap_n;
    size_t at; /* the next index in the arena, when there are no runs */
    int has_last;
    size_t last_len;
    char last[LISTING_NAME_MAX];
    struct listsort_stats stats;
    size_t held;
};

static void hold(struct listsort *s, size_t bytes)
{
    s->held += bytes;
    if (s->held > s->stats.peak_memory)
        s->stats.peak_memory = s->held;
}

static size_t rec_name_len(const unsigned char *r)
{
    return (size_t)r[OFF_LEN] | (size_t)r[OFF_LEN + 1] << 8;
}

static size_t rec_len(const unsigned char *r)
{
    return LISTSORT_HEADER + rec_name_len(r);
}

static int rec_cmp(const unsigned char *a, const unsigned char *b)
{
    return listing_name_cmp((const char *)a + LISTSORT_HEADER, rec_name_len(a),
                            (const char *)b + LISTSORT_HEADER, rec_name_len(b));
}

static int index_cmp(const void *a, const void *b)
{
    return rec_cmp(*(const unsigned char *const *)a, *(const unsigned char *const *)b);
}

static unsigned char **index_base(const struct listsort *s)
{
    return (unsigned char **)(void *)(s->arena + s->index_end) - s->count;
}

struct listsort *listsort_create(size_t mem, const struct listsort_store *store)
{
    struct listsort *s;

    size_t spill = mem / 8;

    if (spill > SPILL_BUFFER)
        spill = SPILL_BUFFER;
    if (spill < LISTSORT_RECORD_MAX)
        spill = LISTSORT_RECORD_MAX;
    if (mem < LISTSORT_MEM_MIN)
        return NULL;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->store = *store;
    s->mem = mem;
    s->spill_size = spill;
    s->arena_size = mem - spill;
    s->index_end = s->arena_size - s->arena_size % sizeof(unsigned char *);
    s->arena = malloc(s->arena_size);
    s->spill = malloc(spill);
    if (s->arena == NULL || s->spill == NULL) {
        listsort_destroy(s);
        return NULL;
    }
    hold(s, mem);
    return s;
}

void listsort_destroy(struct listsort *s)
{
    if (s == NULL)
        return;
    free(s->windows);
    free(s->cursors);
    free(s->heap);
    free(s->runs);
    free(s->spill);
    free(s->arena);
    free(s);
}

/* Sorts the arena's entries and writes them out as one more run. */
static int spill_run(struct listsort *s)
{
    unsigned char **idx = index_base(s);
    struct run r;
    size_t fill = 0;

    if (s->nruns == s->runs_cap) {
        size_t cap = s->runs_cap ? s->runs_cap * 2 : 16;
        struct run *grown = realloc(s->runs, cap * sizeof *grown);
        if (grown == NULL)
            return LISTSORT_NOMEM;
        hold(s, (cap - s->runs_cap) * sizeof *grown);
        s->runs = grown;
        s->runs_cap = cap;
    }
    qsort(idx, s->count, sizeof *idx, index_cmp);
    r.start = r.end = s->stored;
    for (size_t i = 0; i <= s->count; i++) {
        size_t len = i < s->count ? rec_len(idx[i]) : 0;
        if ((i == s->count || fill + len > s->spill_size) && fill > 0) {
            if (s->store.write(s->store.arg, r.end, s->spill, fill) != 0)
                return LISTSORT_STORE;
            r.end += fill;
            fill = 0;
        }
        if (i < s->count) {
            memcpy(s->spill + fill, idx[i], len);
            fill += len;
        }
    }
    s->stored = r.end;
    s->stats.stored_bytes = r.end;
    s->runs[s->nruns++] = r;
    s->used = s->count = 0;
    return 0;
}

int listsort_add(struct listsort *s, const struct listing_entry *e)
{
    size_t need = LISTSORT_HEADER + e->name_len;
    unsigned char *r;
    uint64_t v;

    if (e->name_len == 0 || e->name_len >= LISTING_NAME_MAX || s->finished)
        return LISTSORT_BADNAME;
    if (s->used + need + sizeof r > s->index_end - s->count * sizeof r) {
        int rc = spill_run(s);
        if (rc != 0)
            return rc;
    }
    r = s->arena + s->used;
    v = e->size;
    memcpy(r + OFF_SIZE, &v, 8);
    v = e->write_time;
    memcpy(r + OFF_TIME, &v, 8);
    r[OFF_LEN] = (unsigned char)(e->name_len & 0xff);
    r[OFF_LEN + 1] = (unsigned char)(e->name_len >> 8);
    r[OFF_DIR] = e->is_dir != 0;
    r[OFF_TAG] = (unsigned char)e->tag;
    memcpy(r + LISTSORT_HEADER, e->name, e->name_len);
    s->used += need;
    s->count++;
    index_base(s)[0] = r;
    s->stats.entries++;
    return 0;
}

/* Keeps at least one whole record in the window while the run has more. */
static int cursor_fill(struct listsort *s, struct cursor *c)
{
    size_t rest = c->len - c->pos, want;

    if (rest >= LISTSORT_RECORD_MAX || c->next == c->end)
        return 0;
    memmove(c->buf, c->buf + c->pos, rest);
    c->pos = 0;
    c->len = rest;
    want = c->cap - rest;
    if (want > c->end - c->next)
        want = (size_t)(c->end - c->next);
    if (s->store.read(s->store.arg, c->next, c->buf + rest, want) != 0)
        return LISTSORT_STORE;
    c->next += want;
    c->len += want;
    return 0;
}

static int cursor_less(const struct listsort *s, size_t a, size_t b)
{
    const struct cursor *ca = &s->cursors[a], *cb = &s->cursors[b];
    return rec_cmp(ca->buf + ca->pos, cb->buf + cb->pos) < 0;
}

static void heap_down(struct listsort *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i, t;
        if (l < s->heap_n && cursor_less(s, s->heap[l], s->heap[m]))
            m = l;
        if (l + 1 < s->heap_n && cursor_less(s, s->heap[l + 1], s->heap[m]))
            m = l + 1;
        if (m == i)
            return;
        t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
}

static void heap_push(struct listsort *s, size_t run)
{
    size_t i = s->heap_n++;

    s->heap[i] = run;
    while (i > 0 && cursor_less(s, s->heap[i], s->heap[(i - 1) / 2])) {
        size_t up = (i - 1) / 2, t = s->heap[i];
        s->heap[i] = s->heap[up];
        s->heap[up] = t;
        i = up;
    }
}

int listsort_finish(struct listsort *s)
{
    size_t share, runs;
    int rc;

    if (s->nruns == 0) {
        qsort(index_base(s), s->count, sizeof(unsigned char *), index_cmp);
        s->finished = 1;
        return 0;
    }
    if (s->count > 0 && (rc = spill_run(s)) != 0)
        return rc;
    /* The arena's memory goes to the runs' windows. */
    free(s->arena);
    free(s->spill);
    s->arena = s->spill = NULL;
    s->held -= s->mem;
    s->cursors = malloc(s->nruns * sizeof *s->cursors);
    s->heap = malloc(s->nruns * sizeof *s->heap);
    if (s->cursors == NULL || s->heap == NULL)
        return LISTSORT_NOMEM;
    hold(s, s->nruns * (sizeof *s->cursors + sizeof *s->heap));
    runs = s->nruns;
    share = s->mem / runs;
    if (share < LISTSORT_RECORD_MAX)
        share = LISTSORT_RECORD_MAX;
    /* One block for every window: no cursor is left without one. */
    s->windows = malloc(share * s->nruns);
    if (s->windows == NULL)
        return LISTSORT_NOMEM;
    hold(s, share * s->nruns);
    s->heap_n = 0;
    for (size_t i = 0; i < runs; i++) {
        struct cursor *c = &s->cursors[i];
        c->buf = s->windows + i * share;
        c->cap = share;
        c->pos = c->len = 0;
        c->next = s->runs[i].start;
        c->end = s->runs[i].end;
        if ((rc = cursor_fill(s, c)) != 0)
            return rc;
        if (c->len > 0) /* spill_run writes one record or more */
            heap_push(s, i);
    }
    s->finished = 1;
    return 0;
}

/* The next record in order, duplicates included; NULL at the end. It
 * stays where it is until advance(). */
static const unsigned char *next_record(const struct listsort *s)
{
    const struct cursor *c;

    if (s->nruns == 0)
        return s->at < s->count ? index_base(s)[s->at] : NULL;
    if (s->heap_n == 0)
        return NULL;
    c = &s->cursors[s->heap[0]];
    return c->buf + c->pos;
}

/* Moves past the record next_record gave. */
static int advance(struct listsort *s)
{
    struct cursor *c;
    int rc;

    if (s->nruns == 0) {
        s->at++;
        return 0;
    }
    c = &s->cursors[s->heap[0]];
    c->pos += rec_len(c->buf + c->pos);
    if ((rc = cursor_fill(s, c)) != 0)
        return rc;
    if (c->pos == c->len)
        s->heap[0] = s->heap[--s->heap_n];
    if (s->heap_n > 0)
        heap_down(s, 0);
    return 0;
}

int listsort_next(struct listsort *s, struct listing_entry *out)
{
    const unsigned char *r;
    int rc;

    if (!s->finished)
        return 0;
    for (;;) {
        size_t len;
        uint64_t v;
        if ((r = next_record(s)) == NULL)
            return 0;
        len = rec_name_len(r);
        if (s->has_last &&
            listing_name_cmp((const char *)r + LISTSORT_HEADER, len, s->last, s->last_len) == 0) {
            if ((rc = advance(s)) != 0)
                return rc;
            continue;
        }
        /* The name is copied out: the record's window moves on below. */
        memcpy(s->last, r + LISTSORT_HEADER, len);
        s->last_len = len;
        s->has_last = 1;
        memcpy(&v, r + OFF_SIZE, 8);
        out->size = v;
        memcpy(&v, r + OFF_TIME, 8);
        out->write_time = v;
        out->is_dir = r[OFF_DIR];
        out->tag = r[OFF_TAG];
        out->name = s->last;
        out->name_len = len;
        return advance(s) != 0 ? LISTSORT_STORE : 1;
    }
}

void listsort_get_stats(const struct listsort *s, struct listsort_stats *out)
{
    *out = s->stats;
    out->runs = s->nruns;
}

/* listsend.c - a LIST reply in two enumerations (see listsend.h). */
#include "listsend.h"

#include <stdlib.h>

/* Lines are gathered into one buffer and sent when it is nearly full. */
#define SEND_BUFFER (32u << 10)

struct out {
    int (*send)(void *arg, const char *buf, size_t len);
    void *arg;
    char *buf;
    size_t used;
    uint64_t *bytes;
};

static int flush(struct out *o)
{
    if (o->used > 0 && o->send(o->arg, o->buf, o->used) != 0)
        return -1;
    *o->bytes += o->used;
    o->used = 0;
    return 0;
}

/* Makes room for a line of up to LISTING_LINE_MAX bytes. */
static char *room(struct out *o)
{
    if (SEND_BUFFER - o->used < LISTING_LINE_MAX && flush(o) != 0)
        return NULL;
    return o->buf + o->used;
}

static int count_one(void *arg, const struct listing_entry *e)
{
    (void)e;
    ++*(uint64_t *)arg;
    return 0;
}

struct adding {
    struct listsort *sort;
    int failed; /* a listsort_result */
};

static int add_one(void *arg, const struct listing_entry *e)
{
    struct adding *a = arg;
    int rc = listsort_add(a->sort, e);

    /* A name the sort cannot hold is one listing_format_entry would not
     * write either (empty or too long): skipped, as before. */
    if (rc == 0 || rc == LISTSORT_BADNAME)
        return 0;
    a->failed = rc;
    return LISTSEND_ABORT;
}

int listsend_run(const struct listsend_source *src, const struct listsort_store *store, size_t mem,
                 int (*send)(void *send_arg, const char *buf, size_t len), void *send_arg,
                 uint64_t *entries, uint64_t *bytes, struct listsort_stats *stats)
{
    struct out o = {send, send_arg, NULL, 0, bytes};
    struct adding add = {NULL, 0};
    struct listing_entry e;
    uint64_t count = 0;
    char *line;
    int rc, got;

    *entries = *bytes = 0;
    o.buf = malloc(SEND_BUFFER);
    add.sort = listsort_create(mem, store);
    rc = LISTSEND_UNREADABLE;
    if (o.buf == NULL || add.sort == NULL)
        goto out;
    /* Nothing is sent before both passes are done, so a folder that cannot
     * be read is still answered with a '!' line. */
    if ((rc = src->pass(src->arg, 1, count_one, &count)) != 0)
        goto out;
    /* Selecting needs names only; where links lead is checked below, once
     * per entry sent. */
    rc = src->pass(src->arg, 0, add_one, &add);
    if (rc == 0 && (rc = listsort_finish(add.sort)) != 0)
        rc = LISTSEND_UNREADABLE;
    if (rc == LISTSEND_ABORTED)
        rc = LISTSEND_UNREADABLE; /* the store failed: nothing sent yet */
    if (rc != 0)
        goto out;
    rc = LISTSEND_BROKEN;
    o.used += listing_format_head(o.buf, SEND_BUFFER, count);
    for (uint64_t seen = 1; (got = listsort_next(add.sort, &e)) == 1; seen++) {
        size_t len;
        if (seen % LISTSEND_STOP_EVERY == 0 && src->stopping(src->arg)) {
            rc = LISTSEND_STOPPED;
            goto out;
        }
        if (e.tag != 0 && !src->stays_inside(src->arg, &e))
            continue;
        if ((line = room(&o)) == NULL)
            goto out;
        len = listing_format_entry(line, LISTING_LINE_MAX, &e);
        o.used += len;
        *entries += len > 0;
    }
    if (got != 0 || (line = room(&o)) == NULL)
        goto out;
    o.used += listing_format_end(line, LISTING_LINE_MAX, *entries);
    if (flush(&o) != 0)
        goto out;
    rc = LISTSEND_OK;
out:
    if (stats != NULL && add.sort != NULL)
        listsort_get_stats(add.sort, stats);
    listsort_destroy(add.sort);
    free(o.buf);
    return rc;
}

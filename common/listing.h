/* listing.h - the LIST reply's lines, written and read, and the bounded
 * selection that lets the server stream a large folder in name order.
 *
 * A listing is a head line, one line per entry, and an end line:
 *
 *   #Listing 2 entries.
 *   d 0 2026-11-30T05:08:43Z docs
 *   f 1234 2026-11-29T17:00:00Z #notes, draft 2.txt
 *   #End of listing, 2 entries.
 *
 * An entry line is its type ('f' file, 'd' folder), the size in bytes
 * (0 for a folder), the last-write time in UTC, then the name, which runs to
 * the end of the line: names may hold spaces and start with '#' or '!', but
 * an entry line itself never starts with either. Names are UTF-8 without
 * control characters (Windows allows none in a name).
 *
 * Sorting: entries come in ascending order of their names' UTF-8 bytes
 * (that is, Unicode code point order, case-sensitive), which a client can
 * check with memcmp. struct listing_batch selects them in batches: each
 * pass over the folder keeps the `cap` smallest names above the last one
 * sent, so memory stays bounded whatever the folder's size and whatever
 * order the file system enumerates in, but a folder of N entries costs
 * N/cap passes. The server no longer uses it (it sorts in two passes with
 * listsort.h since issue 19's third round); it stays as the reference the
 * unit tests compare that sort's output with, byte for byte.
 *
 * Pure functions and plain data: no I/O, no locks; a batch belongs to one
 * thread. */
#ifndef MTS_LISTING_H
#define MTS_LISTING_H

#include <stddef.h>
#include <stdint.h>

/* A name of 255 UTF-16 units is at most 765 UTF-8 bytes. */
#define LISTING_NAME_MAX 768
#define LISTING_LINE_MAX (LISTING_NAME_MAX + 64)
/* "2026-11-30T05:08:43Z" */
#define LISTING_TIME_LEN 20
/* FILETIME ticks (100 ns since 1601-01-01) per second. */
#define LISTING_TICKS_PER_SECOND 10000000ull

struct listing_entry {
    int is_dir;
    uint64_t size;
    uint64_t write_time; /* FILETIME ticks, UTC; lines carry whole seconds */
    const char *name;
    size_t name_len;
    int tag; /* the caller's own mark, kept through a batch; not on the wire */
};

enum listing_line_kind { LISTING_HEAD, LISTING_ENTRY, LISTING_END };

struct listing_line {
    enum listing_line_kind kind;
    uint64_t count;             /* HEAD, END */
    struct listing_entry entry; /* ENTRY: name points into the line */
};

/* Writes "YYYY-MM-DDTHH:MM:SSZ" and a NUL (buf holds LISTING_TIME_LEN + 1);
 * times past 9999 are written as 9999-12-31T23:59:59Z. */
void listing_format_time(uint64_t ticks, char *buf);
/* Reads exactly LISTING_TIME_LEN bytes; 0 or MTS_ESYNTAX. */
int listing_parse_time(const char *buf, size_t len, uint64_t *ticks);

/* Each writes one line with its CRLF and returns its length, or 0 when it
 * does not fit cap (or, for an entry, when the name is empty, not UTF-8 or
 * holds a control character). */
size_t listing_format_head(char *buf, size_t cap, uint64_t count);
size_t listing_format_entry(char *buf, size_t cap, const struct listing_entry *e);
size_t listing_format_end(char *buf, size_t cap, uint64_t count);

/* Reads one line of a listing (without its line end; a trailing CR is
 * ignored). Returns 0, or MTS_ESYNTAX for anything else, including '!' lines. */
int listing_parse_line(const char *line, size_t len, struct listing_line *out);

/* Order of two names: <0, 0, >0 as memcmp, a prefix first. */
int listing_name_cmp(const char *a, size_t alen, const char *b, size_t blen);

struct listing_slot {
    int is_dir;
    int tag;
    uint64_t size;
    uint64_t write_time;
    size_t name_len;
    char name[LISTING_NAME_MAX];
};

struct listing_batch {
    size_t cap;   /* entries one pass keeps */
    size_t count; /* entries kept in the current pass */
    struct listing_slot *slots;
    struct listing_slot **heap; /* count pointers into slots; after finish, ascending */
    int has_cursor;             /* a pass has been finished with entries */
    size_t cursor_len;
    char cursor[LISTING_NAME_MAX]; /* the last name handed out */
};

/* Allocates a batch of cap (>= 1) entries; NULL when out of memory. */
struct listing_batch *listing_batch_create(size_t cap);
void listing_batch_destroy(struct listing_batch *b);
/* Starts a pass over the folder. */
void listing_batch_begin(struct listing_batch *b);
/* Offers one entry of the pass; kept when its name is above the cursor and
 * among the cap smallest seen. Returns 1 when kept, 0 when not (including a
 * name too long or empty). */
int listing_batch_offer(struct listing_batch *b, const struct listing_entry *e);
/* Ends the pass: sorts what was kept (b->heap[0..count) ascending, a name
 * offered twice kept once), moves
 * the cursor to the last name and returns the count; 0 means the folder has
 * no more entries. */
size_t listing_batch_finish(struct listing_batch *b);

#endif

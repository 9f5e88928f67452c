/* clientlist.h - a LIST answer as the client reads it, free of I/O.
 *
 * client/folder.c sends LIST (request.h), hands each reply line here and
 * does what the step says: show or keep an entry, stop at the end, or give
 * up. The order a listing must keep: before its head line the server may
 * refuse the folder (a failure of this folder alone); after the head, only
 * entries and then the end line, whose count must be the entries seen.
 * Anything else means the connection is out of step and must end. Whether
 * a listed name may be saved as it is, is clientpath_check_listed's.
 * One clientlist belongs to one thread. */
#ifndef MTS_CLIENTLIST_H
#define MTS_CLIENTLIST_H

#include <stddef.h>
#include <stdint.h>

#include "listing.h"

enum clientlist_step {
    CLIENTLIST_MORE,      /* the head line: hand over the next */
    CLIENTLIST_ENTRY,     /* *entry is one entry; its name points into the line */
    CLIENTLIST_END,       /* the end line, with the count of entries seen (cl->seen) */
    CLIENTLIST_NOT_FOUND, /* the server could not list the folder: this folder fails */
    CLIENTLIST_NONSENSE,  /* not a line that belongs here: the connection ends */
    CLIENTLIST_MISCOUNT,  /* the end line says cl->said entries, cl->seen came: it ends */
};

struct clientlist {
    int head;      /* the head line came */
    uint64_t seen; /* entries so far */
    uint64_t said; /* MISCOUNT: the end line's count */
};

void clientlist_begin(struct clientlist *cl);

/* One reply line, without its line end. After any step but MORE and ENTRY
 * the listing is over: no further line belongs to it. */
enum clientlist_step clientlist_line(struct clientlist *cl, const char *line, size_t len,
                                     struct listing_entry *entry);

#endif

/* clientlist.c - the steps of a LIST answer (see clientlist.h). */
#include "clientlist.h"

#include <string.h>

#include "replyparse.h"

void clientlist_begin(struct clientlist *cl)
{
    memset(cl, 0, sizeof *cl);
}

enum clientlist_step clientlist_line(struct clientlist *cl, const char *line, size_t len,
                                     struct listing_entry *entry)
{
    struct replyparse_reply r;
    struct listing_line l;

    /* The refusal comes instead of the head, never after it. */
    if (!cl->head && replyparse_line(line, len, &r) == 0 && r.type == REPLY_T_LIST_FAILED)
        return CLIENTLIST_NOT_FOUND;
    if (listing_parse_line(line, len, &l) != 0 || (l.kind == LISTING_HEAD) == cl->head)
        return CLIENTLIST_NONSENSE;
    switch (l.kind) {
    case LISTING_HEAD:
        cl->head = 1;
        return CLIENTLIST_MORE;
    case LISTING_END:
        cl->said = l.count;
        return l.count == cl->seen ? CLIENTLIST_END : CLIENTLIST_MISCOUNT;
    case LISTING_ENTRY:
        break;
    }
    cl->seen++;
    *entry = l.entry;
    return CLIENTLIST_ENTRY;
}

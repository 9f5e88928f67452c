/* sessmap.h - the service's account sessions, published for `mtserver
 * status`.
 *
 * The service and `mtserver status` are different processes; the counts
 * cross in a small named section (a page-file-backed file mapping) that
 * the service makes and rewrites, and status opens for reading. Its DACL
 * lets in SYSTEM, the Administrators and its maker (the service's
 * account) only: which accounts are in use is no one else's business. A
 * sequence number, odd while the text is rewritten, lets the reader take
 * a copy that is whole without a lock shared across processes. Only the
 * service's account watch thread writes; any process may read. */
#ifndef MTS_SESSMAP_H
#define MTS_SESSMAP_H

#include <stddef.h>
#include <windows.h>

#define SESSMAP_NAME L"Global\\mtserver-account-sessions"
#define SESSMAP_TEXT_MAX 4000 /* the text, with its NUL */

struct sessmap {
    HANDLE mapping; /* NULL: not published */
    void *view;
};

/* Makes the section (the service only). 0, or -1 with the last error set;
 * nothing is published then, and the service runs on without it. */
int sessmap_open(struct sessmap *m);
void sessmap_close(struct sessmap *m);

/* Publishes text ("alice=2 bob=1", "" for none), cut to fit. Does nothing
 * when the section was not made. */
void sessmap_publish(struct sessmap *m, const char *text);

/* Reads what the service published into out. 0, or -1 when there is no
 * such section (no service with accounts is running) or no whole copy
 * could be had. */
int sessmap_read(char *out, size_t cap);

#endif

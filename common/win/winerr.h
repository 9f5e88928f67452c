/* winerr.h - a GetLastError()/WSAGetLastError() code as log text, and as
 * the kind of failure it is. */
#ifndef MTS_WINERR_H
#define MTS_WINERR_H

#include <stddef.h>

/* Writes "error 5: Access is denied." to buf and returns buf; an HRESULT or
 * SECURITY_STATUS code as "error 0x8009000B (NTE_BAD_KEY_STATE): text"
 * (hresult.h), without ": text" where the system has none. */
const char *winerr_text(unsigned long code, char *buf, size_t cap);

/* What a code means to the code that got it (as libuv's
 * uv_translate_sys_error does for its callers): the one place that knows
 * which Win32 and Winsock codes mean "not there", "already there" and so
 * on, so that no two callers decide it differently. Callers keep the raw
 * code for winerr_text. */
enum winerr_kind {
    WINERR_OTHER = 0,
    WINERR_NOT_FOUND,      /* no such file, folder or service */
    WINERR_BAD_NAME,       /* a name the file system cannot have */
    WINERR_EXISTS,         /* a file, folder or service of that name is there */
    WINERR_DENIED,         /* no right to it (an elevated prompt may have it) */
    WINERR_BUSY,           /* another handle holds it without sharing, for now */
    WINERR_WOULD_BLOCK,    /* a non-blocking socket has nothing now */
    WINERR_PENDING,        /* an overlapped call has started: no failure yet */
    WINERR_TIMED_OUT,      /* no answer in time (from a peer, or a service to the SCM) */
    WINERR_PEER_GONE,      /* the other end reset or gave up the connection */
    WINERR_ADDR_IN_USE,    /* another socket has that address and port */
    WINERR_ADDR_NOT_LOCAL, /* the address is not one of this machine's */
    WINERR_NOT_RUNNING,    /* a service asked to stop is not running */
    WINERR_RUNNING,        /* a service asked to start is running already */
};
enum winerr_kind winerr_kind(unsigned long code);

#endif

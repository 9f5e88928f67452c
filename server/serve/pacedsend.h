/* pacedsend.h - a file sent at most at a rate: slices paced on a timer
 * around the transport's send_file, which on the plain port is TransmitFile
 * (no copy through user space) and on TLS the sealed records. */
#ifndef MTS_PACEDSEND_H
#define MTS_PACEDSEND_H

#include <stdint.h>

#include "transport.h"

/* Sends len bytes of file from offset at most rate bytes per second (0: as
 * fast as the client takes them, one send_file call). Each slice's send
 * waits at most timeout_ms for progress; the waits between slices end at
 * once when stop or ended (the session's account was removed or disabled;
 * NULL: none) is set (TRANSPORT_STOPPED). 0 when all went out, else a
 * transport_result; *sent tells how far it got. */
int pacedsend_file(struct transport *t, HANDLE file, uint64_t offset, uint64_t len, uint64_t rate,
                   unsigned timeout_ms, HANDLE stop, HANDLE ended, uint64_t *sent);

#endif

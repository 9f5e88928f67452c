/* procstats.h - the server process's own resource counts, for the periodic
 * stats line in the access log (and the fault tests that read it).
 *
 * Threads: a Toolhelp snapshot of this process's threads. Handles:
 * GetProcessHandleCount; Wine 8 answers 0 there, so when it does the handle
 * table is probed instead (valid handle values are small multiples of 4).
 * Private bytes: committed private memory summed over VirtualQuery regions,
 * which is what PrivateUsage reports on Windows; Wine 8 leaves PrivateUsage
 * unfilled. Any thread may call it. */
#ifndef MTS_PROCSTATS_H
#define MTS_PROCSTATS_H

#include <stddef.h>
#include <stdint.h>

struct procstats {
    unsigned long threads;
    unsigned long handles;
    uint64_t private_bytes;
};

void procstats_read(struct procstats *ps);

#endif

/* filehash.h - HASH's SHA-256 of a whole file under the root: capped and
 * cached.
 *
 * At most max_concurrent files are read for hashing at once, server-wide
 * (a semaphore; a HASH beyond it waits for a slot, or for the stop event),
 * so that hashing 50 GB on demand cannot take every disk and core from the
 * transfers. A digest is remembered by the file's identity and state (volume
 * serial, file ID, size, last-write and change time); asking again for an
 * unchanged file answers from memory without reading it. A file whose size
 * or times move while it is read, or that ends early, is reported as
 * changed, never with a digest.
 *
 * Threads: any client thread calls filehash_file; the cache is guarded by an
 * SRW lock held only to look up or store, never while reading. */
#ifndef MTS_FILEHASH_H
#define MTS_FILEHASH_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#include "rootfs.h"
#include "session.h"
#include "sha256.h"

#define FILEHASH_CACHE_ENTRIES 256

struct filehash_key {
    DWORD volume;
    uint64_t index;
    uint64_t size;
    int64_t write_time;
    int64_t change_time;
};

struct filehash {
    SRWLOCK lock; /* guards cache and next */
    HANDLE slots; /* semaphore of max_concurrent */
    unsigned next; /* the cache entry replaced next (round robin) */
    struct {
        int used;
        struct filehash_key key;
        char hex[SHA256_HEX_LEN + 1];
    } cache[FILEHASH_CACHE_ENTRIES];
};

/* Returns 0 or -1 (GetLastError set). */
int filehash_init(struct filehash *fh, unsigned max_concurrent);
void filehash_free(struct filehash *fh);

struct filehash_result {
    enum session_hash_outcome outcome;
    int rootfs_rc;  /* rootfs_open's result, for the log */
    int cached;     /* the digest came from the cache */
    uint64_t bytes; /* bytes read to hash it */
    char hex[SHA256_HEX_LEN + 1];
};

/* Hashes the requested path (rootfs gates apply). stop ends a wait for a
 * slot and the reading early (SESSION_HASH_FAILED). */
void filehash_file(struct filehash *fh, const struct rootfs *r, const char *path, size_t len,
                   HANDLE stop, struct filehash_result *out);

#endif

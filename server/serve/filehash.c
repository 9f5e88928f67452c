/* filehash.c - capped, cached whole-file SHA-256 (see filehash.h). */
#include "filehash.h"

#include <stdlib.h>
#include <string.h>

/* Large reads: one wineserver round trip per call under Wine. */
#define READ_CHUNK (1u << 20)

int filehash_init(struct filehash *fh, unsigned max_concurrent)
{
    memset(fh, 0, sizeof *fh);
    InitializeSRWLock(&fh->lock);
    fh->slots = CreateSemaphoreW(NULL, (LONG)max_concurrent, (LONG)max_concurrent, NULL);
    return fh->slots == NULL ? -1 : 0;
}

void filehash_free(struct filehash *fh)
{
    if (fh->slots != NULL)
        CloseHandle(fh->slots);
    fh->slots = NULL;
}

/* Size and times as they are now; 0 or -1. */
static int state_of(HANDLE file, struct filehash_key *k)
{
    FILE_BASIC_INFO basic;
    FILE_STANDARD_INFO std;

    if (!GetFileInformationByHandleEx(file, FileBasicInfo, &basic, sizeof basic) ||
        !GetFileInformationByHandleEx(file, FileStandardInfo, &std, sizeof std))
        return -1;
    k->size = (uint64_t)std.EndOfFile.QuadPart;
    k->write_time = basic.LastWriteTime.QuadPart;
    k->change_time = basic.ChangeTime.QuadPart;
    return 0;
}

static int key_of(HANDLE file, struct filehash_key *k)
{
    BY_HANDLE_FILE_INFORMATION info;

    memset(k, 0, sizeof *k);
    if (!GetFileInformationByHandle(file, &info))
        return -1;
    k->volume = info.dwVolumeSerialNumber;
    k->index = ((uint64_t)info.nFileIndexHigh << 32) | info.nFileIndexLow;
    return state_of(file, k);
}

static int same_key(const struct filehash_key *a, const struct filehash_key *b)
{
    return a->volume == b->volume && a->index == b->index && a->size == b->size &&
           a->write_time == b->write_time && a->change_time == b->change_time;
}

static int look_up(struct filehash *fh, const struct filehash_key *k, char *hex)
{
    int found = 0;

    AcquireSRWLockShared(&fh->lock);
    for (size_t i = 0; i < FILEHASH_CACHE_ENTRIES && !found; i++) {
        if (fh->cache[i].used && same_key(&fh->cache[i].key, k)) {
            memcpy(hex, fh->cache[i].hex, SHA256_HEX_LEN + 1);
            found = 1;
        }
    }
    ReleaseSRWLockShared(&fh->lock);
    return found;
}

static void remember(struct filehash *fh, const struct filehash_key *k, const char *hex)
{
    size_t slot = FILEHASH_CACHE_ENTRIES;

    AcquireSRWLockExclusive(&fh->lock);
    /* The same file in an older state is replaced first: it cannot match again. */
    for (size_t i = 0; i < FILEHASH_CACHE_ENTRIES; i++) {
        if (fh->cache[i].used && fh->cache[i].key.volume == k->volume &&
            fh->cache[i].key.index == k->index) {
            slot = i;
            break;
        }
    }
    if (slot == FILEHASH_CACHE_ENTRIES) {
        slot = fh->next;
        fh->next = (fh->next + 1) % FILEHASH_CACHE_ENTRIES;
    }
    fh->cache[slot].used = 1;
    fh->cache[slot].key = *k;
    memcpy(fh->cache[slot].hex, hex, SHA256_HEX_LEN + 1);
    ReleaseSRWLockExclusive(&fh->lock);
}

/* Reads the whole file into the hash; the outcome. */
static enum session_hash_outcome read_and_hash(HANDLE file, const struct filehash_key *before,
                                               HANDLE stop, struct filehash_result *out)
{
    unsigned char *buf = malloc(READ_CHUNK);
    struct sha256 h;
    struct filehash_key after;
    enum session_hash_outcome rc = SESSION_HASH_FAILED;
    DWORD got;

    if (buf == NULL || sha256_begin(&h) != 0) {
        free(buf);
        return SESSION_HASH_FAILED;
    }
    for (;;) {
        if (WaitForSingleObject(stop, 0) == WAIT_OBJECT_0)
            goto out;
        if (!ReadFile(file, buf, READ_CHUNK, &got, NULL))
            goto out;
        if (got == 0)
            break;
        if (sha256_update(&h, buf, got) != 0)
            goto out;
        out->bytes += got;
        if (out->bytes > before->size)
            break; /* grew while read: caught below */
    }
    after = *before;
    if (out->bytes != before->size || state_of(file, &after) != 0 || !same_key(before, &after)) {
        rc = SESSION_HASH_CHANGED;
        goto out;
    }
    if (sha256_finish(&h, out->hex) == 0)
        rc = SESSION_HASH_OK;
    free(buf);
    return rc;
out:
    sha256_abandon(&h);
    free(buf);
    return rc;
}

void filehash_file(struct filehash *fh, const struct rootfs *r, const char *path, size_t len,
                   HANDLE stop, struct filehash_result *out)
{
    HANDLE file = INVALID_HANDLE_VALUE;
    HANDLE waits[2];
    struct filehash_key key;
    uint64_t size;

    memset(out, 0, sizeof *out);
    out->outcome = SESSION_HASH_FAILED;
    out->rootfs_rc = rootfs_open(r, path, len, &file, &size);
    if (out->rootfs_rc != ROOTFS_OK)
        return;
    if (key_of(file, &key) != 0)
        goto out;
    if (look_up(fh, &key, out->hex)) {
        out->cached = 1;
        out->outcome = SESSION_HASH_OK;
        goto out;
    }
    /* Wait for one of the hashing slots, or for the server to stop. */
    waits[0] = stop;
    waits[1] = fh->slots;
    if (WaitForMultipleObjects(2, waits, FALSE, INFINITE) != WAIT_OBJECT_0 + 1)
        goto out;
    out->outcome = read_and_hash(file, &key, stop, out);
    ReleaseSemaphore(fh->slots, 1, NULL);
    if (out->outcome == SESSION_HASH_OK)
        remember(fh, &key, out->hex);
out:
    CloseHandle(file);
}

/* ntname.c - an open file's NT object name (see ntname.h).
 *
 * Why not GetFinalPathNameByHandleW(VOLUME_NAME_NT): on Windows it asks the
 * same object name for the device and the file system for a normalized
 * path; under Wine it turns the object name's drive back into a device
 * through GetVolumePathNameW, which looks at every folder from the file up
 * to its drive, and QueryDosDeviceW (three wineserver requests): about a
 * tenth of a plain session's cost for one FILE (bench/RESULTS.md, issue 24).
 * The object name alone compares the same way, since the root's name is
 * taken by the same call (rootfs.c). It is the name as opened, not
 * normalized: a junction whose target is written with short (8.3) names
 * gives a name that no longer starts with the root's, and its files are
 * refused rather than served. */
#include "ntname.h"

#include <stdlib.h>
#include <string.h>
#include <winternl.h>

/* winternl.h's OBJECT_INFORMATION_CLASS lacks this value in some SDKs; its
 * answer (OBJECT_NAME_INFORMATION) is a UNICODE_STRING and the name. */
#define OBJECT_NAME_INFORMATION_CLASS 1

typedef LONG(WINAPI *query_object_fn)(HANDLE, int, void *, ULONG, ULONG *);

/* Asks for the name into a block of size bytes; the name's characters, or
 * -1 with *need set when the block was too small, or -2 on failure. */
static long ask(query_object_fn fn, HANDLE h, void *block, ULONG size, ULONG *need)
{
    const UNICODE_STRING *n = block;
    LONG status;

    *need = 0;
    status = fn(h, OBJECT_NAME_INFORMATION_CLASS, block, size, need);
    /* A file's name begins with its device's ("\Device\..." or "\??\Z:"):
     * an empty or bare "\" answer would be a prefix of every name. */
    if (status == 0 && n->Buffer != NULL && n->Length >= 2 * sizeof(wchar_t) &&
        n->Buffer[0] == L'\\')
        return (long)(n->Length / sizeof(wchar_t));
    if (status == 0)
        return -2;
    /* STATUS_BUFFER_OVERFLOW, STATUS_INFO_LENGTH_MISMATCH, STATUS_BUFFER_TOO_SMALL */
    if ((ULONG)status == 0x80000005UL || (ULONG)status == 0xC0000004UL ||
        (ULONG)status == 0xC0000023UL)
        return *need > size ? -1 : -2;
    return -2;
}

wchar_t *ntname_of(HANDLE h, wchar_t *buf, size_t cap, wchar_t **heap)
{
    /* ntdll is in every process: looked up rather than linked, which would
     * need its import library in both builds. */
    query_object_fn fn = (query_object_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"ntdll.dll"), "NtQueryObject");
    /* The name's header and 1,024 characters: every name MAX_PATH allows. */
    union {
        UNICODE_STRING n;
        unsigned char bytes[sizeof(UNICODE_STRING) + 1024 * sizeof(wchar_t)];
    } first;
    void *block = &first;
    ULONG need;
    long chars;
    wchar_t *out;

    *heap = NULL;
    if (fn == NULL || cap == 0)
        return NULL;
    chars = ask(fn, h, block, sizeof first, &need);
    if (chars == -1) {
        block = malloc(need);
        if (block == NULL)
            return NULL;
        chars = ask(fn, h, block, need, &need);
    }
    out = NULL;
    if (chars >= 0) {
        if ((size_t)chars < cap)
            out = buf;
        else
            out = *heap = malloc(((size_t)chars + 1) * sizeof *out);
        if (out != NULL) {
            memcpy(out, ((UNICODE_STRING *)block)->Buffer, (size_t)chars * sizeof *out);
            out[chars] = L'\0';
        }
    }
    if (block != &first)
        free(block);
    return out;
}

/* sessmap.c - the account sessions between processes (see sessmap.h). */
#include "sessmap.h"

#include <sddl.h>
#include <string.h>

#include "winerr.h"

/* SYSTEM and the Administrators read and write; the owner (the service's
 * account, which makes it) too. Protected: nothing is inherited. */
#define SESSMAP_SDDL L"D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;OW)"

struct layout {
    volatile LONG seq; /* odd while the text is being written */
    char text[SESSMAP_TEXT_MAX];
};

int sessmap_open(struct sessmap *m)
{
    SECURITY_ATTRIBUTES sa;
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD e;

    m->mapping = NULL;
    m->view = NULL;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(SESSMAP_SDDL, SDDL_REVISION_1, &sd,
                                                              NULL))
        return -1;
    sa.nLength = sizeof sa;
    sa.lpSecurityDescriptor = sd;
    sa.bInheritHandle = FALSE;
    m->mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0,
                                    sizeof(struct layout), SESSMAP_NAME);
    e = GetLastError();
    LocalFree(sd);
    if (m->mapping != NULL && winerr_kind(e) == WINERR_EXISTS) {
        /* Someone else's section of that name: not ours to write in. */
        CloseHandle(m->mapping);
        m->mapping = NULL;
        SetLastError(ERROR_ALREADY_EXISTS);
        return -1;
    }
    if (m->mapping == NULL)
        return -1;
    m->view = MapViewOfFile(m->mapping, FILE_MAP_WRITE, 0, 0, sizeof(struct layout));
    if (m->view == NULL) {
        e = GetLastError();
        CloseHandle(m->mapping);
        m->mapping = NULL;
        SetLastError(e);
        return -1;
    }
    return 0;
}

void sessmap_close(struct sessmap *m)
{
    if (m->view != NULL)
        UnmapViewOfFile(m->view);
    if (m->mapping != NULL)
        CloseHandle(m->mapping);
    m->view = NULL;
    m->mapping = NULL;
}

void sessmap_publish(struct sessmap *m, const char *text)
{
    struct layout *l = m->view;
    size_t n = strlen(text);

    if (l == NULL)
        return;
    if (n >= sizeof l->text)
        n = sizeof l->text - 1;
    InterlockedIncrement(&l->seq); /* odd: a reader now tries again */
    memcpy(l->text, text, n);
    l->text[n] = '\0';
    InterlockedIncrement(&l->seq);
}

int sessmap_read(char *out, size_t cap)
{
    HANDLE h = OpenFileMappingW(FILE_MAP_READ, FALSE, SESSMAP_NAME);
    const struct layout *l;
    int rc = -1;

    if (cap == 0)
        return -1;
    out[0] = '\0';
    if (h == NULL)
        return -1;
    l = MapViewOfFile(h, FILE_MAP_READ, 0, 0, sizeof(struct layout));
    /* A writer rewrites a few hundred bytes at most every 2 s: a handful
     * of tries always finds a quiet moment. */
    for (int tries = 0; l != NULL && tries < 100 && rc != 0; tries++) {
        LONG before = l->seq;
        size_t n;
        MemoryBarrier();
        if (before & 1) {
            Sleep(1);
            continue;
        }
        n = strnlen(l->text, sizeof l->text - 1);
        if (n >= cap)
            n = cap - 1;
        memcpy(out, l->text, n);
        out[n] = '\0';
        MemoryBarrier();
        if (l->seq == before)
            rc = 0;
    }
    if (l != NULL)
        UnmapViewOfFile(l);
    CloseHandle(h);
    return rc;
}

/* holdfile.c - test helper: another Windows process that holds a file.
 *
 * "holdfile share-none PATH": opens PATH with no sharing at all, so any
 * other open fails with a sharing violation. "holdfile lock PATH": opens it
 * sharing everything, then locks every byte exclusively (LockFileEx). Prints
 * "held" once it holds the file and lets go when its stdin ends. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "args.h"
#include "wstr.h"

int main(void)
{
    char **argv;
    int argc;
    wchar_t *path;
    HANDLE h;
    OVERLAPPED ov;
    char buf[64];
    int lock;

    if (args_utf8(&argc, &argv) != 0 || argc != 3) {
        fprintf(stderr, "usage: holdfile share-none|lock PATH\n");
        return 2;
    }
    lock = strcmp(argv[1], "lock") == 0;
    path = wstr_from_utf8(argv[2], strlen(argv[2]));
    if (path == NULL)
        return 2;
    h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE,
                    lock ? FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE : 0, NULL,
                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "holdfile: CreateFileW: error %lu\n", GetLastError());
        return 1;
    }
    memset(&ov, 0, sizeof ov);
    if (lock && !LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD,
                            MAXDWORD, &ov)) {
        fprintf(stderr, "holdfile: LockFileEx: error %lu\n", GetLastError());
        return 1;
    }
    printf("held\n");
    fflush(stdout);
    while (fgets(buf, sizeof buf, stdin) != NULL) {
    }
    CloseHandle(h);
    return 0;
}

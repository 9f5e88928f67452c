/* fileid.c - one file or two, by index number (see fileid.h). */
#include "fileid.h"

/* NtQueryInformationFile's FileInternalInformation: the index number,
 * answered from the open file itself (an fstat under Wine). */
#define FILE_INTERNAL_INFORMATION_CLASS 6

struct io_status {
    union {
        LONG status;
        void *pointer;
    } u;
    ULONG_PTR information;
};

typedef LONG(WINAPI *query_file_fn)(HANDLE, struct io_status *, void *, ULONG, int);

static int index_number(query_file_fn fn, HANDLE h, LARGE_INTEGER *index)
{
    struct io_status io;

    return fn(h, &io, index, sizeof *index, FILE_INTERNAL_INFORMATION_CLASS) == 0 ? 0 : -1;
}

int fileid_same(HANDLE a, HANDLE b)
{
    /* ntdll is in every process: looked up here rather than linked. */
    query_file_fn fn = (query_file_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"ntdll.dll"), "NtQueryInformationFile");
    LARGE_INTEGER ia, ib;

    if (fn == NULL || index_number(fn, a, &ia) != 0 || index_number(fn, b, &ib) != 0)
        return 0;
    return ia.QuadPart == ib.QuadPart;
}

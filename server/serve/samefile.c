/* samefile.c - a name and an open file: one file or two (see samefile.h).
 * ntdll's NtQueryFullAttributesFile, looked up rather than linked (ntdll
 * is in every process; its import library would be needed in both builds):
 * GetFileAttributesExW asks the same but leaves the change time out. */
#include "samefile.h"

#include <string.h>
#include <winternl.h>

/* FILE_NETWORK_OPEN_INFORMATION (not in every SDK's winternl.h) */
struct nt_open_info {
    LARGE_INTEGER creation, last_access, last_write, change;
    LARGE_INTEGER allocation, end_of_file;
    ULONG attributes;
};

typedef LONG(WINAPI *query_by_name_fn)(OBJECT_ATTRIBUTES *, struct nt_open_info *);

int samefile_named(const wchar_t *nt_path, HANDLE file)
{
    query_by_name_fn query = (query_by_name_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"ntdll.dll"), "NtQueryFullAttributesFile");
    size_t len = wcslen(nt_path);
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attrs;
    struct nt_open_info named;
    FILE_BASIC_INFO basic;
    FILE_STANDARD_INFO standard;

    if (query == NULL || len == 0 || len * sizeof(wchar_t) > 0xfffe)
        return 0;
    name.Length = name.MaximumLength = (USHORT)(len * sizeof(wchar_t));
    name.Buffer = (wchar_t *)nt_path; /* only read */
    InitializeObjectAttributes(&attrs, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (query(&attrs, &named) != 0 ||
        !GetFileInformationByHandleEx(file, FileBasicInfo, &basic, sizeof basic) ||
        !GetFileInformationByHandleEx(file, FileStandardInfo, &standard, sizeof standard))
        return 0;
    /* Of the attributes only the folder bit: Wine makes a dot file hidden
     * when asked by name, and not by handle. */
    return named.change.QuadPart == basic.ChangeTime.QuadPart &&
           named.last_write.QuadPart == basic.LastWriteTime.QuadPart &&
           !(named.attributes & FILE_ATTRIBUTE_DIRECTORY) == !standard.Directory &&
           (standard.Directory || named.end_of_file.QuadPart == standard.EndOfFile.QuadPart);
}

/* svcacl.h - the service's SID and the data folders' permissions.
 *
 * The configuration folder (it holds the password hash) is for SYSTEM,
 * administrators and the service to read; the logs folder the service may
 * also write. The whole DACL is spelt out (not inherited), as Wine maps a
 * DACL to Unix permissions without inheritance. Formats take the service
 * account's SID as their one %ls. */
#ifndef MTS_SVCACL_H
#define MTS_SVCACL_H

#include <stddef.h>
#include <windows.h>

#define SVCACL_CONFIG_FOLDER L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;%ls)"
/* A TLS private key (certmake.c): all to SYSTEM and administrators, read to
 * the service; nobody else. */
#define SVCACL_KEY L"D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GR;;;%ls)"
#define SVCACL_LOGS_FOLDER L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;%ls)"

/* The SID string the folders' permissions name: LocalService's ("LS") when
 * local_service, else the service's own (NT SERVICE\mtserver). */
void svcacl_account_sid(int local_service, wchar_t *sid, size_t cap);

/* Makes a folder with the permissions sddl_format gives with sid (NULL:
 * inherited ones). A folder that exists gets them only while it still
 * inherits its permissions: one whose permissions an administrator has set
 * is left as it is. Returns ERROR_SUCCESS or the Win32 error. */
DWORD svcacl_secure_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid);

#endif

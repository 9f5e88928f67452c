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

/* Made by an elevated administrator, so owned by Administrators (O:BA)
 * rather than by whoever ran install: ownerpol.h trusts no other user. */
#define SVCACL_CONFIG_FOLDER \
    L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;%ls)"
#define SVCACL_LOGS_FOLDER L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;%ls)"
/* The configuration file alone, in a folder whose permissions are not ours. */
#define SVCACL_CONFIG_FILE L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;0x1200a9;;;%ls)"
/* A TLS private key (certmake.c): all to SYSTEM and administrators, read to
 * the service; nobody else. */
#define SVCACL_KEY L"D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GR;;;%ls)"

/* The SID string the folders' permissions name: LocalService's ("LS") when
 * local_service, else the service's own (NT SERVICE\mtserver). */
void svcacl_account_sid(int local_service, wchar_t *sid, size_t cap);

/* The security descriptor sddl_format gives with sid, for LocalFree.
 * Returns ERROR_SUCCESS or the Win32 error. */
DWORD svcacl_descriptor(const wchar_t *sddl_format, const wchar_t *sid, PSECURITY_DESCRIPTOR *sd);

/* Makes a folder with the permissions sddl_format gives with sid (NULL:
 * inherited ones), set in the call that makes it. Returns ERROR_SUCCESS
 * only when this call made it: ERROR_ALREADY_EXISTS when something has the
 * name (which may be a folder, a file or a link someone else made), else
 * the Win32 error. */
DWORD svcacl_make_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid);

/* As svcacl_make_folder, but a folder that exists is left as it is and
 * counts as success: for the folders inside one already checked
 * (dirguard.h), where users cannot write. mtserver sets the permissions
 * only of folders it creates (and of its default folder, dirguard.h). */
DWORD svcacl_secure_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid);

/* Gives the file path the configuration file's permissions for sid, not
 * inherited: for a configuration kept in a folder mtserver leaves alone. */
DWORD svcacl_protect_file(const wchar_t *path, const wchar_t *sid);

#endif

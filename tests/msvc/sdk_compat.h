/* Windows SDK names that Wine 8's headers (libwine-dev) lack or declare
 * differently, for the MSVC-mode check only (tests/msvc/vcxbuild.py forces
 * this file into every translation unit with /FI). A Visual Studio build
 * uses the real SDK and never sees it. Each line names the SDK header whose
 * declaration it stands in for.
 *
 * It includes only what every Win32 file here includes anyway (winsock2.h,
 * ws2tcpip.h, windows.h with WIN32_LEAN_AND_MEAN), so that a name a
 * heavier SDK header would bring (rpcndr.h's `small`) reaches no file that
 * does not ask for it. A fix that needs a heavier header's declaration first
 * is in a same-named header in tests/msvc/include/, which includes the real
 * one and then this file's counterpart lines. */
#ifndef MTS_SDK_COMPAT_H
#define MTS_SDK_COMPAT_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

/* bcrypt.h */
#ifndef BCRYPT_SUCCESS
#define BCRYPT_SUCCESS(status) (((NTSTATUS)(status)) >= 0)
#endif

/* ws2ipdef.h */
#ifndef IN6_IS_ADDR_V4MAPPED
#define IN6_IS_ADDR_V4MAPPED(a)                                                              \
    ((a)->s6_words[0] == 0 && (a)->s6_words[1] == 0 && (a)->s6_words[2] == 0 &&               \
     (a)->s6_words[3] == 0 && (a)->s6_words[4] == 0 && (a)->s6_words[5] == 0xffff)
#endif

/* processthreadsapi.h */
WINBASEAPI BOOL WINAPI GetProcessHandleCount(HANDLE process, PDWORD count);

/* winnt.h */
#ifndef PROTECTED_DACL_SECURITY_INFORMATION
#define PROTECTED_DACL_SECURITY_INFORMATION 0x80000000L
#endif

/* winsvc.h */
#ifndef SERVICE_SID_TYPE_UNRESTRICTED
#define SERVICE_SID_TYPE_UNRESTRICTED 0x00000001
#endif

/* winerror.h */
#ifndef SEC_I_INCOMPLETE_CREDENTIALS
#define SEC_I_INCOMPLETE_CREDENTIALS ((HRESULT)0x00090320L)
#endif

/* wincrypt.h */
#ifndef CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG
#define CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG 0x00010000
#endif
#ifndef CERT_NCRYPT_KEY_SPEC
#define CERT_NCRYPT_KEY_SPEC 0xFFFFFFFF
#endif

/* schannel.h */
#ifndef SCH_USE_STRONG_CRYPTO
#define SCH_USE_STRONG_CRYPTO 0x00400000
#endif

/* ws2tcpip.h: inet_ntop takes `const VOID *` (Wine 8: PVOID). */
#define inet_ntop(family, addr, buf, size) inet_ntop((family), (PVOID)(addr), (buf), (size))

/* winbase.h: LogonUserW's logon type and provider. */
#ifndef LOGON32_LOGON_NETWORK
#define LOGON32_LOGON_NETWORK 3
#endif
#ifndef LOGON32_PROVIDER_DEFAULT
#define LOGON32_PROVIDER_DEFAULT 0
#endif

#endif

/* The SDK's ncrypt.h, for the MSVC-mode check only (see ../sdk_compat.h):
 * Wine 8's lacks NCryptDeleteKey (its ncrypt.dll exports it) and
 * NCRYPT_MACHINE_KEY_FLAG, which schancred.c uses to delete a PFX's
 * imported key. */
#include_next <ncrypt.h>

#ifndef MTS_SDK_COMPAT_NCRYPT_H
#define MTS_SDK_COMPAT_NCRYPT_H
#ifndef NCRYPT_MACHINE_KEY_FLAG
#define NCRYPT_MACHINE_KEY_FLAG 0x00000020
#endif
SECURITY_STATUS WINAPI NCryptDeleteKey(NCRYPT_KEY_HANDLE key, DWORD flags);
#endif

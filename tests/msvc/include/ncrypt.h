/* The SDK's ncrypt.h, for the MSVC-mode check only (see ../sdk_compat.h):
 * Wine 8's lacks NCryptDeleteKey (its ncrypt.dll exports it) and
 * NCRYPT_MACHINE_KEY_FLAG, which certkey.c uses to delete a key a
 * certificate names, and MS_KEY_STORAGE_PROVIDER, the provider it makes
 * ECDSA keys in. */
#include_next <ncrypt.h>

#ifndef MTS_SDK_COMPAT_NCRYPT_H
#define MTS_SDK_COMPAT_NCRYPT_H
#ifndef NCRYPT_MACHINE_KEY_FLAG
#define NCRYPT_MACHINE_KEY_FLAG 0x00000020
#endif
#ifndef MS_KEY_STORAGE_PROVIDER
#define MS_KEY_STORAGE_PROVIDER L"Microsoft Software Key Storage Provider"
#endif
SECURITY_STATUS WINAPI NCryptDeleteKey(NCRYPT_KEY_HANDLE key, DWORD flags);
#endif

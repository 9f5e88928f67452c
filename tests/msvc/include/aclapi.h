/* The SDK's aclapi.h, for the MSVC-mode check only (see ../sdk_compat.h):
 * Wine 8's declares GetNamedSecurityInfoW's object name LPWSTR, the SDK's
 * LPCWSTR, so a const name is passed through a cast here, not in the
 * product. */
#include_next <aclapi.h>

#ifndef MTS_SDK_COMPAT_ACLAPI_H
#define MTS_SDK_COMPAT_ACLAPI_H
#define GetNamedSecurityInfoW(name, type, info, owner, group, dacl, sacl, sd)                     \
    GetNamedSecurityInfoW((LPWSTR)(name), (type), (info), (owner), (group), (dacl), (sacl), (sd))
#endif

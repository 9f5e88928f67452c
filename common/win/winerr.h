/* winerr.h - turns a GetLastError()/WSAGetLastError() code into log text. */
#ifndef MTS_WINERR_H
#define MTS_WINERR_H

#include <stddef.h>

/* Writes "error 5: Access is denied." to buf and returns buf; an HRESULT or
 * SECURITY_STATUS code as "error 0x8009000B (NTE_BAD_KEY_STATE): text"
 * (hresult.h), without ": text" where the system has none. */
const char *winerr_text(unsigned long code, char *buf, size_t cap);

#endif

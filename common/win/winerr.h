/* winerr.h - turns a GetLastError()/WSAGetLastError() code into log text. */
#ifndef MTS_WINERR_H
#define MTS_WINERR_H

#include <stddef.h>

/* Writes "error 5: Access is denied." to buf and returns buf. */
const char *winerr_text(unsigned long code, char *buf, size_t cap);

#endif

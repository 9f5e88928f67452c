/* hresult.h - the names of the HRESULT and SECURITY_STATUS codes that the
 * certificate and TLS code meets (NTE_*, CRYPT_E_*, CERT_E_*, SEC_E_*), so
 * that every message shows them as Windows' documentation and search
 * engines know them: "0x8009000B (NTE_BAD_KEY_STATE)", never the decimal
 * 2148081675. Pure table; the Win32 side (common/win/winerr.c) adds
 * FormatMessage's text where the system has one. */
#ifndef MTS_HRESULT_H
#define MTS_HRESULT_H

#include <stddef.h>

/* 1 for a code with the severity bit set (an HRESULT or SECURITY_STATUS
 * failure), which is shown in hex; Win32 error numbers are small. */
int hresult_is_status(unsigned long code);

/* The symbolic name of code ("SEC_E_UNKNOWN_CREDENTIALS"), or NULL. */
const char *hresult_name(unsigned long code);

/* Writes "0x8009000B (NTE_BAD_KEY_STATE)", or "0x80091234" for a code
 * without a name here, to buf and returns buf. */
const char *hresult_format(unsigned long code, char *buf, size_t cap);

#endif

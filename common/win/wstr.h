/* wstr.h - UTF-8 <-> UTF-16 conversion for the wide Win32 APIs.
 * Results are malloc'd and NUL-terminated; the caller frees them. */
#ifndef MTS_WSTR_H
#define MTS_WSTR_H

#include <stddef.h>
#include <wchar.h>

/* NULL when s is not valid UTF-8 or memory runs out. */
wchar_t *wstr_from_utf8(const char *s, size_t len);
/* NULL when w is not valid UTF-16 or memory runs out. */
char *wstr_to_utf8(const wchar_t *w);

/* The full path (GetFullPathNameW) of a UTF-8 name into out[0..cap) UTF-16
 * units. Returns 0, or -1 when the name is not valid UTF-8 or does not fit
 * (last error set where the system gave one). */
int wstr_full_path(const char *utf8, wchar_t *out, unsigned long cap);

/* w as UTF-8 into out[0..cap), cut short if need be; "?" when w is not
 * valid UTF-16. For messages. */
void wstr_to_utf8_buf(const wchar_t *w, char *out, size_t cap);

#endif

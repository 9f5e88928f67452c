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

#endif

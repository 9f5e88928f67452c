/* accountkey.h - the keys of an [account NAME] section of accounts.ini and
 * the check of each one's value, shared by the parser (accounts.c) and the
 * editors (accountsedit.c). */
#ifndef MTS_ACCOUNTKEY_H
#define MTS_ACCOUNTKEY_H

#include <stddef.h>
#include <stdint.h>

enum accountkey_id { KEY_HASH, KEY_ROOT, KEY_ENABLED, KEY_MAX_SESSIONS, KEY_RATE, KEY_COUNT };

/* "password_hash", "root", "enabled", "max_sessions", "rate_limit". */
extern const char *const accountkey_names[KEY_COUNT];

/* The key named s[0..len) (ASCII, without case), or -1. */
int accountkey_by_name(const char *s, size_t len);

/* Checks a key's value; numbers and yes/no come back in *n. Returns 0, or
 * an mts_error with the reason, without "line N", in err. */
int accountkey_check(int key, const char *v, size_t len, uint64_t *n, char *err, size_t errcap);

#endif

/* pbkdf2.h - PBKDF2-HMAC-SHA256 and random bytes, from Windows CNG (BCrypt).
 *
 * Stateless: each call opens its own algorithm handle, so any thread may call
 * at any time. The handle costs microseconds; the derivation (100,000+
 * HMAC rounds) costs milliseconds. */
#ifndef MTS_PBKDF2_H
#define MTS_PBKDF2_H

#include <stddef.h>

/* Derives out[0..outlen) from the password and salt. Returns 0, or -1 with
 * the NTSTATUS in *status (when status is not NULL). */
int pbkdf2_derive_key(const void *password, size_t password_len, const void *salt,
                      size_t salt_len, unsigned long iterations, unsigned char *out,
                      size_t outlen, long *status);

/* Fills buf with bytes from the system's preferred random generator.
 * Returns 0 or -1. */
int pbkdf2_random_bytes(void *buf, size_t len);

#endif

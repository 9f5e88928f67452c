/* credential.h - what AUTH checks a password against.
 *
 * Set once before the server starts and read-only afterwards, so client
 * threads may check passwords concurrently without a lock. */
#ifndef MTS_CREDENTIAL_H
#define MTS_CREDENTIAL_H

#include <stddef.h>

struct credential {
    char *password; /* the clear password, from MTS_PASSWORD or generated */
    size_t password_len;
};

/* Takes the password from MTS_PASSWORD, or makes a random one when it is
 * unset or empty; *generated tells which. Returns 0 or -1. */
int credential_from_environment(struct credential *c, int *generated);
/* 1 when password[0..len) is right. Runs in constant time for a given length. */
int credential_check(const struct credential *c, const char *password, size_t len);
void credential_free(struct credential *c);

#endif

/* credential.h - what AUTH checks a password against.
 *
 * Either a clear password (console mode: MTS_PASSWORD or a generated one) or
 * a salted PBKDF2-HMAC-SHA256 hash (password_hash in the configuration file;
 * the only kind the service accepts). Set once before the server starts and
 * read-only afterwards, so client threads may check passwords concurrently
 * without a lock. */
#ifndef MTS_CREDENTIAL_H
#define MTS_CREDENTIAL_H

#include <stddef.h>

#include "pwhash.h"

enum credential_mode { CREDENTIAL_NONE, CREDENTIAL_CLEAR, CREDENTIAL_PBKDF2 };

struct credential {
    enum credential_mode mode;
    char *password; /* CREDENTIAL_CLEAR: from MTS_PASSWORD or generated */
    size_t password_len;
    struct pwhash hash; /* CREDENTIAL_PBKDF2 */
};

/* Takes the password from MTS_PASSWORD, or makes a random one when it is
 * unset or empty; *generated tells which. Returns 0, or -1 with the reason
 * in err (one AUTH could never match is refused, as passwd refuses it). */
int credential_from_environment(struct credential *c, int *generated, char *err, size_t errcap);
/* 1 when MTS_PASSWORD is set and not empty. */
int credential_environment_has_password(void);
/* Takes a password_hash text. Returns 0, or -1 with the reason in err. */
int credential_from_hash(struct credential *c, const char *text, char *err, size_t errcap);
/* 1 when password[0..len) is right. For a clear password it runs in constant
 * time for a given length; for a hash, the derived keys are compared in
 * constant time. */
int credential_check(const struct credential *c, const char *password, size_t len);
void credential_free(struct credential *c);

/* Hashes a new password with a fresh random salt and writes its
 * password_hash text (PWHASH_TEXT_MAX bytes is enough). Returns 0 or -1. */
int credential_hash_password(const char *password, size_t len, unsigned long iterations,
                             char *out, size_t cap);

/* The iteration count `mtserver passwd` uses. */
#define CREDENTIAL_ITERATIONS 600000ul

#endif

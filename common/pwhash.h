/* pwhash.h - the stored password hash: "pbkdf2-sha256$ITER$SALT$HASH".
 *
 * Only the text format lives here (portable, unit-tested): ITER is decimal,
 * SALT and HASH are standard base64 (RFC 4648 alphabet) without '=' padding.
 * Deriving the key is the platform's job (server/pbkdf2.c, BCrypt). */
#ifndef MTS_PWHASH_H
#define MTS_PWHASH_H

#include <stddef.h>

#define PWHASH_SCHEME "pbkdf2-sha256"
#define PWHASH_MIN_ITERATIONS 100000ul
#define PWHASH_MAX_ITERATIONS 100000000ul
#define PWHASH_SALT_MIN 8
#define PWHASH_SALT_MAX 64
#define PWHASH_SALT_DEFAULT 16
#define PWHASH_KEY_LEN 32 /* SHA-256 output */
/* The longest formatted hash, with its NUL. */
#define PWHASH_TEXT_MAX (sizeof PWHASH_SCHEME + 10 + 1 + 88 + 1 + 44 + 1)

struct pwhash {
    unsigned long iterations;
    unsigned char salt[PWHASH_SALT_MAX];
    size_t salt_len;
    unsigned char key[PWHASH_KEY_LEN];
};

/* Parses text[0..len). Returns 0, or a negative mts_error with a message
 * saying what is wrong (never echoing the text itself) in err. */
int pwhash_parse(struct pwhash *h, const char *text, size_t len, char *err, size_t errcap);

/* Writes the text form with its NUL. Returns its length, or MTS_ENOSPC or
 * MTS_EINVAL (iterations or salt length out of range). */
int pwhash_format(const struct pwhash *h, char *out, size_t cap);

#endif

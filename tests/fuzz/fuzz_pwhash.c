/* fuzz_pwhash.c - the password hash's text form over any bytes.
 *
 * Invariants: a refusal comes with a message; an accepted text has its
 * fields in range, and formatting it gives back exactly the same text
 * (every hash has one spelling). */
#include <string.h>

#include "fuzz.h"
#include "pwhash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pwhash h;
    char err[256], text[PWHASH_TEXT_MAX];
    int rc, n;

    rc = pwhash_parse(&h, (const char *)data, size, err, sizeof err);
    if (rc != 0) {
        FUZZ_CHECK(rc < 0 && err[0] != '\0' && memchr(err, '\0', sizeof err) != NULL);
        return 0;
    }
    FUZZ_CHECK(h.iterations >= PWHASH_MIN_ITERATIONS && h.iterations <= PWHASH_MAX_ITERATIONS);
    FUZZ_CHECK(h.salt_len >= PWHASH_SALT_MIN && h.salt_len <= PWHASH_SALT_MAX);
    n = pwhash_format(&h, text, sizeof text);
    FUZZ_CHECK(n > 0 && (size_t)n == size && memcmp(text, data, size) == 0);
    return 0;
}

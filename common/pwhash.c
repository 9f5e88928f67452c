/* pwhash.c - the password hash's text form (see pwhash.h). */
#include "pwhash.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mts_error.h"
#include "numparse.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char ch)
{
    const char *p = ch != '\0' ? strchr(b64, ch) : NULL;

    return p != NULL ? (int)(p - b64) : -1;
}

/* Encodes without padding; returns the length written (out has room). */
static size_t b64_encode(const unsigned char *in, size_t len, char *out)
{
    size_t n = 0, i = 0;

    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[n++] = b64[v >> 18];
        out[n++] = b64[(v >> 12) & 63];
        out[n++] = b64[(v >> 6) & 63];
        out[n++] = b64[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[n++] = b64[v >> 18];
        out[n++] = b64[(v >> 12) & 63];
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[n++] = b64[v >> 18];
        out[n++] = b64[(v >> 12) & 63];
        out[n++] = b64[(v >> 6) & 63];
    }
    return n;
}

/* Decodes canonical unpadded base64 into out[0..cap). Returns the number of
 * bytes, or -1 for a bad character, a bad length, leftover bits that are not
 * zero (so that every value has one spelling) or too much data. */
static long b64_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;

    if (len % 4 == 1)
        return -1;
    for (size_t i = 0; i < len; i++) {
        int v = b64_value(in[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == cap)
                return -1;
            out[n++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)
        return -1;
    return (long)n;
}

/* The next '$'-separated field of text, from *at. */
static int field(const char *text, size_t len, size_t *at, const char **f, size_t *flen)
{
    const char *end;

    if (*at > len)
        return 0;
    *f = text + *at;
    end = memchr(*f, '$', len - *at);
    *flen = end ? (size_t)(end - *f) : len - *at;
    *at += *flen + 1;
    return 1;
}

#define EXPECTED "expected " PWHASH_SCHEME "$ITERATIONS$SALT$HASH (set it with 'mtserver passwd')"

int pwhash_parse(struct pwhash *h, const char *text, size_t len, char *err, size_t errcap)
{
    const char *f[4] = {NULL, NULL, NULL, NULL};
    size_t flen[4] = {0, 0, 0, 0}, at = 0;
    uint64_t iterations = 0;
    long n;

    memset(h, 0, sizeof *h);
    err[0] = '\0';
    for (int i = 0; i < 4; i++) {
        if (!field(text, len, &at, &f[i], &flen[i])) {
            snprintf(err, errcap, "password_hash has %d field(s), not 4: %s", i, EXPECTED);
            return MTS_ESYNTAX;
        }
    }
    if (at <= len) {
        snprintf(err, errcap, "password_hash has more than 4 fields: %s", EXPECTED);
        return MTS_ESYNTAX;
    }
    if (flen[0] != strlen(PWHASH_SCHEME) || memcmp(f[0], PWHASH_SCHEME, flen[0]) != 0) {
        snprintf(err, errcap, "password_hash uses an unknown scheme: %s", EXPECTED);
        return MTS_EUNKNOWN;
    }
    /* No leading zeros: every hash has exactly one spelling. */
    if ((flen[1] > 0 && f[1][0] == '0') ||
        numparse_u64(f[1], flen[1], PWHASH_MAX_ITERATIONS, &iterations) != 0 ||
        iterations < PWHASH_MIN_ITERATIONS || iterations > PWHASH_MAX_ITERATIONS) {
        snprintf(err, errcap, "password_hash: the iteration count must be a number from %lu to %lu",
                 PWHASH_MIN_ITERATIONS, PWHASH_MAX_ITERATIONS);
        return MTS_ERANGE;
    }
    n = b64_decode(f[2], flen[2], h->salt, sizeof h->salt);
    if (n < (long)PWHASH_SALT_MIN) {
        snprintf(err, errcap,
                 "password_hash: the salt must be %d to %d bytes in unpadded base64",
                 PWHASH_SALT_MIN, PWHASH_SALT_MAX);
        return MTS_ESYNTAX;
    }
    h->salt_len = (size_t)n;
    n = b64_decode(f[3], flen[3], h->key, sizeof h->key);
    if (n != PWHASH_KEY_LEN) {
        snprintf(err, errcap, "password_hash: the hash must be %d bytes in unpadded base64",
                 PWHASH_KEY_LEN);
        return MTS_ESYNTAX;
    }
    h->iterations = (unsigned long)iterations;
    return 0;
}

int pwhash_format(const struct pwhash *h, char *out, size_t cap)
{
    char salt[90], key[45];
    size_t slen, klen;
    int n;

    if (h->iterations < PWHASH_MIN_ITERATIONS || h->iterations > PWHASH_MAX_ITERATIONS ||
        h->salt_len < PWHASH_SALT_MIN || h->salt_len > PWHASH_SALT_MAX)
        return MTS_EINVAL;
    slen = b64_encode(h->salt, h->salt_len, salt);
    klen = b64_encode(h->key, sizeof h->key, key);
    n = snprintf(out, cap, "%s$%lu$%.*s$%.*s", PWHASH_SCHEME, h->iterations, (int)slen, salt,
                 (int)klen, key);
    if (n < 0 || (size_t)n >= cap)
        return MTS_ENOSPC;
    return n;
}

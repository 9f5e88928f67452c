/* credential.c - password checking (see credential.h). */
#include "credential.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <bcrypt.h>

#include "command.h"
#include "ctcmp.h"
#include "pbkdf2.h"

#define GENERATED_LENGTH 16

/* Letters and digits that cannot be mistaken for one another when read aloud
 * or copied from a console: no 0/O, 1/l/I. 31 symbols, about 79 bits in 16. */
static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
#define ALPHABET_SIZE (sizeof alphabet - 1)
/* Random bytes below this multiple of the alphabet's size map onto it
 * evenly; the rest are drawn again, so no symbol is likelier than another. */
#define UNBIASED_LIMIT (256 - 256 % ALPHABET_SIZE)

static int make_random_password(char *out, size_t len)
{
    unsigned char noise[4 * GENERATED_LENGTH];
    size_t filled = 0, used = sizeof noise;
    int rc = 0;

    while (filled < len) {
        if (used == sizeof noise) {
            if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, noise, sizeof noise,
                                                BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
                rc = -1;
                break;
            }
            used = 0;
        }
        if (noise[used] < UNBIASED_LIMIT)
            out[filled++] = alphabet[noise[used] % ALPHABET_SIZE];
        used++;
    }
    SecureZeroMemory(noise, sizeof noise);
    return rc;
}

int credential_from_environment(struct credential *c, int *generated, char *err, size_t errcap)
{
    char *value = NULL;
    const char *problem;
    DWORD n = GetEnvironmentVariableW(L"MTS_PASSWORD", NULL, 0);

    memset(c, 0, sizeof *c);
    *generated = 0;
    if (n > 1) {
        wchar_t *w = malloc(n * sizeof *w);
        int len;
        if (w == NULL)
            return -1;
        GetEnvironmentVariableW(L"MTS_PASSWORD", w, n);
        len = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
        value = len > 0 ? malloc((size_t)len) : NULL;
        if (value != NULL)
            WideCharToMultiByte(CP_UTF8, 0, w, -1, value, len, NULL, NULL);
        SecureZeroMemory(w, n * sizeof *w);
        free(w);
        if (value == NULL) {
            snprintf(err, errcap, "cannot set up the password");
            return -1;
        }
        problem = command_password_problem(value, strlen(value));
        if (problem != NULL) {
            /* The server would start and nobody could log in. */
            snprintf(err, errcap, "MTS_PASSWORD %s: no AUTH could match it, so nobody could "
                                  "log in; set another password", problem);
            SecureZeroMemory(value, strlen(value));
            free(value);
            return -1;
        }
    } else {
        value = calloc(GENERATED_LENGTH + 1, 1);
        if (value == NULL || make_random_password(value, GENERATED_LENGTH) != 0) {
            free(value);
            snprintf(err, errcap, "cannot make a random password");
            return -1;
        }
        *generated = 1;
    }
    c->mode = CREDENTIAL_CLEAR;
    c->password = value;
    c->password_len = strlen(value);
    return 0;
}

int credential_environment_has_password(void)
{
    return GetEnvironmentVariableW(L"MTS_PASSWORD", NULL, 0) > 1;
}

int credential_from_hash(struct credential *c, const char *text, char *err, size_t errcap)
{
    memset(c, 0, sizeof *c);
    if (pwhash_parse(&c->hash, text, strlen(text), err, errcap) != 0)
        return -1;
    c->mode = CREDENTIAL_PBKDF2;
    return 0;
}

int credential_check(const struct credential *c, const char *password, size_t len)
{
    unsigned char key[PWHASH_KEY_LEN];
    int ok;

    switch (c->mode) {
    case CREDENTIAL_CLEAR:
        return c->password != NULL && ctcmp_equal(c->password, c->password_len, password, len);
    case CREDENTIAL_PBKDF2:
        if (pbkdf2_derive_key(password, len, c->hash.salt, c->hash.salt_len, c->hash.iterations,
                              key, sizeof key, NULL) != 0)
            return 0;
        ok = ctcmp_equal(key, sizeof key, c->hash.key, sizeof c->hash.key);
        SecureZeroMemory(key, sizeof key);
        return ok;
    case CREDENTIAL_NONE:
        break;
    }
    return 0;
}

int credential_hash_password(const char *password, size_t len, unsigned long iterations,
                             char *out, size_t cap)
{
    struct pwhash h;
    int rc = -1;

    memset(&h, 0, sizeof h);
    h.iterations = iterations;
    h.salt_len = PWHASH_SALT_DEFAULT;
    if (pbkdf2_random_bytes(h.salt, h.salt_len) == 0 &&
        pbkdf2_derive_key(password, len, h.salt, h.salt_len, iterations, h.key, sizeof h.key,
                          NULL) == 0 &&
        pwhash_format(&h, out, cap) > 0)
        rc = 0;
    SecureZeroMemory(&h, sizeof h);
    return rc;
}

void credential_free(struct credential *c)
{
    if (c->password != NULL) {
        SecureZeroMemory(c->password, c->password_len);
        free(c->password);
    }
    SecureZeroMemory(&c->hash, sizeof c->hash);
    c->password = NULL;
    c->password_len = 0;
    c->mode = CREDENTIAL_NONE;
}

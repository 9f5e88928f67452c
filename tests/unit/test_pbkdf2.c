/* test_pbkdf2.c - PBKDF2-HMAC-SHA256 through BCrypt against known answers,
 * and password checking with a stored hash. Windows only: it calls BCrypt
 * (under Wine on Linux). The vectors are the RFC 6070 inputs with SHA-256,
 * as published widely, plus the two of RFC 7914 section 11; each was also
 * checked against Python's hashlib.pbkdf2_hmac. */
#include "check.h"
#include "credential.h"
#include "pbkdf2.h"

struct vector {
    const char *password;
    size_t password_len;
    const char *salt;
    size_t salt_len;
    unsigned long iterations;
    const char *hex;
};

#define S(x) x, sizeof x - 1

static const struct vector vectors[] = {
    {S("password"), S("salt"), 1,
     "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"},
    {S("password"), S("salt"), 2,
     "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"},
    {S("password"), S("salt"), 4096,
     "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"},
    {S("passwordPASSWORDpassword"), S("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096,
     "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"},
    {S("pass\0word"), S("sa\0lt"), 4096, "89b69d0516f829893c696226650a8687"},
    {S("passwd"), S("salt"), 1,
     "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
     "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"},
    {S("Password"), S("NaCl"), 80000,
     "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
     "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"},
};

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static void test_known_answers(void)
{
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        unsigned char key[64];
        char hex[129];
        size_t n = strlen(v->hex) / 2;
        long status = 0;

        CHECK_INT(pbkdf2_derive_key(v->password, v->password_len, v->salt, v->salt_len,
                                    v->iterations, key, n, &status),
                  0);
        to_hex(key, n, hex);
        CHECK_STR(hex, v->hex);
    }
}

static void test_random_bytes_differ(void)
{
    unsigned char a[16], b[16];

    CHECK_INT(pbkdf2_random_bytes(a, sizeof a), 0);
    CHECK_INT(pbkdf2_random_bytes(b, sizeof b), 0);
    CHECK(memcmp(a, b, sizeof a) != 0);
}

/* "correct horse" hashed by Python: hashlib.pbkdf2_hmac('sha256',
 * b'correct horse', b'0123456789abcdef', 100000), salt and key in base64. */
static const char stored[] = "pbkdf2-sha256$100000$MDEyMzQ1Njc4OWFiY2RlZg$"
                             "WYEVV1ul0qBt7iGnOFpq5RmH0aOFvmOKTlUAgn9mWYM";

static void test_stored_hash_checks_password(void)
{
    struct credential c;
    char err[200];

    CHECK_INT(credential_from_hash(&c, stored, err, sizeof err), 0);
    CHECK_INT(c.mode, CREDENTIAL_PBKDF2);
    CHECK_INT(credential_check(&c, "correct horse", 13), 1);
    CHECK_INT(credential_check(&c, "correct hors", 12), 0);
    CHECK_INT(credential_check(&c, "correct horsf", 13), 0);
    CHECK_INT(credential_check(&c, "", 0), 0);
    credential_free(&c);
    CHECK_INT(credential_check(&c, "correct horse", 13), 0);
}

static void test_hash_password_round_trip(void)
{
    char text[PWHASH_TEXT_MAX], again[PWHASH_TEXT_MAX], err[200];
    struct credential c;

    CHECK_INT(credential_hash_password("s3cret pass", 11, PWHASH_MIN_ITERATIONS, text, sizeof text),
              0);
    CHECK(strncmp(text, "pbkdf2-sha256$100000$", 21) == 0);
    CHECK_INT(credential_from_hash(&c, text, err, sizeof err), 0);
    CHECK_INT(c.hash.salt_len, PWHASH_SALT_DEFAULT);
    CHECK_INT(credential_check(&c, "s3cret pass", 11), 1);
    CHECK_INT(credential_check(&c, "s3cret pas", 10), 0);
    credential_free(&c);
    /* A fresh salt every time: the same password never gives the same text. */
    CHECK_INT(credential_hash_password("s3cret pass", 11, PWHASH_MIN_ITERATIONS, again,
                                       sizeof again),
              0);
    CHECK(strcmp(text, again) != 0);
}

static void test_bad_hash_is_refused(void)
{
    struct credential c;
    char err[200];

    CHECK_INT(credential_from_hash(&c, "s3cret pass", err, sizeof err), -1);
    CHECK(strstr(err, "password_hash") != NULL);
    CHECK_INT(c.mode, CREDENTIAL_NONE);
    CHECK_INT(credential_check(&c, "s3cret pass", 11), 0);
}

int main(void)
{
    RUN_TEST(test_known_answers);
    RUN_TEST(test_random_bytes_differ);
    RUN_TEST(test_stored_hash_checks_password);
    RUN_TEST(test_hash_password_round_trip);
    RUN_TEST(test_bad_hash_is_refused);
    return check_summary();
}

/* test_suitename.c - IANA suite names from Schannel's algorithm ids: each
 * combination Schannel gives (the values are those Wine 10's gnutls
 * back end and Windows report) to its one name, and anything else to its
 * numbers, never to a neighbour's name. */
#include <string.h>

#include "check.h"
#include "suitename.h"

#define RSA SUITENAME_CALG_RSA_KEYX
#define DHE SUITENAME_CALG_DH_EPHEM
#define ECDHE SUITENAME_CALG_ECDH_EPHEM
#define S_RSA SUITENAME_CALG_RSA_SIGN
#define S_EC SUITENAME_CALG_ECDSA
#define AES128 SUITENAME_CALG_AES_128, 128
#define AES256 SUITENAME_CALG_AES_256, 256
#define SHA1 SUITENAME_CALG_SHA1, 160
#define SHA256 SUITENAME_CALG_SHA_256, 256
#define SHA384 SUITENAME_CALG_SHA_384, 384
#define GCM256 SUITENAME_CALG_SHA_256, 0 /* AEAD: the PRF's hash, no HMAC size */
#define GCM384 SUITENAME_CALG_SHA_384, 0

struct expect {
    unsigned exchange, signature, cipher, cipher_bits, hash, hash_bits;
    const char *name;
};

static const struct expect named[] = {
    {ECDHE, S_RSA, AES256, GCM384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {ECDHE, S_RSA, AES128, GCM256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {ECDHE, S_RSA, AES256, SHA384, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {ECDHE, S_RSA, AES128, SHA256, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {ECDHE, S_RSA, AES256, SHA1, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {ECDHE, S_RSA, AES128, SHA1, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {ECDHE, S_EC, AES256, GCM384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {ECDHE, S_EC, AES128, GCM256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {ECDHE, S_EC, AES256, SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {ECDHE, S_EC, AES128, SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {ECDHE, S_EC, AES256, SHA1, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {ECDHE, S_EC, AES128, SHA1, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {DHE, S_RSA, AES256, GCM384, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {DHE, S_RSA, AES128, GCM256, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {DHE, S_RSA, AES256, SHA256, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {DHE, S_RSA, AES128, SHA256, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {DHE, S_RSA, AES256, SHA1, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {DHE, S_RSA, AES128, SHA1, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    /* Static RSA names no signature: whatever KEY_INFO would say. */
    {RSA, S_RSA, AES256, GCM384, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {RSA, 0, AES128, GCM256, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {RSA, S_RSA, AES256, SHA256, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {RSA, S_RSA, AES128, SHA256, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {RSA, S_RSA, AES256, SHA1, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {RSA, S_RSA, AES128, SHA1, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    /* 3DES: 168 bits to Windows, 192 to Wine. */
    {RSA, S_RSA, SUITENAME_CALG_3DES, 168, SHA1, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {RSA, S_RSA, SUITENAME_CALG_3DES, 192, SHA1, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {ECDHE, S_RSA, SUITENAME_CALG_3DES, 168, SHA1, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {RSA, S_RSA, SUITENAME_CALG_RC4, 128, SHA1, "TLS_RSA_WITH_RC4_128_SHA"},
    {RSA, S_RSA, SUITENAME_CALG_RC4, 128, SUITENAME_CALG_MD5, 128, "TLS_RSA_WITH_RC4_128_MD5"},
};

static void name_of(unsigned exchange, unsigned signature, unsigned cipher, unsigned cipher_bits,
                    unsigned hash, unsigned hash_bits, int tls13, char *out, size_t cap, int *rc)
{
    struct suitename_algs a;

    a.tls13 = tls13;
    a.exchange = exchange;
    a.signature = signature;
    a.cipher = cipher;
    a.cipher_bits = cipher_bits;
    a.hash = hash;
    a.hash_bits = hash_bits;
    *rc = suitename_from_algs(&a, out, cap);
}

static void test_every_combination_to_its_name(void)
{
    char out[80];
    size_t i;
    int rc;

    for (i = 0; i < sizeof named / sizeof named[0]; i++) {
        const struct expect *e = &named[i];
        name_of(e->exchange, e->signature, e->cipher, e->cipher_bits, e->hash, e->hash_bits, 0,
                out, sizeof out, &rc);
        CHECK_INT(rc, 0);
        CHECK_STR(out, e->name);
        CHECK(suitename_is_iana(out));
    }
}

/* The cases: AES128-SHA and ECDHE-GCM were both "AES-128"; Wine
 * gives ChaCha20-Poly1305 and CCM cipher 0. */
static void test_what_cannot_be_told_apart_is_shown_by_its_numbers(void)
{
    char out[80];
    int rc;

    name_of(ECDHE, S_RSA, 0, 256, 0, 0, 0, out, sizeof out, &rc); /* ChaCha20 on Wine */
    CHECK_INT(rc, 1);
    CHECK_STR(out, "cipher-0x0-256-hash-0x0-0-kx-0xae06-sig-0x2400");
    name_of(ECDHE, S_RSA, 0, 128, 0, 0, 0, out, sizeof out, &rc); /* AES-128-CCM on Wine */
    CHECK_INT(rc, 1);
    CHECK_STR(out, "cipher-0x0-128-hash-0x0-0-kx-0xae06-sig-0x2400");
    /* An ECDHE suite whose certificate key is unknown: RSA or ECDSA. */
    name_of(ECDHE, 0, AES256, GCM384, 0, out, sizeof out, &rc);
    CHECK_INT(rc, 1);
    CHECK_STR(out, "cipher-0x6610-256-hash-0x800d-0-kx-0xae06-sig-0x0");
    /* A hash size that is neither an HMAC's nor AEAD's 0. */
    name_of(ECDHE, S_RSA, AES128, SUITENAME_CALG_SHA_256, 128, 0, out, sizeof out, &rc);
    CHECK_INT(rc, 1);
    /* AES with a strength that is not its own. */
    name_of(RSA, S_RSA, SUITENAME_CALG_AES_128, 256, SHA1, 0, out, sizeof out, &rc);
    CHECK_INT(rc, 1);
    /* Static ECDH (CALG_ECDH, 0xaa05) is no suite Schannel serves. */
    name_of(0xaa05, S_RSA, AES128, SHA1, 0, out, sizeof out, &rc);
    CHECK_INT(rc, 1);
    CHECK_STR(out, "cipher-0x660e-128-hash-0x8004-160-kx-0xaa05-sig-0x2400");
    /* TLS 1.3 suites name no exchange: never from ids. */
    name_of(ECDHE, S_RSA, AES256, GCM384, 1, out, sizeof out, &rc);
    CHECK_INT(rc, 1);
    CHECK(!suitename_is_iana(out));
}

static void test_a_short_buffer_is_cut_and_terminated(void)
{
    char out[8];
    int rc;

    name_of(ECDHE, S_RSA, AES256, GCM384, 0, out, sizeof out, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(out, "TLS_ECD");
}

static void test_only_well_formed_names_pass(void)
{
    CHECK(suitename_is_iana("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    CHECK(suitename_is_iana("TLS_AES_128_GCM_SHA256"));
    /* What Wine 10 builds for a suite it cannot name in full. */
    CHECK(!suitename_is_iana("TLS_ECDHE_RSA_WITH_AES_256_GCM_<unknown>"));
    CHECK(!suitename_is_iana("TLS_<unknown>_RSA_WITH_AES_128_CBC_SHA"));
    CHECK(!suitename_is_iana(""));
    CHECK(!suitename_is_iana("TLS_"));
    CHECK(!suitename_is_iana("tls_rsa_with_aes_128_cbc_sha"));
    CHECK(!suitename_is_iana("SSL_RSA_WITH_RC4_128_SHA"));
    CHECK(!suitename_is_iana("TLS_RSA WITH"));
    CHECK(!suitename_is_iana("TLS_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
}

int main(void)
{
    RUN_TEST(test_every_combination_to_its_name);
    RUN_TEST(test_what_cannot_be_told_apart_is_shown_by_its_numbers);
    RUN_TEST(test_a_short_buffer_is_cut_and_terminated);
    RUN_TEST(test_only_well_formed_names_pass);
    return check_summary();
}

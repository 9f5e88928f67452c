/* rsasign.c - the RSA private-key operation alone, in the two libraries the
 * TLS bench sets side by side: Nettle with GMP (what Wine 10's Schannel runs
 * through GnuTLS when it signs a handshake's ECDHE key) and OpenSSL (what
 * osslref runs). tlsbench.py prints both next to the handshake figures, so
 * that a slow handshake can be split into the signature and the rest.
 *
 * Nettle and GMP are linked dynamically on purpose: run inside the Wine 10
 * root, this measures the very libraries Wine loads there. libcrypto is
 * static, as in osslref, and also reads the key (PEM) for both.
 *
 * Usage: rsasign KEY.pem [SECONDS]    (default 1 s per library)
 * Prints key=value lines: CPU milliseconds per operation (this thread's CPU
 * time, so a busy machine slows it less than it slows wall time). */
#include <gmp.h>
#include <nettle/knuth-lfib.h>
#include <nettle/rsa.h>
#include <nettle/version.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One OpenSSL key parameter into a GMP integer. */
static int to_mpz(EVP_PKEY *pkey, const char *name, mpz_t out)
{
    BIGNUM *bn = NULL;
    char *hex;
    int rc = -1;

    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
        return -1;
    hex = BN_bn2hex(bn);
    if (hex != NULL && mpz_set_str(out, hex, 16) == 0)
        rc = 0;
    OPENSSL_free(hex);
    BN_free(bn);
    return rc;
}

static double nettle_ms(EVP_PKEY *pkey, double seconds)
{
    struct rsa_public_key pub;
    struct rsa_private_key key;
    struct knuth_lfib_ctx rnd;
    mpz_t m, x;
    double began, used;
    long n = 0;

    rsa_public_key_init(&pub);
    rsa_private_key_init(&key);
    mpz_inits(m, x, NULL);
    if (to_mpz(pkey, OSSL_PKEY_PARAM_RSA_N, pub.n) || to_mpz(pkey, OSSL_PKEY_PARAM_RSA_E, pub.e) ||
        to_mpz(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1, key.p) ||
        to_mpz(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2, key.q) ||
        to_mpz(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1, key.a) ||
        to_mpz(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2, key.b) ||
        to_mpz(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, key.c) || !rsa_public_key_prepare(&pub) ||
        !rsa_private_key_prepare(&key))
        return -1;
    knuth_lfib_init(&rnd, 1);
    mpz_set_ui(m, 0x12345678u);
    began = cpu_now();
    do {
        /* The blinded, side-channel-silent root GnuTLS signs with. */
        if (!rsa_compute_root_tr(&pub, &key, &rnd, (nettle_random_func *)knuth_lfib_random, x, m))
            return -1;
        n++;
        used = cpu_now() - began;
    } while (used < seconds);
    return used * 1000 / (double)n;
}

static double openssl_ms(EVP_PKEY *pkey, double seconds)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    unsigned char digest[32] = {1}, sig[512];
    double began, used;
    long n = 0;

    if (ctx == NULL || EVP_PKEY_sign_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) != 1)
        return -1;
    began = cpu_now();
    do {
        size_t len = sizeof sig;
        if (EVP_PKEY_sign(ctx, sig, &len, digest, sizeof digest) != 1)
            return -1;
        n++;
        used = cpu_now() - began;
    } while (used < seconds);
    EVP_PKEY_CTX_free(ctx);
    return used * 1000 / (double)n;
}

int main(int argc, char **argv)
{
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    EVP_PKEY *pkey = NULL;
    FILE *f;

    if (argc < 2) {
        fprintf(stderr, "usage: rsasign KEY.pem [SECONDS]\n");
        return 2;
    }
    f = fopen(argv[1], "r");
    if (f == NULL || (pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL) {
        perror(argv[1]);
        return 1;
    }
    fclose(f);
    printf("bits=%d\n", EVP_PKEY_get_bits(pkey));
    printf("nettle=%d.%d\ngmp=%s\n", nettle_version_major(), nettle_version_minor(), gmp_version);
    printf("nettle_ms=%.3f\n", nettle_ms(pkey, seconds));
    printf("openssl=%s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("openssl_ms=%.3f\n", openssl_ms(pkey, seconds));
    EVP_PKEY_free(pkey);
    return 0;
}

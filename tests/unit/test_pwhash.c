/* test_pwhash.c - the password hash's text form: round trips and refusals. */
#include "check.h"
#include "mts_error.h"
#include "pwhash.h"

static char err[256];

static int parse(struct pwhash *h, const char *text)
{
    return pwhash_parse(h, text, strlen(text), err, sizeof err);
}

/* Salt "saltSALTsaltSALT" and key bytes 0..31, written out by hand. */
static const char known[] = "pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA$"
                            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

static void test_known_text_parses(void)
{
    struct pwhash h;

    CHECK_INT(parse(&h, known), 0);
    CHECK_INT(h.iterations, 600000);
    CHECK_MEM_STR(h.salt, h.salt_len, "saltSALTsaltSALT");
    for (int i = 0; i < PWHASH_KEY_LEN; i++)
        CHECK_INT(h.key[i], i);
}

static void test_format_gives_the_same_text(void)
{
    struct pwhash h;
    char text[PWHASH_TEXT_MAX];

    CHECK_INT(parse(&h, known), 0);
    CHECK_INT(pwhash_format(&h, text, sizeof text), (int)strlen(known));
    CHECK_STR(text, known);
}

static void test_round_trip_every_salt_length(void)
{
    struct pwhash h, back;
    char text[PWHASH_TEXT_MAX];

    for (size_t len = PWHASH_SALT_MIN; len <= PWHASH_SALT_MAX; len++) {
        memset(&h, 0, sizeof h);
        h.iterations = PWHASH_MAX_ITERATIONS;
        h.salt_len = len;
        for (size_t i = 0; i < len; i++)
            h.salt[i] = (unsigned char)(0xff - i * 7);
        for (size_t i = 0; i < PWHASH_KEY_LEN; i++)
            h.key[i] = (unsigned char)(i * 13 + len);
        CHECK(pwhash_format(&h, text, sizeof text) > 0);
        CHECK_INT(parse(&back, text), 0);
        CHECK_INT(back.iterations, h.iterations);
        CHECK_INT(back.salt_len, len);
        CHECK(memcmp(back.salt, h.salt, len) == 0);
        CHECK(memcmp(back.key, h.key, PWHASH_KEY_LEN) == 0);
    }
}

static void test_format_refuses_out_of_range(void)
{
    struct pwhash h;
    char text[PWHASH_TEXT_MAX];

    CHECK_INT(parse(&h, known), 0);
    h.iterations = PWHASH_MIN_ITERATIONS - 1;
    CHECK_INT(pwhash_format(&h, text, sizeof text), MTS_EINVAL);
    h.iterations = PWHASH_MIN_ITERATIONS;
    h.salt_len = PWHASH_SALT_MIN - 1;
    CHECK_INT(pwhash_format(&h, text, sizeof text), MTS_EINVAL);
    h.salt_len = PWHASH_SALT_MIN;
    CHECK_INT(pwhash_format(&h, text, 20), MTS_ENOSPC);
}

static void test_wrong_formats_are_refused_clearly(void)
{
    static const struct {
        const char *text;
        int rc;
        const char *starts;
    } cases[] = {
        {"hunter2", MTS_ESYNTAX, "password_hash has 1 field(s), not 4: expected pbkdf2-sha256$"},
        {"", MTS_ESYNTAX, "password_hash has 1 field(s), not 4"},
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA", MTS_ESYNTAX, "password_hash has 3 field(s)"},
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8$",
         MTS_ESYNTAX, "password_hash has more than 4 fields"},
        {"pbkdf2-sha1$600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_EUNKNOWN, "password_hash uses an unknown scheme"},
        {"PBKDF2-SHA256$600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_EUNKNOWN, "password_hash uses an unknown scheme"},
        {"pbkdf2-sha256$99999$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ERANGE, "password_hash: the iteration count must be a number from 100000 to 100000000"},
        {"pbkdf2-sha256$0600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ERANGE, "password_hash: the iteration count"},
        {"pbkdf2-sha256$1e6$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ERANGE, "password_hash: the iteration count"},
        {"pbkdf2-sha256$100000001$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ERANGE, "password_hash: the iteration count"},
        /* padded base64 is not the format */
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA==$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ESYNTAX, "password_hash: the salt must be 8 to 64 bytes in unpadded base64"},
        /* the URL-safe alphabet is not either */
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FM_A$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ESYNTAX, "password_hash: the salt"},
        /* 7 bytes of salt */
        {"pbkdf2-sha256$600000$c2FsdFNBTA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ESYNTAX, "password_hash: the salt"},
        /* trailing bits that are not zero: 'B' instead of 'A' */
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVB$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
         MTS_ESYNTAX, "password_hash: the salt"},
        /* 31 and 33 bytes of key */
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg",
         MTS_ESYNTAX, "password_hash: the hash must be 32 bytes in unpadded base64"},
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",
         MTS_ESYNTAX, "password_hash: the hash"},
        {"pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
         MTS_ESYNTAX, "password_hash: the hash"},
    };
    struct pwhash h;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(parse(&h, cases[i].text), cases[i].rc);
        CHECK_MEM_STR(err, strlen(cases[i].starts), cases[i].starts);
    }
}

static void test_message_never_echoes_the_text(void)
{
    struct pwhash h;

    CHECK_INT(parse(&h, "my clear password"), MTS_ESYNTAX);
    CHECK(strstr(err, "clear") == NULL);
}

int main(void)
{
    RUN_TEST(test_known_text_parses);
    RUN_TEST(test_format_gives_the_same_text);
    RUN_TEST(test_round_trip_every_salt_length);
    RUN_TEST(test_format_refuses_out_of_range);
    RUN_TEST(test_wrong_formats_are_refused_clearly);
    RUN_TEST(test_message_never_echoes_the_text);
    return check_summary();
}

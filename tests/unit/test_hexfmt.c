/* test_hexfmt.c - thumbprints and fingerprints as hex. */
#include "check.h"
#include "hexfmt.h"

static void test_every_nibble_and_the_end(void)
{
    static const unsigned char b[] = {0x00, 0x19, 0xAF, 0xF0, 0x7E};
    char out[2 * sizeof b + 1];

    out[sizeof out - 1] = 'x';
    hexfmt_upper(b, sizeof b, out);
    CHECK_STR(out, "0019AFF07E");
}

static void test_nothing(void)
{
    char out[1] = {'x'};

    hexfmt_upper(NULL, 0, out);
    CHECK_STR(out, "");
}

/* A thumbprint as people paste it (issue 21 item 7): certmgr's details
 * tab copies "\u200E13 a6 ..." with invisible direction marks. */
static void test_thumbprints_as_pasted(void)
{
    unsigned char b[20];
    char back[41];

    CHECK_INT(hexfmt_parse_loose("59FD585F51C25559A68F2686CB28E812FFF352D9", b, sizeof b), 40);
    hexfmt_upper(b, sizeof b, back);
    CHECK_STR(back, "59FD585F51C25559A68F2686CB28E812FFF352D9");
    CHECK_INT(hexfmt_parse_loose("59:fd:58:5f:51:c2:55:59:a6:8f:26:86:cb:28:e8:12:ff:f3:52:d9", b,
                                 sizeof b),
              40);
    hexfmt_upper(b, sizeof b, back);
    CHECK_STR(back, "59FD585F51C25559A68F2686CB28E812FFF352D9");
    /* U+200E before, U+200F inside, blanks and a tab. */
    CHECK_INT(hexfmt_parse_loose("\xE2\x80\x8E" "59 fd 58 5f 51 c2 55 59 a6 8f 26 86 cb 28 e8 12 ff f3 "
                                 "\xE2\x80\x8F" "52\td9 ",
                                 b, sizeof b),
              40);
    hexfmt_upper(b, sizeof b, back);
    CHECK_STR(back, "59FD585F51C25559A68F2686CB28E812FFF352D9");
    /* One digit short, or one too many: counted, so the message can say so. */
    CHECK_INT(hexfmt_parse_loose("59FD585F51C25559A68F2686CB28E812FFF352D", b, sizeof b), 39);
    CHECK_INT(hexfmt_parse_loose("59FD585F51C25559A68F2686CB28E812FFF352D90", b, sizeof b), 41);
    /* Anything else is no thumbprint: a path. */
    CHECK_INT(hexfmt_parse_loose("C:\\certs\\server.pfx", b, sizeof b), -1);
    CHECK_INT(hexfmt_parse_loose("server.pfx", b, sizeof b), -1);
    CHECK_INT(hexfmt_parse_loose("\xE2\x80\x8D", b, sizeof b), -1); /* another mark */
    CHECK_INT(hexfmt_parse_loose("\xE2\x80", b, sizeof b), -1);      /* cut short */
    CHECK_INT(hexfmt_parse_loose("", b, sizeof b), 0);
}

int main(void)
{
    RUN_TEST(test_every_nibble_and_the_end);
    RUN_TEST(test_nothing);
    RUN_TEST(test_thumbprints_as_pasted);
    return check_summary();
}

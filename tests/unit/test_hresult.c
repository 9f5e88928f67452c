/* test_hresult.c - security and HRESULT codes shown in hex with their names. */
#include "check.h"
#include "hresult.h"

/* Issue 20 item 11: `mtserver cert` printed 2148081675, which is
 * 0x8009200B (the docs had 0x8009000B). */
static void test_named_codes(void)
{
    char buf[80];

    CHECK_STR(hresult_format(2148081675ul, buf, sizeof buf),
              "0x8009200B (CRYPT_E_NO_KEY_PROPERTY)");
    CHECK_STR(hresult_format(0x8009000Bul, buf, sizeof buf), "0x8009000B (NTE_BAD_KEY_STATE)");
    CHECK_STR(hresult_format(0x80090302ul, buf, sizeof buf),
              "0x80090302 (SEC_E_UNSUPPORTED_FUNCTION)");
    CHECK_STR(hresult_format(0x800B010Ful, buf, sizeof buf), "0x800B010F (CERT_E_CN_NO_MATCH)");
    CHECK_STR(hresult_format(0x00090321ul, buf, sizeof buf), "0x00090321 (SEC_I_RENEGOTIATE)");
}

static void test_unnamed_codes_in_hex(void)
{
    char buf[80];

    CHECK_STR(hresult_format(0x80091234ul, buf, sizeof buf), "0x80091234");
    CHECK(hresult_name(5) == NULL);
}

/* Win32 error numbers stay decimal; failures with the severity bit do not. */
static void test_which_are_statuses(void)
{
    CHECK_INT(hresult_is_status(5), 0);
    CHECK_INT(hresult_is_status(10048), 0);
    CHECK_INT(hresult_is_status(0x8009000Bul), 1);
    CHECK_INT(hresult_is_status(0x00090321ul), 0);
}

static void test_short_buffer(void)
{
    char buf[8];

    hresult_format(0x8009000Bul, buf, sizeof buf);
    CHECK_STR(buf, "0x80090");
}

int main(void)
{
    RUN_TEST(test_named_codes);
    RUN_TEST(test_unnamed_codes_in_hex);
    RUN_TEST(test_which_are_statuses);
    RUN_TEST(test_short_buffer);
    return check_summary();
}

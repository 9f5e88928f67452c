/* test_termsafe.c - what a hostile server's text looks like on the terminal. */
#include "check.h"
#include "termsafe.h"

static char out[256];

static const char *esc(const char *in, size_t len)
{
    termsafe_escape(in, len, out, sizeof out);
    return out;
}

#define ESC(s) esc(s, sizeof s - 1)

static void test_plain_text_and_letters_pass(void)
{
    CHECK_STR(ESC("File docs\\a b.txt not found"), "File docs\\a b.txt not found");
    CHECK_STR(ESC("\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"),
              "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
    CHECK_STR(ESC("two\tcolumns\nnext line"), "two\tcolumns\nnext line");
}

static void test_controls_are_shown_escaped(void)
{
    CHECK_STR(ESC("red \x1b[31mtext\x1b[0m"), "red \\x1b[31mtext\\x1b[0m");
    CHECK_STR(ESC("bell\x07 cr\r bs\x08 del\x7f nul\0."), "bell\\x07 cr\\x0d bs\\x08 del\\x7f nul\\x00.");
    CHECK_STR(ESC("c1 \xc2\x9b" "31m"), "c1 \\u009b31m"); /* CSI as one C1 character */
}

static void test_bidi_controls_are_shown_escaped(void)
{
    /* "invoice\u202Efdp.exe" reads as "invoiceexe.pdf" when printed raw. */
    CHECK_STR(ESC("invoice\xe2\x80\xae" "fdp.exe"), "invoice\\u202efdp.exe");
    CHECK_STR(ESC("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"),
              "\\u202a\\u202b\\u202c\\u202d");
    CHECK_STR(ESC("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
              "\\u2066\\u2067\\u2068\\u2069");
    CHECK_STR(ESC("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xe2\x80\xa8\xe2\x80\xa9"),
              "\\u200e\\u200f\\u061c\\u2028\\u2029");
    CHECK_STR(ESC("\xe2\x80\xaf"), "\xe2\x80\xaf"); /* U+202F, a space, is fine */
}

static void test_bytes_that_are_not_utf8(void)
{
    CHECK_STR(ESC("\xff\xfe"), "\\xff\\xfe");
    CHECK_STR(ESC("\xc0\xaf"), "\\xc0\\xaf");             /* overlong '/' */
    CHECK_STR(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80");     /* a surrogate */
    CHECK_STR(ESC("cut \xe2\x80"), "cut \\xe2\\x80");      /* cut short */
}

static void test_output_is_cut_at_whole_pieces(void)
{
    char small[8];

    CHECK_INT(termsafe_escape("ab\x1b" "cd", 5, small, sizeof small), 7);
    CHECK_STR(small, "ab\\x1bc");
    CHECK_INT(termsafe_escape("abcdef\x1b", 7, small, sizeof small), 6);
    CHECK_STR(small, "abcdef"); /* no half of "\x1b" */
    CHECK_INT(termsafe_escape("\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5", 9, small, 7), 6);
    CHECK_INT(termsafe_escape("x", 1, small, 0), 0);
}

static void test_worst_case_growth_fits(void)
{
    char in[64], big[64 * TERMSAFE_GROWTH + 1];

    memset(in, 0x1b, sizeof in);
    CHECK_INT(termsafe_escape(in, sizeof in, big, sizeof big), 64 * 4);
}

int main(void)
{
    RUN_TEST(test_plain_text_and_letters_pass);
    RUN_TEST(test_controls_are_shown_escaped);
    RUN_TEST(test_bidi_controls_are_shown_escaped);
    RUN_TEST(test_bytes_that_are_not_utf8);
    RUN_TEST(test_output_is_cut_at_whole_pieces);
    RUN_TEST(test_worst_case_growth_fits);
    return check_summary();
}

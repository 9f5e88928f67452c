/* test_helptext.c - the layout of a --help entry. */
#include <string.h>

#include "check.h"
#include "helptext.h"

static char out[512];

static const char *entry(const char *head, const char *text)
{
    size_t used = 0;

    helptext_entry(out, sizeof out, &used, head, text);
    /* The whole entry fitted: what was counted is what was written. */
    return used == strlen(out) ? out : "(counted other than written)";
}

static void test_a_short_head_shares_its_line_with_the_text(void)
{
    CHECK_STR(entry("  --port N", "the port"), "  --port N         the port\n");
}

static void test_a_head_as_wide_as_the_indent_has_the_text_below(void)
{
    /* 19 columns: no room for the blank between head and text. */
    CHECK_STR(entry("  user ACTION [NAME", "its text"),
              "  user ACTION [NAME\n                   its text\n");
}

static void test_text_wraps_at_80_columns_from_column_19(void)
{
    const char *text = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn";
    const char *got = entry("  x", text), *second;

    /* 61 columns of text on each line: the 13th word is on the next. */
    second = strchr(got, '\n') + 1;
    CHECK(strncmp(got, "  x                aaaa", 23) == 0);
    CHECK_INT(strchr(got, '\n') - got, 19 + 59);
    CHECK(strncmp(second, "                   mmmm nnnn\n", 29) == 0);
}

static void test_the_default_is_never_split_from_its_number(void)
{
    /* The blank after "(default" is the 62nd character: the last one
     * that would end the first line within 80 columns. */
    const char *text = "ccccccccc ccccccccc ccccccccc ccccccccc ccccccccc cc (default 5)";
    const char *got = entry("  --x N", text);

    CHECK(strstr(got, "(default 5)") != NULL);
}

static void test_a_word_longer_than_a_line_is_not_lost(void)
{
    char word[100];

    memset(word, 'w', 99);
    word[99] = '\0';
    CHECK(strstr(entry("  --x", word), word) != NULL);
}

static void test_what_does_not_fit_is_counted_not_written(void)
{
    char small[16];
    size_t used = 0;

    helptext_entry(small, sizeof small, &used, "  --port N", "the port");
    CHECK_INT(used, strlen("  --port N         the port\n"));
    /* What was written stops at a whole piece and is terminated. */
    CHECK_STR(small, "  --port N");
}

int main(void)
{
    RUN_TEST(test_a_short_head_shares_its_line_with_the_text);
    RUN_TEST(test_a_head_as_wide_as_the_indent_has_the_text_below);
    RUN_TEST(test_text_wraps_at_80_columns_from_column_19);
    RUN_TEST(test_the_default_is_never_split_from_its_number);
    RUN_TEST(test_a_word_longer_than_a_line_is_not_lost);
    RUN_TEST(test_what_does_not_fit_is_counted_not_written);
    return check_summary();
}

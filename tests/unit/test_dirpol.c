/* test_dirpol.c - the configuration folder's checks and prepare's mark.
 * What only Windows shows (a junction seen on the handle, an owner other
 * than the running account) is decided here; docs/ADMIN.md's check list has
 * the steps that show it on Windows. */
#include <string.h>

#include "check.h"
#include "dirpol.h"

#define MADE_SDDL "O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;S-1-5-80-1-2-3-4-5)"

static struct dirpol_facts good(void)
{
    struct dirpol_facts f = {0, 0, 1, 1};
    return f;
}

static void test_a_plain_folder_of_a_trusted_owner_passes(void)
{
    struct dirpol_facts f = good();
    CHECK_INT(dirpol_judge(&f), DIRPOL_OK);
}

static void test_a_link_is_refused_however_it_shows(void)
{
    /* Windows: the handle opened without following it is the reparse point. */
    struct dirpol_facts f = good();
    f.handle_is_link = 1;
    CHECK_INT(dirpol_judge(&f), DIRPOL_LINK);
    /* Wine: only the path's attributes show it; the handle is the target. */
    f = good();
    f.path_is_link = 1;
    CHECK_INT(dirpol_judge(&f), DIRPOL_LINK);
    /* A link to a file is a link first. */
    f.is_folder = 0;
    CHECK_INT(dirpol_judge(&f), DIRPOL_LINK);
    /* The handle opened something under another path. */
    f = good();
    f.same_path = 0;
    CHECK_INT(dirpol_judge(&f), DIRPOL_ELSEWHERE);
}

static void test_a_file_in_the_folders_place_is_refused(void)
{
    struct dirpol_facts f = good();
    f.is_folder = 0;
    CHECK_INT(dirpol_judge(&f), DIRPOL_NOT_FOLDER);
}

static void test_the_mark_round_trips(void)
{
    struct dirpol_mark m = {0x43000000UL, 0x1000000a9c10cULL, MADE_SDDL}, back;
    char text[DIRPOL_MARK_CAP];

    CHECK_INT(dirpol_format_mark(&m, text, sizeof text), 0);
    CHECK_STR(text, "43000000:1000000a9c10c:" MADE_SDDL);
    memset(&back, 0x55, sizeof back);
    CHECK_INT(dirpol_parse_mark(text, &back), 0);
    CHECK(back.volume == m.volume && back.index == m.index);
    CHECK_STR(back.sddl, MADE_SDDL);
    /* Too small a buffer is an error, not a cut mark. */
    CHECK_INT(dirpol_format_mark(&m, text, 30), -1);
}

static void test_a_mark_not_written_by_prepare_is_refused(void)
{
    struct dirpol_mark m;
    static const char *const bad[] = {
        "",
        "43000000",
        "43000000:a9c10c",
        "43000000:a9c10c:",             /* no SDDL */
        ":a9c10c:O:BA",                  /* no volume */
        "43000000::O:BA",                /* no index */
        "X3000000:a9c10c:O:BA",
        "430000001:a9c10c:O:BA",         /* more than 32 bits of volume */
        "1:11112222333344445:O:BA",      /* more than 64 bits of index */
        "1:2:O:BA D:P",                  /* a blank */
        "1:2:O:BA\nD:P",
        "1:2:O:BA\xc3\xa9",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(dirpol_parse_mark(bad[i], &m), -1);
    CHECK_INT(dirpol_parse_mark("1:2:O:BA", &m), 0);
}

static void test_the_rollback_acts_only_on_the_folder_prepare_made(void)
{
    struct dirpol_mark made = {7, 42, MADE_SDDL}, now = made;

    CHECK_INT(dirpol_rollback_plan(&made, &now), DIRPOL_ROLLBACK_REMOVE);
    /* Removed and made again (by a user, under the same name). */
    now.index = 43;
    CHECK_INT(dirpol_rollback_plan(&made, &now), DIRPOL_ROLLBACK_OTHER);
    now = made;
    now.volume = 8;
    CHECK_INT(dirpol_rollback_plan(&made, &now), DIRPOL_ROLLBACK_OTHER);
    /* Given away, or opened to users. */
    now = made;
    strcpy(now.sddl, "O:S-1-5-21-1-2-3-1001D:P(A;OICI;FA;;;SY)");
    CHECK_INT(dirpol_rollback_plan(&made, &now), DIRPOL_ROLLBACK_CHANGED);
    /* A file system without IDs: never a guess. */
    made.volume = 0;
    made.index = 0;
    now = made;
    CHECK_INT(dirpol_rollback_plan(&made, &now), DIRPOL_ROLLBACK_NO_ID);
}

int main(void)
{
    RUN_TEST(test_a_plain_folder_of_a_trusted_owner_passes);
    RUN_TEST(test_a_link_is_refused_however_it_shows);
    RUN_TEST(test_a_file_in_the_folders_place_is_refused);
    RUN_TEST(test_the_mark_round_trips);
    RUN_TEST(test_a_mark_not_written_by_prepare_is_refused);
    RUN_TEST(test_the_rollback_acts_only_on_the_folder_prepare_made);
    return check_summary();
}

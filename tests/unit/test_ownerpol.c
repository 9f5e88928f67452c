/* test_ownerpol.c - trusted owners and the folders install may lock down. */
#include "check.h"
#include "ownerpol.h"

#define SELF "S-1-5-21-1004336348-1177238915-682003330-1001"

static void test_administrators_system_trustedinstaller_and_self_are_trusted(void)
{
    CHECK(ownerpol_owner_trusted("S-1-5-32-544", SELF));
    CHECK(ownerpol_owner_trusted("S-1-5-18", SELF));
    CHECK(ownerpol_owner_trusted(
        "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", SELF));
    CHECK(ownerpol_owner_trusted(SELF, SELF));
    CHECK(ownerpol_owner_trusted("s-1-5-32-544", NULL)); /* case does not matter */
}

static void test_a_user_who_planted_the_folder_is_not_trusted(void)
{
    /* Another local user, Users, Everyone, Authenticated Users, LocalService. */
    CHECK(!ownerpol_owner_trusted("S-1-5-21-1004336348-1177238915-682003330-1002", SELF));
    CHECK(!ownerpol_owner_trusted("S-1-5-32-545", SELF));
    CHECK(!ownerpol_owner_trusted("S-1-1-0", SELF));
    CHECK(!ownerpol_owner_trusted("S-1-5-11", SELF));
    CHECK(!ownerpol_owner_trusted("S-1-5-19", SELF));
    /* A prefix of a trusted SID, or one with more after it, is another SID. */
    CHECK(!ownerpol_owner_trusted("S-1-5-32-5440", SELF));
    CHECK(!ownerpol_owner_trusted("S-1-5-1", SELF));
    CHECK(!ownerpol_owner_trusted("", SELF));
    CHECK(!ownerpol_owner_trusted(NULL, SELF));
    /* No self: nothing but the well-known owners. */
    CHECK(!ownerpol_owner_trusted(SELF, NULL));
    CHECK(!ownerpol_owner_trusted(SELF, ""));
}

static void test_volume_roots(void)
{
    static const char *const roots[] = {
        "C:", "C:\\", "c:/", "C:\\\\", "\\\\server\\share", "\\\\server\\share\\",
        "//server/share/", "\\\\server", "\\\\?\\C:\\", "\\\\?\\C:", "\\\\.\\D:\\",
        "\\\\?\\UNC\\server\\share", "\\\\?\\unc\\server\\share\\", "\\\\?\\UNC\\server",
        "\\\\?\\Volume{0b1c2d3e-0000-0000-0000-100000000000}\\", "\\\\", "", NULL,
    };
    static const char *const folders[] = {
        "C:\\ProgramData\\mtserver", "C:\\srv\\", "D:/share", "\\\\server\\share\\mts",
        "\\\\?\\C:\\srv", "\\\\?\\UNC\\server\\share\\mts",
        "\\\\?\\Volume{0b1c2d3e-0000-0000-0000-100000000000}\\mts", "relative",
    };

    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        CHECK(ownerpol_is_volume_root(roots[i]));
    for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
        CHECK(!ownerpol_is_volume_root(folders[i]));
}

static void test_which_folders_are_locked_down(void)
{
    /* The default folder, existing or not. */
    CHECK(ownerpol_folder_plan("C:\\ProgramData\\mtserver", 1, 1) == OWNERPOL_LOCK);
    CHECK(ownerpol_folder_plan("C:\\ProgramData\\mtserver", 1, 0) == OWNERPOL_LOCK);
    /* A folder mtserver is about to create. */
    CHECK(ownerpol_folder_plan("D:\\mts-config", 0, 0) == OWNERPOL_LOCK);
    /* --config D:\share\mtserver.ini: D:\share keeps its permissions. */
    CHECK(ownerpol_folder_plan("D:\\share", 0, 1) == OWNERPOL_LEAVE);
    /* --config C:\x.ini: never the drive (nor its current folder). */
    CHECK(ownerpol_folder_plan("C:", 0, 1) == OWNERPOL_REFUSE_ROOT);
    CHECK(ownerpol_folder_plan("C:\\", 1, 1) == OWNERPOL_REFUSE_ROOT);
    CHECK(ownerpol_folder_plan("\\\\nas\\share", 0, 1) == OWNERPOL_REFUSE_ROOT);
}

int main(void)
{
    RUN_TEST(test_administrators_system_trustedinstaller_and_self_are_trusted);
    RUN_TEST(test_a_user_who_planted_the_folder_is_not_trusted);
    RUN_TEST(test_volume_roots);
    RUN_TEST(test_which_folders_are_locked_down);
    return check_summary();
}

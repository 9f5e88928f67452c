/* test_ownerpol.c - whose folder or configuration file mtserver may adopt.
 * Windows alone can show the refusal end to end (under Wine every file is
 * the Wine user's): docs/ADMIN.md's Windows check list has that step. */
#include "check.h"
#include "ownerpol.h"

#define WINE_USER "S-1-5-21-0-0-0-1000"
#define BOB "S-1-5-21-1004336348-1177238915-682003330-1001"

static void test_administrators_system_and_trusted_installer_are_trusted(void)
{
    CHECK_INT(ownerpol_is_trusted("S-1-5-32-544", NULL), 1);
    CHECK_INT(ownerpol_is_trusted("S-1-5-18", BOB), 1);
    CHECK_INT(ownerpol_is_trusted(
                  "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", NULL),
              1);
}

static void test_the_account_running_the_command_is_trusted(void)
{
    CHECK_INT(ownerpol_is_trusted(WINE_USER, WINE_USER), 1);
    CHECK_INT(ownerpol_is_trusted(BOB, BOB), 1);
}

static void test_another_user_is_refused(void)
{
    /* A standard user who made the folder before the install. */
    CHECK_INT(ownerpol_is_trusted(BOB, "S-1-5-18"), 0);
    CHECK_INT(ownerpol_is_trusted(BOB, NULL), 0);
    CHECK_INT(ownerpol_is_trusted(BOB, ""), 0);
    /* Users, Everyone, Authenticated Users, LocalService: not administrators. */
    CHECK_INT(ownerpol_is_trusted("S-1-5-32-545", WINE_USER), 0);
    CHECK_INT(ownerpol_is_trusted("S-1-1-0", WINE_USER), 0);
    CHECK_INT(ownerpol_is_trusted("S-1-5-11", WINE_USER), 0);
    CHECK_INT(ownerpol_is_trusted("S-1-5-19", WINE_USER), 0);
}

static void test_near_misses_are_refused(void)
{
    CHECK_INT(ownerpol_is_trusted("S-1-5-32-5440", NULL), 0);
    CHECK_INT(ownerpol_is_trusted("S-1-5-32-54", NULL), 0);
    CHECK_INT(ownerpol_is_trusted("S-1-5-180", NULL), 0);
    CHECK_INT(ownerpol_is_trusted("S-1-5-18 ", NULL), 0);
    CHECK_INT(ownerpol_is_trusted(WINE_USER "0", WINE_USER), 0);
}

static void test_an_unknown_owner_is_refused(void)
{
    CHECK_INT(ownerpol_is_trusted(NULL, WINE_USER), 0);
    CHECK_INT(ownerpol_is_trusted("", ""), 0);
    CHECK_INT(ownerpol_is_trusted("", NULL), 0);
}

int main(void)
{
    RUN_TEST(test_administrators_system_and_trusted_installer_are_trusted);
    RUN_TEST(test_the_account_running_the_command_is_trusted);
    RUN_TEST(test_another_user_is_refused);
    RUN_TEST(test_near_misses_are_refused);
    RUN_TEST(test_an_unknown_owner_is_refused);
    return check_summary();
}

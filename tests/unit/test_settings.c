/* test_settings.c - which configuration file the service, `mtserver passwd`
 * and `mtserver install` use: the one --config names, else the default
 * under ProgramData (settings_config_path, the one place that choice is
 * made). Windows only (the default comes from the shell's known folder). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "settings.h"

static void test_given_name_is_used_as_it_is(void)
{
    char out[64], err[200];

    CHECK_INT(settings_config_path("D:\\conf\\my.ini", out, sizeof out, err, sizeof err), 0);
    CHECK_STR(out, "D:\\conf\\my.ini");
}

static void test_given_name_that_does_not_fit_is_refused(void)
{
    char out[8], err[200];

    err[0] = '\0';
    CHECK_INT(settings_config_path("D:\\a\\long.ini", out, sizeof out, err, sizeof err), -1);
    CHECK(strstr(err, "too long") != NULL);
    CHECK(strstr(err, "D:\\a\\long.ini") != NULL);
}

static void test_default_is_the_programdata_file(void)
{
    char out[1024], err[200], expected[1024];
    size_t n, tail = strlen("\\mtserver\\mtserver.ini");

    CHECK_INT(settings_config_path(NULL, out, sizeof out, err, sizeof err), 0);
    CHECK_INT(settings_default_config_path(expected, sizeof expected), 0);
    CHECK_STR(out, expected);
    n = strlen(out);
    CHECK(n > tail);
    CHECK_STR(out + n - tail, "\\mtserver\\mtserver.ini");
}

static void test_default_that_does_not_fit_is_refused(void)
{
    char out[4], err[200];

    err[0] = '\0';
    CHECK_INT(settings_config_path(NULL, out, sizeof out, err, sizeof err), -1);
    CHECK(err[0] != '\0');
}

int main(void)
{
    RUN_TEST(test_given_name_is_used_as_it_is);
    RUN_TEST(test_given_name_that_does_not_fit_is_refused);
    RUN_TEST(test_default_is_the_programdata_file);
    RUN_TEST(test_default_that_does_not_fit_is_refused);
    return check_summary();
}

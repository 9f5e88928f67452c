/* test_winerr.c - Win32 and Winsock codes as text and as kinds (under Wine). */
#include <string.h>
#include <winsock2.h>
#include <windows.h>

#include "check.h"
#include "winerr.h"

static void test_each_code_has_the_kind_its_callers_test_for(void)
{
    static const struct {
        unsigned long code;
        enum winerr_kind kind;
    } rows[] = {
        {ERROR_FILE_NOT_FOUND, WINERR_NOT_FOUND},  {ERROR_PATH_NOT_FOUND, WINERR_NOT_FOUND},
        {ERROR_INVALID_NAME, WINERR_BAD_NAME},     {ERROR_BAD_PATHNAME, WINERR_BAD_NAME},
        {ERROR_ALREADY_EXISTS, WINERR_EXISTS},     {ERROR_FILE_EXISTS, WINERR_EXISTS},
        {WSAEWOULDBLOCK, WINERR_WOULD_BLOCK},      {WSAECONNRESET, WINERR_PEER_GONE},
        {WSAECONNABORTED, WINERR_PEER_GONE},       {WSAEADDRINUSE, WINERR_ADDR_IN_USE},
        {WSAEADDRNOTAVAIL, WINERR_ADDR_NOT_LOCAL}, {ERROR_ACCESS_DENIED, WINERR_DENIED},
        {ERROR_SHARING_VIOLATION, WINERR_BUSY},    {ERROR_LOCK_VIOLATION, WINERR_BUSY},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        CHECK_INT(winerr_kind(rows[i].code), rows[i].kind);
}

/* Codes that sound alike are not folded in: a caller that treats "not
 * found" as "use the defaults" must not do so for "access denied". */
static void test_other_codes_are_other(void)
{
    static const unsigned long others[] = {ERROR_SUCCESS, ERROR_NOT_FOUND, ERROR_INVALID_PARAMETER,
                                           WSAEACCES,     WSAETIMEDOUT,    WSAECONNREFUSED,
                                           0x80090302ul};

    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        CHECK_INT(winerr_kind(others[i]), WINERR_OTHER);
}

static void test_the_text_keeps_the_raw_code(void)
{
    char buf[300];

    CHECK(strncmp(winerr_text(WSAEADDRINUSE, buf, sizeof buf), "error 10048: ", 13) == 0);
    CHECK(strncmp(winerr_text(ERROR_FILE_NOT_FOUND, buf, sizeof buf), "error 2", 7) == 0);
}

int main(void)
{
    RUN_TEST(test_each_code_has_the_kind_its_callers_test_for);
    RUN_TEST(test_other_codes_are_other);
    RUN_TEST(test_the_text_keeps_the_raw_code);
    return check_summary();
}

/* test_pathpol.c - every way out of the root is refused; ordinary names pass. */
#include "check.h"
#include "mts_error.h"
#include "pathpol.h"

static char out[256];

static int resolve(const char *root, const char *path)
{
    return pathpol_resolve(root, path, strlen(path), out, sizeof out);
}

#define ALLOWED(path, expect)                                                                      \
    do {                                                                                           \
        CHECK_INT(resolve("C:\\srv", (path)), 0);                                                  \
        CHECK_STR(out, (expect));                                                                  \
    } while (0)

#define REFUSED(path) CHECK_INT(resolve("C:\\srv", (path)), MTS_EPATH)

static void test_relative_names(void)
{
    ALLOWED("config.sys", "config.sys");
    ALLOWED("docs/a b.txt", "docs\\a b.txt");
    ALLOWED("docs\\\\sub//x.bin", "docs\\sub\\x.bin");
    ALLOWED("./docs/./x", "docs\\x");
    ALLOWED("caf\xc3\xa9.txt", "caf\xc3\xa9.txt");
    ALLOWED("..foo", "..foo");
    ALLOWED("a..b", "a..b");
    ALLOWED("console.txt", "console.txt"); /* only exact device names are devices */
    ALLOWED("com10", "com10");
    ALLOWED("nulx.txt", "nulx.txt");
}

static void test_absolute_paths_inside_the_root(void)
{
    ALLOWED("C:\\srv\\config.sys", "config.sys");
    ALLOWED("c:\\SRV\\docs\\x", "docs\\x");
    ALLOWED("c:/srv/docs/x", "docs\\x");
    CHECK_INT(resolve("C:\\", "c:\\config.sys"), 0);
    CHECK_STR(out, "config.sys");
    CHECK_INT(resolve("D:\\data\\files", "d:\\data\\files\\a"), 0);
    CHECK_STR(out, "a");
}

static void test_escapes_are_refused(void)
{
    REFUSED("..");
    REFUSED("../secret");
    REFUSED("docs/../../secret");
    REFUSED("docs\\..\\config.sys"); /* even when it would stay inside */
    REFUSED("C:\\srv\\..\\windows\\win.ini");
    REFUSED("C:\\srvx\\a");
    REFUSED("C:\\other\\a");
    REFUSED("D:\\srv\\a");
    REFUSED("C:config.sys");
    REFUSED("C:");
    REFUSED("C:\\srv");
    REFUSED("C:\\srv\\");
    REFUSED("\\config.sys");
    REFUSED("/etc/passwd");
    REFUSED("\\\\server\\share\\x");
    REFUSED("//server/share/x");
    REFUSED("\\\\?\\C:\\srv\\config.sys");
    REFUSED("\\\\.\\C:\\srv\\config.sys");
    REFUSED("\\\\.\\PhysicalDrive0");
    REFUSED("");
    REFUSED(".");
    REFUSED("./");
}

static void test_devices_streams_and_odd_names_are_refused(void)
{
    REFUSED("CON");
    REFUSED("con.txt");
    REFUSED("docs/NUL");
    REFUSED("nul .txt");
    REFUSED("COM1");
    REFUSED("lpt9.log");
    REFUSED("COM\xc2\xb9");
    REFUSED("conin$");
    REFUSED("CONOUT$");
    REFUSED("aux/file");
    REFUSED("file.txt:secret");
    REFUSED("file.txt::$DATA");
    REFUSED("docs:x/file");
    REFUSED("file.txt.");
    REFUSED("file.txt ");
    REFUSED("dir./file");
    REFUSED("*.txt");
    REFUSED("a?b");
    REFUSED("a\"b");
    REFUSED("a<b");
    REFUSED("a>b");
    REFUSED("a|b");
    REFUSED("a\x01");
}

static void test_nul_and_small_buffers(void)
{
    char small[4];

    CHECK_INT(pathpol_resolve("C:\\srv", "a\0b", 3, out, sizeof out), MTS_EPATH);
    CHECK_INT(pathpol_resolve("C:\\srv", "abcd", 4, small, sizeof small), MTS_ENOSPC);
    CHECK_INT(pathpol_resolve("C:\\srv", "abc", 3, small, sizeof small), 0);
    CHECK_STR(small, "abc");
}

static void test_long_and_device_forms_of_the_root(void)
{
    static const char *plain[][2] = {
        {"C:\\srv", "C:\\srv"},
        {"\\\\?\\C:\\srv", "C:\\srv"},
        {"\\\\.\\d:\\data\\files", "d:\\data\\files"},
        {"\\\\?\\Z:\\", "Z:\\"},
        {"//?/C:/srv", "C:/srv"},
        {"\\\\?\\UNC\\nas\\share\\x", "\\\\nas\\share\\x"},
        {"\\\\?\\unc\\nas\\share", "\\\\nas\\share"},
        {"\\\\nas\\share", "\\\\nas\\share"},
        {"relative\\dir", "relative\\dir"},
    };
    static const char *refused[] = {
        "\\\\?\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\srv",
        "\\\\.\\C:", "\\\\?\\C:", "\\\\.\\pipe\\x", "\\\\.\\PhysicalDrive0",
        "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\srv", "\\\\.\\UNC\\nas\\share",
        "\\\\?\\UNC\\", "\\\\?\\UNC\\\\x", "\\\\?\\C:srv", "\\\\?\\"};
    char buf[128], err[300];

    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        CHECK_INT(pathpol_root_plain(plain[i][0], buf, sizeof buf, err, sizeof err), 0);
        CHECK_STR(buf, plain[i][1]);
    }
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (pathpol_root_plain(refused[i], buf, sizeof buf, err, sizeof err) != MTS_EPATH) {
            check_fail(__FILE__, __LINE__, refused[i], "was accepted");
            return;
        }
        CHECK(strstr(err, "must name a folder on a drive") != NULL);
    }
    CHECK_INT(pathpol_root_plain("\\\\?\\C:\\a-long-folder", buf, 6, err, sizeof err),
              MTS_ENOSPC);
}

int main(void)
{
    RUN_TEST(test_relative_names);
    RUN_TEST(test_absolute_paths_inside_the_root);
    RUN_TEST(test_escapes_are_refused);
    RUN_TEST(test_devices_streams_and_odd_names_are_refused);
    RUN_TEST(test_nul_and_small_buffers);
    RUN_TEST(test_long_and_device_forms_of_the_root);
    return check_summary();
}

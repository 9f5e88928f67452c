/* The console start-up code of an MSVC-mode program in this check only.
 *
 * A Visual Studio build links vcruntime's start-up object (exe_main.obj),
 * which sets up argv and the environment through the Universal CRT and then
 * calls main(). Wine ships no such object for PE programs linked against
 * ucrtbase.dll, so this file does the same few calls. Product sources never
 * see it: tests/msvc/vcxbuild.py links it into every MSVC-mode program. */
#include <corecrt_startup.h>
#include <stdlib.h>

int main(void);

/* clang-cl, like cl.exe, makes any object that uses floating point refer to
 * _fltused; the real CRT defines it in its start-up library. */
int _fltused = 1;

int mainCRTStartup(void);

int mainCRTStartup(void)
{
    _set_app_type(_crt_console_app);
    /* main(void) takes no arguments, but the programs read __argv through
     * CommandLineToArgvW or the CRT, so argv is still made here. */
    if (_configure_narrow_argv(_crt_argv_unexpanded_arguments) != 0)
        abort();
    if (_initialize_narrow_environment() != 0)
        abort();
    exit(main());
}

/* underwine.c - whether this program runs under Wine (see underwine.h). */
#include "underwine.h"

#include <windows.h>

int underwine_running(void)
{
    /* Wine's ntdll exports wine_get_version; Windows' does not. */
    return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
}

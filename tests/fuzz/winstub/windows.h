/* windows.h (stand-in) - for the native fuzz build of common/win/tlsrec.c
 * only (the Makefile's fuzz_tlsrec rule puts this folder first on the
 * include path). The record layer takes nothing from <windows.h> but the
 * SSPI types that sspi.h here declares; this file exists so that its
 * #include resolves on Linux. Never on the path of a Windows build. */
#ifndef MTS_WINSTUB_WINDOWS_H
#define MTS_WINSTUB_WINDOWS_H

#include <stdint.h>

#endif

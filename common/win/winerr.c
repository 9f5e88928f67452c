/* winerr.c - Win32 error texts (see winerr.h). */
#include "winerr.h"

#include "hresult.h"

#include <stdio.h>
#include <winsock2.h>
#include <windows.h>

/* Windows has texts for these; Wine's FormatMessage has none, and they are
 * the ones an administrator most needs to read. */
static const char *winsock_text(unsigned long code)
{
    switch (code) {
    case WSAEACCES: return "An attempt was made to access a socket in a way forbidden by its access permissions.";
    case WSAEADDRINUSE: return "Only one usage of each socket address is normally permitted.";
    case WSAEADDRNOTAVAIL: return "The requested address is not valid in its context.";
    case WSAECONNREFUSED: return "No connection could be made because the target machine actively refused it.";
    case WSAECONNRESET: return "An existing connection was forcibly closed by the remote host.";
    case WSAETIMEDOUT: return "A connection attempt failed because the connected party did not properly respond.";
    case WSAEAFNOSUPPORT: return "An address incompatible with the requested protocol was used.";
    default: return NULL;
    }
}

const char *winerr_text(unsigned long code, char *buf, size_t cap)
{
    wchar_t text[256];
    char utf8[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             code, 0, text, sizeof text / sizeof text[0], NULL);

    /* FormatMessage ends its text with CR LF; a log line wants neither. */
    while (n > 0 && (text[n - 1] == L'\n' || text[n - 1] == L'\r' || text[n - 1] == L' '))
        n--;
    text[n] = L'\0';
    if (n == 0 ||
        WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, (int)sizeof utf8, NULL, NULL) <= 0)
        snprintf(utf8, sizeof utf8, "%s", winsock_text(code) ? winsock_text(code) : "");
    /* HRESULT and SECURITY_STATUS codes in hex with their names, as the
     * documentation writes them (Wine's FormatMessage knows none). */
    if (hresult_is_status(code)) {
        char status[80];
        hresult_format(code, status, sizeof status);
        snprintf(buf, cap, "error %s%s%s", status, utf8[0] != '\0' ? ": " : "", utf8);
    } else {
        snprintf(buf, cap, "error %lu: %s", code, utf8[0] != '\0' ? utf8 : "unknown error");
    }
    return buf;
}

enum winerr_kind winerr_kind(unsigned long code)
{
    switch (code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_SERVICE_DOES_NOT_EXIST: return WINERR_NOT_FOUND;
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME: return WINERR_BAD_NAME;
    /* Not ERROR_DUPLICATE_SERVICE_NAME: another service may hold the
     * display name, and "mtserver is installed already" would be untrue. */
    case ERROR_ALREADY_EXISTS:
    case ERROR_FILE_EXISTS:
    case ERROR_SERVICE_EXISTS: return WINERR_EXISTS;
    case ERROR_ACCESS_DENIED: return WINERR_DENIED;
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION: return WINERR_BUSY;
    case WSAEWOULDBLOCK: return WINERR_WOULD_BLOCK;
    case ERROR_IO_PENDING: return WINERR_PENDING; /* WSA_IO_PENDING is the same code */
    case WSAETIMEDOUT:
    case ERROR_TIMEOUT:
    case ERROR_SERVICE_REQUEST_TIMEOUT: return WINERR_TIMED_OUT;
    case WSAECONNRESET:
    case WSAECONNABORTED:
    /* The same two as an overlapped call's plain Win32 codes (an AcceptEx
     * whose client reset before it was taken may end with either). */
    case ERROR_NETNAME_DELETED:
    case ERROR_CONNECTION_ABORTED: return WINERR_PEER_GONE;
    case WSAEADDRINUSE: return WINERR_ADDR_IN_USE;
    case WSAEADDRNOTAVAIL: return WINERR_ADDR_NOT_LOCAL;
    case ERROR_SERVICE_NOT_ACTIVE: return WINERR_NOT_RUNNING;
    case ERROR_SERVICE_ALREADY_RUNNING: return WINERR_RUNNING;
    default: return WINERR_OTHER;
    }
}

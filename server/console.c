/* console.c - console mode (see console.h): what says stop on a console.
 *
 * The bring-up is the host's (host.c); this file shows the banner and waits
 * for ESC or a console event. The main thread waits; the console control
 * handler runs on a thread of its own made by the system, and a thread of
 * ours reads piped input. They only set stop_requested, and the main thread
 * does the stopping. Both events live until the process exits, since the
 * system may call the handler at any time. */
#include "console.h"

#include <process.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "host.h"
#include "winerr.h"
#include "version.h"

#define STOP_WAIT_MS 5000
#define ESC 0x1b

static HANDLE stop_requested; /* manual reset: ESC, Ctrl+C or a console event */
static HANDLE stopped_event;  /* set when the main thread has finished stopping */

static void say(const char *text)
{
    DWORD done;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);

    WriteFile(out, text, (DWORD)strlen(text), &done, NULL);
}

static BOOL WINAPI on_console_event(DWORD event)
{
    SetEvent(stop_requested);
    /* After the handler returns from a close, logoff or shutdown event the
     * process is ended, so give the main thread its time to stop cleanly. */
    if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT)
        WaitForSingleObject(stopped_event, STOP_WAIT_MS);
    return TRUE;
}

static void wait_for_console_escape(HANDLE in)
{
    HANDLE waits[2];

    waits[0] = stop_requested;
    waits[1] = in;
    while (WaitForMultipleObjects(2, waits, FALSE, INFINITE) == WAIT_OBJECT_0 + 1) {
        INPUT_RECORD rec[16];
        DWORD got = 0;
        if (!ReadConsoleInputW(in, rec, 16, &got))
            return;
        for (DWORD i = 0; i < got; i++) {
            if (rec[i].EventType == KEY_EVENT && rec[i].Event.KeyEvent.bKeyDown &&
                rec[i].Event.KeyEvent.wVirtualKeyCode == VK_ESCAPE)
                return;
        }
    }
}

/* stdin is a pipe or a file: an ESC byte stops the server, as the key does
 * on a console. At end of input the server keeps running. */
static unsigned __stdcall watch_piped_input(void *arg)
{
    HANDLE in = arg;
    char buf[256];
    DWORD got;

    while (ReadFile(in, buf, sizeof buf, &got, NULL) && got > 0) {
        if (memchr(buf, ESC, got) != NULL) {
            SetEvent(stop_requested);
            break;
        }
    }
    return 0;
}

static void wait_for_stop(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode;

    if (in != NULL && in != INVALID_HANDLE_VALUE && GetConsoleMode(in, &mode)) {
        wait_for_console_escape(in);
        return;
    }
    if (in != NULL && in != INVALID_HANDLE_VALUE) {
        HANDLE t = (HANDLE)_beginthreadex(NULL, 64u << 10, watch_piped_input, in,
                                          STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (t != NULL)
            CloseHandle(t); /* blocked in ReadFile; the process exit ends it */
    }
    WaitForSingleObject(stop_requested, INFINITE);
}

int console_run(const struct server_options *opts)
{
    struct host *h = NULL;
    char err[512], line[1024];
    const char *password;
    long left;

    SetConsoleOutputCP(CP_UTF8);
    stop_requested = CreateEventW(NULL, TRUE, FALSE, NULL);
    stopped_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (stop_requested == NULL || stopped_event == NULL) {
        char why[300];
        fprintf(stderr, "mtserver: cannot create events: %s\n",
                winerr_text(GetLastError(), why, sizeof why));
        return 1;
    }
    if (host_open(&h, opts, HOST_CONSOLE, NULL, err, sizeof err) != 0 ||
        host_start(h, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        host_close(h);
        return 1;
    }
    SetConsoleCtrlHandler(on_console_event, TRUE);

    if (host_where(h)[0] != '\0') {
        snprintf(line, sizeof line, "mtserver %s listening on %s, serving %s\r\n", MTS_VERSION,
                 host_where(h), host_root_display(h));
        say(line);
    }
    if (host_tls_where(h)[0] != '\0') {
        snprintf(line, sizeof line, "mtserver %s listening for TLS on %s, serving %s\r\n",
                 MTS_VERSION, host_tls_where(h), host_root_display(h));
        say(line);
    }
    password = host_generated_password(h);
    if (password != NULL) {
        /* Shown on the console only, never written to the log file. */
        snprintf(line, sizeof line, "Password: %s\r\n", password);
        say(line);
    }
    say("Press ESCAPE to terminate program\r\n");

    wait_for_stop();
    say("Stopping...\r\n");
    left = host_stop(h, STOP_WAIT_MS);
    if (left > 0) {
        snprintf(line, sizeof line, "%ld client(s) did not finish in time\r\n", left);
        say(line);
    } else {
        say("Stopped.\r\n");
    }
    host_close(h); /* with clients left, it leaves the log and credential to the process exit */
    SetEvent(stopped_event);
    return 0;
}

/* console.c - console mode (see console.h): what says stop on a console.
 *
 * The bring-up is the host's (host.c); this file shows the banner and waits
 * for ESC or a console event. The main thread waits; the console control
 * handler runs on a thread of its own made by the system, and a thread of
 * ours reads the input (console keys or a pipe). They only call
 * press_stop() (R sets recheck_requested instead: see console_run): the
 * first press sets stop_requested, and the main thread
 * stops gracefully (host_stop_gracefully); a second press during the drain
 * sets stop_now, which cancels the transfers left at once. The events live
 * until the process exits, since the system may call the handler at any
 * time. */
#include "console.h"

#include <process.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "host.h"
#include "winerr.h"
#include "version.h"

/* A close, logoff or shutdown event: how long the handler holds the process
 * for the main thread to cancel and stop. */
#define STOP_WAIT_MS (HOST_CANCEL_WAIT_MS + 1000)
#define ESC 0x1b

static HANDLE stop_requested; /* manual reset: ESC, Ctrl+C or a console event */
static HANDLE stop_now;       /* manual reset: a second one; end the drain at once */
static HANDLE stopped_event;  /* set when the main thread has finished stopping */
static HANDLE recheck_requested; /* auto reset: R, look at the TLS certificate now */
static volatile LONG presses; /* ESC and Ctrl+C so far (Interlocked*) */

static void press_stop(void)
{
    SetEvent(InterlockedIncrement(&presses) == 1 ? stop_requested : stop_now);
}

static void say(const char *text)
{
    DWORD done;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);

    WriteFile(out, text, (DWORD)strlen(text), &done, NULL);
}

static BOOL WINAPI on_console_event(DWORD event)
{
    /* After the handler returns from a close, logoff or shutdown event the
     * process is ended, so there is no drain: the main thread cancels what
     * is in flight and gets its time to stop cleanly. */
    if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT) {
        SetEvent(stop_now);
        SetEvent(stop_requested);
        WaitForSingleObject(stopped_event, STOP_WAIT_MS);
        return TRUE;
    }
    press_stop(); /* Ctrl+C, Ctrl+Break */
    return TRUE;
}

/* stdin is a console: each ESC key press counts. */
static unsigned __stdcall watch_console_keys(void *arg)
{
    HANDLE in = arg;
    INPUT_RECORD rec[16];
    DWORD got = 0;

    while (ReadConsoleInputW(in, rec, 16, &got)) {
        for (DWORD i = 0; i < got; i++) {
            if (rec[i].EventType == KEY_EVENT && rec[i].Event.KeyEvent.bKeyDown &&
                rec[i].Event.KeyEvent.wVirtualKeyCode == VK_ESCAPE)
                press_stop();
            else if (rec[i].EventType == KEY_EVENT && rec[i].Event.KeyEvent.bKeyDown &&
                     rec[i].Event.KeyEvent.wVirtualKeyCode == 'R')
                SetEvent(recheck_requested);
        }
    }
    return 0;
}

/* stdin is a pipe or a file: each ESC byte counts, as the key does on a
 * console. At end of input the server keeps running. */
static unsigned __stdcall watch_piped_input(void *arg)
{
    HANDLE in = arg;
    char buf[256];
    DWORD got;

    while (ReadFile(in, buf, sizeof buf, &got, NULL) && got > 0) {
        for (DWORD i = 0; i < got; i++) {
            if (buf[i] == ESC)
                press_stop();
            else if (buf[i] == 'R' || buf[i] == 'r')
                SetEvent(recheck_requested);
        }
    }
    return 0;
}

/* Starts the thread that watches stdin; it is blocked in a read when the
 * process exits, which ends it. */
static void watch_input(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), t;
    DWORD mode;

    if (in == NULL || in == INVALID_HANDLE_VALUE)
        return;
    t = (HANDLE)_beginthreadex(NULL, 64u << 10,
                               GetConsoleMode(in, &mode) ? watch_console_keys : watch_piped_input,
                               in, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (t != NULL)
        CloseHandle(t);
}

int console_run(const struct server_options *opts)
{
    struct host *h = NULL;
    char err[512], line[1024];
    const char *password;
    HANDLE waits[2];
    long left;

    SetConsoleOutputCP(CP_UTF8);
    stop_requested = CreateEventW(NULL, TRUE, FALSE, NULL);
    stop_now = CreateEventW(NULL, TRUE, FALSE, NULL);
    stopped_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    recheck_requested = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (stop_requested == NULL || stop_now == NULL || stopped_event == NULL ||
        recheck_requested == NULL) {
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

    watch_input();
    /* R is the hourly certificate look, now (tlswatch.h), made by the
     * server's own thread; a stop and an R together are a stop. */
    waits[0] = stop_requested;
    waits[1] = recheck_requested;
    while (WaitForMultipleObjects(2, waits, FALSE, INFINITE) == WAIT_OBJECT_0 + 1)
        host_recheck_tls(h);
    if (WaitForSingleObject(stop_now, 0) == WAIT_OBJECT_0) {
        say("Stopping...\r\n");
    } else {
        snprintf(line, sizeof line,
                 "Stopping... (transfers may finish for up to %lu s; press ESCAPE again to "
                 "stop at once)\r\n",
                 (unsigned long)(host_drain_ms(h) / 1000u));
        say(line);
    }
    left = host_stop_gracefully(h, host_drain_ms(h), stop_now, NULL, NULL);
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

/* test_authgate.c - the gate on password checks and TLS handshake steps
 * (server/serve/authgate.c): the cap holds, a waiter gets the slot a
 * leaver gives up, a stop or a time-out ends a wait, and none of these
 * loses or makes a slot (its free count and its semaphore kept apart since
 * issue 24). Win32: runs as an .exe (under Wine on Linux). */
#include <process.h>

#include "authgate.h"
#include "check.h"

static void test_a_free_slot_is_entered_and_a_full_gate_times_out(void)
{
    struct authgate g;

    CHECK_INT(authgate_init(&g, 2), 0);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_ENTERED);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_ENTERED);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_TIMEOUT);
    CHECK_INT(authgate_enter(&g, NULL, 30), AUTHGATE_TIMEOUT);
    authgate_leave(&g);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_ENTERED);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_TIMEOUT);
    authgate_leave(&g);
    authgate_leave(&g);
    CHECK_INT(g.free, 2); /* the time-outs gave back what they counted */
    authgate_free(&g);
}

static void test_a_set_stop_is_refused_even_with_a_free_slot(void)
{
    struct authgate g;
    HANDLE stop = CreateEventW(NULL, TRUE, TRUE, NULL);

    CHECK(stop != NULL);
    CHECK_INT(authgate_init(&g, 1), 0);
    CHECK_INT(authgate_enter(&g, stop, 0), AUTHGATE_STOPPED);
    CHECK_INT(authgate_enter(&g, stop, 1000), AUTHGATE_STOPPED);
    CHECK_INT(g.free, 1);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_ENTERED); /* the caller watches */
    authgate_leave(&g);
    authgate_free(&g);
    CloseHandle(stop);
}

struct waiter {
    struct authgate *g;
    HANDLE stop;
    DWORD wait_ms;
    volatile LONG result;
};

static unsigned __stdcall wait_for_slot(void *arg)
{
    struct waiter *w = arg;

    w->result = (LONG)authgate_enter(w->g, w->stop, w->wait_ms);
    return 0;
}

/* A one-slot gate whose slot this thread holds, and a thread that waits
 * for it (up to 10 s, or until stop), given time to begin its wait. */
static HANDLE hold_and_start_waiter(struct authgate *g, HANDLE stop, struct waiter *w)
{
    HANDLE t;

    if (authgate_init(g, 1) != 0 || authgate_enter(g, NULL, 0) != AUTHGATE_ENTERED)
        return NULL;
    w->g = g;
    w->stop = stop;
    w->wait_ms = 10000;
    w->result = -1;
    t = (HANDLE)_beginthreadex(NULL, 0, wait_for_slot, w, 0, NULL);
    Sleep(100);
    return t;
}

/* The waiter's wait ended by this thread leaving (it gets the slot) or by
 * the stop (this thread keeps it); either way one slot, never two. */
static void check_a_wait_ended_by(int stopping)
{
    struct authgate g;
    HANDLE stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    struct waiter w;
    HANDLE t = hold_and_start_waiter(&g, stop, &w);

    CHECK(t != NULL);
    CHECK_INT(w.result, -1); /* still waiting */
    if (stopping)
        SetEvent(stop);
    else
        authgate_leave(&g);
    CHECK_INT(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    CHECK_INT(w.result, stopping ? AUTHGATE_STOPPED : AUTHGATE_ENTERED);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_TIMEOUT); /* the one slot is held */
    authgate_leave(&g);
    CHECK_INT(g.free, 1);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_ENTERED);
    CHECK_INT(authgate_enter(&g, NULL, 0), AUTHGATE_TIMEOUT);
    authgate_leave(&g);
    CloseHandle(t);
    authgate_free(&g);
    CloseHandle(stop);
}

static void test_a_waiter_gets_the_slot_a_leaver_gives_up(void)
{
    check_a_wait_ended_by(0);
}

static void test_a_stop_ends_a_wait_and_the_slot_count_holds(void)
{
    check_a_wait_ended_by(1);
}

/* Many threads entering with short time-outs: never more inside than the
 * cap, and every slot back at the end. */
#define STRESS_THREADS 6
#define STRESS_ROUNDS 400
static struct authgate stress_gate;
static volatile LONG inside, most_inside, entered;

static unsigned __stdcall stress(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg;

    for (int i = 0; i < STRESS_ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        if (authgate_enter(&stress_gate, NULL, (seed >> 16) % 3) != AUTHGATE_ENTERED)
            continue;
        LONG now = InterlockedIncrement(&inside), top;
        while ((top = most_inside) < now &&
               InterlockedCompareExchange(&most_inside, now, top) != top)
            ;
        InterlockedIncrement(&entered);
        if ((seed >> 8) % 4 == 0)
            Sleep(1);
        InterlockedDecrement(&inside);
        authgate_leave(&stress_gate);
    }
    return 0;
}

static void test_many_threads_never_pass_the_cap_nor_lose_a_slot(void)
{
    HANDLE t[STRESS_THREADS];

    CHECK_INT(authgate_init(&stress_gate, 2), 0);
    for (int i = 0; i < STRESS_THREADS; i++) {
        t[i] = (HANDLE)_beginthreadex(NULL, 0, stress, (void *)(size_t)(i + 1), 0, NULL);
        CHECK(t[i] != NULL);
    }
    CHECK_INT(WaitForMultipleObjects(STRESS_THREADS, t, TRUE, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < STRESS_THREADS; i++)
        CloseHandle(t[i]);
    CHECK(most_inside <= 2);
    CHECK(entered > 0);
    CHECK_INT(stress_gate.free, 2);
    CHECK_INT(authgate_enter(&stress_gate, NULL, 0), AUTHGATE_ENTERED);
    CHECK_INT(authgate_enter(&stress_gate, NULL, 0), AUTHGATE_ENTERED);
    CHECK_INT(authgate_enter(&stress_gate, NULL, 0), AUTHGATE_TIMEOUT);
    /* No slot was left in the semaphore for nobody. */
    CHECK_INT(WaitForSingleObject(stress_gate.slots, 0), WAIT_TIMEOUT);
    authgate_free(&stress_gate);
}

int main(void)
{
    RUN_TEST(test_a_free_slot_is_entered_and_a_full_gate_times_out);
    RUN_TEST(test_a_set_stop_is_refused_even_with_a_free_slot);
    RUN_TEST(test_a_waiter_gets_the_slot_a_leaver_gives_up);
    RUN_TEST(test_a_stop_ends_a_wait_and_the_slot_count_holds);
    RUN_TEST(test_many_threads_never_pass_the_cap_nor_lose_a_slot);
    return check_summary();
}

"""A lasting accept() failure (issue 13 item 7): the accept loop used to go
straight back to accept() on any error but three, without looking at the
stop event, so a failure that lasts (WSAENETDOWN, WSAEINVAL) meant a core
at 100% and a stop that never ended. Injected with MTS_FAULT_ACCEPT_ERROR
(read by server/serve/server.c only in mtserver-faults.exe, the test build;
in the MSVC legs too, which have no such build of their own): the old loop
used 1.9 s of CPU in 2 s and did not stop within 10 s."""
import socket
import time

from harness import FAULTS_PROGRAM, Server

WSAENETDOWN = 10050
WSAEINVAL = 10022


def _cpu_seconds(pid):
    # utime and stime of the Wine process (the Popen pid is mtserver.exe's).
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0


def test_a_lasting_accept_error_backs_off_and_the_stop_still_ends():
    for error in (WSAENETDOWN, WSAEINVAL):
        with Server(env={"MTS_FAULT_ACCEPT_ERROR": str(error)}, program=FAULTS_PROGRAM) as srv:
            line = srv.wait_log("accept: ")
            assert "error %d" % error in line, line
            before = _cpu_seconds(srv.proc.pid)
            time.sleep(3)
            used = _cpu_seconds(srv.proc.pid) - before
            assert used < 1.0, "%.2f s of CPU in 3 s: the accept loop spins" % used
            # Logged once, not once per failure.
            assert sum("accept: " in x for x in srv.log) == 1, srv.log[-5:]
            assert srv.stop(timeout=15) == 0
            assert srv.log[-1] == "Stopped."


ERROR_NOT_ENOUGH_MEMORY = 8


def _not_greeted(conn, why):
    """Nothing comes for 1.5 s (a greeting would); the socket's wait is
    then the usual one again."""
    conn.sock.settimeout(1.5)
    try:
        got = conn.sock.recv(1)
    except socket.timeout:
        got = None
    assert got is None, "greeted (%r) while %s" % (got, why)
    conn.sock.settimeout(20)


def test_when_no_thread_can_be_started_the_next_client_waits_for_a_free_one():
    """The thread that takes a listener's last waiting place starts the next
    one before it serves (server/serve/workers.c). When none can be started
    (MTS_FAULT_THREAD_START_ERROR fails every start after the first, and so
    every try of the look each second), the next client is neither refused
    nor lost: it waits in the backlog until the one thread is free, and the
    log says so once, not per client or per second."""
    env = {"MTS_FAULT_THREAD_START_ERROR": str(ERROR_NOT_ENOUGH_MEMORY)}
    with Server(env=env, program=FAULTS_PROGRAM) as srv:
        first = srv.connect().login()
        line = srv.wait_log("cannot start a client thread")
        assert "error %d" % ERROR_NOT_ENOUGH_MEMORY in line, line
        second = srv.connect()  # the system takes it into the backlog
        _not_greeted(second, "the only thread serves the first client")
        first.send("QUIT\r\n")
        assert first.rest() == b""
        second.login()
        third = srv.connect()
        _not_greeted(third, "the only thread serves the second client")
        second.send("QUIT\r\n")
        assert second.rest() == b""
        third.login()
        third.send("QUIT\r\n")
        assert third.rest() == b""
        assert sum("cannot start a client thread" in x for x in srv.log) == 1, srv.log[-8:]
        assert srv.stop(timeout=15) == 0
        assert srv.log[-1] == "Stopped."


def test_a_thread_that_could_not_be_started_is_started_by_the_next_look():
    """When the start fails once (MTS_FAULT_THREAD_START_FAILURES=1) and
    then works, the server's look every second starts the listener's
    waiting thread: the next client is served while the first still holds
    the only other one, and the log says both."""
    env = {"MTS_FAULT_THREAD_START_ERROR": str(ERROR_NOT_ENOUGH_MEMORY),
           "MTS_FAULT_THREAD_START_FAILURES": "1"}
    with Server(env=env, program=FAULTS_PROGRAM) as srv:
        first = srv.connect().login()
        srv.wait_log("cannot start a client thread")
        srv.wait_log("client threads: starting again", timeout=5)
        second = srv.connect()
        second.login()  # greeted while the first is still connected
        for c in (first, second):
            c.send("QUIT\r\n")
            assert c.rest() == b""
        assert srv.stop(timeout=15) == 0
        assert srv.log[-1] == "Stopped."

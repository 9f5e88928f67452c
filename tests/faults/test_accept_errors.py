"""A lasting accept() failure (issue 13 item 7): the accept loop used to go
straight back to accept() on any error but three, without looking at the
stop event, so a failure that lasts (WSAENETDOWN, WSAEINVAL) meant a core
at 100% and a stop that never ended. Injected with MTS_FAULT_ACCEPT_ERROR
(read by server/serve/server.c only in mtserver-faults.exe, the test build;
in the MSVC legs too, which have no such build of their own): the old loop
used 1.9 s of CPU in 2 s and did not stop within 10 s."""
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


def test_when_no_thread_can_be_started_the_next_client_waits_for_a_free_one():
    """The thread that takes a listener's last waiting place starts the next
    one before it serves (server/serve/workers.c). When none can be started
    (MTS_FAULT_THREAD_START_ERROR fails every start after the first), the
    next client is neither refused nor lost: it waits in the backlog until
    the one thread is free, and the log says so once, not per client."""
    env = {"MTS_FAULT_THREAD_START_ERROR": str(ERROR_NOT_ENOUGH_MEMORY)}
    with Server(env=env, program=FAULTS_PROGRAM) as srv:
        first = srv.connect().login()
        line = srv.wait_log("cannot start a client thread")
        assert "error %d" % ERROR_NOT_ENOUGH_MEMORY in line, line
        second = srv.connect()  # the system takes it into the backlog
        # No greeting while the only thread serves the first client.
        assert not second.closed(timeout=1.5)
        assert second.buf == b""
        first.send("QUIT\r\n")
        assert first.rest() == b""
        second.sock.settimeout(10)
        second.login()
        third = srv.connect()  # waits behind the second the same way
        second.send("QUIT\r\n")
        assert second.rest() == b""
        third.sock.settimeout(10)
        third.login()
        third.send("QUIT\r\n")
        assert third.rest() == b""
        assert sum("cannot start a client thread" in x for x in srv.log) == 1, srv.log[-8:]
        assert srv.stop(timeout=15) == 0
        assert srv.log[-1] == "Stopped."

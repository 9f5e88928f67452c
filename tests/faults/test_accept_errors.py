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

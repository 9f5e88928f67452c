"""The client threads that wait for the next client (server/serve/workers.c):
each has an AcceptEx in flight on its port; after a burst the ones beyond
the first go once idle for park_ms (MTS_FAULT_PARK_MS shortens the 30 s
here), the last one on each port stays, and the next client is served at
once by it."""
import threading

import faultlib
from harness import FAULTS_PROGRAM, Server


def test_threads_beyond_the_first_go_when_idle_and_the_last_one_stays():
    env = {"MTS_FAULT_PARK_MS": "3000"}
    with Server(args=["--stats-interval", "1"], env=env, program=FAULTS_PROGRAM) as srv:
        assert faultlib.next_stats(srv).parked == 1  # one thread waits on the one port
        # Twelve at once: each needs a thread of its own.
        conns = [srv.connect().login() for _ in range(12)]
        done = []

        def quit_(c):
            c.send("QUIT\r\n")
            done.append(c.rest())

        ts = [threading.Thread(target=quit_, args=(c,)) for c in conns]
        for t in ts:
            t.start()
        for t in ts:
            t.join(30)
        assert done == [b""] * 12
        # Back from their clients, the threads wait again ...
        most = max(faultlib.next_stats(srv).parked for _ in range(2))
        assert most >= 6, most
        # ... and those beyond the last one go after 3 s idle.
        for _ in range(15):
            s = faultlib.next_stats(srv)
            if s.parked == 1:
                break
        assert s.parked == 1, s
        # The one that stayed serves the next client.
        c = srv.connect().login()
        c.send("QUIT\r\n")
        assert c.rest() == b""
        assert srv.stop(timeout=15) == 0
        assert srv.log[-1] == "Stopped."

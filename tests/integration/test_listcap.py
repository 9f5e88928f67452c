"""LIST's bounds (issue 19 item 4): max_lists folders read at once, more
wait their turn; a stop ends a LIST of a big folder at once instead of
after the folder has been read to the end."""
import os
import re
import select
import time

from harness import Server


def make_files(folder, count):
    """Empty files, made on the Linux side (a Z: path for Wine): making
    them through Wine would take minutes."""
    os.mkdir(folder)
    for i in range(count):
        # Descending: the listing has to sort them.
        open(os.path.join(folder, "f%07d" % (count - i)), "wb").close()


def _list_turns(max_lists):
    """A big folder's LIST, then a small one's asked while the big one is
    read: which answered first, and each one's time in the server's log
    (from its request line to its end, a wait for a turn included)."""
    with Server(args=("--max-lists", str(max_lists))) as srv:
        # Big enough to take seconds under Wine, whatever the load.
        make_files(os.path.join(srv.root, "big"), 50000)
        make_files(os.path.join(srv.root, "small"), 1)
        big, small = srv.connect(timeout=120).login(), srv.connect(timeout=120).login()
        big.send("LIST big\r\n")
        time.sleep(1.0)
        small.send("LIST small\r\n")
        order, done = [], {"big": False, "small": False}
        while not all(done.values()):
            ready, _, _ = select.select([big.sock, small.sock], [], [], 120)
            assert ready, "no listing came within two minutes"
            for name, c in (("big", big), ("small", small)):
                if c.sock in ready and not done[name]:
                    # Read this listing to its end before looking again.
                    while not c.line().startswith("#End of listing"):
                        pass
                    done[name] = True
                    order.append(name)
        ms = {}
        for name in ("big", "small"):
            line = srv.wait_log('LIST "%s" ' % name, timeout=30)
            ms[name] = int(re.search(r" (\d+)ms", line).group(1))
        return order, ms


def test_max_lists_makes_a_further_list_wait_its_turn():
    # With one turn the small folder's LIST waits for the big one's: it ends
    # after it, and its time in the log holds most of the big one's.
    order, ms = _list_turns(1)
    assert order == ["big", "small"], (order, ms)
    assert ms["small"] * 2 > ms["big"] - 1000, ms
    # With the default four it is answered without waiting for the big
    # one: the log's times tell, whatever the machine's load made of the
    # order (the big LIST may even have ended first on a quick machine).
    order, ms = _list_turns(4)
    assert ms["small"] * 2 < ms["big"], (order, ms)


def test_a_stop_ends_a_list_of_a_big_folder_at_once():
    with Server() as srv:
        make_files(os.path.join(srv.root, "big"), 100000)
        c = srv.connect(timeout=120).login()
        c.send("LIST big\r\n")
        time.sleep(2.0)
        # Still reading: nothing is sent before both passes are done.
        ready, _, _ = select.select([c.sock], [], [], 0)
        assert not ready, "the LIST answered before the stop: the folder is too small to test"
        started = time.monotonic()
        assert srv.stop(timeout=60) == 0
        took = time.monotonic() - started
        # Without the stop check the LIST went on for the whole drain period
        # (10 s) and then to its end.
        assert took < 5, "the stop took %.1f s" % took
        assert "server-stopping" in srv.wait_log('LIST "big" ')
        assert "Stopped." in srv.log

"""LIST and HASH at the protocol level: a Python socket client and netcat."""
import hashlib
import os
import re
import subprocess
import tempfile
import time

from harness import PASSWORD, Server

# A fixed last-write time, so every field of an entry line can be checked.
WHEN = 1796015323  # 2026-11-30T05:08:43Z
WHEN_TEXT = "2026-11-30T05:08:43Z"
NAMES = ["plain.txt", "with  two spaces .txt", " leading space", "#hash first", "!bang first",
         "caf\u00e9 \u65e5\u672c.txt", "\u00dcber", "Zeta", "alpha"]


def put(path, data=b""):
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (WHEN, WHEN))


def read_listing(c):
    """The head count, the entry lines (type, size, time, name) and the end count."""
    head = c.line()
    assert head.startswith("#Listing ") and head.endswith(" entries."), head
    entries = []
    while True:
        line = c.line()
        if line.startswith("#End of listing, "):
            assert line.endswith(" entries."), line
            end = int(line[len("#End of listing, "):-len(" entries.")])
            break
        assert line[0] in "fd" and line[1] == " ", line
        kind, size, when, name = line.split(" ", 3)
        entries.append((kind, int(size), when, name))
    return int(head[len("#Listing "):-len(" entries.")]), entries, end


def by_bytes(names):
    return sorted(names, key=lambda n: n.encode("utf-8"))


def test_list_root_names_types_sizes_times_in_byte_order():
    with Server() as srv:
        for i, name in enumerate(NAMES):
            put(os.path.join(srv.root, name), b"x" * i)
        os.mkdir(os.path.join(srv.root, "sub dir"))
        os.utime(os.path.join(srv.root, "sub dir"), (WHEN, WHEN))
        c = srv.connect().login()
        c.send("LIST\r\n")
        head, entries, end = read_listing(c)
        expected = [("d" if n == "sub dir" else "f",
                     0 if n == "sub dir" else NAMES.index(n), WHEN_TEXT, n)
                    for n in by_bytes(NAMES + ["sub dir"])]
        assert entries == expected
        assert head == end == len(expected)
        # The connection stays in step afterwards.
        c.send("HELP\r\n")
        assert c.line().startswith("#Commands:")
        srv.wait_log('LIST "" ')


def test_list_empty_one_and_ten_thousand():
    with Server() as srv:
        for folder, count in (("none", 0), ("one", 1), ("many", 10000)):
            os.mkdir(os.path.join(srv.root, folder))
            for i in range(count):
                # Created in descending order: the listing must sort them.
                open(os.path.join(srv.root, folder, "f%05d" % (count - 1 - i)), "wb").close()
        c = srv.connect().login()
        for folder, count in (("none", 0), ("one", 1), ("many", 10000)):
            c.send("LIST %s\r\n" % folder)
            head, entries, end = read_listing(c)
            assert head == end == count
            assert [e[3] for e in entries] == ["f%05d" % i for i in range(count)]
            assert all(e[0] == "f" and e[1] == 0 for e in entries)
        assert " ok " in srv.wait_log('LIST "many" ')


def test_list_leaves_out_links_leading_outside_and_hidden_entries():
    outside = tempfile.mkdtemp(prefix="mts-outside-")
    put(os.path.join(outside, "secret.txt"), b"secret")
    with Server() as srv:
        put(os.path.join(srv.root, "shown.txt"), b"1")
        put(os.path.join(srv.root, ".dotfile"), b"2")  # Wine marks dot files hidden
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(srv.root, "file-out"))
        os.symlink(outside, os.path.join(srv.root, "folder-out"))
        os.symlink(os.path.join(srv.root, "shown.txt"), os.path.join(srv.root, "link-in"))
        c = srv.connect().login()
        c.send("LIST\r\n")
        head, entries, end = read_listing(c)
        assert [e[3] for e in entries] == ["link-in", "shown.txt"]
        assert head == end == 2
        # The linked-out folder cannot be listed either, with the usual answer.
        c.send("LIST folder-out\r\n")
        c.expect("!Folder folder-out could not be listed.")
    with Server(root=srv.root, args=["--list-hidden", "1"]) as srv2:
        c = srv2.connect().login()
        c.send("LIST\r\n")
        _, entries, _ = read_listing(c)
        assert [e[3] for e in entries] == [".dotfile", "link-in", "shown.txt"]


def test_list_failures_look_alike_and_need_login():
    with Server() as srv:
        put(os.path.join(srv.root, "a.txt"), b"a")
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("LIST\r\n")
        c.expect("!You are not logged in.")
        c.send("HASH a.txt\r\n")
        c.expect("!You are not logged in.")
        c.send("AUTH %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        for folder in ("missing", "..", "..\\..", "C:\\Windows", "a.txt", "NUL", "a:b"):
            c.send("LIST %s\r\n" % folder)
            c.expect("!Folder %s could not be listed." % folder)
        srv.wait_log('LIST "missing" 0 missing')
        srv.wait_log('LIST ".." 0 denied')


def test_hash_matches_and_second_answer_comes_from_the_cache():
    with Server() as srv:
        body = os.urandom(3 * 1024 * 1024 + 17)
        put(os.path.join(srv.root, "data file.bin"), body)
        put(os.path.join(srv.root, "empty"), b"")
        c = srv.connect().login()
        want = hashlib.sha256(body).hexdigest()
        # A pending REST does not apply to HASH, and is still there for GET.
        c.send("REST 5\r\n")
        c.expect("#Restarting at 5.")
        c.send("HASH data file.bin\r\n")
        c.expect("#SHA-256 %s data file.bin" % want)
        c.send("HASH data file.bin\r\n")
        c.expect("#SHA-256 %s data file.bin" % want)
        c.send("GET empty\r\n")
        c.expect("!Offset is past the end of the file.")
        c.send("HASH empty\r\n")
        c.expect("#SHA-256 %s empty" % hashlib.sha256(b"").hexdigest())
        srv.wait_log('HASH "data file.bin" %d ok' % len(body))
        srv.wait_log('HASH "data file.bin" 0 cached')
        # A changed file is read again, not answered from the cache.
        put(os.path.join(srv.root, "data file.bin"), body + b"more")
        c.send("HASH data file.bin\r\n")
        c.expect("#SHA-256 %s data file.bin" % hashlib.sha256(body + b"more").hexdigest())


def _bytes_read(srv):
    """Bytes the server process has read so far (Linux's count of read
    calls, where Wine's file reads land), or None where there is no /proc."""
    try:
        with open("/proc/%d/io" % srv.proc.pid) as f:
            return int(re.search(r"^rchar: (\d+)", f.read(), re.M).group(1))
    except OSError:
        return None


def _wait_reading(srv, target, timeout=60):
    if target is None or _bytes_read(srv) is None:
        time.sleep(2)  # no count to watch: give the first request a head start
        return
    deadline = time.monotonic() + timeout
    while _bytes_read(srv) < target:
        assert time.monotonic() < deadline, "the server did not start reading the file"
        time.sleep(0.01)


BIG_HASHED = 768 << 20


def _hash_finish_order(max_hashes):
    """Which of two HASH requests answers first: a big file's, asked first,
    or a small file's, asked while the big one is being read, and how much
    of the big file the server had read when the small one's answer came
    (None where there is no count). The big file is sparse: reading it
    costs the hashing, not the disk."""
    with Server(args=("--max-hashes", str(max_hashes))) as srv:
        with open(os.path.join(srv.root, "big.bin"), "wb") as f:
            f.truncate(BIG_HASHED)
        put(os.path.join(srv.root, "small.bin"), b"small")
        # Hashing 768 MiB takes seconds, and far longer when every leg of
        # the suite does it at once on a busy machine.
        big, small = srv.connect(timeout=180).login(), srv.connect(timeout=180).login()
        before = _bytes_read(srv)
        big.send("HASH big.bin\r\n")
        _wait_reading(srv, None if before is None else before + (32 << 20))  # the big file's hashing is under way
        small.send("HASH small.bin\r\n")
        line = small.line()
        assert line.startswith("#SHA-256 "), line
        read_then = None if before is None else _bytes_read(srv) - before
        line = big.line()
        assert line.startswith("#SHA-256 "), line
        # The order the server finished them in: its log lines, each written
        # when its hash is done, before the answer (the answers' order seen
        # here would not tell when a busy test process reads both at once).
        srv.wait_log('HASH "big.bin"')
        srv.wait_log('HASH "small.bin"')
        with srv.log_changed:
            lines = [l for l in srv.log if 'HASH "big.bin"' in l or 'HASH "small.bin"' in l]
        return ["big" if 'HASH "big.bin"' in l else "small" for l in lines], read_then


def test_max_hashes_makes_further_requests_wait_their_turn():
    # With one slot the small file waits for the big one; with two it does
    # not. The same pair of requests shows both, so the wait is the setting's.
    order, read_then = _hash_finish_order(1)
    if read_then is not None:
        # The slot is given back when the big file has been read to its
        # end, and then both threads log: on a busy machine the small one
        # may log first. What one slot guarantees is that the small answer
        # comes after the whole big file was read.
        assert read_then >= BIG_HASHED, (read_then, order)
    else:
        assert order == ["big", "small"], order
    order2, read_then2 = _hash_finish_order(2)
    # What each saw, so that a pass shows the count told them apart.
    print("  one slot: %s, %s bytes of the big file read at the small answer; two slots: %s, %s"
          % (order, read_then, order2, read_then2))
    assert order2 == ["small", "big"], (order2, read_then2)
    if read_then2 is not None:
        assert read_then2 < BIG_HASHED, read_then2


def test_hash_refusals():
    outside = tempfile.mkdtemp(prefix="mts-outside-")
    put(os.path.join(outside, "secret.txt"), b"secret")
    with Server() as srv:
        os.mkdir(os.path.join(srv.root, "folder"))
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(srv.root, "file-out"))
        c = srv.connect().login()
        c.send("HASH\r\n")
        c.expect("!Usage: HASH <path>.")
        for path in ("missing", "folder", "file-out", "..\\x", "CON"):
            c.send("HASH %s\r\n" % path)
            c.expect("!File %s could not be hashed." % path)


def holders(path):
    """The processes that have path open (the server's Wine processes)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fds = os.listdir("/proc/%s/fd" % pid)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink("/proc/%s/fd/%s" % (pid, fd)) == path:
                    found.append(pid)
                    break
            except OSError:
                pass
    return found


def bytes_read(pid):
    """rchar of /proc/<pid>/io: bytes the process has read so far."""
    try:
        with open("/proc/%s/io" % pid) as f:
            for line in f:
                if line.startswith("rchar:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def test_file_changed_while_hashed_gets_a_refusal():
    with Server() as srv:
        big = os.path.join(srv.root, "growing.bin")
        # A sparse 1 GiB file: seconds of hashing, no disk space.
        with open(big, "wb") as f:
            f.truncate(1 << 30)
        c = srv.connect(timeout=600).login()
        c.send("HASH growing.bin\r\n")
        # Wait until a process holding the file has read 32 MiB more than
        # when it opened it: the server took the file's state before its
        # first read, so the change below lands while it is hashed.
        deadline = time.time() + 120
        base = {}
        while True:
            assert time.time() < deadline, "the server never read the file"
            for pid in holders(big):
                base.setdefault(pid, bytes_read(pid))
            if any(bytes_read(pid) - start >= 32 << 20 for pid, start in base.items()):
                break
            time.sleep(0.01)
        with open(big, "ab") as f:
            f.write(b"appended")
        c.expect("!File growing.bin changed while it was hashed.")
        assert " changed " in srv.wait_log('HASH "growing.bin" ')


def test_netcat_sees_a_readable_listing_and_hash():
    with Server() as srv:
        put(os.path.join(srv.root, "setup.log"), b"[InstallShield Silent]\r\n")
        os.mkdir(os.path.join(srv.root, "docs"))
        os.utime(os.path.join(srv.root, "docs"), (WHEN, WHEN))
        script = "auth %s\r\nlist\r\nhash setup.log\r\nquit\r\n" % PASSWORD
        out = subprocess.run(["nc", "-N", "127.0.0.1", str(srv.port)], input=script.encode(),
                             stdout=subprocess.PIPE, timeout=30).stdout
        digest = hashlib.sha256(b"[InstallShield Silent]\r\n").hexdigest()
        assert out == ("#Server Ready.\r\n#You are logged in.\r\n#Listing 2 entries.\r\n"
                       "d 0 %s docs\r\nf 24 %s setup.log\r\n#End of listing, 2 entries.\r\n"
                       "#SHA-256 %s setup.log\r\n" % (WHEN_TEXT, WHEN_TEXT, digest)).encode(), out

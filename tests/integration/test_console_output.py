"""Console output never blocks serving (issue 13 item 8): with a stdout pipe
that nobody reads, the server goes on answering; the lines it could not
queue are dropped and counted, and the count shows once stdout drains."""
import subprocess
import threading
import time

from harness import Conn, PASSWORD, LISTENING, RUN, exe, read_pipe, temp_root, winpath


def _start(root):
    cmd = RUN + [exe("mtserver.exe"), "console", "--port", "0", "--bind", "127.0.0.1",
                 "--root", winpath(root),
                 # 400 sessions in a tight loop from one address: the point
                 # here is the console's output, not connect_rate.
                 "--connect-rate", "0"]
    env = dict(__import__("os").environ, MTS_PASSWORD=PASSWORD)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)
    # A deadline on each read, not only between them: a server that is alive
    # and says nothing must fail the test, not hang it. The pipe is read a
    # byte at a time and never buffered here, since the test later reads
    # the rest itself.
    deadline = time.time() + 60
    shown = b""
    try:
        while True:
            raw = read_pipe(proc.stdout, deadline)
            shown += raw
            if not raw:
                break
            m = LISTENING.search(raw.decode("utf-8", "replace"))
            if m:
                return proc, int(m.group(1))
    except TimeoutError:
        pass
    proc.kill()
    raise RuntimeError("server did not start (exit code %r; its output: %r)"
                       % (proc.wait(), shown[-400:]))


def test_a_stdout_nobody_reads_does_not_stop_the_server():
    proc, port = _start(temp_root())
    shown = []
    try:
        # Each session puts about 3 KB into the log (the missing name twice
        # over): 400 of them are far more than a pipe (64 KiB) and the
        # server's console queue hold. Before the fix the server froze once
        # the pipe was full, and the next session timed out.
        name = "n" * 1500
        for i in range(400):
            c = Conn(port, timeout=10)
            c.expect("#Server Ready.")
            c.send("AUTH %s\r\nFILE %s%d\r\n" % (PASSWORD, name, i))
            c.expect("#You are logged in.")
            assert c.line().startswith("!File "), i
            c.close()
        reader = threading.Thread(
            target=lambda: shown.extend(proc.stdout.read().decode("utf-8", "replace")
                                        .splitlines()), daemon=True)
        reader.start()
        proc.stdin.write(b"\x1b")
        proc.stdin.flush()
        assert proc.wait(30) == 0
        reader.join(10)
        dropped = [line for line in shown if "console line(s) dropped" in line]
        assert dropped, shown[-5:]
        assert shown[-1] == "Stopped.", shown[-3:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

"""The root check looks at where an opened file really is (server/rootfs.c):
links that lead out of the root are refused, links that stay inside work."""
import os

from harness import Server, temp_root


def test_links_out_of_the_root_are_denied_and_links_inside_are_served():
    outside = temp_root()
    with open(os.path.join(outside, "secret.txt"), "wb") as f:
        f.write(b"secret\n")
    with Server() as srv:
        with open(os.path.join(srv.root, "inside.txt"), "wb") as f:
            f.write(b"inside\n")
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(srv.root, "out.txt"))
        os.symlink(outside, os.path.join(srv.root, "outdir"))
        os.symlink(os.path.join(srv.root, "inside.txt"), os.path.join(srv.root, "in.txt"))
        c = srv.connect().login()
        c.send("FILE out.txt\r\n")
        c.expect("!File out.txt could not be opened.")
        c.send("FILE outdir\\secret.txt\r\n")
        c.expect("!File outdir\\secret.txt could not be opened.")
        c.send("FILE in.txt\r\n")
        assert c.exact(7) == b"inside\n"
        c.expect("#File in.txt sent successfully.")
        srv.wait_log('FILE "out.txt" 0 denied')
        srv.wait_log('FILE "outdir\\secret.txt" 0 denied')

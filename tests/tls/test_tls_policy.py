"""tls_policy (issue 20 item 1): the suites asked of Schannel, and a start
line that never claims a policy the server does not keep. Where Schannel
honours SCH_CREDENTIALS' CRYPTO_SETTINGS (Windows 10 1809 and later) the
intermediate policy refuses static-RSA key exchange and CBC suites; where it
does not (Wine, older Windows) the line says NOT in force, and the suites
are the machine's (docs/ADMIN.md, "Cipher suites")."""
import tlskit
from tlskit import s_client, tls_server

STATIC_RSA_CBC = "AES128-SHA"          # static RSA key exchange, CBC, SHA-1
ECDHE_CBC = "ECDHE-RSA-AES128-SHA"      # forward secret, but CBC with SHA-1
ECDHE_GCM = "ECDHE-RSA-AES256-GCM-SHA384"


def policy_line(srv):
    lines = srv.start_lines(" tls: policy ")
    assert len(lines) == 1, srv.banner + srv.log
    return lines[0]


def accepts(port, suite):
    rc, out, err = s_client(port, b"QUIT\r\n", "-tls1_2", "-cipher", suite)
    return out.startswith(b"#Server Ready."), err


def test_intermediate_start_line_matches_what_the_port_accepts():
    with tls_server() as srv:
        line = policy_line(srv)
        # The forward-secret AEAD suite is served under every policy.
        ok, err = accepts(srv.tls_port, ECDHE_GCM)
        assert ok, err
        if "NOT in force" in line:
            # Wine 10 takes SCH_CREDENTIALS, ignores its parameters, and
            # serves static RSA: the line must say so, with the way out.
            assert "policy intermediate NOT in force: this Schannel " in line, line
            assert "ADMIN.md, Cipher suites" in line, line
            assert "does not list its algorithms" in line or "Schannel lists: " in line, line
            if tlskit.wine_major() is not None:
                ok, _ = accepts(srv.tls_port, STATIC_RSA_CBC)
                assert ok, "Wine refused static RSA: the line may now be too modest: " + line
        else:
            assert "policy intermediate (no static-RSA key exchange, no CBC ciphers" in line, line
            for suite in (STATIC_RSA_CBC, ECDHE_CBC):
                ok, _ = accepts(srv.tls_port, suite)
                assert not ok, (suite, line)


def test_compatible_asks_for_nothing_and_says_so():
    with tls_server(extra_config="tls_policy = compatible\n") as srv:
        line = policy_line(srv)
        assert "policy compatible: every suite Schannel enables on this machine" in line, line
        ok, err = accepts(srv.tls_port, ECDHE_GCM)
        assert ok, err


tlskit.needs_server_side_schannel(globals())

"""The privileges install and configure keep for the service
(SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO): SeChangeNotifyPrivilege, and
SeImpersonatePrivilege as well only when windows_accounts is 1 (issue 23:
files are opened as the logged-on Windows account). Wine's SCM refuses the
list with error 124, so under Wine the list asked for is read from that
warning; on Windows the SCM's answer is read back with `sc qprivs`."""
import re

from harness import RUN, winpath
from svckit import mtserver, run, with_service

ASKED = re.compile(r"cannot set the privileges the service needs \(([^)]*)\): error 124"
                   r"|the service keeps the privileges ([^\r\n]*)")


def _privileges(out):
    """The privileges install or configure asked for, as it printed them;
    on Windows also what the SCM keeps, which must be the same."""
    m = ASKED.search(out)
    assert m, out
    if RUN[:1] == ["wine"]:
        assert m.group(1) is not None, out  # refused, as WINE.md says
    names = (m.group(1) or m.group(2)).split(", ")
    if RUN[:1] != ["wine"]:
        rc, q = run("sc", "qprivs", "mtserver")
        assert rc == 0, q
        assert sorted(re.findall(r"Se\w+Privilege", q)) == sorted(names), (q, names)
    return names


def _set_windows_accounts(s, value):
    text = s.read()
    text = re.sub(r"(?m)^;? ?windows_accounts = \d\r?$", "windows_accounts = %d\r" % value, text)
    assert "windows_accounts = %d\r\n" % value in text, text
    s.write(text)


def test_install_keeps_impersonation_only_with_windows_accounts():
    def body(s):
        out = s.install("--port", str(s.port))
        assert _privileges(out) == ["SeChangeNotifyPrivilege"], out
        rc, out = mtserver("uninstall")
        assert rc == 0, out
        out = s.install("--port", str(s.port), "--windows-accounts", "1")
        assert "windows_accounts = 1\r\n" in s.read(), s.read()
        assert _privileges(out) == ["SeChangeNotifyPrivilege", "SeImpersonatePrivilege"], out

    with_service(body)


def test_configure_follows_the_files_windows_accounts():
    def body(s):
        s.install("--port", str(s.port))
        _set_windows_accounts(s, 1)
        rc, out = mtserver("configure", "--config", winpath(s.config))
        assert rc == 0, out
        assert _privileges(out) == ["SeChangeNotifyPrivilege", "SeImpersonatePrivilege"], out
        _set_windows_accounts(s, 0)
        rc, out = mtserver("configure", "--config", winpath(s.config))
        assert rc == 0, out
        assert _privileges(out) == ["SeChangeNotifyPrivilege"], out

    with_service(body)

"""Every header of common/ compiles in MSVC mode in a file that includes
<windows.h> first, as the Win32 files of server/ and client/ do: a name that
collides with the SDK (an enumerator called TEXT or UINT, a parameter called
small) is caught here even where no product file shows it yet. The flags are
the server project's, read by tests/msvc/vcxbuild.py."""
import glob
import importlib.util
import os
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_spec = importlib.util.spec_from_file_location(
    "vcxbuild", os.path.join(ROOT, "tests", "msvc", "vcxbuild.py"))
vcxbuild = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vcxbuild)


def server_compile_command():
    """clang-cl and the server project's flags, read once per test."""
    proj = vcxbuild.Project(os.path.join(ROOT, "server", "server.vcxproj"), "Release", {})
    clang_cl = vcxbuild.llvm_tool("clang-cl")
    return [clang_cl] + vcxbuild.compile_flags(proj, clang_cl)


def compile_with_windows_h(header, command):
    """(ok, compiler output) for `#include <windows.h>` then the header."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "with_windows_h.c")
        with open(src, "w") as f:
            f.write("#include <windows.h>\n#include \"%s\"\n" % header)
        proc = subprocess.run(command + ["/Zs", "--", src], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    return proc.returncode == 0, proc.stdout.decode("utf-8", "replace")


def test_every_common_header_compiles_beside_windows_h():
    headers = sorted(glob.glob(os.path.join(ROOT, "common", "*.h")))
    assert len(headers) > 10, headers
    failures = []
    command = server_compile_command()
    for header in headers:
        ok, out = compile_with_windows_h(header, command)
        if not ok:
            failures.append("%s:\n%s" % (os.path.relpath(header, ROOT), out))
    assert not failures, "\n".join(failures)


def test_a_header_naming_an_sdk_macro_fails():
    with tempfile.TemporaryDirectory() as tmp:
        header = os.path.join(tmp, "collides.h")
        with open(header, "w") as f:
            f.write("enum kind { TEXT, UINT };\n")
        ok, out = compile_with_windows_h(header, server_compile_command())
    assert not ok, out

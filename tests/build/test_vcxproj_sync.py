"""The MSVC projects build what the Makefile builds: every .c file in a
Makefile source list is in its .vcxproj and the other way round, and every
project is in mtserver.sln."""
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Each project and the Makefile variables whose files it compiles.
PROJECTS = {
    "server/server.vcxproj": ["COMMON_SRC", "COMMON_WIN_SRC", "SERVER_SRC"],
    "client/client.vcxproj": ["COMMON_SRC", "COMMON_WIN_SRC", "CLIENT_SRC"],
}


def makefile_list(var):
    out = subprocess.check_output(["make", "-s", "--no-print-directory", "print-" + var], cwd=ROOT)
    return out.decode().split()


def project_sources(project):
    text = open(os.path.join(ROOT, project), encoding="utf-8").read()
    folder = os.path.dirname(project)
    found = set()
    for inc in re.findall(r'<ClCompile Include="([^"]+)"', text):
        path = os.path.normpath(os.path.join(folder, inc.replace("\\", "/")))
        found.add(path)
    return found


def mismatches(project, variables, have=None):
    wanted = set()
    for var in variables:
        wanted.update(os.path.normpath(p) for p in makefile_list(var))
    if have is None:
        have = project_sources(project)
    problems = ["%s: missing %s (in the Makefile)" % (project, p) for p in sorted(wanted - have)]
    problems += ["%s: has %s (not in the Makefile)" % (project, p) for p in sorted(have - wanted)]
    problems += ["%s: %s does not exist" % (project, p)
                 for p in sorted(have) if not os.path.exists(os.path.join(ROOT, p))]
    return problems


def test_every_project_matches_its_makefile_lists():
    problems = []
    for project, variables in PROJECTS.items():
        problems += mismatches(project, variables)
    assert not problems, "\n".join(problems)


def test_every_project_is_in_the_solution():
    sln = open(os.path.join(ROOT, "mtserver.sln"), encoding="utf-8").read().replace("\\", "/")
    for project in PROJECTS:
        assert '"%s"' % project in sln, "%s is not in mtserver.sln" % project


def test_sync_check_sees_a_file_missing_or_extra():
    for project, variables in PROJECTS.items():
        have = project_sources(project)
        dropped = sorted(have)[0]
        assert mismatches(project, variables, have - {dropped}), project
        assert mismatches(project, variables, have | {"server/not_in_makefile.c"}), project

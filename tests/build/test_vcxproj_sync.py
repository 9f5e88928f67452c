"""The MSVC projects build what the Makefile builds: every .c file in a
Makefile source list is in its .vcxproj and the other way round, the same for
the resource scripts (.rc, ResourceCompile) and for the unit-test project's
per-test platform sources, and every project is in mtserver.sln."""
import glob
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Each project and the Makefile variables whose files it compiles.
PROJECTS = {
    "server/server.vcxproj": ["COMMON_SRC", "COMMON_WIN_SRC", "SERVER_SRC"],
    "client/client.vcxproj": ["COMMON_SRC", "COMMON_WIN_SRC", "CLIENT_SRC"],
    # Its sources for every test; test_$(TestName).c is the test's own.
    "tests/unit/unit.vcxproj": ["COMMON_SRC", "UNIT_SUPPORT"],
}
UNIT_PROJECT = "tests/unit/unit.vcxproj"

# Each project and the Makefile variables whose resource scripts it compiles.
RESOURCES = {
    "server/server.vcxproj": ["SERVER_RC"],
    "client/client.vcxproj": ["CLIENT_RC"],
}
# Every resource script in the tree is in one of these Makefile variables.
ALL_RC = ["SERVER_RC", "CLIENT_RC"]


def makefile_list(var):
    # Not inside the running make's jobserver: a nested make only warns.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    out = subprocess.check_output(["make", "-s", "--no-print-directory", "print-" + var],
                                  cwd=ROOT, env=env)
    return out.decode().split()


def project_sources(project, item="ClCompile", condition=None):
    """The files of one item type in the project's item groups that have no
    condition, or, with condition, in the group with that condition."""
    text = open(os.path.join(ROOT, project), encoding="utf-8").read()
    folder = os.path.dirname(project)
    found = set()
    for cond, group in re.findall(r'<ItemGroup(?: Condition="([^"]*)")?>(.*?)</ItemGroup>', text,
                                  re.S):
        if cond != (condition or ""):
            continue
        found |= group_sources(folder, item, group)
    return found


def group_sources(folder, item, group):
    found = set()
    for inc in re.findall(r'<%s Include="([^"]+)"' % item, group):
        if "$(" in inc:
            continue  # made by the build (messages.rc) or named by a property
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


def test_every_project_matches_its_makefile_resource_scripts():
    problems = []
    for project, variables in RESOURCES.items():
        problems += mismatches(project, variables, project_sources(project, "ResourceCompile"))
    assert not problems, "\n".join(problems)


def test_every_resource_script_is_in_the_makefile():
    listed = set()
    for var in ALL_RC:
        listed.update(os.path.normpath(p) for p in makefile_list(var))
    found = {os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "*", "*.rc"))}
    assert found, "no .rc files found"
    assert found <= listed, "not in %s: %s" % (" or ".join(ALL_RC), sorted(found - listed))
    assert all(os.path.exists(os.path.join(ROOT, p)) for p in listed), sorted(listed)


def unit_condition(test):
    return "'$(TestName)'=='%s'" % test


def test_unit_project_has_each_win32_tests_platform_sources():
    problems = []
    for test in makefile_list("WIN_ONLY_UNIT_TESTS"):
        have = project_sources(UNIT_PROJECT, condition=unit_condition(test))
        problems += mismatches(UNIT_PROJECT, ["UNIT_WIN_SRC_" + test], have)
    text = open(os.path.join(ROOT, UNIT_PROJECT), encoding="utf-8").read()
    for cond in re.findall(r'<ItemGroup Condition="([^"]*)"', text):
        test = re.fullmatch(r"'\$\(TestName\)'=='(\w+)'", cond)
        if not test or test.group(1) not in makefile_list("WIN_ONLY_UNIT_TESTS"):
            problems.append("%s: item group for %s, not a Win32 unit test" % (UNIT_PROJECT, cond))
    assert not problems, "\n".join(problems)


def test_every_unit_test_has_its_source():
    for test in makefile_list("UNIT_TESTS") + makefile_list("WIN_ONLY_UNIT_TESTS"):
        assert os.path.exists(os.path.join(ROOT, "tests", "unit", "test_%s.c" % test)), test


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
    pbkdf2 = project_sources(UNIT_PROJECT, condition=unit_condition("pbkdf2"))
    assert pbkdf2 and mismatches(UNIT_PROJECT, ["UNIT_WIN_SRC_logsink"], pbkdf2)
    for project, variables in RESOURCES.items():
        have = project_sources(project, "ResourceCompile")
        assert have, project
        assert mismatches(project, variables, set()), project
        assert mismatches(project, variables, have | {"server/other.rc"}), project

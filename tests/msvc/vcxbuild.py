#!/usr/bin/env python3
"""Builds a project of mtserver.sln in MSVC mode on Linux: clang-cl (the
MSVC-compatible driver of LLVM, also Visual Studio's "LLVM (clang-cl)"
toolset) compiles with the settings the .vcxproj and its .props give, llvm-rc
compiles the resources and lld-link links against the Universal CRT.

    vcxbuild.py server/server.vcxproj [-c Release] [-p TestName=session]

What the projects say is read from them, never repeated here: sources,
defines, include folders, warning level, /WX, the C standard, optimisation,
libraries, subsystem, resources and the message compiler step. A setting
this script does not know stops the build, so a new one in a project cannot
be silently left out of the check.

What must differ from a Visual Studio build is here and only here:
- the SDK and CRT headers are Wine's (libwine-dev), and tests/msvc/
  sdk_compat.h is forced into every file for the few names Wine 8's lack
  (tests/msvc/include/ for a fix that must follow a heavier header);
- /GS- after /sdl: the security cookie's code lives in the static
  vcruntime, which Wine does not ship;
- the CRT is linked as ucrtbase.dll and vcruntime140.dll, whatever the
  RuntimeLibrary (Wine has import libraries, not the static libucrt);
- the start-up code is tests/msvc/crt_start.c, for the same reason;
- the SDK's mc.exe is stood in for by MinGW's windmc, which reads the same
  .mc files and writes the same .rc and .bin files;
- an object compiled from the same source with the same flags is compiled
  once and shared (build/msvc/objcache): the unit project is built once
  per TestName, each time with the whole core, which Visual Studio would
  compile anew for each.
"""
import argparse
import concurrent.futures
import glob
import hashlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NS = "{http://schemas.microsoft.com/developer/msbuild/2003}"

# --- the toolchain stand-ins (see the docstring) ---
WINE_INCLUDE = "/usr/include/wine/wine"
WINE_LIB = "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows"
SDK_COMPAT = os.path.join(HERE, "sdk_compat.h")
SDK_COMPAT_INCLUDE = os.path.join(HERE, "include")
CRT_START = os.path.join(HERE, "crt_start.c")
OBJ_CACHE = os.path.join(ROOT, "build", "msvc", "objcache")
CRT_LIBS = ["ucrtbase", "vcruntime140"]
# Visual Studio's CoreLibraryDependencies, what %(AdditionalDependencies)
# stands for in a console project; those Wine has an import library for.
DEFAULT_LIBS = ["kernel32", "user32", "gdi32", "winspool", "comdlg32", "advapi32", "shell32",
                "ole32", "oleaut32", "uuid", "odbc32", "odbccp32"]


def llvm_tool(name):
    """clang-cl, lld-link and llvm-rc of the newest LLVM installed."""
    found = sorted(glob.glob("/usr/lib/llvm-*/bin/" + name),
                   key=lambda p: int(re.search(r"llvm-(\d+)", p).group(1)))
    if not found:
        sys.exit("vcxbuild: %s not found (make deps installs clang, lld and llvm)" % name)
    return found[-1]


def clang_include(clang_cl):
    llvm = os.path.dirname(os.path.dirname(clang_cl))
    found = glob.glob(os.path.join(llvm, "lib", "clang", "*", "include"))
    if not found:
        sys.exit("vcxbuild: clang's own headers not found under " + llvm)
    return sorted(found)[-1]


# --- reading the project: a small evaluator of the MSBuild we use ---
class Project:
    def __init__(self, path, configuration, overrides):
        self.path = os.path.abspath(path)
        self.dir = os.path.dirname(self.path)
        self.globals = dict(overrides)
        self.globals.update(Configuration=configuration, Platform="x64")
        self.props = {"ProjectName": os.path.splitext(os.path.basename(path))[0],
                      "ProjectDir": self.dir + "/", "SolutionDir": ROOT + "/"}
        self.props.update(self.globals)
        self.defs = {}      # tool -> {metadata: value}
        self.items = []     # (tool, path, {metadata})
        self.read(self.path)

    def expand(self, text, here):
        def prop(m):
            name, method, arg = m.group(1), m.group(2), m.group(3)
            if name == "MSBuildThisFileDirectory":
                value = here + "/"
            else:
                value = self.props.get(name, "")
            if method == "StartsWith":
                return str(value.startswith(arg))
            if method == "EndsWith":
                return str(value.endswith(arg))
            if method:
                raise SystemExit("vcxbuild: unknown property function %s" % method)
            return value
        return re.sub(r"\$\((\w+)(?:\.(\w+)\('([^']*)'\))?\)", prop, text)

    def holds(self, elem, here):
        cond = elem.get("Condition")
        if cond is None:
            return True
        text = self.expand(cond, here)
        for alternative in re.split(r"\s+or\s+", text):
            if all(self.term(t.strip()) for t in re.split(r"\s+and\s+", alternative)):
                return True
        return False

    @staticmethod
    def term(text):
        m = re.fullmatch(r"'([^']*)'\s*(==|!=)\s*'([^']*)'", text)
        if m:
            same = m.group(1).lower() == m.group(3).lower()
            return same if m.group(2) == "==" else not same
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise SystemExit("vcxbuild: cannot evaluate condition %r" % text)

    def path_of(self, text, here):
        text = text.replace("\\", "/")
        return os.path.normpath(os.path.join(here, text))

    def read(self, path):
        here = os.path.dirname(path)
        for elem in ET.parse(path).getroot():
            tag = elem.tag.replace(NS, "")
            if not self.holds(elem, here):
                continue
            if tag == "Import":
                project = elem.get("Project")
                if "$(VCTargetsPath)" not in project:  # Visual Studio's own files
                    self.read(self.path_of(self.expand(project, here), here))
            elif tag == "PropertyGroup":
                for p in elem:
                    name = p.tag.replace(NS, "")
                    if self.holds(p, here) and name not in self.globals:
                        self.props[name] = self.expand(p.text or "", here)
            elif tag == "ItemDefinitionGroup":
                for tool in elem:
                    meta = self.defs.setdefault(tool.tag.replace(NS, ""), {})
                    for m in tool:
                        name = m.tag.replace(NS, "")
                        if self.holds(m, here):
                            value = self.expand(m.text or "", here)
                            meta[name] = value.replace("%%(%s)" % name, meta.get(name, ""))
            elif tag == "ItemGroup" and elem.get("Label") != "ProjectConfigurations":
                for item in elem:
                    if self.holds(item, here):
                        meta = {m.tag.replace(NS, ""): self.expand(m.text or "", here)
                                for m in item}
                        include = self.expand(item.get("Include"), here)
                        self.items.append((item.tag.replace(NS, ""),
                                           self.path_of(include, self.dir), meta))

    def folder(self, name):
        return self.path_of(self.props[name], self.dir)

    def list_of(self, tool, name):
        value = self.defs.get(tool, {}).get(name, "")
        return [v for v in value.split(";") if v.strip()]


# --- from settings to command lines ---
COMPILE_FLAGS = {
    ("WarningLevel", "Level3"): ["/W3"], ("WarningLevel", "Level4"): ["/W4"],
    ("TreatWarningAsError", "true"): ["/WX"], ("TreatWarningAsError", "false"): [],
    ("LanguageStandard_C", "stdc11"): ["/std:c11"], ("LanguageStandard_C", "stdc17"): ["/std:c17"],
    ("Optimization", "Disabled"): ["/Od"], ("Optimization", "MaxSpeed"): ["/O2"],
    ("Optimization", "MinSpace"): ["/O1"],
    ("RuntimeLibrary", "MultiThreaded"): ["/MT"], ("RuntimeLibrary", "MultiThreadedDebug"): ["/MTd"],
    ("RuntimeLibrary", "MultiThreadedDLL"): ["/MD"],
    ("SDLCheck", "true"): ["/sdl"], ("SDLCheck", "false"): [],
}
LINK_FLAGS = {
    ("SubSystem", "Console"): ["/subsystem:console"],
    ("OptimizeReferences", "true"): ["/opt:ref"], ("EnableCOMDATFolding", "true"): ["/opt:icf"],
}


def translate(table, tool, meta, handled):
    flags = []
    for name, value in sorted(meta.items()):
        if name in handled:
            continue
        if (name, value) not in table:
            raise SystemExit("vcxbuild: %s setting %s=%s is not known to this check" %
                             (tool, name, value))
        flags += table[(name, value)]
    return flags


def compile_flags(proj, clang_cl):
    meta = proj.defs.get("ClCompile", {})
    flags = ["/nologo", "/c"] + translate(
        COMPILE_FLAGS, "ClCompile", meta,
        {"AdditionalIncludeDirectories", "PreprocessorDefinitions"})
    if proj.props.get("CharacterSet") == "Unicode":
        flags += ["/DUNICODE", "/D_UNICODE"]  # what Visual Studio adds for it
    flags += ["/D" + d for d in proj.list_of("ClCompile", "PreprocessorDefinitions")]
    flags += ["/I" + proj.path_of(d, proj.dir)
              for d in proj.list_of("ClCompile", "AdditionalIncludeDirectories")]
    flags += ["/GS-", "-imsvc", SDK_COMPAT_INCLUDE, "-imsvc", clang_include(clang_cl),
              "-imsvc", WINE_INCLUDE + "/msvcrt",
              "-imsvc", WINE_INCLUDE + "/windows", "/FI" + SDK_COMPAT]
    return flags


def stale(target, sources):
    if not os.path.exists(target):
        return True
    built = os.path.getmtime(target)
    return any(os.path.getmtime(s) > built for s in sources)


def run(cmd, cwd=None):
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout.decode("utf-8", "replace"))
        raise SystemExit("vcxbuild: failed: " + " ".join(cmd))


def headers_under(folders):
    found = [SDK_COMPAT] + glob.glob(os.path.join(SDK_COMPAT_INCLUDE, "*.h"))
    for folder in folders:
        found += glob.glob(os.path.join(folder, "*.h"))
    return found


def build(proj, jobs):
    clang_cl, lld_link, llvm_rc = llvm_tool("clang-cl"), llvm_tool("lld-link"), llvm_tool("llvm-rc")
    if proj.props.get("ConfigurationType") != "Application":
        raise SystemExit("vcxbuild: only Application projects are checked")
    out_dir, int_dir = proj.folder("OutDir"), proj.folder("IntDir")
    os.makedirs(out_dir, exist_ok=True)
    os.makedirs(int_dir, exist_ok=True)
    cflags = compile_flags(proj, clang_cl)
    include_dirs = [f[2:] for f in cflags if f.startswith("/I")]
    # Every object depends on the headers of the include folders, listed once.
    shared_headers = headers_under(include_dirs)

    sources = [p for tool, p, _ in proj.items if tool == "ClCompile"] + [CRT_START]
    objects, jobs_to_run, shares = [], [], []
    os.makedirs(OBJ_CACHE, exist_ok=True)
    for src in sources:
        rel = os.path.relpath(src, ROOT).replace("/", "_").replace("..", "up")
        obj = os.path.join(int_dir, rel[:-2] + ".obj")
        objects.append(obj)
        deps = [src] + shared_headers + glob.glob(os.path.join(os.path.dirname(src), "*.h"))
        if not stale(obj, deps):
            continue
        key = hashlib.sha1("\0".join(cflags + [src]).encode()).hexdigest()[:24]
        cached = os.path.join(OBJ_CACHE, key + ".obj")
        shares.append((cached, obj))
        if stale(cached, deps):
            # Written under a name of its own and renamed: builds of other
            # projects running at once may want the same object.
            tmp = "%s.%d.tmp" % (cached, os.getpid())
            jobs_to_run.append(([clang_cl] + cflags + ["/Fo" + tmp, "--", src], tmp, cached))

    def compile_one(job):
        cmd, tmp, cached = job
        run(cmd)
        os.replace(tmp, cached)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for cmd, _, _ in jobs_to_run:
            print("clang-cl", os.path.relpath(cmd[-1], ROOT))
        list(pool.map(compile_one, jobs_to_run))
    for cached, obj in shares:
        if os.path.exists(obj):
            os.remove(obj)
        os.link(cached, obj)

    resources = []
    rc_includes = []
    for d in proj.list_of("ResourceCompile", "AdditionalIncludeDirectories"):
        rc_includes += ["/I", proj.path_of(d, proj.dir)]
    for tool, path, meta in proj.items:
        if tool == "CustomBuild":
            custom_build(proj, path, meta)
        elif tool == "ResourceCompile":
            res = os.path.join(int_dir, os.path.basename(path)[:-3] + ".res")
            if stale(res, rc_inputs(path, rc_includes[1::2])):
                print("llvm-rc", os.path.relpath(path, ROOT))
                # The script is named without its folder (llvm-rc runs there): an
                # absolute path such as /check/... would be read as the /c option.
                run([llvm_rc, "/nologo"] + rc_includes +
                    ["/I", WINE_INCLUDE + "/windows", "/I", WINE_INCLUDE + "/msvcrt",
                     "/fo", res, os.path.basename(path)], cwd=os.path.dirname(path))
            resources.append(res)
        elif tool not in ("ClCompile", "ClInclude", "None"):
            raise SystemExit("vcxbuild: item type %s is not known to this check" % tool)

    libs = []
    for dep in proj.list_of("Link", "AdditionalDependencies") + DEFAULT_LIBS + CRT_LIBS:
        lib = os.path.join(WINE_LIB, "lib%s.a" % dep.replace(".lib", "").lower())
        if os.path.exists(lib) and lib not in libs:
            libs.append(lib)
        elif dep not in DEFAULT_LIBS and not os.path.exists(lib):
            raise SystemExit("vcxbuild: no import library for %s in %s" % (dep, WINE_LIB))
    exe = os.path.join(out_dir, proj.props["TargetName"] + ".exe")
    link_meta = dict(proj.defs.get("Link", {}))
    link_flags = translate(LINK_FLAGS, "Link", link_meta, {"AdditionalDependencies"})
    if stale(exe, objects + resources):
        print("lld-link", os.path.relpath(exe, ROOT))
        run([lld_link, "/nologo", "/nodefaultlib", "/entry:mainCRTStartup", "/out:" + exe] +
            link_flags + objects + resources + libs)
    return exe


def rc_inputs(path, include_dirs):
    """A resource script and the files it names in quotes (#include "x.h",
    RCDATA "file") that exist beside it or in its include folders: a change
    to any of them rebuilds the .res (mtserver.rc carries the first
    configuration's template, installer/mtserver.ini)."""
    found = [path]
    here = os.path.dirname(path)
    with open(path, encoding="utf-8", errors="replace") as f:
        names = re.findall(r'"([^"\n]+\.\w+)"', f.read())
    for name in names:
        for folder in [here] + list(include_dirs):
            candidate = os.path.normpath(os.path.join(folder, name.replace("\\", "/")))
            if os.path.isfile(candidate):
                found.append(candidate)
                break
    return found


def custom_build(proj, path, meta):
    """The message compiler step: mc.exe's command line, run by windmc."""
    command = meta.get("Command", "").replace("%(FullPath)", path)
    outputs = [proj.path_of(o, proj.dir) for o in meta.get("Outputs", "").split(";") if o]
    words = re.findall(r'"([^"]*)"|(\S+)', command)
    argv = [a or b for a, b in words]
    if not argv or argv[0].lower() != "mc.exe":
        raise SystemExit("vcxbuild: custom build step %r is not known to this check" % command)
    argv = ["x86_64-w64-mingw32-windmc"] + [proj.path_of(a, proj.dir) if a.endswith(".") else a
                                            for a in argv[1:]]
    if not outputs or any(stale(o, [path]) for o in outputs):
        print("windmc (for mc.exe)", os.path.relpath(path, ROOT))
        run(argv)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("-c", "--configuration", default="Release")
    ap.add_argument("-p", "--property", action="append", default=[],
                    help="NAME=VALUE, as msbuild's /p:")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    overrides = dict(p.split("=", 1) for p in args.property)
    exe = build(Project(args.project, args.configuration, overrides), args.jobs)
    print("built", os.path.relpath(exe, ROOT))


if __name__ == "__main__":
    main()

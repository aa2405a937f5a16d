#!/usr/bin/env python3
"""Binding tests for oscpp.path, the native posixpath.

    python3 tests/python/test_path.py --module-dir DIR

Every call is made on CPython's posixpath and on oscpp.path and the
outcomes (value and type, or exception type and message) must agree. The
random differential test is test_path_differential.py; this file holds the
fixed cases, the module's shape, the honoured monkeypatches, and pathlib and
tarfile (which call realpath/commonpath/normpath/splitroot) running with
oscpp.path swapped in for posixpath.
"""

import json
import os
import posixpath
import pwd
import shutil
import subprocess
import sys
import tempfile
import textwrap
import types
import unittest
from unittest import mock

import support
from support import FakePath, oscpp


def outcome(fn):
    try:
        value = fn()
        return ("ok", type(value), value)
    except Exception as e:  # noqa: BLE001 - compared
        result = ("raise", type(e), str(e))
        if isinstance(e, OSError):
            result += (e.errno, e.filename)
        return result


class Comparing(unittest.TestCase):
    def same(self, name, *args, **kwargs):
        want = outcome(lambda: getattr(posixpath, name)(*args, **kwargs))
        got = outcome(lambda: getattr(oscpp.path, name)(*args, **kwargs))
        self.assertEqual(got, want, (name, args, kwargs))
        return got

    def setUp(self):
        self.dir = os.path.realpath(tempfile.mkdtemp(prefix="oscpp-path-"))
        self.addCleanup(shutil.rmtree, self.dir)
        old = os.getcwd()
        os.chdir(self.dir)
        self.addCleanup(os.chdir, old)


class ModuleTests(unittest.TestCase):
    def test_submodule(self):
        import oscpp.path
        self.assertIs(sys.modules["oscpp.path"], oscpp.path)
        self.assertIsInstance(oscpp.path, types.ModuleType)
        self.assertEqual(oscpp.path.__name__, "oscpp.path")

    def test_names_are_posixpaths(self):
        self.assertEqual(sorted(oscpp.path.__all__), sorted(posixpath.__all__))
        for name in posixpath.__all__:
            ours = getattr(oscpp.path, name)
            theirs = getattr(posixpath, name)
            if callable(theirs):
                self.assertIsInstance(ours, types.BuiltinFunctionType, name)
            else:
                self.assertEqual(ours, theirs, name)

    def test_signatures(self):
        import inspect
        for name in posixpath.__all__:
            theirs = getattr(posixpath, name)
            if not inspect.isfunction(theirs):
                continue
            self.assertEqual(
                list(inspect.signature(getattr(oscpp.path, name)).parameters),
                list(inspect.signature(theirs).parameters), name)

    @unittest.skipIf(sys.version_info < (3, 13), "posix has them from 3.13")
    def test_posix_fast_path_names(self):
        self.assertIs(oscpp._path_normpath, oscpp.path.normpath)
        self.assertIs(oscpp._path_splitroot_ex, oscpp.path.splitroot)


class ArgumentTests(Comparing):
    """Each function's argument errors, names and signatures are
    posixpath's: the interpreter's words for its Python functions,
    Argument Clinic's for 3.13's posix builtins (normpath, splitroot)."""

    def functions(self):
        return [name for name in posixpath.__all__
                if callable(getattr(posixpath, name))]

    def test_argument_errors(self):
        import inspect
        for name in self.functions():
            calls = [((), {}), ((None,), {}), ((None, None), {}),
                     ((None, None, None), {}), ((), {"bogus": 1}),
                     ((None,), {"bogus": 1}), ((), {"a": 1, "b": 2})]
            for p in inspect.signature(getattr(posixpath, name)).parameters:
                calls += [((), {p: None}), ((None,), {p: None}),
                          ((), {p: None, "bogus": 1})]
            for args, kwargs in calls:
                self.same(name, *args, **kwargs)
        if sys.version_info >= (3, 10):
            self.same("realpath", "f", None)
            self.same("realpath", "f", strict=False, bogus=2)

    def test_names_and_signatures(self):
        import inspect
        for name in self.functions():
            ours = getattr(oscpp.path, name)
            theirs = getattr(posixpath, name)
            self.assertEqual(ours.__name__, theirs.__name__)
            self.assertEqual(str(inspect.signature(ours)),
                             str(inspect.signature(theirs)), name)


class LexicalTests(Comparing):
    PATHS = ["", "/", "//", "///", "//a", "///a", "a", "a/", "a//b", "a/./b",
             "a/../b", "/..", "/../..", "../a", "./a", ".", "..", "a/b/..",
             ".bashrc", "...a", "....", ".a.b", "a.", "a.b.c", "/a.b/c",
             "a\x00b", "é/\udcff", "\ud800/x", "~", "~/x", "~root/x",
             "~nosuchuser/x", "$HOME", "${HOME}/x", "$", "${", "${}", "$1",
             "%HOME%", "$föö", "a" * 300 + "/" + "b" * 300]

    def test_one_argument_functions(self):
        names = ["normcase", "isabs", "splitdrive", "split", "splitext",
                 "basename", "dirname", "normpath", "expandvars",
                 "expanduser", "abspath", "splitroot", "isjunction",
                 "isdevdrive"]
        names = [n for n in names if hasattr(posixpath, n)]
        for p in self.PATHS:
            b = p.encode("utf-8", "surrogatepass")
            for name in names:
                for arg in (p, b, FakePath(p), FakePath(b)):
                    self.same(name, arg)

    def test_join(self):
        for args in [("a",), ("a", "b"), ("a", "/b", "c"), ("a", ""),
                     ("", ""), ("/", "a"), ("a/", "b"), (b"a", b"b"),
                     ("a", FakePath("b")), (FakePath(b"/"), b"x"),
                     ("\ud800", "a"), ("a", "\ud800", "é")]:
            self.same("join", *args)

    def test_join_errors(self):
        for args in [(), (42,), (None,), ("a", 42), ("a", b"b"),
                     (b"a", "b"), ("a", ["b"]), ("a", bytearray(b"b")),
                     ("a", FakePath("b"), 42), ("a", b"b", 42),
                     ("a", FakePath(42))]:
            got = self.same("join", *args)
            self.assertEqual(got[0], "raise")
        self.same("join", a="x")

    def test_commonprefix_and_commonpath(self):
        for m in [[], ["a/b", "a/c"], ["/usr/lib", "/usr/local"],
                  [b"/a", b"/ab"], [["a", "b"], ["a", "c"]], ["a", b"a"],
                  ["é", "\udcc3"], None, ["", ""], 1, {0: "a/b", "x": 1},
                  {1: "a"}]:
            self.same("commonprefix", m)
        for paths in [[], ["/a/b", "/a/c"], ["a", "/a"], ["", "/spam"],
                      [""], ["/", "/"], ["//a", "/a/b"], ["a/../b", "a"],
                      [b"/x/y", b"/x"], ["a", b"a"], None, ["a", None],
                      ("a/./b", "a/b/c"), ["\ud800/a", "\ud800/b"]]:
            self.same("commonpath", paths)
        for items in ([], ["/a/b", "/a/c"]):  # a fresh iterator each
            self.assertEqual(
                outcome(lambda: oscpp.path.commonpath(iter(items))),
                outcome(lambda: posixpath.commonpath(iter(items))))

    def test_relpath(self):
        for args in [("a",), ("/a/b", "/a/c"), ("a", "../b"), ("/", "/"),
                     (b"a", b"/"), ("", ), (None,), (42,), ("a", b"b"),
                     ("a", 42), (FakePath(""),), (bytearray(b"a"),),
                     ("\ud800", "/")]:
            self.same("relpath", *args)

    def test_expandvars_sees_both_environments(self):
        os.environ["OSCPP_PATH_T1"] = "one"
        oscpp.environ["OSCPP_PATH_T2"] = "two"
        self.addCleanup(os.environ.pop, "OSCPP_PATH_T1", None)
        self.addCleanup(oscpp.environ.pop, "OSCPP_PATH_T2", None)
        self.assertEqual(oscpp.path.expandvars("$OSCPP_PATH_T1/${OSCPP_PATH_T2}"),
                         "one/two")
        self.assertEqual(oscpp.path.expandvars(b"$OSCPP_PATH_T1"), b"one")
        for p in ["${{OSCPP_PATH_T1}}", "$OSCPP_PATH_T1}x", "$?x", "${x",
                  "$OSCPP_PATH_T1=", "${OSCPP_PATH_T1=}", "a$", "$$"]:
            self.same("expandvars", p)

    def test_expanduser_homes(self):
        saved = os.environ.get("HOME")
        self.addCleanup(os.environ.__setitem__, "HOME", saved)
        for home in ["/", "", "//", "///", "/home/x/", "rel"]:
            os.environ["HOME"] = home
            for p in ["~", "~/", "~/x", b"~", b"~/x"]:
                self.same("expanduser", p)
        del os.environ["HOME"]
        for p in ["~", "~/x", b"~/x"]:
            self.same("expanduser", p)
        for entry in pwd.getpwall()[:5]:
            self.same("expanduser", "~%s/x" % entry.pw_name)
            self.same("expanduser", b"~%s" % os.fsencode(entry.pw_name))
        for p in ["~a\x00b", b"~\xc3\xa9x", "~\ud800/x", "~\udcff"]:
            self.same("expanduser", p)


class FileSystemTests(Comparing):
    def make(self):
        os.makedirs("d/sub")
        with open("f", "wb") as stream:
            stream.write(b"12345")
        for name, target in [("link", "d"), ("dangling", "missing"),
                             ("loop1", "loop2"), ("loop2", "loop1"),
                             ("self", "self"), ("up", "..")]:
            os.symlink(target, name)

    def test_predicates(self):
        self.make()
        args = ["f", "d", "link", "dangling", "loop1", "missing", "f/",
                "d/", b"f", FakePath("d"), "", "a\x00b", b"\x00", "\udfff",
                b"\xff", "/", "/proc"]
        for name in ("exists", "lexists", "isfile", "isdir", "islink",
                     "ismount"):
            for a in args:
                self.same(name, a)
            for a in (None, 1.5, [], 2**70):
                self.same(name, a)

    def test_descriptors(self):
        self.make()
        fd = os.open("f", os.O_RDONLY)
        self.addCleanup(os.close, fd)
        for name in ("exists", "isfile", "isdir", "getsize"):
            self.same(name, fd)
        r, w = os.pipe()
        os.close(r)
        os.close(w)
        self.same("exists", r)
        self.same("exists", -1)
        self.same("islink", fd)
        self.same("sameopenfile", fd, fd)

    def test_stat_based(self):
        self.make()
        for name in ("getsize", "getmtime", "getatime", "getctime"):
            for a in ("f", b"f", FakePath("d"), "missing", b"missing",
                      "a\x00b", b"a\x00b", None, "\udfff"):
                self.same(name, a)
        self.same("samefile", "d", "link")
        self.same("samefile", "f", b"f")
        self.same("samefile", "missing", "f")
        self.same("samefile", "f", None)
        st = os.stat("f")
        self.same("samestat", st, os.stat(b"f"))
        self.same("samestat", st, os.stat("d"))

    def test_realpath(self):
        self.make()
        cases = ["f", "link/sub", "link/..", "dangling", "loop1",
                 "loop1/../f", "self/x", "up/d", "missing/../f", ".", "..",
                 "/".join(["."] * 100), "/".join([".."] * 100), b"link",
                 FakePath("link"), "a\x00b", b"a\x00b", "\ud800", "",
                 self.dir + "/link/sub/../..", "f/",
                 # A NUL after a missing part, a loop, a file, a link: which
                 # error comes first (strict) is the walk's order.
                 "missing/a\x00b", b"missing/a\x00b", "loop1/a\x00b",
                 "f/a\x00b", "link/a\x00b/..", "/a\x00b", "d/\x00"]
        for p in cases:
            self.same("realpath", p)
            if sys.version_info >= (3, 10):
                self.same("realpath", p, strict=True)
        for p in (None, 42):
            self.same("realpath", p)
        if sys.version_info >= (3, 10):
            self.same("realpath", "f", True)
            self.same("realpath", filename="f", strict=1)

    def test_abspath_in_an_undecodable_directory(self):
        where = os.path.join(os.fsencode(self.dir), b"\xff-\xc3\xa9")
        os.mkdir(where)
        os.chdir(where)
        for p in ("x", b"x", "", b"", "\ud800", "../y"):
            self.same("abspath", p)
            self.same("relpath", p or ".", "/")
            self.same("realpath", p)


class PatchTests(Comparing):
    """Patches of oscpp's lstat/getcwd/getcwdb and of pwd are honoured, as
    posixpath honours patches of os.X."""

    def test_lstat_patch_reaches_ismount(self):
        seen = []

        def fake_lstat(path):
            seen.append(path)
            dev = 1 if path == self.dir else 0
            return os.stat_result((0o40755, 1, dev, 0, 0, 0, 0, 0, 0, 0))

        with mock.patch.object(oscpp, "lstat", fake_lstat):
            self.assertIs(oscpp.path.ismount(self.dir), True)
        self.assertEqual(seen[0], self.dir)
        self.assertIs(oscpp.path.ismount(self.dir), False)

    def test_getcwd_patch_reaches_abspath_and_relpath(self):
        with mock.patch.object(oscpp, "getcwd", lambda: "/home/user/bar"):
            self.assertEqual(oscpp.path.abspath("x"), "/home/user/bar/x")
            self.assertEqual(oscpp.path.relpath("a", "../b"), "../bar/a")
            self.assertEqual(oscpp.path.abspath(b"x"),
                             os.path.join(os.getcwdb(), b"x"))
        with mock.patch.object(oscpp, "getcwdb", lambda: b"/home/user/bar"):
            self.assertEqual(oscpp.path.relpath(b"a", b"../b"), b"../bar/a")
        self.assertEqual(oscpp.path.abspath("x"), os.path.join(self.dir, "x"))

    def test_pwd_patch_reaches_expanduser(self):
        with support_environment_without("HOME"):
            self.assertEqual(oscpp.path.expanduser("~"),
                             pwd.getpwuid(os.getuid()).pw_dir.rstrip("/")
                             or "/")
            with mock.patch.object(pwd, "getpwuid", side_effect=KeyError), \
                    mock.patch.object(pwd, "getpwnam", side_effect=KeyError):
                for p in ("~", "~/.local", "~root/", b"~root"):
                    self.assertEqual(oscpp.path.expanduser(p), p)
        self.assertEqual(oscpp.path.expanduser("~root"),
                         posixpath.expanduser("~root"))


class support_environment_without:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.saved = os.environ.pop(self.name, None)

    def __exit__(self, *unused):
        if self.saved is not None:
            os.environ[self.name] = self.saved


# Run in a child: pathlib and tarfile imported with posixpath (and os.path)
# swapped for oscpp.path, or not; prints what they did as JSON.
CLIENT_SCRIPT = r'''
import io, json, os, sys, tarfile as _unused
swap = sys.argv[2] == "swap"
if swap:
    sys.path.insert(0, sys.argv[1])
    import oscpp, oscpp.path
    for name in [m for m in sys.modules
                 if m == "pathlib" or m.startswith("pathlib.")
                 or m in ("tarfile", "shutil")]:
        del sys.modules[name]
    sys.modules["posixpath"] = sys.modules["os.path"] = oscpp.path
    os.path = oscpp.path
import pathlib, tarfile
out = {}
parser = getattr(pathlib.PurePosixPath, "parser",
                 getattr(pathlib.PurePosixPath, "_flavour", None))
out["parser is oscpp.path"] = swap and parser is sys.modules["posixpath"]
out["tarfile's os.path"] = tarfile.os.path.__name__
top = os.path.realpath(sys.argv[3])
os.chdir(top)
os.makedirs("d/sub")
os.symlink("d/sub", "link")
P = pathlib.Path
out["paths"] = [str(x) for x in [
    P("link/../x").resolve(), P("link").resolve(strict=True),
    P("a//b/./c").absolute(), P("/a/b").relative_to("/a"),
    P("//x/y").parts, P("a/b.tar.gz").suffixes, P("~").expanduser(),
    P("d").is_mount(), P("link").is_symlink(), P("a") / "b" / "/c",
    pathlib.PurePosixPath("//a/b").root, P("d/sub").exists()]]

def tar(members):
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as t:
        for name, kind, target in members:
            info = tarfile.TarInfo(name)
            if kind == "sym":
                info.type, info.linkname = tarfile.SYMTYPE, target
            elif kind == "lnk":
                info.type, info.linkname = tarfile.LNKTYPE, target
            t.addfile(info, io.BytesIO(b"") if kind == "file" else None)
    data.seek(0)
    return data

cases = {
    "ok": [("a/b", "file", None), ("a/l", "sym", "b")],
    "dotdot": [("../escape", "file", None)],
    "absolute": [("/abs", "file", None)],
    "abs link": [("l", "sym", "/etc/passwd")],
    "link out": [("l", "sym", "../../x")],
    "through link": [("l", "sym", "d"), ("l/x", "file", None)],
    "hard out": [("h", "lnk", "../../etc/passwd")],
}
for filt in ("data", "tar"):
    if not hasattr(tarfile, "data_filter"):
        break
    for name, members in sorted(cases.items()):
        dest = os.path.join(top, "x-%s-%s" % (filt, name.replace(" ", "_")))
        os.mkdir(dest)
        try:
            with tarfile.open(fileobj=tar(members)) as t:
                t.extractall(dest, filter=filt)
            result = sorted(os.path.relpath(os.path.join(r, n), dest)
                            for r, ds, fs in os.walk(dest) for n in ds + fs)
        except Exception as e:
            result = [type(e).__name__, str(e).replace(top, "<top>")]
        out["%s %s" % (filt, name)] = result
print(json.dumps(out, sort_keys=True))
'''


class ClientTests(unittest.TestCase):
    def run_client(self, swap):
        top = tempfile.mkdtemp(prefix="oscpp-path-client-")
        self.addCleanup(shutil.rmtree, top)
        done = subprocess.run(
            [sys.executable, "-S", "-c", CLIENT_SCRIPT,
             support.MODULE_DIR or "", "swap" if swap else "real", top],
            capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        out = json.loads(done.stdout)
        return out, top

    def test_pathlib_and_tarfile_with_oscpp_path(self):
        theirs, top1 = self.run_client(False)
        ours, top2 = self.run_client(True)
        self.assertEqual(ours.pop("tarfile's os.path"), "oscpp.path")
        self.assertEqual(theirs.pop("tarfile's os.path"), "posixpath")
        if sys.version_info >= (3, 12):
            self.assertTrue(ours.pop("parser is oscpp.path"))
        else:
            ours.pop("parser is oscpp.path")
        theirs.pop("parser is oscpp.path")
        theirs["paths"] = [p.replace(os.path.realpath(top1), "<top>")
                           for p in theirs["paths"]]
        ours["paths"] = [p.replace(os.path.realpath(top2), "<top>")
                         for p in ours["paths"]]
        self.assertEqual(ours, theirs)


if __name__ == "__main__":
    unittest.main()

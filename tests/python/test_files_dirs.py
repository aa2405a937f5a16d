#!/usr/bin/env python3
"""Binding tests for Files and Directories, the dirs topic: listdir, mkdir,
rmdir, chdir, fchdir, getcwd, getcwdb, chroot, and os.py's makedirs,
removedirs and renames (and replace, tested with rmdir).

    python3 tests/python/test_files_dirs.py --module-dir DIR

Each operation runs twice, once with CPython's os and once with oscpp, in two
fresh directories prepared the same way; results, exceptions (type, errno,
message, filenames) and the resulting directory contents must agree.
"""

import errno
import inspect
import os
import pathlib
import subprocess
import sys
import textwrap
import threading
import unittest

from support import (BAD_FD, DirsCase, FakePath, FilesCase, MODULE_DIR,
                     WithFileno, filename_of, files, oscpp, outcome,
                     run_unprivileged, tree)



PATH_KINDS = [lambda p: p, os.fsencode, FakePath, pathlib.Path]


# ---------------------------------------------------------------- chdir

class ChdirTests(DirsCase):

    def test_result(self):
        setup = files("f", dirs=["d"], links=[("d", "ld")])
        for path in ["d", b"d", FakePath("d"), pathlib.Path("ld"), "missing",
                     "f", "", "f/x"]:
            with self.subTest(path=path):
                def op(m, _):
                    m.chdir(path)
                    return os.path.basename(os.getcwd())
                self.same(op, setup)

    def test_fd(self):
        os.mkdir("d")
        fd = self.open("d")
        oscpp.chdir(fd)
        self.assertEqual(os.getcwd(), os.path.join(self.dir, "d"))
        oscpp.fchdir(WithFileno(self.open(self.dir)))
        self.assertEqual(os.getcwd(), self.dir)
        oscpp.fchdir(fd)
        self.assertEqual(os.getcwd(), os.path.join(self.dir, "d"))

    def test_errors_name_the_callers_object(self):
        for path in ["missing", b"missing", FakePath("missing")]:
            self.assert_raises_with(
                FileNotFoundError, errno.ENOENT, lambda: oscpp.chdir(path),
                path.path if isinstance(path, FakePath) else path)
        # chdir(fd) names the fd; fchdir names nothing, as Python's.
        bad = BAD_FD
        self.assert_raises_with(OSError, errno.EBADF,
                                lambda: oscpp.chdir(bad), bad)
        self.assert_raises_with(OSError, errno.EBADF,
                                lambda: oscpp.fchdir(bad))
        for fd in [BAD_FD, -1]:
            self.same(lambda m, _: m.chdir(fd))
            self.same(lambda m, _: m.fchdir(fd))

    def test_minus_one_is_no_fd(self):
        # CPython takes fd -1 for "no descriptor": EFAULT naming the -1.
        for f, args in [("chdir", ()), ("chown", (0, 0)), ("statvfs", ()),
                        ("truncate", (0,)), ("pathconf", ("PC_NAME_MAX",))]:
            with self.subTest(f=f):
                fd = -1
                mine = outcome(lambda: getattr(oscpp, f)(fd, *args))
                self.assertEqual(mine[:3], ("raise", OSError, errno.EFAULT))
                self.assertEqual(mine[4], -1)
                if f != "pathconf":  # CPython's pathconf(-1) crashes
                    self.assertEqual(mine, outcome(
                        lambda: getattr(os, f)(fd, *args)))

    def test_argument_errors(self):
        for args, kwargs in [((), {}), ((1.5,), {}), ((None,), {}),
                             (("a\0",), {}), ((b"a\0",), {}),
                             (("d", "e"), {}), ((), dict(path="d", x=1)),
                             ((2**40,), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.chdir(*args, **kwargs))[0],
                    "raise")
        for args in [(), ("d",), (1.5,), (2**40,), (1, 2)]:
            with self.subTest(args=args):
                self.assertEqual(self.same(lambda m, _: m.fchdir(*args))[0],
                                 "raise")


# ---------------------------------------------------------------- getcwd

class GetcwdTests(DirsCase):

    def test_types(self):
        self.assertEqual(oscpp.getcwd(), os.getcwd())
        self.assertIs(type(oscpp.getcwd()), str)
        self.assertEqual(oscpp.getcwdb(), os.getcwdb())
        self.assertIs(type(oscpp.getcwdb()), bytes)

    def test_undecodable(self):
        name = b"\xff\xfe"
        os.mkdir(name)
        os.chdir(name)
        self.assertEqual(oscpp.getcwd(), os.getcwd())
        self.assertEqual(oscpp.getcwdb(), os.getcwdb())

    def test_beyond_path_max(self):
        name = "x" * 200
        depth = 0
        while len(os.getcwd()) < 3 * 4096:
            os.mkdir(name)
            os.chdir(name)
            depth += 1
        self.assertEqual(oscpp.getcwd(), os.getcwd())
        self.assertEqual(oscpp.getcwdb(), os.getcwdb())
        for _ in range(depth):
            os.chdir("..")
            os.rmdir(name)

    def test_removed(self):
        os.mkdir("gone")
        os.chdir("gone")
        os.rmdir(os.path.join(self.dir, "gone"))
        for name in ["getcwd", "getcwdb"]:
            mine = outcome(getattr(oscpp, name))
            self.assertEqual(mine, outcome(getattr(os, name)))
            self.assertIs(mine[1], FileNotFoundError)
            self.assertIsNone(mine[4])

    def test_argument_errors(self):
        for name in ["getcwd", "getcwdb"]:
            for args, kwargs in [((1,), {}), ((1, 2), {}), ((), dict(x=1))]:
                with self.subTest(name=name, args=args, kwargs=kwargs):
                    self.same(lambda m, _: getattr(m, name)(*args, **kwargs))


# ---------------------------------------------------------------- chroot

class ChrootTests(DirsCase):

    def test_result_in_a_child(self):
        os.mkdir("jail")
        open("jail/marker", "w").close()
        code = textwrap.dedent("""
            import os, sys
            sys.path.insert(0, sys.argv[1])
            import oscpp
            oscpp.chroot(sys.argv[2])
            oscpp.chdir("/")
            print(sorted(os.listdir("/")), oscpp.getcwd())
        """)
        r = subprocess.run([sys.executable, "-S", "-c", code, MODULE_DIR or "",
                            os.path.join(self.dir, "jail")],
                           capture_output=True, text=True)
        # The interpreter may be unable to import anything inside the jail;
        # whatever it printed before is what counts.
        self.assertIn("['marker'] /", r.stdout, r.stderr)

    def test_errors(self):
        setup = files("f")
        for path in ["missing", b"missing", FakePath("f"), "f"]:
            with self.subTest(path=path):
                self.same(lambda m, _: m.chroot(path), setup)
        path = "missing"
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.chroot(path), path)
        for args in [(), (1,), (None,), ("a\0",)]:
            self.assertEqual(self.same(lambda m, _: m.chroot(*args))[0],
                             "raise")

    def test_unprivileged(self):
        os.chmod(self.dir, 0o755)
        r = run_unprivileged("""
            for m in (oscpp, os):
                try:
                    m.chroot(".")
                except PermissionError as e:
                    print(m.__name__, e.errno, repr(e.filename))
        """)
        self.assertEqual(r.stdout.split("\n")[:2],
                         ["oscpp 1 '.'", "os 1 '.'"], r.stderr)


# ---------------------------------------------------------------- removal

class RmdirReplaceTests(DirsCase):

    def test_rmdir(self):
        def setup():
            os.makedirs("full/sub")
            os.mkdir("empty")
            open("f", "w").close()
        for path in ["empty", b"empty", FakePath("empty"), "full", "f",
                     "missing", "empty/."]:
            with self.subTest(path=path):
                self.same(lambda m, _: m.rmdir(path), setup)
        self.same(lambda m, _: m.rmdir("empty", dir_fd=self.open(".")), setup)
        self.same(lambda m, _: m.rmdir("empty", dir_fd=BAD_FD), setup)
        os.makedirs("full/sub")
        path = b"full"
        self.assert_raises_with(OSError, errno.ENOTEMPTY,
                                lambda: oscpp.rmdir(path), path)
        for args, kwargs in [((), {}), ((3,), {}), (("d", 3), {}),
                             (("d",), dict(dir_fd="x"))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.rmdir(*args, **kwargs))[0],
                    "raise")

    def test_replace(self):
        def setup():
            os.makedirs("d/sub")
            os.mkdir("e")
            for name in ["f", "g"]:
                with open(name, "w") as f:
                    f.write(name)
        for src, dst in [("f", "g"), (b"f", b"h"), (FakePath("f"), "d/x"),
                         ("f", "d"), ("e", "d"), ("d", "e"), ("missing", "x"),
                         ("f", "no/x")]:
            with self.subTest(src=src, dst=dst):
                self.same(lambda m, _: m.replace(src, dst), setup)

        def op(m, _):
            m.replace("f", "moved", src_dir_fd=self.open("."),
                      dst_dir_fd=self.open("d"))
        self.same(op, setup)
        src, dst = FakePath(b"missing"), "x"
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.replace(src, dst),
                                b"missing", dst)
        for args, kwargs in [((), {}), (("f",), {}), ((1, "g"), {}),
                             (("f", "g"), dict(src_dir_fd="x")),
                             (("f", "g", 1), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.replace(*args, **kwargs),
                              setup)[0], "raise")


# ---------------------------------------------------------------- os.py's

class MakedirsTests(DirsCase):

    def setup(self):
        os.mkdir("d")
        open("f", "w").close()

    def test_result(self):
        for name in ["a/b/c", b"a/b/c", FakePath("a/b/c/"),
                     pathlib.Path("a/b"), "d", "d/x/y", "f", "f/x/y", "a/./b",
                     "a/b/.", "d/.", ".", "..", "a//b//c", "", "/"]:
            for kwargs in [{}, dict(exist_ok=True), dict(mode=0o700),
                           dict(mode=0o700, exist_ok=1)]:
                with self.subTest(name=name, kwargs=kwargs):
                    old = os.umask(0o022)
                    try:
                        self.same(lambda m, _: m.makedirs(name, **kwargs),
                                  self.setup)
                    finally:
                        os.umask(old)

    def test_absolute(self):
        for module in (os, oscpp):
            base = os.path.join(self.dir, module.__name__)
            module.makedirs(os.path.join(base, "x", "y"))
            module.makedirs(os.path.join(base, "x", "y"), exist_ok=True)
        self.assertEqual(tree(os.path.join(self.dir, "oscpp"), owners=True),
                         tree(os.path.join(self.dir, "os"), owners=True))

    def test_error_filenames(self):
        self.setup()
        name = "d"
        self.assert_raises_with(FileExistsError, errno.EEXIST,
                                lambda: oscpp.makedirs(name), name)
        self.assert_raises_with(
            FileExistsError, errno.EEXIST,
            lambda: oscpp.makedirs("f", exist_ok=True), "f")
        # A parent that cannot be made is named as a new str or bytes.
        for name, parent in [("f/x/y", "f/x"), (b"f/x/y", b"f/x"),
                             (FakePath("f/x/y"), "f/x")]:
            with self.assertRaises(NotADirectoryError) as cm:
                oscpp.makedirs(name)
            self.assertEqual(cm.exception.filename, parent)
            self.assertIs(type(cm.exception.filename), type(parent))

    def test_concurrent_parents(self):
        # Threads released together build trees sharing every parent: one
        # that another thread creates meanwhile is no error.
        failures = []
        barrier = threading.Barrier(4)

        def work(t):
            for r in range(25):
                barrier.wait()
                try:
                    oscpp.makedirs("r%d/a/b/c/d/e/f/g/t%d" % (r, t))
                except OSError as e:
                    failures.append(e)
        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertEqual(len(os.listdir("r0/a/b/c/d/e/f/g")), 4)

    def test_unprivileged(self):
        os.chmod(self.dir, 0o755)
        os.mkdir("exists")
        r = run_unprivileged("""
            for m in (oscpp, os):
                try:
                    m.makedirs("x/y")
                except PermissionError as e:
                    print(m.__name__, e.errno, e.filename)
                m.makedirs("exists", exist_ok=True)
        """)
        self.assertEqual(r.stdout.split("\n")[:2], ["oscpp 13 x", "os 13 x"],
                         r.stderr)

    def test_argument_errors(self):
        for args, kwargs in [((), {}), ((5,), {}), ((None,), {}),
                             (("q", "x"), {}), (("q", 2**40), {}),
                             (("q\0",), {}), ((b"q\0",), {}),
                             ((bytearray(b"q"),), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                mine = outcome(lambda: oscpp.makedirs(*args, **kwargs))
                self.assertEqual(mine[0], "raise")
                if args:
                    self.assertEqual(
                        mine, outcome(lambda: os.makedirs(*args, **kwargs)))
        self.assertFalse(os.path.exists("q"))

    def test_signature(self):
        for name in ["makedirs", "removedirs", "renames"]:
            with self.subTest(name=name):
                self.assertEqual(str(inspect.signature(getattr(oscpp, name))),
                                 str(inspect.signature(getattr(os, name))))


class RemovedirsTests(DirsCase):

    def setup(self):
        os.makedirs("a/b/c")
        os.makedirs("k/x/y")
        open("k/f", "w").close()

    def test_result(self):
        for name in ["a/b/c", b"a/b/c/", FakePath("a/b"), "k/x/y", "k",
                     "missing", "k/f", "a/b/c/../c"]:
            with self.subTest(name=name):
                self.same(lambda m, _: m.removedirs(name), self.setup)

    def test_errors(self):
        self.setup()
        for name in ["missing", b"k"]:
            with self.assertRaises(OSError) as cm:
                oscpp.removedirs(name)
            self.assertIs(cm.exception.filename, name)
        for args in [(), (5,), (None,), ("a", "b")]:
            with self.subTest(args=args):
                self.assertEqual(
                    outcome(lambda: oscpp.removedirs(*args)),
                    outcome(lambda: os.removedirs(*args)))


class RenamesTests(DirsCase):

    def setup(self):
        os.makedirs("old/sub")
        with open("old/sub/f", "w") as f:
            f.write("x")
        open("g", "w").close()

    def test_result(self):
        for old, new in [("old/sub/f", "new/deep/f"),
                         (b"old/sub/f", b"new/f"),
                         (FakePath("old/sub"), "n/sub"), ("g", "h"),
                         ("missing", "a/b/c"), ("g", "old/sub/f/x"),
                         ("old/sub/f", "g/x/y"), ("g", "old")]:
            with self.subTest(old=old, new=new):
                self.same(lambda m, _: m.renames(old, new), self.setup)

    def test_error_filenames(self):
        self.setup()
        old, new = "missing", FakePath("n/x")
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.renames(old, new), old, "n/x")
        with self.assertRaises(NotADirectoryError) as cm:
            oscpp.renames("old/sub/f", b"g/x/y")
        self.assertEqual(cm.exception.filename, b"g/x")
        self.assertIsNone(cm.exception.filename2)

    def test_argument_errors(self):
        for args in [(), ("a",), (5, 6), ("a", 6), (5, "b"), ("a", None),
                     ("a\0", "b"), ("a", "b", "c")]:
            with self.subTest(args=args):
                mine = outcome(lambda: oscpp.renames(*args))
                self.assertEqual(mine[0], "raise")
                if len(args) == 2:
                    self.assertEqual(mine,
                                     outcome(lambda: os.renames(*args)))


# ---------------------------------------------------------------- listdir

class ListdirTests(FilesCase):
    setup = staticmethod(files("a", "b\udcff", dirs=["d", "d/e"],
                               links=[("a", "l")]))

    def test_result_types(self):
        for args in [(), (None,), (".",), (b".",), (FakePath("d"),),
                     (FakePath(b"d"),), (pathlib.Path("."),), ("d",),
                     (bytearray(b"."),), (memoryview(b"d"),)]:
            with self.subTest(args=args):
                self.same(lambda m, _: m.listdir(*args), self.setup, sorted)
        self.same(lambda m, _: m.listdir(path=None), self.setup, sorted)
        self.setup()
        self.assertEqual(sorted(oscpp.listdir()), ["a", "b\udcff", "d", "l"])
        self.assertEqual(sorted(oscpp.listdir(b".")),
                         [b"a", b"b\xff", b"d", b"l"])

    def test_fd(self):
        def op(m, _):
            fd = self.open("d")
            first = m.listdir(fd)
            # The descriptor is rewound: a second call sees the same names.
            return first, m.listdir(fd), os.lseek(fd, 0, os.SEEK_CUR)
        r = self.same(op, self.setup)
        self.assertEqual(r[1][0], ["e"])

    def test_errors(self):
        for path in ["missing", b"missing", "a", FakePath("missing"),
                     "a/b", ""]:
            with self.subTest(path=path):
                r = self.same(lambda m, _: m.listdir(path), self.setup)
                self.assertEqual(r[0], "raise")
        for path in ["missing", b"missing"]:
            with self.assertRaises(FileNotFoundError) as cm:
                oscpp.listdir(path)
            self.assertIs(cm.exception.filename, filename_of(path))

    def test_fd_errors(self):
        # EBADF from duplicating the fd carries no filename; a non-directory
        # fd carries the fd.
        r = self.same(lambda m, _: m.listdir(99999))
        self.assertEqual(r[1:5], (OSError, errno.EBADF, r[3], None))
        self.setup()
        fd = self.open("a")
        mine, ref = (outcome(lambda: m.listdir(fd)) for m in (oscpp, os))
        self.assertEqual(mine, ref)
        self.assertEqual(mine[1:5], (NotADirectoryError, errno.ENOTDIR,
                                     mine[3], fd))

    # getdents64 fails with ENOENT in a removed directory; glibc's readdir,
    # hence Python, takes that as the end.
    def test_removed_cwd(self):
        def op(m, _):
            os.mkdir("gone")
            os.chdir("gone")
            os.rmdir("../gone")
            try:
                return m.listdir(), m.listdir(None)
            finally:
                os.chdir("..")
        self.same(op)

    def test_argument_errors(self):
        for args in [(1.5,), ([],), (".", "."), ("a\0",), (b"a\0",),
                     (FakePath(1),), (2**40,)]:
            with self.subTest(args=args):
                r = self.same(lambda m, _: m.listdir(*args))
                self.assertEqual(r[0], "raise")
        self.same(lambda m, _: m.listdir(bogus="."))


# ---------------------------------------------------------------- mkdir

class MkdirTests(FilesCase):

    def test_result(self):
        old = os.umask(0o022)
        self.addCleanup(os.umask, old)
        for args, kwargs in [(("d",), {}), ((b"d",), {}),
                             ((FakePath("d"), 0o700), {}),
                             (("d",), dict(mode=0o1777)),
                             (("d", -1), {}), (("d", 0), dict(dir_fd=None))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.same(lambda m, _: m.mkdir(*args, **kwargs))

    def test_errors(self):
        setup = files("f", dirs=["d"])
        for path in ["f", "d", b"d", "missing/d", "f/d", ""]:
            with self.subTest(path=path):
                r = self.same(lambda m, _: m.mkdir(path), setup)
                self.assertEqual(r[0], "raise")
        path = FakePath(b"d")
        os.mkdir("d")
        with self.assertRaises(FileExistsError) as cm:
            oscpp.mkdir(path)
        self.assertIs(cm.exception.filename, filename_of(path))

    def test_dir_fd(self):
        def op(m, _):
            m.mkdir("e", dir_fd=self.open("d"))
            return os.path.isdir("d/e")
        self.assertTrue(self.same(op, files(dirs=["d"]))[1])
        self.same(lambda m, _: m.mkdir("e", dir_fd=99999))

    def test_argument_errors(self):
        for args, kwargs in [((), {}), (("d", "x"), {}), ((0,), {}),
                             (("d", 2**40), {}), (("d", 0o777, None), {}),
                             (("d",), dict(dir_fd="x"))]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.mkdir(*args, **kwargs))
                self.assertEqual(r[0], "raise")


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Binding tests for the Files and Directories names: access, chmod, listdir,
mkdir, rename, stat, lstat, symlink, unlink, remove, utime and the supports_*
sets.

    python3 tests/python/test_files.py --module-dir DIR

Each operation runs twice, once with CPython's os and once with oscpp, in two
fresh directories prepared the same way; results, exceptions (type, errno,
message, filenames) and the resulting directory contents must agree.
"""

import errno
import os
import pathlib
import stat
import subprocess
import sys
import textwrap
import unittest
import warnings

import support
from support import FakePath, MODULE_DIR, files, oscpp, outcome


class Case(support.ComparingCase):
    prefix = "oscpp-files-"


def filename_of(path):
    """The filename Python's errors carry for path: the caller's object, or
    for a PathLike the very object its __fspath__ returned."""
    return path.path if isinstance(path, FakePath) else path


def stat_fields(st):
    """The fields of a stat result that do not depend on which copy of the
    tree was stat'ed."""
    return (type(st), stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode),
            st.st_nlink, st.st_uid, st.st_gid, st.st_size, len(st))


# ---------------------------------------------------------------- access

class AccessTests(Case):

    def test_result(self):
        setup = files("f", links=[("f", "link"), ("missing", "dangling")])
        for path in ["f", b"f", FakePath("f"), pathlib.Path("f"), "missing",
                     "link", "dangling", ""]:
            for mode in [os.F_OK, os.R_OK, os.W_OK | os.X_OK, 99, -1]:
                with self.subTest(path=path, mode=mode):
                    r = self.same(lambda m, _: m.access(path, mode), setup)
                    self.assertEqual(r[0], "ok")
        self.assertIs(oscpp.access(".", os.F_OK), True)
        self.assertIs(oscpp.access("missing", os.F_OK), False)

    def test_options(self):
        setup = files("f", links=[("missing", "dangling")])
        for kwargs in [dict(effective_ids=True), dict(follow_symlinks=False),
                       dict(dir_fd=None), dict(dir_fd=99)]:
            for path in ["f", "dangling"]:
                with self.subTest(path=path, **kwargs):
                    self.same(lambda m, _: m.access(path, os.F_OK, **kwargs),
                              setup)

    def test_dir_fd(self):
        os.mkdir("d")
        open("d/f", "w").close()
        fd = self.open("d")
        self.assertTrue(oscpp.access("f", os.F_OK, dir_fd=fd))
        self.assertFalse(oscpp.access("f", os.F_OK))

    def test_argument_errors(self):
        for args, kwargs in [((), {}), (("f",), {}), ((0, os.F_OK), {}),
                             (("f", "x"), {}), (("f", 2**40), {}),
                             (("f", 0, None), {}),
                             (("f", 0), dict(dir_fd="x")),
                             (("f", 0), dict(dir_fd=2**40)),
                             (("f", 0), dict(bogus=1)),
                             (("f\0", 0), {}), ((b"f\0", 0), {}),
                             ((1.5, 0), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.access(*args, **kwargs))
                self.assertEqual(r[0], "raise")

    def test_unprivileged(self):
        # As root every check passes: a child drops to nobody.
        os.chmod(self.dir, 0o755)
        for name, mode in [("ro", 0o444), ("rw", 0o666), ("none", 0)]:
            with open(name, "w"):
                pass
            os.chmod(name, mode)
        code = textwrap.dedent("""
            import os, sys
            sys.path.insert(0, sys.argv[1])
            import oscpp
            os.setgid(65534)
            os.setuid(65534)
            for name in ("ro", "rw", "none"):
                for mode in (os.R_OK, os.W_OK, os.X_OK, os.R_OK | os.W_OK):
                    for eff in (False, True):
                        mine = oscpp.access(name, mode, effective_ids=eff)
                        ref = os.access(name, mode, effective_ids=eff)
                        print(name, mode, eff, mine, ref)
                        assert mine is ref, (name, mode, eff)
            assert oscpp.access("rw", os.W_OK) and not oscpp.access("ro", os.W_OK)
        """)
        r = subprocess.run([sys.executable, "-c", code, MODULE_DIR or ""],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


# ---------------------------------------------------------------- chmod

class ChmodTests(Case):

    def test_path(self):
        setup = files("f", dirs=["d"], links=[("f", "link")])
        for path in ["f", b"f", FakePath(b"d"), "link", "missing", "d/x",
                     "f/x"]:
            for mode in [0o600, 0o7777, -1]:
                with self.subTest(path=path, mode=mode):
                    self.same(lambda m, _: m.chmod(path, mode), setup)

    def test_error_filename_is_callers_object(self):
        for path in ["missing", b"missing", FakePath("missing")]:
            with self.assertRaises(FileNotFoundError) as cm:
                oscpp.chmod(path, 0o600)
            self.assertIs(cm.exception.filename, filename_of(path))
            self.assertIsNone(cm.exception.filename2)
            self.assertEqual(cm.exception.errno, errno.ENOENT)

    def test_fd(self):
        def op(m, _):
            fd = self.open("f")
            m.chmod(fd, 0o640)
            # Python ignores dir_fd and follow_symlinks with an fd.
            m.chmod(fd, 0o604, dir_fd=fd, follow_symlinks=False)
            return stat.S_IMODE(os.stat("f").st_mode)
        self.assertEqual(self.same(op, files("f"))[1], 0o604)

    def test_bad_fd(self):
        r = self.same(lambda m, _: m.chmod(99999, 0o600))
        self.assertEqual(r[1:3], (OSError, errno.EBADF))
        with self.assertRaises(OSError) as cm:
            oscpp.chmod(99999, 0o600)
        self.assertEqual(cm.exception.filename, 99999)

    def test_follow_symlinks(self):
        setup = files("f", dirs=["d"], links=[("f", "link")])

        def with_dir_fd(m, path):
            fd = self.open(".")
            return m.chmod(path, 0o600, dir_fd=fd, follow_symlinks=False)
        for path in ["f", "link", "missing"]:
            with self.subTest(path=path):
                self.same(lambda m, _: m.chmod(path, 0o600,
                                               follow_symlinks=False), setup)
                self.same(lambda m, _: with_dir_fd(m, path), setup)
        with self.assertRaises(NotImplementedError):
            os.symlink("x", "l2")
            oscpp.chmod("l2", 0o600, follow_symlinks=False)

    def test_dir_fd(self):
        def op(m, _):
            fd = self.open("d")
            m.chmod("f", 0o612, dir_fd=fd)
            return stat.S_IMODE(os.stat("d/f").st_mode)

        def setup():
            os.mkdir("d")
            open("d/f", "w").close()
        self.assertEqual(self.same(op, setup)[1], 0o612)
        self.same(lambda m, _: m.chmod("f", 0o600, dir_fd=99999), setup)

    def test_argument_errors(self):
        for args, kwargs in [(("f",), {}), (("f", "1"), {}),
                             (("f", 2**40), {}), ((1.5, 0), {}),
                             ((None, 0), {}), (("f", 0, None), {}),
                             (("f", 0), dict(dir_fd=[])),
                             ((2**40, 0), {}), ((-2**40, 0), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.chmod(*args, **kwargs),
                              files("f"))
                self.assertEqual(r[0], "raise")


# ---------------------------------------------------------------- listdir

class ListdirTests(Case):
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

class MkdirTests(Case):

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


# ---------------------------------------------------------------- rename

class RenameTests(Case):

    def test_result(self):
        setup = files("f", dirs=["d", "e"])
        for src, dst in [("f", "g"), (b"f", b"g"), ("f", b"g"),
                         (FakePath("f"), pathlib.Path("d/g")), ("d", "e"),
                         ("f", "f")]:
            with self.subTest(src=src, dst=dst):
                self.same(lambda m, _: m.rename(src, dst), setup)

    def test_errors(self):
        setup = files("f", dirs=["d", "e"])
        for src, dst in [("missing", "g"), (b"missing", "g"),
                         ("missing", b"g"), ("d", "f"), ("f", "d"),
                         ("f", "missing/g"), ("d", "d/sub")]:
            with self.subTest(src=src, dst=dst):
                r = self.same(lambda m, _: m.rename(src, dst), setup)
                self.assertEqual(r[0], "raise")
        # The caller's objects; for a PathLike, what __fspath__ returned.
        os.mkdir("d")
        os.mkdir("e")
        open("e/x", "w").close()
        for src, dst, names in [("d", b"e", ("d", b"e")),
                                (FakePath("d"), FakePath(b"e"), ("d", b"e"))]:
            with self.assertRaises(OSError) as cm:
                oscpp.rename(src, dst)
            self.assertEqual(cm.exception.errno, errno.ENOTEMPTY)
            self.assertEqual((cm.exception.filename, cm.exception.filename2),
                             names)
            if isinstance(src, str):
                self.assertIs(cm.exception.filename, src)
                self.assertIs(cm.exception.filename2, dst)

    def test_dir_fd(self):
        def op(m, _):
            a, b = self.open("a"), self.open("b")
            m.rename("f", "g", src_dir_fd=a, dst_dir_fd=b)
            return os.listdir("b")

        def setup():
            os.mkdir("a")
            os.mkdir("b")
            open("a/f", "w").close()
        self.assertEqual(self.same(op, setup)[1], ["g"])
        self.same(lambda m, _: m.rename("f", "g", src_dir_fd=99999),
                  files("f"))
        self.same(lambda m, _: m.rename("f", "g", dst_dir_fd=99999),
                  files("f"))

    def test_argument_errors(self):
        for args, kwargs in [(("f",), {}), ((0, "g"), {}), (("f", 0), {}),
                             (("f", "g", None), {}),
                             (("f", "g"), dict(src_dir_fd="x")),
                             (("f\0", "g"), {}), (("f", b"g\0"), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.rename(*args, **kwargs),
                              files("f"))
                self.assertEqual(r[0], "raise")


# ---------------------------------------------------------------- stat

class StatTests(Case):
    setup = staticmethod(files("f", dirs=["d"],
                               links=[("f", "link"), ("missing", "dangling")]))

    def test_result(self):
        for path in ["f", b"f", "d", "link", FakePath("link"), "/dev/null"]:
            for follow in [True, False]:
                with self.subTest(path=path, follow=follow):
                    self.same(lambda m, _: m.stat(path,
                                                  follow_symlinks=follow),
                              self.setup, stat_fields)
                    self.same(lambda m, _: m.lstat(path), self.setup,
                              stat_fields)

    def test_result_is_cpythons_type(self):
        with open("f", "w") as f:
            f.write("hello")
        mine, ref = oscpp.stat("f"), os.stat("f")
        self.assertIs(type(mine), os.stat_result)
        self.assertEqual(mine, ref)
        for field in ["st_atime", "st_mtime", "st_ctime", "st_atime_ns",
                      "st_mtime_ns", "st_ctime_ns", "st_blksize",
                      "st_blocks", "st_rdev", "st_ino", "st_dev"]:
            self.assertEqual(getattr(mine, field), getattr(ref, field), field)
        self.assertEqual(oscpp.stat("/dev/null").st_rdev,
                         os.stat("/dev/null").st_rdev)

    def test_fd(self):
        fd = self.open(".")
        self.assertEqual(oscpp.stat(fd), os.stat(fd))
        self.same(lambda m, _: m.stat(self.open("f")), self.setup,
                  stat_fields)

    def test_fd_option_errors(self):
        for kwargs in [dict(dir_fd=3), dict(follow_symlinks=False),
                       dict(dir_fd=3, follow_symlinks=False),
                       dict(dir_fd=None, follow_symlinks=True)]:
            with self.subTest(kwargs=kwargs):
                self.same(lambda m, _: m.stat(0, **kwargs), None,
                          stat_fields)

    def test_errors(self):
        for path in ["missing", b"missing", "dangling", "f/x", ""]:
            with self.subTest(path=path):
                r = self.same(lambda m, _: m.stat(path), self.setup)
                self.assertEqual(r[0], "raise")
                if path != "dangling":
                    r = self.same(lambda m, _: m.lstat(path), self.setup)
                    self.assertEqual(r[0], "raise")
        r = self.same(lambda m, _: m.stat(99999))
        self.assertEqual(r[1:6], (OSError, errno.EBADF, r[3], 99999, None))
        paths = ["missing", b"missing", FakePath("missing")]
        if sys.version_info < (3, 12):  # then a TypeError
            paths.append(bytearray(b"missing"))
        for path in paths:
            for func in [oscpp.stat, oscpp.lstat]:
                with self.subTest(path=path, func=func):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", DeprecationWarning)
                        with self.assertRaises(FileNotFoundError) as cm:
                            func(path)
                    self.assertIs(cm.exception.filename, filename_of(path))
        fd = 99999
        with self.assertRaises(OSError) as cm:
            oscpp.stat(fd)
        self.assertIs(cm.exception.filename, fd)

    def test_dir_fd(self):
        def op(m, _):
            fd = self.open("d")
            return (stat_fields(m.stat("g", dir_fd=fd)),
                    stat_fields(m.stat("l", dir_fd=fd,
                                       follow_symlinks=False)),
                    stat_fields(m.lstat("l", dir_fd=fd)))

        def setup():
            os.mkdir("d")
            open("d/g", "w").close()
            os.symlink("g", "d/l")
        self.same(op, setup)
        self.same(lambda m, _: m.stat("f", dir_fd=99999), self.setup)
        self.same(lambda m, _: m.lstat("f", dir_fd=99999), self.setup)

    def test_argument_errors(self):
        for args, kwargs in [((), {}), ((None,), {}), ((1.5,), {}),
                             (("f", 1), {}), (("f\0",), {}),
                             (("f",), dict(dir_fd=1.5)),
                             ((2**40,), {}), ((FakePath(None),), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.stat(*args, **kwargs))
                self.assertEqual(r[0], "raise")
        for args, kwargs in [((0,), {}), (("f",), dict(follow_symlinks=1))]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.lstat(*args, **kwargs))
                self.assertEqual(r[0], "raise")

    def test_bytes_like_warns(self):
        r = self.same(lambda m, _: stat_fields(m.stat(bytearray(b"f"))),
                      self.setup)
        if sys.version_info < (3, 12):
            self.assertEqual(r[2][0][0], DeprecationWarning)
        else:
            self.assertEqual(r[1], TypeError)


# ---------------------------------------------------------------- symlink

class BoolAsFdTests(unittest.TestCase):
    """Since 3.13 a bool given as a descriptor (path or dir_fd) warns with
    RuntimeWarning; before, it is silently the int it equals."""

    def calls(self):
        return [lambda fd: oscpp.stat(fd),
                lambda fd: oscpp.pathconf(fd, "PC_NAME_MAX"),
                lambda fd: oscpp.stat("nonexisting", dir_fd=fd)]

    @unittest.skipUnless(sys.version_info >= (3, 13), "3.13 behaviour")
    def test_warns_since_3_13(self):
        for call in self.calls():
            for fd in (False, True):
                with warnings.catch_warnings():
                    warnings.simplefilter("error", RuntimeWarning)
                    with self.assertRaisesRegex(
                            RuntimeWarning,
                            "^bool is used as a file descriptor$"):
                        call(fd)

    @unittest.skipIf(sys.version_info >= (3, 13), "before 3.13")
    def test_silent_before_3_13(self):
        for call in self.calls():
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                try:
                    call(True)  # fd 1 as the descriptor
                except OSError:
                    pass  # what fd 1 is decides; no warning is the point


class SymlinkTests(Case):

    def test_result(self):
        for args, kwargs in [(("f", "l"), {}), ((b"f", b"l"), {}),
                             (("d", "l", True), {}),
                             ((FakePath("x"), pathlib.Path("l")), {}),
                             (("f", "l"), dict(target_is_directory=[])),
                             (("f", "l"), dict(dir_fd=None))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.same(lambda m, _: (m.symlink(*args, **kwargs),
                                        os.readlink("l")), files("f"))

    def test_errors(self):
        for src, dst in [("x", "f"), (b"x", "f"), ("x", b"f"),
                         ("x", "missing/l"), ("x", "")]:
            with self.subTest(src=src, dst=dst):
                r = self.same(lambda m, _: m.symlink(src, dst), files("f"))
                self.assertEqual(r[0], "raise")
        open("f", "w").close()
        for src, dst in [("x", b"f"), (FakePath("x"), FakePath(b"f"))]:
            with self.assertRaises(FileExistsError) as cm:
                oscpp.symlink(src, dst)
            self.assertIs(cm.exception.filename, filename_of(src))
            self.assertIs(cm.exception.filename2, filename_of(dst))

    def test_dir_fd(self):
        def op(m, _):
            m.symlink("target", "l", dir_fd=self.open("d"))
            return os.readlink("d/l")
        self.assertEqual(self.same(op, files(dirs=["d"]))[1], "target")
        self.same(lambda m, _: m.symlink("t", "l", dir_fd=99999))

    def test_argument_errors(self):
        for args, kwargs in [(("f",), {}), ((0, "l"), {}), (("f", 0), {}),
                             (("f", "l", False, None), {}),
                             (("f", "l"), dict(dir_fd="x")),
                             (("f\0", "l"), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.symlink(*args, **kwargs))
                self.assertEqual(r[0], "raise")


# ---------------------------------------------------------------- unlink

class UnlinkTests(Case):

    def test_result_and_errors(self):
        setup = files("f", dirs=["d"], links=[("missing", "l")])
        for name in ["unlink", "remove"]:
            for path in ["f", b"f", FakePath("l"), "missing", "d", "f/x",
                         ""]:
                with self.subTest(name=name, path=path):
                    self.same(lambda m, _: getattr(m, name)(path), setup)

    def test_error_filename_is_callers_object(self):
        for func in [oscpp.unlink, oscpp.remove]:
            path = FakePath(b"missing")
            with self.assertRaises(FileNotFoundError) as cm:
                func(path)
            self.assertIs(cm.exception.filename, filename_of(path))

    def test_dir_fd(self):
        for name in ["unlink", "remove"]:
            def op(m, _):
                getattr(m, name)("f", dir_fd=self.open("d"))
                return os.listdir("d")

            def setup():
                os.mkdir("d")
                open("d/f", "w").close()
            self.assertEqual(self.same(op, setup)[1], [])
            self.same(lambda m, _: getattr(m, name)("f", dir_fd=99999),
                      files("f"))

    def test_argument_errors(self):
        for name in ["unlink", "remove"]:
            for args, kwargs in [((), {}), ((0,), {}), (("f", None), {}),
                                 (("f",), dict(dir_fd="x")),
                                 (("f",), dict(path="f"))]:
                with self.subTest(name=name, args=args, kwargs=kwargs):
                    r = self.same(
                        lambda m, _: getattr(m, name)(*args, **kwargs))
                    self.assertEqual(r[0], "raise")


# ---------------------------------------------------------------- utime

def times_ns(path, follow_symlinks=True):
    st = os.stat(path, follow_symlinks=follow_symlinks)
    return st.st_atime_ns, st.st_mtime_ns


class UtimeTests(Case):
    setup = staticmethod(files("f", links=[("f", "l")]))

    def test_times(self):
        for times in [(1, 2), (1.5, 2.25), (-1.5, 1), (1, 2.0),
                      (1234567890.123456789, 0.000000001), (True, False),
                      (2**40, 5), (-2**40, 2**33 + 0.5), (1e-10, -1e-10),
                      (9.2e9, 1), (2**62, 1)]:
            with self.subTest(times=times):
                self.same(lambda m, _: (m.utime("f", times), times_ns("f")),
                          self.setup)

    def test_ns(self):
        for ns in [(1, 2), (1500000000, -1), (-1, -1000000001),
                   (2**62, 2**63 - 1), (2**64, 5), (True, 0)]:
            with self.subTest(ns=ns):
                self.same(lambda m, _: (m.utime("f", ns=ns), times_ns("f")),
                          self.setup)

    def test_now(self):
        def op(m, _):
            m.utime("f", (1, 1))
            m.utime("f")
            after = times_ns("f")
            m.utime("f", (1, 1))
            m.utime("f", None)
            return after[0] > 10**18, times_ns("f")[0] > 10**18
        self.assertEqual(self.same(op, self.setup)[1], (True, True))

    def test_options(self):
        def op(m, _):
            fd = self.open(".")
            m.utime("l", (5, 6), follow_symlinks=False)
            m.utime("f", ns=(7, 8), dir_fd=fd)
            m.utime(self.open("f"), (9, 10))
            return times_ns("l", False), times_ns("f")
        self.same(op, self.setup)

    def test_errors(self):
        # No filename until 3.12; since 3.13 the path or fd.
        for args, kwargs in [(("missing",), {}), (("missing", (1, 2)), {}),
                             (("f",), dict(dir_fd=99999)),
                             ((99999,), {}), ((99999, (1, 2)), {}),
                             (("f/x",), dict(ns=(1, 2)))]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.utime(*args, **kwargs),
                              self.setup)
                self.assertEqual(r[0], "raise")
                if sys.version_info < (3, 13):
                    self.assertIsNone(r[4])
                else:
                    self.assertEqual(r[4], args[0])

    def test_validation(self):
        class BadDivmod:
            def __init__(self, result):
                self.result = result

            def __divmod__(self, other):
                return self.result
        cases = [
            (("f", (1, 2)), dict(ns=(1, 2))), (("f", [1, 2]), {}),
            (("f", (1,)), {}), (("f", (1, 2, 3)), {}), (("f", 1), {}),
            (("f",), dict(ns=None)), (("f",), dict(ns=[1, 2])),
            (("f",), dict(ns=(1,))), (("f",), dict(ns=(1.5, 2))),
            (("f",), dict(ns=("a", 1))), (("f",), dict(ns=(2**100, 1))),
            (("f", ("a", 2)), {}), (("f", (None, 2)), {}),
            (("f", (float("nan"), 2)), {}), (("f", (2, float("nan"))), {}),
            (("f", (float("inf"), 2)), {}), (("f", (1e300, 2)), {}),
            (("f", (2**64, 2)), {}), (("f", (-2**64, 2)), {}),
            (("f", (float("nan"), "a")), {}),
            (("f",), dict(ns=(BadDivmod(42), 1))),
            (("f",), dict(ns=(BadDivmod(()), 1))),
            (("f",), dict(ns=(BadDivmod((1, 2, 3)), 1))),
            (("f",), dict(ns=(BadDivmod([1, 2]), 1))),
            (("f",), dict(ns=(BadDivmod((1.0, 2)), 1))),
            (("f",), dict(ns=(BadDivmod((1, 2**70)), 1))),
            ((0,), dict(dir_fd=3)), ((0,), dict(follow_symlinks=False)),
            ((0, (1, 2)), dict(dir_fd=3, follow_symlinks=False)),
            ((0, "bad"), dict(dir_fd=3)),
            (("f", None, None), {}), (("f",), dict(dir_fd="x")),
            (("f",), dict(bogus=1)), ((1.5,), {}), ((),  {}),
        ]
        for args, kwargs in cases:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.utime(*args, **kwargs),
                              self.setup)
                self.assertEqual(r[0], "raise")


# ---------------------------------------------------------------- supports_*

class SupportsTests(unittest.TestCase):
    NAMES = ["supports_dir_fd", "supports_fd", "supports_follow_symlinks",
             "supports_effective_ids"]

    def test_sets_of_own_functions(self):
        for name in self.NAMES:
            with self.subTest(name=name):
                value = getattr(oscpp, name)
                self.assertIs(type(value), set)
                for f in value:
                    self.assertIs(getattr(oscpp, f.__name__), f)

    def test_same_members_as_python(self):
        # Python's members that oscpp has, and no others.
        for name in self.NAMES:
            with self.subTest(name=name):
                expected = {f.__name__ for f in getattr(os, name)
                            if hasattr(oscpp, f.__name__)}
                self.assertEqual({f.__name__ for f in getattr(oscpp, name)},
                                 expected)

    def test_files_members(self):
        self.assertIn(oscpp.stat, oscpp.supports_fd)
        self.assertIn(oscpp.stat, oscpp.supports_dir_fd)
        self.assertIn(oscpp.stat, oscpp.supports_follow_symlinks)
        self.assertIn(oscpp.access, oscpp.supports_effective_ids)
        self.assertNotIn(oscpp.chmod, oscpp.supports_follow_symlinks)
        self.assertNotIn(oscpp.lstat, oscpp.supports_dir_fd)


class SignatureTests(unittest.TestCase):

    def test_text_signatures(self):
        for name in ["access", "chmod", "listdir", "mkdir", "rename", "stat",
                     "lstat", "symlink", "unlink", "remove", "utime"]:
            with self.subTest(name=name):
                self.assertEqual(getattr(oscpp, name).__text_signature__,
                                 getattr(os, name).__text_signature__)
                self.assertEqual(getattr(oscpp, name).__name__, name)


if __name__ == "__main__":
    unittest.main()

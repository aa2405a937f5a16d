#!/usr/bin/env python3
"""Binding tests for Files and Directories, the meta topic: stat, lstat,
access, chmod, chown, lchown, utime, truncate, statvfs, pathconf, sync and
the supports_* sets.

    python3 tests/python/test_files_meta.py --module-dir DIR

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

from support import (BAD_FD, DirsCase, FakePath, FilesCase, MODULE_DIR,
                     filename_of, files, oscpp, outcome, run_unprivileged)



def stat_fields(st):
    """The fields of a stat result that do not depend on which copy of the
    tree was stat'ed."""
    return (type(st), stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode),
            st.st_nlink, st.st_uid, st.st_gid, st.st_size, len(st))


# ---------------------------------------------------------------- access

class AccessTests(FilesCase):

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

class ChmodTests(FilesCase):

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


# ---------------------------------------------------------------- stat

class StatTests(FilesCase):
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


# ---------------------------------------------------------------- bool as fd

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


# ---------------------------------------------------------------- utime

def times_ns(path, follow_symlinks=True):
    st = os.stat(path, follow_symlinks=follow_symlinks)
    return st.st_atime_ns, st.st_mtime_ns


class UtimeTests(FilesCase):
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
            (("f",), dict(ns=(1,))),
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
            (("f",), dict(ns=(BadDivmod((1, 2**70)), 1))),
            ((0,), dict(dir_fd=3)), ((0,), dict(follow_symlinks=False)),
            ((0, (1, 2)), dict(dir_fd=3, follow_symlinks=False)),
            ((0, "bad"), dict(dir_fd=3)),
            (("f", None, None), {}), (("f",), dict(dir_fd="x")),
            (("f",), dict(bogus=1)), ((1.5,), {}), ((),  {}),
        ]
        # A float where ns wants an int: read through __int__ before 3.10
        # (with a DeprecationWarning from 3.8).
        floats = [(("f",), dict(ns=(1.5, 2))),
                  (("f",), dict(ns=(BadDivmod((1.0, 2)), 1)))]
        for args, kwargs in cases + floats:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.utime(*args, **kwargs),
                              self.setup)
                accepted = ((args, kwargs) in floats and
                            sys.version_info < (3, 10))
                self.assertEqual(r[0], "ok" if accepted else "raise")


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


# ---------------------------------------------------------------- chown

class ChownTests(DirsCase):

    def test_path(self):
        setup = files("f", links=[("f", "l"), ("missing", "dangling")])
        for path in ["f", b"f", FakePath("l"), "l", "dangling", "missing"]:
            for ids in [(65534, 65534), (-1, 7), (3, -1), (-1, -1)]:
                for follow in [True, False]:
                    with self.subTest(path=path, ids=ids, follow=follow):
                        self.same(lambda m, _: m.chown(
                            path, *ids, follow_symlinks=follow), setup)

    def test_fd_and_dir_fd(self):
        def op(m, _):
            fd = self.open("f")
            m.chown(fd, 5, 6)
            d = self.open(".")
            m.chown("l", 7, 8, dir_fd=d, follow_symlinks=False)
            m.chown("l", 9, -1, dir_fd=d)
            # Python lets fd 0 through with follow_symlinks=False.
            return None
        self.same(op, files("f", links=[("f", "l")]))

    def test_errors(self):
        for path in ["missing", b"missing", FakePath("missing")]:
            self.assert_raises_with(
                FileNotFoundError, errno.ENOENT,
                lambda: oscpp.chown(path, -1, -1),
                path.path if isinstance(path, FakePath) else path)
        bad = BAD_FD
        self.assert_raises_with(OSError, errno.EBADF,
                                lambda: oscpp.chown(bad, -1, -1), bad)
        self.same(lambda m, _: m.chown("f", 0, 0, dir_fd=BAD_FD))

    def test_argument_errors(self):
        fd = self.open(".")
        cases = [((), {}), (("f",), {}), (("f", 0), {}),
                 (("f", "0", 0), {}), (("f", 0, 1.5), {}),
                 (("f", -2, 0), {}), (("f", 0, 2**32), {}),
                 (("f", 2**64, 0), {}), (("f", 0, 0, None), {}),
                 ((fd, 0, 0), dict(dir_fd=fd)),
                 ((fd, 0, 0), dict(follow_symlinks=False)),
                 ((fd, 0, 0), dict(dir_fd=fd, follow_symlinks=False)),
                 ((1.5, 0, 0), {}), ((None, 0, 0), {}),
                 (("f", 0, 0), dict(dir_fd="x")), (("f", 0, 0), dict(x=1))]
        for args, kwargs in cases:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.chown(*args, **kwargs),
                              files("f"))[0], "raise")

    def test_lchown(self):
        setup = files("f", links=[("f", "l")])
        for path in ["l", b"l", FakePath("f"), "missing"]:
            for ids in [(65534, 65534), (-1, 7)]:
                with self.subTest(path=path, ids=ids):
                    self.same(lambda m, _: m.lchown(path, *ids), setup)
        path = "missing"
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.lchown(path, 0, 0), path)
        for args, kwargs in [((0, 0, 0), {}), (("l", 0), {}),
                             (("l", 0, 0), dict(dir_fd=None)),
                             (("l", 0, 0), dict(follow_symlinks=False))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.lchown(*args, **kwargs),
                              setup)[0], "raise")

    def test_unprivileged(self):
        open("f", "w").close()
        os.chmod(self.dir, 0o755)
        r = run_unprivileged("""
            for m in (oscpp, os):
                for f in (lambda: m.chown("f", 65534, -1),
                          lambda: m.lchown("f", 65534, -1)):
                    try:
                        f()
                    except PermissionError as e:
                        print(m.__name__, e.errno, repr(e.filename))
        """)
        self.assertEqual(r.stdout.split("\n")[:4],
                         ["oscpp 1 'f'"] * 2 + ["os 1 'f'"] * 2, r.stderr)


# ---------------------------------------------------------------- queries

class PathconfTests(DirsCase):

    def test_result(self):
        setup = files("f")
        names = ["PC_NAME_MAX", "PC_PATH_MAX", "PC_LINK_MAX", "PC_PIPE_BUF",
                 "PC_SYMLINK_MAX", os.pathconf_names["PC_NAME_MAX"], 9999,
                 "NO_SUCH", None, 1.5, 2**40, -1]
        for path in [".", b"f", FakePath("f"), "missing", "f/x"]:
            for name in names:
                with self.subTest(path=path, name=name):
                    self.same(lambda m, _: m.pathconf(path, name), setup)

    def test_fd_and_errors(self):
        fd = self.open(".")
        self.assertEqual(oscpp.pathconf(fd, "PC_NAME_MAX"),
                         os.pathconf(fd, "PC_NAME_MAX"))
        for path in ["missing", b"missing"]:
            self.assert_raises_with(
                FileNotFoundError, errno.ENOENT,
                lambda: oscpp.pathconf(path, "PC_NAME_MAX"), path)
        bad = BAD_FD
        self.assert_raises_with(OSError, errno.EBADF,
                                lambda: oscpp.pathconf(bad, "PC_NAME_MAX"),
                                bad)
        # EINVAL names no file (a bad name and a bad path look alike).
        self.assert_raises_with(OSError, errno.EINVAL,
                                lambda: oscpp.pathconf(".", 9999))
        for args, kwargs in [((), {}), ((".",), {}), ((None, 1), {}),
                             ((".", 1, 2), {}),
                             ((), dict(path=".", name="PC_NAME_MAX"))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.same(lambda m, _: m.pathconf(*args, **kwargs))


class StatvfsTests(DirsCase):

    @staticmethod
    def stable(r):
        return (type(r), len(r), r.f_bsize, r.f_frsize, r.f_blocks,
                r.f_files, r.f_flag, r.f_namemax, r.f_fsid)

    def test_result(self):
        for path in [".", b".", FakePath("."), pathlib.Path(self.dir)]:
            with self.subTest(path=path):
                self.assertEqual(self.stable(oscpp.statvfs(path)),
                                 self.stable(os.statvfs(path)))
        fd = self.open(".")
        self.assertEqual(self.stable(oscpp.statvfs(fd)),
                         self.stable(os.statvfs(fd)))
        self.assertIs(type(oscpp.statvfs(".")), os.statvfs_result)

    def test_errors(self):
        for path in ["missing", b"missing", FakePath("missing")]:
            self.same(lambda m, _: m.statvfs(path))
        path = "missing"
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.statvfs(path), path)
        bad = BAD_FD
        self.assert_raises_with(OSError, errno.EBADF,
                                lambda: oscpp.statvfs(bad), bad)
        for args in [(), (None,), (1.5,), (".", 1), ("a\0",)]:
            with self.subTest(args=args):
                self.assertEqual(self.same(lambda m, _: m.statvfs(*args))[0],
                                 "raise")


class SyncTests(unittest.TestCase):

    def test_sync(self):
        self.assertIsNone(oscpp.sync())
        for args, kwargs in [((1,), {}), ((), dict(x=1))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(outcome(lambda: oscpp.sync(*args, **kwargs)),
                                 outcome(lambda: os.sync(*args, **kwargs)))


class TruncateTests(DirsCase):

    def test_path(self):
        setup = files("f", dirs=["d"])
        for path in ["f", b"f", FakePath("f"), "d", "missing"]:
            for length in [0, 2, 100, -1]:
                with self.subTest(path=path, length=length):
                    def op(m, _):
                        m.truncate(path, length)
                        return os.path.getsize("f")
                    self.same(op, setup)

    def test_fd(self):
        def op(m, _):
            fd = self.open("f", os.O_RDWR)
            m.truncate(fd, 1)
            return os.path.getsize("f")
        self.assertEqual(self.same(op, files("f"))[1], 1)
        # The fd form is ftruncate, whose errors name no file.
        bad = BAD_FD
        self.assert_raises_with(OSError, errno.EBADF,
                                lambda: oscpp.truncate(bad, 0))
        path = "missing"
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.truncate(path, 0), path)

    def test_argument_errors(self):
        for args, kwargs in [((), {}), (("f",), {}), (("f", 1.5), {}),
                             (("f", "1"), {}), (("f", 2**70), {}),
                             ((None, 0), {}), (("f", 0, 1), {}),
                             ((), dict(path="f", length=None))]:
            with self.subTest(args=args, kwargs=kwargs):
                # A float length is read through __int__ before 3.10.
                accepted = args == ("f", 1.5) and sys.version_info < (3, 10)
                self.assertEqual(
                    self.same(lambda m, _: m.truncate(*args, **kwargs),
                              files("f"))[0], "ok" if accepted else "raise")


# ---------------------------------------------------------------- module

class ModuleTests(unittest.TestCase):
    NAMES = ["chdir", "fchdir", "getcwd", "getcwdb", "chown", "lchown",
             "chroot", "link", "mkfifo", "mknod", "major", "minor", "makedev",
             "pathconf", "readlink", "rmdir", "replace", "statvfs", "sync",
             "truncate"]

    def test_text_signatures(self):
        for name in self.NAMES:
            with self.subTest(name=name):
                self.assertEqual(getattr(oscpp, name).__text_signature__,
                                 getattr(os, name).__text_signature__)
                self.assertEqual(getattr(oscpp, name).__name__, name)

    def test_supports_sets(self):
        for name in ["supports_dir_fd", "supports_fd",
                     "supports_follow_symlinks"]:
            mine = {f.__name__ for f in getattr(oscpp, name)}
            for f in getattr(os, name):
                if f.__name__ in self.NAMES:
                    with self.subTest(set=name, function=f.__name__):
                        self.assertIn(f.__name__, mine)
            for n in mine & set(self.NAMES):
                with self.subTest(set=name, function=n):
                    self.assertIn(getattr(os, n), getattr(os, name))

    def test_no_lchmod(self):
        self.assertFalse(hasattr(oscpp, "lchmod"))
        self.assertEqual(hasattr(os, "lchmod"), hasattr(oscpp, "lchmod"))


if __name__ == "__main__":
    unittest.main()

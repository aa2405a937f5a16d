#!/usr/bin/env python3
"""Binding tests for the rest of Files and Directories: chdir, fchdir,
getcwd, getcwdb, chown, lchown, chroot, link, mkfifo, mknod, major, minor,
makedev, pathconf, readlink, rmdir, replace, statvfs, sync, truncate, and
os.py's makedirs, removedirs and renames.

    python3 tests/python/test_files_dirs.py --module-dir DIR

Each operation runs twice, once with CPython's os and once with oscpp, in two
fresh directories prepared the same way; results, exceptions (type, errno,
message, filenames) and the resulting directory contents must agree.
"""

import errno
import inspect
import os
import pathlib
import stat
import subprocess
import sys
import textwrap
import threading
import unittest

import support
from support import (FakePath, MODULE_DIR, WithFileno, files, oscpp, outcome,
                     run_unprivileged, tree)


BAD_FD = 1 << 30


class Case(support.ComparingCase):
    prefix = "oscpp-dirs-"
    realpath = True
    owners = True

    def assert_raises_with(self, exc, errnum, fn, filename=None,
                           filename2=None):
        """fn() raises exactly exc with errnum, and the very filename
        objects given."""
        with self.assertRaises(OSError) as cm:
            fn()
        e = cm.exception
        self.assertIs(type(e), exc)
        self.assertEqual(e.errno, errnum)
        self.assertIs(e.filename, filename)
        self.assertIs(e.filename2, filename2)


PATH_KINDS = [lambda p: p, os.fsencode, FakePath, pathlib.Path]


# ---------------------------------------------------------------- chdir

class ChdirTests(Case):

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

class GetcwdTests(Case):

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

class ChrootTests(Case):

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


# ---------------------------------------------------------------- chown

class ChownTests(Case):

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


# ---------------------------------------------------------------- link

class LinkTests(Case):

    def test_result(self):
        setup = files("f", "g", dirs=["d"], links=[("f", "sym")])
        for src, dst in [("f", "h"), (b"f", b"h"), (FakePath("f"), "h"),
                         ("sym", "h"), ("missing", "h"), ("f", "g"),
                         ("d", "h"), ("f", "nodir/h"), ("f", b"h")]:
            for follow in [True, False]:
                with self.subTest(src=src, dst=dst, follow=follow):
                    self.same(lambda m, _: m.link(src, dst,
                                                  follow_symlinks=follow),
                              setup)

    def test_dir_fd_follows(self):
        def op(m, _):
            d = self.open(".")
            m.link("sym", "a", src_dir_fd=d)
            m.link("sym", "b", dst_dir_fd=d, follow_symlinks=False)
            m.link("sym", "c", src_dir_fd=d, dst_dir_fd=d,
                   follow_symlinks=True)
            return [stat.S_ISLNK(os.lstat(n).st_mode) for n in "abc"]
        self.assertEqual(self.same(op, files("f", links=[("f", "sym")]))[1],
                         [False, True, False])

    def test_errors_name_both_objects(self):
        src, dst = FakePath("missing"), b"dst"
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.link(src, dst), "missing", dst)
        src, dst = "missing", "dst"
        self.assert_raises_with(FileNotFoundError, errno.ENOENT,
                                lambda: oscpp.link(src, dst), src, dst)

    def test_argument_errors(self):
        for args, kwargs in [((), {}), (("f",), {}), ((1, "x"), {}),
                             (("f", None), {}), (("f", "x", None), {}),
                             (("f", "x"), dict(src_dir_fd="x")),
                             (("f", "x"), dict(dst_dir_fd=1.5)),
                             (("f\0", "x"), {}), (("f", "x"), dict(y=1))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.link(*args, **kwargs),
                              files("f"))[0], "raise")


# ---------------------------------------------------------------- readlink

class ReadlinkTests(Case):

    def test_result_types(self):
        setup = files("f", links=[("target", "l"), (b"\xff", "raw"),
                                  ("x" * 4095, "long")])
        for path in ["l", b"l", FakePath("l"), FakePath(b"l"),
                     pathlib.Path("l"), "raw", b"raw", "long", "f",
                     "missing", "f/x"]:
            with self.subTest(path=path):
                self.same(lambda m, _: m.readlink(path), setup)
        os.symlink("target", "l")
        self.assertIs(type(oscpp.readlink(b"l")), bytes)
        self.assertIs(type(oscpp.readlink(FakePath("l"))), str)

    def test_dir_fd(self):
        def op(m, _):
            return m.readlink("l", dir_fd=self.open("."))
        self.assertEqual(self.same(op, files(links=[("t", "l")]))[1], "t")
        self.same(lambda m, _: m.readlink("l", dir_fd=BAD_FD))

    def test_errors(self):
        open("f", "w").close()
        for path in ["f", b"f"]:
            self.assert_raises_with(OSError, errno.EINVAL,
                                    lambda: oscpp.readlink(path), path)
        for args, kwargs in [((), {}), ((3,), {}), ((None,), {}),
                             (("l", 3), {}), (("l",), dict(dir_fd="x")),
                             (("l\0",), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.readlink(*args, **kwargs))[0],
                    "raise")


# ---------------------------------------------------------------- nodes

class MkfifoMknodTests(Case):

    def test_mkfifo(self):
        setup = files("f")
        for args, kwargs in [(("p",), {}), ((b"p", 0o600), {}),
                             ((FakePath("p"),), dict(mode=0o640)),
                             (("f",), {}), (("no/p",), {}), (("p", -1), {}),
                             (("p", 0o7777), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                old = os.umask(0o022)
                try:
                    self.same(lambda m, _: m.mkfifo(*args, **kwargs), setup)
                finally:
                    os.umask(old)

    def test_mknod(self):
        setup = files("f")
        for args, kwargs in [(("n",), {}), ((b"n", stat.S_IFIFO | 0o640), {}),
                             (("n", stat.S_IFREG), dict(device=0)),
                             (("n",), dict(mode=stat.S_IFCHR | 0o600,
                                           device=os.makedev(1, 3))),
                             (("f",), {}), (("no/n",), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                self.same(lambda m, _: m.mknod(*args, **kwargs), setup)

    def test_dir_fd(self):
        def op(m, _):
            d = self.open(".")
            m.mkfifo("p", dir_fd=d)
            m.mknod("n", stat.S_IFIFO | 0o600, dir_fd=d)
        self.same(op)
        self.same(lambda m, _: m.mkfifo("p", dir_fd=BAD_FD))
        self.same(lambda m, _: m.mknod("n", dir_fd=BAD_FD))

    def test_errors_name_no_file(self):
        open("f", "w").close()
        path = "f"
        self.assert_raises_with(FileExistsError, errno.EEXIST,
                                lambda: oscpp.mkfifo(path))
        self.assert_raises_with(FileExistsError, errno.EEXIST,
                                lambda: oscpp.mknod(path))

    def test_argument_errors(self):
        for args, kwargs in [((), {}), ((1,), {}), (("p", "x"), {}),
                             (("p", 2**40), {}), (("p", 0o600, 3), {}),
                             (("p",), dict(dir_fd="x")), (("p\0",), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.mkfifo(*args, **kwargs))[0],
                    "raise")
        for args, kwargs in [((), {}), ((1,), {}), (("n", 0o600, -1), {}),
                             (("n", 0o600, 2**64), {}),
                             (("n", 0o600, 1.5), {}),
                             (("n", 0o600, "1"), {}),
                             (("n", 0o600, 0, 3), {}),
                             (("n",), dict(device=None))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertEqual(
                    self.same(lambda m, _: m.mknod(*args, **kwargs))[0],
                    "raise")

    def test_unprivileged(self):
        os.chmod(self.dir, 0o777)
        r = run_unprivileged("""
            import stat
            for m in (oscpp, os):
                try:
                    m.mknod(m.__name__, stat.S_IFCHR | 0o600, m.makedev(1, 3))
                except PermissionError as e:
                    print(m.__name__, e.errno, e.filename)
        """)
        self.assertEqual(r.stdout.split("\n")[:2],
                         ["oscpp 1 None", "os 1 None"], r.stderr)


class DeviceTests(unittest.TestCase):

    def test_values(self):
        st = os.stat("/dev/null")
        for dev in [0, 1, st.st_rdev, 2**32, 2**64 - 1, 0xfff_12345_678]:
            with self.subTest(dev=dev):
                self.assertEqual(outcome(lambda: oscpp.major(dev)),
                                 outcome(lambda: os.major(dev)))
                self.assertEqual(outcome(lambda: oscpp.minor(dev)),
                                 outcome(lambda: os.minor(dev)))
        for parts in [(1, 3), (0, 0), (2**31 - 1, 2**31 - 1), (-1, 0),
                      (0, -1), (4095, 2**20)]:
            with self.subTest(parts=parts):
                self.assertEqual(outcome(lambda: oscpp.makedev(*parts)),
                                 outcome(lambda: os.makedev(*parts)))
        self.assertEqual(oscpp.makedev(oscpp.major(st.st_rdev),
                                       oscpp.minor(st.st_rdev)), st.st_rdev)

    def test_argument_errors(self):
        class Index:
            def __index__(self):
                return 5
        for f in ["major", "minor"]:
            for args, kwargs in [((), {}), ((-1,), {}), ((2**64,), {}),
                                 ((1.5,), {}), (("1",), {}), ((Index(),), {}),
                                 ((1, 2), {}), ((), dict(device=1))]:
                with self.subTest(f=f, args=args, kwargs=kwargs):
                    mine = outcome(lambda: getattr(oscpp, f)(*args, **kwargs))
                    self.assertEqual(mine, outcome(
                        lambda: getattr(os, f)(*args, **kwargs)))
        for args, kwargs in [((), {}), ((1,), {}), ((2**32, 0), {}),
                             ((0, 2**40), {}), ((1.5, 1), {}),
                             ((Index(), 1), {}), ((1, 2, 3), {}),
                             ((), dict(major=1, minor=2))]:
            with self.subTest(args=args, kwargs=kwargs):
                mine = outcome(lambda: oscpp.makedev(*args, **kwargs))
                self.assertEqual(mine,
                                 outcome(lambda: os.makedev(*args, **kwargs)))


# ---------------------------------------------------------------- queries

class PathconfTests(Case):

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


class StatvfsTests(Case):

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


class TruncateTests(Case):

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
                self.assertEqual(
                    self.same(lambda m, _: m.truncate(*args, **kwargs),
                              files("f"))[0], "raise")


# ---------------------------------------------------------------- removal

class RmdirReplaceTests(Case):

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

class MakedirsTests(Case):

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


class RemovedirsTests(Case):

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


class RenamesTests(Case):

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

#!/usr/bin/env python3
"""Binding tests for Files and Directories, the nodes topic: mkfifo, mknod,
major, minor, makedev.

    python3 tests/python/test_files_nodes.py --module-dir DIR

Each operation runs twice, once with CPython's os and once with oscpp, in two
fresh directories prepared the same way; results, exceptions (type, errno,
message, filenames) and the resulting directory contents must agree.
"""

import errno
import os
import stat
import unittest

import support
from support import (BAD_FD, DirsCase, FakePath, files, oscpp, outcome,
                     run_unprivileged)


# ---------------------------------------------------------------- nodes

class MkfifoMknodTests(DirsCase):

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


if __name__ == "__main__":
    support.main()

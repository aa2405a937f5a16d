#!/usr/bin/env python3
"""The File Object Creation binding against CPython's os: fdopen.

    python3 tests/python/test_file_objects.py --module-dir DIR
"""

import errno
import io
import os

import support
from support import FileFdTestCase, oscpp


class FdopenTests(FileFdTestCase):
    def test_fdopen_binary_and_text(self):
        fd = os.open(self.make_file(b"line\n"), os.O_RDONLY)
        with oscpp.fdopen(fd, "rb") as f:
            self.assertIsInstance(f, io.BufferedReader)
            self.assertEqual(f.read(), b"line\n")
        self.assertRaises(OSError, os.fstat, fd)  # closed with the file
        fd = os.open(self.path(), os.O_RDONLY)
        with oscpp.fdopen(fd, encoding="utf-8") as f:
            self.assertIsInstance(f, io.TextIOWrapper)
            self.assertEqual(f.read(), "line\n")
        fd = os.open(self.path(), os.O_RDONLY)
        with oscpp.fdopen(fd, "rb", 0) as f:
            self.assertIsInstance(f, io.FileIO)

    def test_fdopen_passes_extra_arguments(self):
        fd = self.open_file()
        with oscpp.fdopen(fd, "rb", closefd=False) as f:
            self.assertEqual(f.read(3), b"012")
        os.fstat(fd)  # still open
        f = oscpp.fdopen(fd, "r", -1, "utf-8", "strict", None, False)
        self.assertEqual(f.errors, "strict")
        f.close()
        os.fstat(fd)

    def test_fdopen_errors(self):
        for fd in ("3", 1.5, None):
            self.assertSameError(lambda: oscpp.fdopen(fd),
                                 lambda: os.fdopen(fd))
        e = self.assertSameError(
            lambda: oscpp.fdopen(self.bad_fd(), encoding="utf-8"),
            lambda: os.fdopen(self.bad_fd(), encoding="utf-8"))
        self.assertEqual(e.errno, errno.EBADF)
        self.assertSameError(lambda: oscpp.fdopen(), lambda: os.fdopen())
        self.assertSameError(lambda: oscpp.fdopen(0, "r", mode="r"),
                             lambda: os.fdopen(0, "r", mode="r"))
        self.assertSameError(lambda: oscpp.fdopen(0, "q"),
                             lambda: os.fdopen(0, "q"))


if __name__ == "__main__":
    support.main()

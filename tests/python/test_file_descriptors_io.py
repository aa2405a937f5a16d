#!/usr/bin/env python3
"""The File Descriptor Operations binding, reading and writing, against
CPython's os: read, pread, write, pwrite, readv, preadv, writev, pwritev,
sendfile, copy_file_range, splice.

    python3 tests/python/test_file_descriptors_io.py --module-dir DIR
"""

import array
import errno
import os
import sys
import signal
import threading
import unittest

import support
from support import oscpp


class FdTestCase(support.FdTestCase):
    def open_file(self, data=b"0123456789", name="file", flags=os.O_RDWR):
        with open(self.path(name), "wb") as f:
            f.write(data)
        fd = os.open(self.path(name), flags)
        self.addCleanup(os.close, fd)
        return fd


class ReadTests(FdTestCase):
    def test_read(self):
        fd = self.open_file()
        self.assertEqual(oscpp.read(fd, 4), b"0123")
        self.assertEqual(oscpp.read(fd, 0), b"")
        # CPython allocates the whole buffer first: 1 TiB is a MemoryError,
        # and nothing is read; 2 MiB is served.
        for module in (os, oscpp):
            self.assertRaises(MemoryError, module.read, fd, 2 ** 40)
            if sys.version_info >= (3, 9):  # before, a C int: OverflowError
                self.assertRaises(MemoryError, module.pread, fd, 2 ** 40, 0)
        self.assertEqual(oscpp.read(fd, 2 ** 21), b"456789")
        self.assertEqual(oscpp.read(fd, 10), b"")

    def test_read_errors(self):
        self.assertBadFd("read", 1)
        fd = self.open_file()
        # A negative length is OSError EINVAL in CPython, not ValueError.
        for length in (-1, 1.5, "1", 2 ** 70):
            self.assertSameError(lambda: oscpp.read(fd, length),
                                 lambda: os.read(fd, length))
        self.assertSameError(lambda: oscpp.read(fd=fd, length=1),
                             lambda: os.read(fd=fd, length=1), message=False)
        r, w = self.pipe()
        os.set_blocking(r, False)
        e = self.assertSameError(lambda: oscpp.read(r, 1),
                                 lambda: os.read(r, 1))
        self.assertIs(type(e), BlockingIOError)

    def test_read_signal_handler_exception(self):
        # EINTR with a handler that raised: the handler's exception wins.
        class Alarm(Exception):
            pass

        def handler(signum, frame):
            raise Alarm()

        old = signal.signal(signal.SIGALRM, handler)
        self.addCleanup(signal.signal, signal.SIGALRM, old)
        r, w = self.pipe()
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        self.addCleanup(signal.setitimer, signal.ITIMER_REAL, 0)
        with self.assertRaises(Alarm):
            oscpp.read(r, 1)

    def test_read_releases_gil(self):
        r, w = self.pipe()
        writer = threading.Timer(0.05, os.write, (w, b"x"))
        writer.start()
        self.assertEqual(oscpp.read(r, 1), b"x")  # would deadlock otherwise
        writer.join()

    def test_pread(self):
        fd = self.open_file()
        self.assertEqual(oscpp.pread(fd, 3, 5), b"567")
        self.assertEqual(os.lseek(fd, 0, os.SEEK_CUR), 0)
        self.assertEqual(oscpp.pread(fd, 3, 100), b"")

    def test_pread_errors(self):
        self.assertBadFd("pread", 1, 0)
        fd = self.open_file()
        for args in ((-1, 0), (1, -1), (1, 2 ** 70), (1, 1.5)):
            self.assertSameError(lambda: oscpp.pread(fd, *args),
                                 lambda: os.pread(fd, *args))
        r, w = self.pipe()
        e = self.assertSameError(lambda: oscpp.pread(r, 1, 0),
                                 lambda: os.pread(r, 1, 0))
        self.assertEqual(e.errno, errno.ESPIPE)


class WriteTests(FdTestCase):
    def test_write(self):
        fd = self.open_file(b"")
        for data in (b"ab", bytearray(b"cd"), memoryview(b"ef"),
                     array.array("b", [0x67, 0x68])):
            self.assertEqual(oscpp.write(fd, data), 2)
        self.assertEqual(oscpp.write(fd, b""), 0)
        self.assertEqual(os.pread(fd, 100, 0), b"abcdefgh")

    def test_write_errors(self):
        self.assertBadFd("write", b"x")
        fd = self.open_file()
        for data in ("str", 1, None, memoryview(b"abcd")[::2]):
            self.assertSameError(lambda: oscpp.write(fd, data),
                                 lambda: os.write(fd, data))
        r, w = os.pipe()
        os.close(r)
        self.addCleanup(os.close, w)
        e = self.assertSameError(lambda: oscpp.write(w, b"x"),
                                 lambda: os.write(w, b"x"))
        self.assertIs(type(e), BrokenPipeError)

    def test_pwrite(self):
        fd = self.open_file()
        self.assertEqual(oscpp.pwrite(fd, b"xy", 3), 2)
        self.assertEqual(os.lseek(fd, 0, os.SEEK_CUR), 0)
        self.assertEqual(os.read(fd, 100), b"012xy56789")

    def test_pwrite_errors(self):
        self.assertBadFd("pwrite", b"x", 0)
        fd = self.open_file()
        for args in (("x", 0), (b"x", -1), (b"x", 1.5), ("x", 1.5),
                     (b"x", 2 ** 70)):
            self.assertSameError(lambda: oscpp.pwrite(fd, *args),
                                 lambda: os.pwrite(fd, *args))


class VectorTests(FdTestCase):
    def test_readv(self):
        fd = self.open_file()
        buffers = [bytearray(3), memoryview(bytearray(4)), array.array("b",
                                                                       [0] * 5)]
        self.assertEqual(oscpp.readv(fd, buffers), 10)
        self.assertEqual(buffers[0], b"012")
        self.assertEqual(bytes(buffers[1]), b"3456")
        self.assertEqual(buffers[2].tobytes(), b"789\0\0")
        self.assertEqual(oscpp.readv(fd, [bytearray(2)]), 0)
        self.assertEqual(oscpp.readv(fd, []), 0)
        self.assertEqual(oscpp.readv(fd, ()), 0)

    def test_readv_errors(self):
        self.assertBadFd("readv", [bytearray(1)])
        fd = self.open_file()
        for buffers in ([b"ab"], 1, [1], ["x"], b"ab", [bytearray(1), b"x"]):
            self.assertSameError(lambda: oscpp.readv(fd, buffers),
                                 lambda: os.readv(fd, buffers))

    def test_preadv(self):
        fd = self.open_file()
        buffers = [bytearray(2), bytearray(3)]
        self.assertEqual(oscpp.preadv(fd, buffers, 4), 5)
        self.assertEqual(buffers, [b"45", b"678"])
        self.assertEqual(os.lseek(fd, 0, os.SEEK_CUR), 0)
        self.assertEqual(oscpp.preadv(fd, [bytearray(4)], 8, os.RWF_HIPRI), 2)
        # Offset -1 reads at the current position (preadv2), as Python's.
        os.lseek(fd, 1, os.SEEK_SET)
        buffer = bytearray(2)
        self.assertEqual(oscpp.preadv(fd, [buffer], -1), 2)
        self.assertEqual(buffer, b"12")
        self.assertEqual(os.lseek(fd, 0, os.SEEK_CUR), 3)

    def test_preadv_errors(self):
        self.assertBadFd("preadv", [bytearray(1)], 0)
        fd = self.open_file()
        for args in ((1, 0), ([b"x"], 0), ([bytearray(1)], 0, 0x7fff0000),
                     ([bytearray(1)], 1.5), ([bytearray(1)], 2 ** 70)):
            self.assertSameError(lambda: oscpp.preadv(fd, *args),
                                 lambda: os.preadv(fd, *args))

    def test_writev(self):
        fd = self.open_file(b"")
        data = (b"ab", bytearray(b"c"), memoryview(b"de"), b"")
        self.assertEqual(oscpp.writev(fd, data), 5)
        self.assertEqual(oscpp.writev(fd, []), 0)
        self.assertEqual(os.pread(fd, 10, 0), b"abcde")

    def test_writev_errors(self):
        self.assertBadFd("writev", [b"abc"])
        fd = self.open_file()
        for buffers in (b"ab", 1, ["x"], [b"x", None], "abc"):
            self.assertSameError(lambda: oscpp.writev(fd, buffers),
                                 lambda: os.writev(fd, buffers))

    def test_pwritev(self):
        fd = self.open_file()
        self.assertEqual(oscpp.pwritev(fd, [b"ab", b"cd"], 2), 4)
        self.assertEqual(os.lseek(fd, 0, os.SEEK_CUR), 0)
        self.assertEqual(os.read(fd, 100), b"01abcd6789")
        self.assertEqual(oscpp.pwritev(fd, [b"z"], 0, os.RWF_DSYNC), 1)
        self.assertEqual(os.pread(fd, 1, 0), b"z")

    def test_pwritev_errors(self):
        self.assertBadFd("pwritev", [b"x"], 0)
        fd = self.open_file()
        for args in ((1, 0), (["x"], 0), ([b"x"], 0, 0x7fff0000),
                     ([b"x"], 1.5)):
            self.assertSameError(lambda: oscpp.pwritev(fd, *args),
                                 lambda: os.pwritev(fd, *args))


class CopyTests(FdTestCase):
    def test_sendfile(self):
        src = self.open_file()
        r, w = self.pipe()
        self.assertEqual(oscpp.sendfile(w, src, 2, 3), 3)
        self.assertEqual(os.read(r, 10), b"234")
        self.assertEqual(os.lseek(src, 0, os.SEEK_CUR), 0)
        # 3.9 renamed out and in to out_fd and in_fd.
        out, in_ = ("out_fd", "in_fd") if sys.version_info >= (3, 9) else (
            "out", "in")
        self.assertEqual(oscpp.sendfile(**{out: w, in_: src, "offset": None,
                                           "count": 4}), 4)
        self.assertEqual(os.read(r, 10), b"0123")
        self.assertEqual(os.lseek(src, 0, os.SEEK_CUR), 4)
        self.assertEqual(oscpp.sendfile(w, src, 100, 4), 0)

    def test_sendfile_errors(self):
        src = self.open_file()
        r, w = self.pipe()
        bad = self.bad_fd()
        for args in ((bad, src, 0, 1), (w, bad, None, 1), (w, src, -1, 1),
                     (w, src, "x", 1), (w, src, 1.5, 1), (w, src, 0, 1.5),
                     (w, src, 2 ** 70, 1), (r, src, 0, 1)):
            self.assertSameError(lambda: oscpp.sendfile(*args),
                                 lambda: os.sendfile(*args))

    def test_copy_file_range(self):
        src = self.open_file()
        dst = self.open_file(b"", name="dst")
        self.assertEqual(oscpp.copy_file_range(src, dst, 4), 4)
        self.assertEqual(os.pread(dst, 10, 0), b"0123")
        self.assertEqual(oscpp.copy_file_range(src=src, dst=dst, count=3,
                                               offset_src=7, offset_dst=0), 3)
        self.assertEqual(os.pread(dst, 10, 0), b"7893")
        self.assertEqual(os.lseek(src, 0, os.SEEK_CUR), 4)
        self.assertEqual(os.lseek(dst, 0, os.SEEK_CUR), 4)

    def test_copy_file_range_errors(self):
        src = self.open_file()
        dst = self.open_file(b"", name="dst")
        bad = self.bad_fd()
        for args in ((bad, dst, 1), (src, bad, 1), (src, dst, -1),
                     (src, dst, 1, "x"), (src, dst, 1, -1),
                     (src, dst, 1, None, 2 ** 70), (src, dst, 1.5)):
            self.assertSameError(lambda: oscpp.copy_file_range(*args),
                                 lambda: os.copy_file_range(*args))

    def test_splice(self):
        src = self.open_file()
        r, w = self.pipe()
        self.assertEqual(oscpp.splice(src, w, 3, offset_src=5), 3)
        self.assertEqual(os.lseek(src, 0, os.SEEK_CUR), 0)
        self.assertEqual(oscpp.splice(src, w, 2), 2)
        self.assertEqual(os.lseek(src, 0, os.SEEK_CUR), 2)
        dst = self.open_file(b"", name="dst")
        self.assertEqual(oscpp.splice(r, dst, 5, None, 1,
                                      os.SPLICE_F_MOVE), 5)
        self.assertEqual(os.pread(dst, 10, 0), b"\x0056701")

    def test_splice_errors(self):
        src = self.open_file()
        r, w = self.pipe()
        bad = self.bad_fd()
        for args in ((bad, w, 1), (src, w, -1), (src, w, 1, None, 0),
                     (src, w, 1, None, None, -1),
                     (src, w, 1, None, None, 2 ** 40),
                     (src, w, 1, None, None, 1.5), (src, w, 1, "x")):
            self.assertSameError(lambda: oscpp.splice(*args),
                                 lambda: os.splice(*args))


if __name__ == "__main__":
    support.main()

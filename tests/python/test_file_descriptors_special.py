#!/usr/bin/env python3
"""The File Descriptor Operations binding, the special topic, against
CPython's os: memfd_create, eventfd*, timerfd_* (3.13).

    python3 tests/python/test_file_descriptors_special.py --module-dir DIR

Where the running Python's os lacks a name (timerfd_*), the expected results
are what 3.13 gives.
"""

import errno
import os
import struct
import time
import unittest

import support
from support import SpecialFdTestCase, WithFileno, oscpp



class MemfdTests(SpecialFdTestCase):
    def test_memfd_create(self):
        fd = self.closing(oscpp.memfd_create("name"))
        self.assertIsInstance(fd, int)
        self.assertFalse(os.get_inheritable(fd))
        self.assertEqual(os.readlink("/proc/self/fd/%d" % fd),
                         "/memfd:name (deleted)")
        os.write(fd, b"abc")
        self.assertEqual(os.pread(fd, 3, 0), b"abc")
        fd = self.closing(oscpp.memfd_create(name=b"raw", flags=0))
        self.assertTrue(os.get_inheritable(fd))
        fd = self.closing(oscpp.memfd_create(
            "sealed", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING))
        self.assertFalse(os.get_inheritable(fd))
        fd = self.closing(oscpp.memfd_create(__import__("pathlib").Path("p")))
        self.assertEqual(os.readlink("/proc/self/fd/%d" % fd),
                         "/memfd:p (deleted)")

    def test_memfd_create_errors(self):
        for args in ((1,), ("a\0b",), ("a", -1), ("a", 1.5), ("x" * 300,),
                     (None,)):
            self.assertSameError(lambda: oscpp.memfd_create(*args),
                                 lambda: os.memfd_create(*args))


class EventfdTests(SpecialFdTestCase):
    def test_eventfd(self):
        fd = self.closing(oscpp.eventfd(3))
        self.assertFalse(os.get_inheritable(fd))
        self.assertEqual(oscpp.eventfd_read(fd), 3)
        self.assertIsNone(oscpp.eventfd_write(fd, 2 ** 64 - 2))
        self.assertEqual(oscpp.eventfd_read(fd=fd), 2 ** 64 - 2)
        oscpp.eventfd_write(fd=fd, value=5)
        self.assertEqual(oscpp.eventfd_read(WithFileno(fd)), 5)

    def test_eventfd_flags(self):
        fd = self.closing(oscpp.eventfd(
            initval=2, flags=os.EFD_SEMAPHORE | os.EFD_NONBLOCK))
        self.assertTrue(os.get_inheritable(fd))  # the flags decide
        self.assertEqual(oscpp.eventfd_read(fd), 1)
        self.assertEqual(oscpp.eventfd_read(fd), 1)
        e = self.assertSameError(lambda: oscpp.eventfd_read(fd),
                                 lambda: os.eventfd_read(fd))
        self.assertIs(type(e), BlockingIOError)

    def test_eventfd_errors(self):
        for args in ((-1,), (2 ** 32,), (1.5,), (0, 2 ** 40), (0, -1),
                     ("1",)):
            self.assertSameError(lambda: oscpp.eventfd(*args),
                                 lambda: os.eventfd(*args))
        fd = self.closing(os.eventfd(0))
        for value in (-1, 2 ** 64, 2 ** 70, 1.5, 2 ** 64 - 1):
            self.assertSameError(lambda: oscpp.eventfd_write(fd, value),
                                 lambda: os.eventfd_write(fd, value))
        bad = self.bad_fd()
        for call in ("eventfd_read", "eventfd_write"):
            args = (bad,) if call == "eventfd_read" else (bad, 1)
            e = self.assertSameError(lambda: getattr(oscpp, call)(*args),
                                     lambda: getattr(os, call)(*args))
            self.assertEqual(e.errno, errno.EBADF)
        self.assertSameError(lambda: oscpp.eventfd_read("x"),
                             lambda: os.eventfd_read("x"))



class TimerfdTests(SpecialFdTestCase):
    def test_timerfd_create(self):
        fd = self.closing(oscpp.timerfd_create(time.CLOCK_MONOTONIC))
        self.assertFalse(os.get_inheritable(fd))
        fd = self.closing(oscpp.timerfd_create(
            time.CLOCK_REALTIME,
            flags=oscpp.TFD_NONBLOCK | oscpp.TFD_CLOEXEC))
        self.assertFalse(os.get_blocking(fd))

    def test_timerfd_create_errors(self):
        self.assertOSError(lambda: oscpp.timerfd_create(12345), errno.EINVAL)
        self.assertRaises(TypeError, oscpp.timerfd_create,
                          time.CLOCK_MONOTONIC, 0)  # flags is keyword-only
        self.assertRaises(TypeError, oscpp.timerfd_create, 1.5)
        self.assertRaises(OverflowError, oscpp.timerfd_create, 2 ** 40)

    def test_timerfd_settime_gettime(self):
        fd = self.closing(oscpp.timerfd_create(time.CLOCK_MONOTONIC))
        self.assertEqual(oscpp.timerfd_gettime(fd), (0.0, 0.0))
        old = oscpp.timerfd_settime(fd, initial=100.0, interval=2.5)
        self.assertEqual(old, (0.0, 0.0))
        initial, interval = oscpp.timerfd_gettime(WithFileno(fd))
        self.assertTrue(99.0 < initial <= 100.0, initial)
        self.assertEqual(interval, 2.5)
        initial, interval = oscpp.timerfd_gettime_ns(fd)
        self.assertTrue(99 * 10 ** 9 < initial <= 100 * 10 ** 9, initial)
        self.assertIsInstance(initial, int)
        self.assertEqual(interval, 2500000000)
        initial, interval = oscpp.timerfd_settime_ns(fd, initial=0)
        self.assertTrue(0 < initial <= 100 * 10 ** 9, initial)
        self.assertEqual(oscpp.timerfd_gettime_ns(fd), (0, 0))
        oscpp.timerfd_settime_ns(fd, initial=1, interval=0)
        os.set_blocking(fd, True)
        self.assertEqual(struct.unpack("Q", os.read(fd, 8))[0], 1)

    def test_timerfd_settime_errors(self):
        fd = self.closing(oscpp.timerfd_create(time.CLOCK_MONOTONIC))
        for kwargs in ({"initial": float("nan")}, {"initial": 1e300},
                       {"interval": float("inf")}):
            with self.assertRaises(OverflowError) as cm:
                oscpp.timerfd_settime(fd, **kwargs)
            self.assertEqual(str(cm.exception),
                             "timestamp out of range for platform time_t")
        self.assertOSError(lambda: oscpp.timerfd_settime(fd, initial=-1.0),
                           errno.EINVAL)
        self.assertOSError(lambda: oscpp.timerfd_settime_ns(fd, interval=-1),
                           errno.EINVAL)
        with self.assertRaises(TypeError) as cm:
            oscpp.timerfd_settime(fd, initial="x")
        self.assertEqual(str(cm.exception), "must be real number, not str")
        self.assertRaises(TypeError, oscpp.timerfd_settime, fd, 1.0)
        self.assertRaises(TypeError, oscpp.timerfd_settime_ns, fd,
                          initial=1.5)
        self.assertRaises(OverflowError, oscpp.timerfd_settime_ns, fd,
                          initial=2 ** 70)
        bad = self.bad_fd()
        for name in ("timerfd_settime", "timerfd_settime_ns",
                     "timerfd_gettime", "timerfd_gettime_ns"):
            self.assertOSError(lambda: getattr(oscpp, name)(bad), errno.EBADF)
        regular = self.open_file()
        self.assertOSError(lambda: oscpp.timerfd_gettime(regular),
                           errno.EINVAL)

    @unittest.skipUnless(hasattr(os, "timerfd_create"), "needs Python 3.13")
    def test_timerfd_errors_match_python(self):
        regular = self.open_file()
        for name in ("timerfd_gettime", "timerfd_gettime_ns"):
            self.assertSameError(lambda: getattr(oscpp, name)(regular),
                                 lambda: getattr(os, name)(regular))



if __name__ == "__main__":
    support.main()

#!/usr/bin/env python3
"""The File Descriptor Operations binding, special descriptors and
terminals, against CPython's os: memfd_create, eventfd*, timerfd_* (3.13),
openpty, posix_openpt/grantpt/unlockpt/ptsname (3.13), login_tty, ttyname,
tcgetpgrp, tcsetpgrp, get_terminal_size.

    python3 tests/python/test_fd_special.py --module-dir DIR

Where the running Python's os lacks a name (timerfd_*, the posix_openpt
family before 3.13), the expected results are what 3.13 gives.
"""

import errno
import fcntl
import os
import struct
import termios
import time
import unittest

import support
from support import oscpp


class FdTestCase(support.FdTestCase):
    def open_file(self):
        path = os.path.join(self.dir, "file")
        with open(path, "wb") as f:
            f.write(b"data")
        return self.closing(os.open(path, os.O_RDWR))

    def pty(self):
        master, slave = os.openpty()
        return self.closing(master), self.closing(slave)

    def assertOSError(self, call, errnum, type_=OSError):
        with self.assertRaises(OSError) as cm:
            call()
        self.assertIs(type(cm.exception), type_)
        self.assertEqual(cm.exception.errno, errnum)
        self.assertIsNone(cm.exception.filename)

    def in_child(self, body):
        """Runs body() in a forked child; it passes if body returns 0."""
        pid = os.fork()
        if pid == 0:
            code = 99
            try:
                code = body()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)


class MemfdTests(FdTestCase):
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


class EventfdTests(FdTestCase):
    def test_eventfd(self):
        fd = self.closing(oscpp.eventfd(3))
        self.assertFalse(os.get_inheritable(fd))
        self.assertEqual(oscpp.eventfd_read(fd), 3)
        self.assertIsNone(oscpp.eventfd_write(fd, 2 ** 64 - 2))
        self.assertEqual(oscpp.eventfd_read(fd=fd), 2 ** 64 - 2)
        oscpp.eventfd_write(fd=fd, value=5)
        self.assertEqual(oscpp.eventfd_read(Fileno(fd)), 5)

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


class Fileno:
    def __init__(self, fd):
        self.fd = fd

    def fileno(self):
        return self.fd


class TimerfdTests(FdTestCase):
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
        initial, interval = oscpp.timerfd_gettime(Fileno(fd))
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


class PtyTests(FdTestCase):
    def test_openpty(self):
        fds = oscpp.openpty()
        self.assertIsInstance(fds, tuple)
        master, slave = self.closing(fds[0]), self.closing(fds[1])
        self.assertFalse(os.get_inheritable(master))
        self.assertFalse(os.get_inheritable(slave))
        self.assertTrue(os.isatty(master))
        self.assertTrue(os.isatty(slave))
        os.write(master, b"x\n")
        self.assertEqual(os.read(slave, 10), b"x\n")

    def test_posix_openpt_family(self):
        master = self.closing(oscpp.posix_openpt(os.O_RDWR | os.O_NOCTTY))
        self.assertFalse(os.get_inheritable(master))
        self.assertIsNone(oscpp.grantpt(master))
        self.assertIsNone(oscpp.unlockpt(Fileno(master)))
        name = oscpp.ptsname(master)
        self.assertIsInstance(name, str)
        self.assertTrue(name.startswith("/dev/pts/"), name)
        slave = self.closing(os.open(name, os.O_RDWR | os.O_NOCTTY))
        self.assertEqual(os.ttyname(slave), name)

    def test_posix_openpt_family_errors(self):
        self.assertRaises(TypeError, oscpp.posix_openpt, 1.5)
        # -1 has O_DIRECTORY set: Python 3.13 gives NotADirectoryError too.
        self.assertOSError(lambda: oscpp.posix_openpt(-1), errno.ENOTDIR,
                           NotADirectoryError)
        regular = self.open_file()
        self.assertOSError(lambda: oscpp.grantpt(regular), errno.EINVAL)
        self.assertOSError(lambda: oscpp.unlockpt(regular), errno.EINVAL)
        self.assertOSError(lambda: oscpp.ptsname(regular), errno.ENOTTY)
        bad = self.bad_fd()
        for name in ("grantpt", "unlockpt", "ptsname"):
            self.assertOSError(lambda: getattr(oscpp, name)(bad), errno.EBADF)
            self.assertRaises(ValueError, getattr(oscpp, name), -1)
            self.assertRaises(TypeError, getattr(oscpp, name), "x")

    def test_ttyname(self):
        master, slave = self.pty()
        self.assertEqual(oscpp.ttyname(slave), os.ttyname(slave))
        regular = self.open_file()
        for fd in (regular, self.bad_fd()):
            self.assertSameError(lambda: oscpp.ttyname(fd),
                                 lambda: os.ttyname(fd))
        self.assertSameError(lambda: oscpp.ttyname(Fileno(slave)),
                             lambda: os.ttyname(Fileno(slave)))

    def test_tcgetpgrp_tcsetpgrp(self):
        master, slave = self.pty()
        # Not our controlling terminal: both fail as Python's do.
        self.assertSameError(lambda: oscpp.tcgetpgrp(slave),
                             lambda: os.tcgetpgrp(slave))
        self.assertSameError(lambda: oscpp.tcsetpgrp(slave, os.getpgrp()),
                             lambda: os.tcsetpgrp(slave, os.getpgrp()))
        for fd in (self.open_file(), self.bad_fd()):
            self.assertSameError(lambda: oscpp.tcgetpgrp(fd),
                                 lambda: os.tcgetpgrp(fd))
            self.assertSameError(lambda: oscpp.tcsetpgrp(fd, 0),
                                 lambda: os.tcsetpgrp(fd, 0))
        self.assertSameError(lambda: oscpp.tcsetpgrp(slave, 1.5),
                             lambda: os.tcsetpgrp(slave, 1.5))

        def body():
            # In a new session whose controlling terminal is the pty.
            os.setsid()
            fd = os.open(os.ttyname(slave), os.O_RDWR)
            group = os.getpgrp()
            if oscpp.tcgetpgrp(fd) != os.tcgetpgrp(fd) or \
                    oscpp.tcgetpgrp(fd) != group:
                return 1
            return 0 if oscpp.tcsetpgrp(fd, group) is None else 2

        self.in_child(body)

    def test_get_terminal_size(self):
        master, slave = self.pty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", 24, 80, 0, 0))
        size = oscpp.get_terminal_size(slave)
        self.assertIs(type(size), os.terminal_size)
        self.assertEqual(size, os.get_terminal_size(slave))
        self.assertEqual((size.columns, size.lines), (80, 24))

    def test_get_terminal_size_default_fd(self):
        # stdout, as Python's: the same result or the same error.
        try:
            want = os.get_terminal_size()
        except OSError:
            self.assertSameError(oscpp.get_terminal_size,
                                 os.get_terminal_size)
        else:
            self.assertEqual(oscpp.get_terminal_size(), want)

    def test_get_terminal_size_errors(self):
        for fd in (self.open_file(), self.bad_fd()):
            self.assertSameError(lambda: oscpp.get_terminal_size(fd),
                                 lambda: os.get_terminal_size(fd))
        self.assertSameError(lambda: oscpp.get_terminal_size("x"),
                             lambda: os.get_terminal_size("x"))

    def test_login_tty(self):
        master, slave = self.pty()

        def body():
            oscpp.login_tty(slave)
            if os.getsid(0) != os.getpid():
                return 1
            if os.ttyname(0) != os.ttyname(1) or not os.isatty(2):
                return 2
            try:
                os.fstat(slave)
            except OSError:
                pass  # closed by login_tty, unless it is 0, 1 or 2
            else:
                return 3 if slave > 2 else 0
            return 0 if os.tcgetpgrp(0) == os.getpgrp() else 4

        self.in_child(body)

    def test_login_tty_errors(self):
        regular = self.open_file()

        def body():
            try:
                oscpp.login_tty(regular)
            except OSError as e:
                return 0 if e.errno == errno.ENOTTY else 1
            return 2

        self.in_child(body)
        bad = self.bad_fd()

        def body_bad():
            try:
                oscpp.login_tty(bad)
            except OSError as e:
                return 0 if e.errno == errno.EBADF else 1
            return 2

        self.in_child(body_bad)
        self.assertRaises(ValueError, oscpp.login_tty, -1)
        self.assertRaises(TypeError, oscpp.login_tty, 1.5)


if __name__ == "__main__":
    support.main()

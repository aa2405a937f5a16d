#!/usr/bin/env python3
"""The File Descriptor Operations binding, the terminals topic, against
CPython's os: isatty, device_encoding, openpty,
posix_openpt/grantpt/unlockpt/ptsname (3.13), login_tty, ttyname,
tcgetpgrp, tcsetpgrp, get_terminal_size.

    python3 tests/python/test_file_descriptors_terminals.py --module-dir DIR

Where the running Python's os lacks a name (the posix_openpt family before
3.13), the expected results are what 3.13 gives.
"""

import errno
import fcntl
import os
import struct
import termios

import support
from support import FileFdTestCase, SpecialFdTestCase, WithFileno, oscpp


class PtyTests(SpecialFdTestCase):
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
        self.assertIsNone(oscpp.unlockpt(WithFileno(master)))
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
        self.assertSameError(lambda: oscpp.ttyname(WithFileno(slave)),
                             lambda: os.ttyname(WithFileno(slave)))

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
        login_tty = oscpp.login_tty  # in the parent: skips before 3.11
        master, slave = self.pty()

        def body():
            login_tty(slave)
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
        login_tty = oscpp.login_tty  # in the parent: skips before 3.11
        regular = self.open_file()

        def body():
            try:
                login_tty(regular)
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


class IsattyTests(FileFdTestCase):
    def test_isatty(self):
        fd = self.open_file()
        self.assertIs(oscpp.isatty(fd), False)
        self.assertIs(oscpp.isatty(self.bad_fd()), False)
        master, slave = os.openpty()
        self.addCleanup(os.close, master)
        self.addCleanup(os.close, slave)
        self.assertIs(oscpp.isatty(slave), True)
        self.assertSameError(lambda: oscpp.isatty(1.5),
                             lambda: os.isatty(1.5))

    def test_device_encoding(self):
        fd = self.open_file()
        self.assertIsNone(oscpp.device_encoding(fd))
        self.assertIsNone(oscpp.device_encoding(fd=self.bad_fd()))
        master, slave = os.openpty()
        self.addCleanup(os.close, master)
        self.addCleanup(os.close, slave)
        self.assertEqual(oscpp.device_encoding(slave),
                         os.device_encoding(slave))
        self.assertSameError(lambda: oscpp.device_encoding(1.5),
                             lambda: os.device_encoding(1.5))


if __name__ == "__main__":
    support.main()

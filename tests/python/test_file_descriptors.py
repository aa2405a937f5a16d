#!/usr/bin/env python3
"""The File Descriptor Operations binding against CPython's os, the general
topic: open, close, dup, locking, inheritance, blocking, pipes.

    python3 tests/python/test_file_descriptors.py --module-dir DIR

The other topics are in test_file_descriptors_<topic>.py (io, meta, special,
terminals); fdopen in test_file_objects.py.
"""

import errno
import os
import stat
import sys

import support
from support import FileFdTestCase, WithFileno, oscpp




class ArgumentTests(FileFdTestCase):
    # Every int parameter converts as Python's: TypeError for a non-int,
    # OverflowError (with Python's message) beyond a C int.
    CALLS = {
        "close": (), "closerange": (5,), "device_encoding": (), "dup": (),
        "dup2": (99,), "fchmod": (0o600,), "fchown": (-1, -1), "fstat": (),
        "fstatvfs": (), "ftruncate": (0,), "get_blocking": (),
        "set_blocking": (True,), "get_inheritable": (),
        "set_inheritable": (True,), "isatty": (), "lockf": (os.F_TEST, 0),
        "lseek": (0, 0), "posix_fallocate": (0, 1),
        "posix_fadvise": (0, 0, 0), "read": (1,), "pread": (1, 0),
        "write": (b"x",), "pwrite": (b"x", 0), "readv": ([],),
        "writev": ([],), "preadv": ([], 0), "pwritev": ([], 0),
        "tcgetpgrp": (), "tcsetpgrp": (0,), "ttyname": (),
        "get_terminal_size": (),
    }

    def test_fd_argument(self):
        for name, rest in self.CALLS.items():
            for fd in (2 ** 31, -2 ** 31 - 1, 2 ** 70, 1.5, "3", None,
                       WithFileno(0)):
                with self.subTest(name=name, fd=fd):
                    self.assertSameError(
                        lambda: getattr(oscpp, name)(fd, *rest),
                        lambda: getattr(os, name)(fd, *rest))

    def test_int_arguments(self):
        fd = self.open_file()
        for call in (lambda m: m.dup2(fd, 2 ** 40),
                     lambda m: m.fchmod(fd, 2 ** 40),
                     lambda m: m.lockf(fd, 2 ** 40, 0),
                     lambda m: m.lseek(fd, 0, 2 ** 40),
                     lambda m: m.open(self.path(), 2 ** 40),
                     lambda m: m.open(self.path(), 0, 2 ** 40),
                     lambda m: m.open(self.path(), 0, dir_fd=2 ** 40),
                     lambda m: m.pipe2(2 ** 40),
                     lambda m: m.posix_fadvise(fd, 0, 0, 2 ** 40),
                     lambda m: m.preadv(fd, [], 0, 2 ** 40),
                     lambda m: m.set_inheritable(fd, 2 ** 40),
                     lambda m: m.sendfile(fd, 2 ** 40, 0, 1),
                     lambda m: m.copy_file_range(fd, 2 ** 40, 1),
                     lambda m: m.splice(2 ** 40, fd, 1),
                     lambda m: m.tcsetpgrp(fd, 2 ** 40),
                     lambda m: m.eventfd(0, 2 ** 40)):
            self.assertSameError(lambda: call(oscpp), lambda: call(os))


class CloseTests(FileFdTestCase):
    def test_close(self):
        fd = os.open(self.make_file(), os.O_RDONLY)
        self.assertIsNone(oscpp.close(fd=fd))
        with self.assertRaises(OSError) as cm:
            os.fstat(fd)
        self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_close_errors(self):
        self.assertBadFd("close")
        self.assertSameError(lambda: oscpp.close(1.5), lambda: os.close(1.5))
        self.assertSameError(lambda: oscpp.close(WithFileno(0)),
                             lambda: os.close(WithFileno(0)))

    def test_closerange(self):
        fds = [os.open(self.make_file(), os.O_RDONLY) for _ in range(3)]
        low, high = min(fds), max(fds)
        self.assertIsNone(oscpp.closerange(low, high))
        for fd in fds:
            if fd < high:
                self.assertRaises(OSError, os.fstat, fd)
        os.close(high)  # not closed: the range is half-open

    def test_closerange_errors(self):
        fd = self.bad_fd()
        self.assertIsNone(oscpp.closerange(fd, fd + 1))  # errors ignored
        self.assertSameError(lambda: oscpp.closerange(1.5, 2),
                             lambda: os.closerange(1.5, 2))
        self.assertSameError(lambda: oscpp.closerange(fd_low=1, fd_high=2),
                             lambda: os.closerange(fd_low=1, fd_high=2),
                             message=False)


class DupTests(FileFdTestCase):
    def test_dup(self):
        fd = self.open_file()
        new = oscpp.dup(fd)
        self.addCleanup(os.close, new)
        self.assertIsInstance(new, int)
        self.assertNotEqual(new, fd)
        self.assertFalse(os.get_inheritable(new))
        self.assertEqual(os.fstat(new).st_ino, os.fstat(fd).st_ino)

    def test_dup_errors(self):
        self.assertBadFd("dup")
        self.assertSameError(lambda: oscpp.dup(-1), lambda: os.dup(-1))
        self.assertSameError(lambda: oscpp.dup("x"), lambda: os.dup("x"))

    def test_dup2(self):
        fd = self.open_file()
        target = self.open_file()
        self.assertEqual(oscpp.dup2(fd, target), target)
        self.assertTrue(os.get_inheritable(target))
        self.assertEqual(os.fstat(target).st_ino, os.fstat(fd).st_ino)
        other = self.open_file()
        self.assertEqual(oscpp.dup2(fd=fd, fd2=other, inheritable=False), other)
        self.assertFalse(os.get_inheritable(other))
        # inheritable is any truth value, as Python's.
        self.assertEqual(oscpp.dup2(fd, other, "yes"), other)
        self.assertTrue(os.get_inheritable(other))

    def test_dup2_errors(self):
        self.assertBadFd("dup2", 99)
        fd = self.open_file()
        for fd2 in (-1, -2 ** 31):
            e = self.assertSameError(lambda: oscpp.dup2(fd, fd2),
                                     lambda: os.dup2(fd, fd2))
            # Before 3.10 the errno is whatever errno held (no call made).
            if sys.version_info >= (3, 10):
                self.assertEqual(e.errno, errno.EBADF)



class FlagTests(FileFdTestCase):
    def test_blocking(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        self.assertIs(oscpp.get_blocking(r), True)
        self.assertIsNone(oscpp.set_blocking(r, False))
        self.assertIs(os.get_blocking(r), False)
        self.assertIs(oscpp.get_blocking(r), False)
        oscpp.set_blocking(r, 1)
        self.assertIs(os.get_blocking(r), True)

    def test_blocking_errors(self):
        self.assertBadFd("get_blocking")
        self.assertBadFd("set_blocking", True)
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        try:
            os.set_blocking(r, "")  # an error until 3.12, then a bool
        except TypeError:
            self.assertSameError(lambda: oscpp.set_blocking(r, ""),
                                 lambda: os.set_blocking(r, ""))
        else:
            os.set_blocking(r, True)
            self.assertIsNone(oscpp.set_blocking(r, ""))
            self.assertFalse(os.get_blocking(r))

    def test_inheritable(self):
        fd = self.open_file()
        self.assertIs(oscpp.get_inheritable(fd), False)
        self.assertIsNone(oscpp.set_inheritable(fd, True))
        self.assertIs(os.get_inheritable(fd), True)
        self.assertIs(oscpp.get_inheritable(fd), True)
        oscpp.set_inheritable(fd, 0)
        self.assertIs(os.get_inheritable(fd), False)

    def test_inheritable_errors(self):
        self.assertBadFd("get_inheritable")
        self.assertBadFd("set_inheritable", True)
        fd = self.open_file()
        self.assertSameError(lambda: oscpp.set_inheritable(fd, "x"),
                             lambda: os.set_inheritable(fd, "x"))


class LockAndSeekTests(FileFdTestCase):
    def test_lockf(self):
        fd = self.open_file()
        self.assertIsNone(oscpp.lockf(fd, os.F_LOCK, 0))
        # Another process cannot take the lock now.
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                try:
                    oscpp.lockf(fd, os.F_TLOCK, 0)
                except OSError as e:
                    code = 0 if e.errno in (errno.EACCES, errno.EAGAIN) else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(support.status_code(status), 0)
        self.assertIsNone(oscpp.lockf(fd, os.F_ULOCK, 0))

    def test_lockf_errors(self):
        self.assertBadFd("lockf", os.F_LOCK, 0)
        fd = self.open_file()
        self.assertSameError(lambda: oscpp.lockf(fd, 99, 0),
                             lambda: os.lockf(fd, 99, 0))
        self.assertSameError(lambda: oscpp.lockf(fd, os.F_LOCK, 1.5),
                             lambda: os.lockf(fd, os.F_LOCK, 1.5))

    def test_lseek(self):
        fd = self.open_file()
        self.assertEqual(oscpp.lseek(fd, 3, os.SEEK_SET), 3)
        self.assertEqual(oscpp.lseek(fd, 2, os.SEEK_CUR), 5)
        self.assertEqual(oscpp.lseek(fd, -1, os.SEEK_END), 9)
        self.assertEqual(os.read(fd, 10), b"9")

    def test_lseek_errors(self):
        self.assertBadFd("lseek", 0, 0)
        fd = self.open_file()
        for args in ((-1, os.SEEK_SET), (2 ** 70, 0), (1.5, 0), (0, 99)):
            self.assertSameError(lambda: oscpp.lseek(fd, *args),
                                 lambda: os.lseek(fd, *args))
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        e = self.assertSameError(lambda: oscpp.lseek(r, 0, 0),
                                 lambda: os.lseek(r, 0, 0))
        self.assertEqual(e.errno, errno.ESPIPE)

    def test_posix_fallocate(self):
        fd = self.open_file()
        self.assertIsNone(oscpp.posix_fallocate(fd, 0, 4096))
        self.assertEqual(os.fstat(fd).st_size, 4096)

    def test_posix_fallocate_errors(self):
        self.assertBadFd("posix_fallocate", 0, 1)
        fd = self.open_file()
        for args in ((0, 0), (-1, 1), (0, -1), (0, 1.5)):
            self.assertSameError(lambda: oscpp.posix_fallocate(fd, *args),
                                 lambda: os.posix_fallocate(fd, *args))

    def test_posix_fadvise(self):
        fd = self.open_file()
        for advice in (os.POSIX_FADV_NORMAL, os.POSIX_FADV_SEQUENTIAL,
                       os.POSIX_FADV_DONTNEED):
            self.assertIsNone(oscpp.posix_fadvise(fd, 0, 10, advice))

    def test_posix_fadvise_errors(self):
        self.assertBadFd("posix_fadvise", 0, 0, os.POSIX_FADV_NORMAL)
        fd = self.open_file()
        for args in ((0, 0, 99), (0, -1, 0), (0.5, 0, 0)):
            self.assertSameError(lambda: oscpp.posix_fadvise(fd, *args),
                                 lambda: os.posix_fadvise(fd, *args))


class OpenTests(FileFdTestCase):
    def test_open_kinds_of_path(self):
        path = self.make_file()
        for p in (path, os.fsencode(path), __import__("pathlib").Path(path)):
            fd = oscpp.open(p, os.O_RDONLY)
            self.assertIsInstance(fd, int)
            self.assertFalse(os.get_inheritable(fd))
            self.assertEqual(os.read(fd, 3), b"012")
            os.close(fd)

    def test_open_mode_and_keywords(self):
        old = os.umask(0o022)
        self.addCleanup(os.umask, old)
        fd = oscpp.open(path=self.path("new"), flags=os.O_CREAT | os.O_WRONLY)
        os.close(fd)
        self.assertEqual(stat.S_IMODE(os.stat(self.path("new")).st_mode),
                         0o755)
        fd = oscpp.open(self.path("new2"), os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        self.assertEqual(stat.S_IMODE(os.stat(self.path("new2")).st_mode),
                         0o600)

    def test_open_dir_fd(self):
        self.make_file(b"abc", name="inner")
        dir_fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, dir_fd)
        fd = oscpp.open("inner", os.O_RDONLY, dir_fd=dir_fd)
        self.assertEqual(os.read(fd, 10), b"abc")
        os.close(fd)
        fd = oscpp.open(self.path("inner"), os.O_RDONLY, dir_fd=None)
        os.close(fd)

    def test_open_errors(self):
        for missing in (self.path("missing"), os.fsencode(self.path("x"))):
            e = self.assertSameError(lambda: oscpp.open(missing, os.O_RDONLY),
                                     lambda: os.open(missing, os.O_RDONLY))
            self.assertIs(type(e), FileNotFoundError)
            self.assertIs(e.filename, missing)
        path = self.make_file()
        e = self.assertSameError(
            lambda: oscpp.open(path, os.O_CREAT | os.O_EXCL),
            lambda: os.open(path, os.O_CREAT | os.O_EXCL))
        self.assertIs(type(e), FileExistsError)
        self.assertIs(e.filename, path)
        for args in ((1, 0), ("a\0b", 0), (b"a\0b", 0), (path, 1.5),
                     (path, 0, "x"), (None, 0)):
            self.assertSameError(lambda: oscpp.open(*args),
                                 lambda: os.open(*args))
        self.assertSameError(lambda: oscpp.open(path, 0, dir_fd="x"),
                             lambda: os.open(path, 0, dir_fd="x"))
        bad = self.bad_fd()
        e = self.assertSameError(lambda: oscpp.open("x", 0, dir_fd=bad),
                                 lambda: os.open("x", 0, dir_fd=bad))
        self.assertEqual(e.errno, errno.EBADF)

    def test_open_unprivileged(self):
        path = self.make_file()
        os.chmod(path, 0o600)
        self.assertTrue(support.raises_permission_error(
            lambda: oscpp.open(path, os.O_RDONLY),
            lambda e: e.filename is path))


class PipeTests(FileFdTestCase):
    def test_pipe(self):
        fds = oscpp.pipe()
        self.assertIsInstance(fds, tuple)
        r, w = fds
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        self.assertFalse(os.get_inheritable(r))
        self.assertFalse(os.get_inheritable(w))
        os.write(w, b"hi")
        self.assertEqual(os.read(r, 2), b"hi")
        self.assertRaises(TypeError, oscpp.pipe, 1)

    def test_pipe2(self):
        r, w = oscpp.pipe2(os.O_NONBLOCK)
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        self.assertTrue(os.get_inheritable(r))  # the flags decide, as Python
        self.assertFalse(os.get_blocking(r))
        self.assertFalse(os.get_blocking(w))
        r2, w2 = oscpp.pipe2(os.O_CLOEXEC)
        self.addCleanup(os.close, r2)
        self.addCleanup(os.close, w2)
        self.assertFalse(os.get_inheritable(r2))
        self.assertTrue(os.get_blocking(r2))

    def test_pipe2_errors(self):
        for flags in (-1, 1.5, "x"):
            self.assertSameError(lambda: oscpp.pipe2(flags),
                                 lambda: os.pipe2(flags))



if __name__ == "__main__":
    support.main()

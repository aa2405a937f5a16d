#!/usr/bin/env python3
"""The File Descriptor Operations binding against CPython's os, the meta
topic: fstat, fstatvfs, fpathconf, fchmod, fchown, fsync, fdatasync,
ftruncate.

    python3 tests/python/test_file_descriptors_meta.py --module-dir DIR
"""

import errno
import os
import stat

import support
from support import FileFdTestCase, WithFileno, outcome, oscpp


class MetadataTests(FileFdTestCase):
    def test_fchmod(self):
        fd = self.open_file()
        self.assertIsNone(oscpp.fchmod(fd, 0o640))
        self.assertEqual(stat.S_IMODE(os.fstat(fd).st_mode), 0o640)
        oscpp.fchmod(fd=fd, mode=0o600)
        self.assertEqual(stat.S_IMODE(os.fstat(fd).st_mode), 0o600)

    def test_fchmod_errors(self):
        self.assertBadFd("fchmod", 0)
        fd = self.open_file()
        self.assertSameError(lambda: oscpp.fchmod(fd, 1.5),
                             lambda: os.fchmod(fd, 1.5))

    def test_fchown(self):
        fd = self.open_file()
        st = os.fstat(fd)
        self.assertIsNone(oscpp.fchown(fd, -1, -1))
        self.assertEqual(os.fstat(fd).st_uid, st.st_uid)
        if os.geteuid() == 0:
            oscpp.fchown(fd=fd, uid=65534, gid=-1)
            self.assertEqual(os.fstat(fd).st_uid, 65534)
            self.assertEqual(os.fstat(fd).st_gid, st.st_gid)
            oscpp.fchown(fd, 2 ** 32 - 1, 65534)  # (uid_t)-1: unchanged
            self.assertEqual(os.fstat(fd).st_uid, 65534)
            self.assertEqual(os.fstat(fd).st_gid, 65534)

    def test_fchown_errors(self):
        self.assertBadFd("fchown", -1, -1)
        fd = self.open_file()
        for uid in (-2, 2 ** 32, -2 ** 40, 2 ** 63, 2 ** 70, -2 ** 70, 1.5,
                    "0", None):
            self.assertSameError(lambda: oscpp.fchown(fd, uid, -1),
                                 lambda: os.fchown(fd, uid, -1))
            self.assertSameError(lambda: oscpp.fchown(fd, -1, uid),
                                 lambda: os.fchown(fd, -1, uid))

    def test_fchown_unprivileged(self):
        fd = self.open_file()
        self.assertTrue(support.raises_permission_error(
            lambda: oscpp.fchown(fd, 0, 0), lambda e: e.errno == errno.EPERM))

    def test_fsync_fdatasync(self):
        fd = self.open_file()
        for name in ("fsync", "fdatasync"):
            function = getattr(oscpp, name)
            self.assertIsNone(function(fd))
            self.assertIsNone(function(fd=fd))
            with open(self.path(), "rb") as f:
                self.assertIsNone(function(f))

    def test_fsync_fdatasync_errors(self):
        for name in ("fsync", "fdatasync"):
            self.assertBadFd(name)
            for arg in ("x", 1.5, -1, WithFileno(-1), 2 ** 40):
                self.assertSameError(lambda: getattr(oscpp, name)(arg),
                                     lambda: getattr(os, name)(arg))

    def test_fpathconf(self):
        fd = self.open_file()
        self.assertEqual(oscpp.pathconf_names, os.pathconf_names)
        for name, value in os.pathconf_names.items():
            with self.subTest(name=name):
                try:
                    want = os.fpathconf(fd, name)
                except OSError as e:
                    self.assertSameError(lambda: oscpp.fpathconf(fd, name),
                                         lambda: os.fpathconf(fd, name))
                    continue
                self.assertEqual(oscpp.fpathconf(fd, name), want)
                self.assertEqual(oscpp.fpathconf(fd, value), want)
        # A file object (its fileno()) from 3.10 on; a TypeError before.
        with open(self.path(), "rb") as f:
            results = [outcome(lambda: m.fpathconf(f, "PC_NAME_MAX"))
                       for m in (oscpp, os)]
            self.assertEqual(results[0], results[1])

    def test_fpathconf_errors(self):
        self.assertBadFd("fpathconf", "PC_NAME_MAX")
        fd = self.open_file()
        for name in ("PC_NOPE", 1.5, None, b"PC_NAME_MAX", 2 ** 70, 10 ** 6):
            self.assertSameError(lambda: oscpp.fpathconf(fd, name),
                                 lambda: os.fpathconf(fd, name))
        self.assertSameError(lambda: oscpp.fpathconf("x", "PC_NAME_MAX"),
                             lambda: os.fpathconf("x", "PC_NAME_MAX"))

    def test_fstat(self):
        fd = self.open_file()
        got, want = oscpp.fstat(fd=fd), os.fstat(fd)
        self.assertIs(type(got), os.stat_result)
        self.assertEqual(got, want)
        for field in ("st_atime", "st_mtime", "st_ctime", "st_atime_ns",
                      "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks",
                      "st_rdev"):
            self.assertEqual(getattr(got, field), getattr(want, field), field)

    def test_fstat_errors(self):
        self.assertBadFd("fstat")
        self.assertSameError(lambda: oscpp.fstat(WithFileno(0)),
                             lambda: os.fstat(WithFileno(0)))

    def test_fstatvfs(self):
        fd = self.open_file()
        got, want = oscpp.fstatvfs(fd), os.fstatvfs(fd)
        self.assertIs(type(got), os.statvfs_result)
        for field in ("f_bsize", "f_frsize", "f_blocks", "f_files", "f_flag",
                      "f_namemax", "f_fsid"):
            self.assertEqual(getattr(got, field), getattr(want, field), field)
        self.assertEqual(len(got), len(want))

    def test_fstatvfs_errors(self):
        self.assertBadFd("fstatvfs")
        self.assertSameError(lambda: oscpp.fstatvfs(fd=0),
                             lambda: os.fstatvfs(fd=0), message=False)

    def test_ftruncate(self):
        fd = self.open_file()
        self.assertIsNone(oscpp.ftruncate(fd, 4))
        self.assertEqual(os.fstat(fd).st_size, 4)
        oscpp.ftruncate(fd, 100)
        self.assertEqual(os.fstat(fd).st_size, 100)

    def test_ftruncate_errors(self):
        self.assertBadFd("ftruncate", 0)
        fd = self.open_file()
        for length in (-1, 2 ** 70, 1.5, "1"):
            self.assertSameError(lambda: oscpp.ftruncate(fd, length),
                                 lambda: os.ftruncate(fd, length))
        ro = self.open_file(os.O_RDONLY)
        self.assertSameError(lambda: oscpp.ftruncate(ro, 0),
                             lambda: os.ftruncate(ro, 0))


if __name__ == "__main__":
    support.main()

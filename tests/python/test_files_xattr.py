#!/usr/bin/env python3
"""Binding tests for getxattr, setxattr, listxattr and removexattr.

    python3 tests/python/test_files_xattr.py --module-dir DIR

Each sequence of operations runs with CPython's os on one file and with
oscpp on another, prepared alike; results and errors (type, errno, message,
filename and its identity with the caller's object) must agree.
"""

import errno
import os
import shutil
import tempfile
import unittest

from support import FakePath, oscpp


def outcome(fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001
        return ("raised", type(e), getattr(e, "errno", None),
                getattr(e, "filename", None), str(e))
    if isinstance(value, list):
        value = sorted(value)
    return ("value", value)


def xattr_supported(directory):
    probe = os.path.join(directory, "probe")
    open(probe, "w").close()
    try:
        os.setxattr(probe, "user.probe", b"")
    except OSError as e:
        if e.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise
    finally:
        os.unlink(probe)
    return True


class XattrTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        if not xattr_supported(self.dir):
            self.skipTest("user.* extended attributes unsupported in "
                          + self.dir)

    def fresh(self, tag):
        """A file and a symlink to it, one pair per module."""
        path = os.path.join(self.dir, tag)
        with open(path, "w"):
            pass
        os.symlink(tag, path + ".link")
        return path

    def same(self, steps):
        """Runs steps(module, file) for both modules on fresh files."""
        results = {}
        for module in (os, oscpp):
            path = self.fresh(module.__name__)
            results[module] = [outcome(lambda s=s: s(module, path))
                               for s in steps]
            # Filenames differ by the file; compare with it replaced.
            results[module] = [tuple(x.replace(path, "<f>")
                                     if isinstance(x, str) else x
                                     for x in r) for r in results[module]]
        self.assertEqual(results[oscpp], results[os])

    def test_operations_match_os(self):
        X = os.XATTR_CREATE
        R = os.XATTR_REPLACE
        self.same([
            lambda m, p: m.listxattr(p),
            lambda m, p: m.getxattr(p, "user.a"),
            lambda m, p: m.setxattr(p, "user.a", b"1"),
            lambda m, p: m.setxattr(p, "user.a", b"2", X),
            lambda m, p: m.setxattr(p, "user.b", b"2", R),
            lambda m, p: m.setxattr(p, "user.a", bytearray(b"ba"), R),
            lambda m, p: m.setxattr(p, "user.m", memoryview(b"mv")),
            lambda m, p: m.setxattr(p, b"user.big", b"x" * 3000),
            lambda m, p: m.setxattr(p, "user.e", b""),
            lambda m, p: m.getxattr(p, "user.a"),
            lambda m, p: m.getxattr(os.fsencode(p), b"user.big"),
            lambda m, p: m.getxattr(FakePath(p), FakePath("user.e")),
            lambda m, p: m.listxattr(p),
            lambda m, p: m.listxattr(os.fsencode(p)),
            lambda m, p: m.removexattr(p, "user.a"),
            lambda m, p: m.removexattr(p, "user.a"),
            lambda m, p: m.setxattr(p, "bad", b"1"),
            lambda m, p: m.setxattr(p, "user.a", b"1", flags=99),
            lambda m, p: m.setxattr(p, "user.a", b"1", 1 << 40),
            lambda m, p: m.setxattr(p, "user.a", "str"),
            lambda m, p: m.getxattr(p, 5),
            lambda m, p: m.getxattr(p, "user.\0"),
            lambda m, p: m.getxattr(p, "user.a", 1),
            lambda m, p: m.listxattr(3.5),
            lambda m, p: m.getxattr(p + ".missing", "user.a"),
            lambda m, p: m.listxattr(p + ".missing"),
            lambda m, p: m.listxattr(p + ".link"),
            lambda m, p: m.listxattr(p + ".link", follow_symlinks=False),
            lambda m, p: m.getxattr(p + ".link", "user.m",
                                    follow_symlinks=False),
            lambda m, p: m.setxattr(p + ".link", "user.x", b"1",
                                    follow_symlinks=False),
            lambda m, p: m.removexattr(p + ".link", "user.m",
                                       follow_symlinks=False),
            lambda m, p: m.removexattr(p + ".link", "user.m"),
            lambda m, p: m.listxattr(p),
        ])

    def test_descriptors_match_os(self):
        def fd_steps(m, p):
            fd = os.open(p, os.O_RDONLY)
            try:
                out = [outcome(lambda: m.setxattr(fd, "user.a", b"fd")),
                       outcome(lambda: m.getxattr(fd, "user.a")),
                       outcome(lambda: m.listxattr(fd)),
                       outcome(lambda: m.getxattr(fd, "user.zz")),
                       outcome(lambda: m.getxattr(fd, "user.a",
                                                  follow_symlinks=False)),
                       outcome(lambda: m.removexattr(fd, "user.a")),
                       outcome(lambda: m.listxattr(fd))]
            finally:
                os.close(fd)
            # The descriptor number may differ: it is the filename.
            return [tuple("<fd>" if x == fd else x for x in r) for r in out]
        ours = fd_steps(oscpp, self.fresh("a"))
        theirs = fd_steps(os, self.fresh("b"))
        self.assertEqual(ours, theirs)
        for m in (oscpp, os):
            e = outcome(lambda: m.getxattr(1 << 20, "user.a"))
            self.assertEqual(e[1:4], (OSError, errno.EBADF, 1 << 20))

    def test_filename_is_the_callers_object(self):
        path = self.fresh("f")
        for arg in (path, os.fsencode(path)):
            try:
                oscpp.getxattr(arg, "user.none")
            except OSError as e:
                self.assertIs(e.filename, arg)
                self.assertEqual(e.errno, errno.ENODATA)
        pathlike = FakePath(path)
        try:
            oscpp.removexattr(pathlike, "user.none")
        except OSError as e:
            self.assertIs(e.filename, path)

    def test_default_path_is_the_working_directory(self):
        old = os.getcwd()
        os.chdir(self.dir)
        try:
            os.setxattr(".", "user.here", b"1")
            self.assertEqual(oscpp.listxattr(), os.listxattr())
            self.assertEqual(oscpp.listxattr(None), ["user.here"])
        finally:
            os.chdir(old)

    def test_signatures(self):
        for name in ("getxattr", "setxattr", "listxattr", "removexattr"):
            self.assertEqual(getattr(oscpp, name).__text_signature__,
                             getattr(os, name).__text_signature__, name)


if __name__ == "__main__":
    unittest.main()

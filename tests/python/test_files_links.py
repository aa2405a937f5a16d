#!/usr/bin/env python3
"""Binding tests for Files and Directories, the links topic: link, symlink,
readlink, rename, unlink, remove (replace is tested with rmdir).

    python3 tests/python/test_files_links.py --module-dir DIR

Each operation runs twice, once with CPython's os and once with oscpp, in two
fresh directories prepared the same way; results, exceptions (type, errno,
message, filenames) and the resulting directory contents must agree.
"""

import errno
import os
import pathlib
import stat

import support
from support import (BAD_FD, DirsCase, FakePath, FilesCase, filename_of,
                     files, oscpp)


# ---------------------------------------------------------------- link

class LinkTests(DirsCase):

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

class ReadlinkTests(DirsCase):

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


# ---------------------------------------------------------------- rename

class RenameTests(FilesCase):

    def test_result(self):
        setup = files("f", dirs=["d", "e"])
        for src, dst in [("f", "g"), (b"f", b"g"), ("f", b"g"),
                         (FakePath("f"), pathlib.Path("d/g")), ("d", "e"),
                         ("f", "f")]:
            with self.subTest(src=src, dst=dst):
                self.same(lambda m, _: m.rename(src, dst), setup)

    def test_errors(self):
        setup = files("f", dirs=["d", "e"])
        for src, dst in [("missing", "g"), (b"missing", "g"),
                         ("missing", b"g"), ("d", "f"), ("f", "d"),
                         ("f", "missing/g"), ("d", "d/sub")]:
            with self.subTest(src=src, dst=dst):
                r = self.same(lambda m, _: m.rename(src, dst), setup)
                self.assertEqual(r[0], "raise")
        # The caller's objects; for a PathLike, what __fspath__ returned.
        os.mkdir("d")
        os.mkdir("e")
        open("e/x", "w").close()
        for src, dst, names in [("d", b"e", ("d", b"e")),
                                (FakePath("d"), FakePath(b"e"), ("d", b"e"))]:
            with self.assertRaises(OSError) as cm:
                oscpp.rename(src, dst)
            self.assertEqual(cm.exception.errno, errno.ENOTEMPTY)
            self.assertEqual((cm.exception.filename, cm.exception.filename2),
                             names)
            if isinstance(src, str):
                self.assertIs(cm.exception.filename, src)
                self.assertIs(cm.exception.filename2, dst)

    def test_dir_fd(self):
        def op(m, _):
            a, b = self.open("a"), self.open("b")
            m.rename("f", "g", src_dir_fd=a, dst_dir_fd=b)
            return os.listdir("b")

        def setup():
            os.mkdir("a")
            os.mkdir("b")
            open("a/f", "w").close()
        self.assertEqual(self.same(op, setup)[1], ["g"])
        self.same(lambda m, _: m.rename("f", "g", src_dir_fd=99999),
                  files("f"))
        self.same(lambda m, _: m.rename("f", "g", dst_dir_fd=99999),
                  files("f"))

    def test_argument_errors(self):
        for args, kwargs in [(("f",), {}), ((0, "g"), {}), (("f", 0), {}),
                             (("f", "g", None), {}),
                             (("f", "g"), dict(src_dir_fd="x")),
                             (("f\0", "g"), {}), (("f", b"g\0"), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.rename(*args, **kwargs),
                              files("f"))
                self.assertEqual(r[0], "raise")


# ---------------------------------------------------------------- symlink

class SymlinkTests(FilesCase):

    def test_result(self):
        for args, kwargs in [(("f", "l"), {}), ((b"f", b"l"), {}),
                             (("d", "l", True), {}),
                             ((FakePath("x"), pathlib.Path("l")), {}),
                             (("f", "l"), dict(target_is_directory=[])),
                             (("f", "l"), dict(dir_fd=None))]:
            with self.subTest(args=args, kwargs=kwargs):
                self.same(lambda m, _: (m.symlink(*args, **kwargs),
                                        os.readlink("l")), files("f"))

    def test_errors(self):
        for src, dst in [("x", "f"), (b"x", "f"), ("x", b"f"),
                         ("x", "missing/l"), ("x", "")]:
            with self.subTest(src=src, dst=dst):
                r = self.same(lambda m, _: m.symlink(src, dst), files("f"))
                self.assertEqual(r[0], "raise")
        open("f", "w").close()
        for src, dst in [("x", b"f"), (FakePath("x"), FakePath(b"f"))]:
            with self.assertRaises(FileExistsError) as cm:
                oscpp.symlink(src, dst)
            self.assertIs(cm.exception.filename, filename_of(src))
            self.assertIs(cm.exception.filename2, filename_of(dst))

    def test_dir_fd(self):
        def op(m, _):
            m.symlink("target", "l", dir_fd=self.open("d"))
            return os.readlink("d/l")
        self.assertEqual(self.same(op, files(dirs=["d"]))[1], "target")
        self.same(lambda m, _: m.symlink("t", "l", dir_fd=99999))

    def test_argument_errors(self):
        for args, kwargs in [(("f",), {}), ((0, "l"), {}), (("f", 0), {}),
                             (("f", "l", False, None), {}),
                             (("f", "l"), dict(dir_fd="x")),
                             (("f\0", "l"), {})]:
            with self.subTest(args=args, kwargs=kwargs):
                r = self.same(lambda m, _: m.symlink(*args, **kwargs))
                self.assertEqual(r[0], "raise")


# ---------------------------------------------------------------- unlink

class UnlinkTests(FilesCase):

    def test_result_and_errors(self):
        setup = files("f", dirs=["d"], links=[("missing", "l")])
        for name in ["unlink", "remove"]:
            for path in ["f", b"f", FakePath("l"), "missing", "d", "f/x",
                         ""]:
                with self.subTest(name=name, path=path):
                    self.same(lambda m, _: getattr(m, name)(path), setup)

    def test_error_filename_is_callers_object(self):
        for func in [oscpp.unlink, oscpp.remove]:
            path = FakePath(b"missing")
            with self.assertRaises(FileNotFoundError) as cm:
                func(path)
            self.assertIs(cm.exception.filename, filename_of(path))

    def test_dir_fd(self):
        for name in ["unlink", "remove"]:
            def op(m, _):
                getattr(m, name)("f", dir_fd=self.open("d"))
                return os.listdir("d")

            def setup():
                os.mkdir("d")
                open("d/f", "w").close()
            self.assertEqual(self.same(op, setup)[1], [])
            self.same(lambda m, _: getattr(m, name)("f", dir_fd=99999),
                      files("f"))

    def test_argument_errors(self):
        for name in ["unlink", "remove"]:
            for args, kwargs in [((), {}), ((0,), {}), (("f", None), {}),
                                 (("f",), dict(dir_fd="x")),
                                 (("f",), dict(path="f"))]:
                with self.subTest(name=name, args=args, kwargs=kwargs):
                    r = self.same(
                        lambda m, _: getattr(m, name)(*args, **kwargs))
                    self.assertEqual(r[0], "raise")


if __name__ == "__main__":
    support.main()

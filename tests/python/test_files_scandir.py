#!/usr/bin/env python3
"""Binding tests for scandir and DirEntry.

    python3 tests/python/test_files_scandir.py --module-dir DIR

Each check runs the same operation with CPython's os and with oscpp on the
same directory and compares results and errors (type, errno, filename and
its identity with the caller's object).
"""

import errno
import gc
import os
import pickle
import shutil
import stat
import sys
import tempfile
import unittest
import warnings

from support import FakePath, error_of, outcome, oscpp


def describe(entry):
    """What a DirEntry says about itself, comparable across modules."""
    out = {"name": entry.name, "path": entry.path, "inode": entry.inode(),
           "fspath": entry.__fspath__(), "repr": repr(entry)}
    for follow in (True, False):
        out["is_dir", follow] = entry.is_dir(follow_symlinks=follow)
        out["is_file", follow] = entry.is_file(follow_symlinks=follow)
        try:
            out["stat", follow] = tuple(entry.stat(follow_symlinks=follow))
        except OSError as e:
            out["stat", follow] = (type(e), e.errno, e.filename)
    out["is_symlink"] = entry.is_symlink()
    # Python 3.12's is_junction (oscpp has it on every version): False here.
    if hasattr(entry, "is_junction"):
        out["is_junction"] = entry.is_junction()
    elif isinstance(entry, oscpp.DirEntry):
        raise AssertionError("oscpp.DirEntry has no is_junction")
    else:
        out["is_junction"] = False
    return out


class ScandirTests(unittest.TestCase):
    def setUp(self):
        self.dir = os.path.realpath(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        os.mkdir(os.path.join(self.dir, "sub"))
        with open(os.path.join(self.dir, "file"), "w") as f:
            f.write("python")
        os.symlink("sub", os.path.join(self.dir, "link_dir"))
        os.symlink("file", os.path.join(self.dir, "link_file"))
        os.symlink("missing", os.path.join(self.dir, "dangling"))

    def listing(self, module, path, *args):
        with module.scandir(path, *args) as it:
            return sorted((describe(e) for e in it), key=lambda d: d["name"])

    def test_entries_match_os(self):
        for path in (self.dir, self.dir + "/", os.fsencode(self.dir),
                     FakePath(self.dir), FakePath(os.fsencode(self.dir))):
            self.assertEqual(self.listing(oscpp, path),
                             self.listing(os, path), path)

    def test_bytes_like_paths_give_bytes_with_a_warning(self):
        if sys.version_info >= (3, 12):
            # 3.12 dropped buffer paths: the TypeError Python gives.
            for cls in (bytearray, memoryview):
                path = cls(os.fsencode(self.dir))
                got = error_of(lambda: oscpp.scandir(path))
                want = error_of(lambda: os.scandir(path))
                self.assertIs(type(got), TypeError)
                self.assertEqual(str(got), str(want))
            return
        for cls in (bytearray, memoryview):
            with self.assertWarns(DeprecationWarning):
                entries = list(oscpp.scandir(cls(os.fsencode(self.dir))))
            self.assertEqual(len(entries), 5)
            for e in entries:
                self.assertIs(type(e.name), bytes)
                self.assertIs(type(e.path), bytes)

    def test_default_and_dot_and_minus_one_are_the_working_directory(self):
        old = os.getcwd()
        os.chdir(self.dir)
        try:
            for args in ((), (None,), (".",), (-1,)):
                self.assertEqual(self.listing(oscpp, *args) if args else
                                 sorted((describe(e) for e in oscpp.scandir()),
                                        key=lambda d: d["name"]),
                                 self.listing(os, *args) if args else
                                 sorted((describe(e) for e in os.scandir()),
                                        key=lambda d: d["name"]), args)
        finally:
            os.chdir(old)

    def test_descriptor_entries(self):
        fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, fd)
        ours = self.listing(oscpp, fd)
        self.assertEqual(ours, self.listing(os, fd))
        for e in oscpp.scandir(fd):
            self.assertIs(e.path, e.name)
            self.assertIs(type(e.name), str)
        # Rewound afterwards: listing again sees everything.
        self.assertEqual(len(os.listdir(fd)), 5)
        self.assertIn(oscpp.scandir, oscpp.supports_fd)

    def test_errors_match_os(self):
        file_fd = os.open(os.path.join(self.dir, "file"), os.O_RDONLY)
        self.addCleanup(os.close, file_fd)
        missing = os.path.join(self.dir, "missing")
        for arg in (missing, os.fsencode(missing), os.path.join(self.dir, "file"),
                    "", 1 << 20, file_fd):
            ours = error_of(lambda: oscpp.scandir(arg))
            theirs = error_of(lambda: os.scandir(arg))
            self.assertIs(type(ours), type(theirs), arg)
            self.assertEqual(ours.errno, theirs.errno, arg)
            self.assertEqual(ours.filename, theirs.filename, arg)
            if theirs.filename is not None:
                self.assertIs(ours.filename, arg)
        path_like = FakePath(missing)
        self.assertIs(error_of(lambda: oscpp.scandir(path_like)).filename,
                      missing)

    def test_read_error_names_the_descriptor(self):
        fd = os.open(self.dir, os.O_PATH)
        self.addCleanup(os.close, fd)
        it = oscpp.scandir(fd)
        e = error_of(lambda: next(it))
        self.assertIs(type(e), OSError)
        self.assertEqual(e.errno, errno.EBADF)
        self.assertEqual(e.filename, fd)
        self.assertEqual(list(it), [])

    def test_argument_errors_match_os(self):
        for args, kwargs in (((1.5,), {}), (({},), {}), ((), {"x": 1}),
                             ((".", "."), {}), ((), {"path": ".", "x": 1})):
            ours = error_of(lambda: oscpp.scandir(*args, **kwargs))
            theirs = error_of(lambda: os.scandir(*args, **kwargs))
            self.assertIs(type(ours), type(theirs), (args, kwargs))
            self.assertEqual(str(ours), str(theirs), (args, kwargs))

    def test_stat_is_cached_and_shared_as_in_python(self):
        for e in oscpp.scandir(self.dir):
            if e.name == "dangling":
                continue
            self.assertIs(e.stat(), e.stat())
            self.assertIs(e.stat(follow_symlinks=False),
                          e.stat(follow_symlinks=False))
            # Python: a non-link's stat() is its lstat() object.
            self.assertEqual(e.stat() is e.stat(follow_symlinks=False),
                             not e.is_symlink(), e.name)

    def test_stat_errors_name_the_entry_path(self):
        for e in oscpp.scandir(self.dir):
            if e.name == "dangling":
                err = error_of(e.stat)
                self.assertIs(type(err), FileNotFoundError)
                self.assertIs(err.filename, e.path)
                self.assertTrue(stat.S_ISLNK(
                    e.stat(follow_symlinks=False).st_mode))
        os.mkdir(os.path.join(self.dir, "gone"))
        entries = {e.name: e for e in oscpp.scandir(self.dir)}
        os.rmdir(os.path.join(self.dir, "gone"))
        gone = entries["gone"]
        self.assertFalse(gone.is_symlink())
        self.assertGreater(gone.inode(), 0)
        self.assertIs(error_of(gone.stat).filename, gone.path)

    def test_entry_type(self):
        with oscpp.scandir(self.dir) as it:
            e = next(it)
        with os.scandir(self.dir) as it:
            theirs = next(it)
        self.assertIsInstance(e, oscpp.DirEntry)
        err = error_of(oscpp.DirEntry)
        self.assertIs(type(err), TypeError)
        self.assertEqual(str(err), "cannot create 'oscpp.DirEntry' instances")
        self.assertRaises(TypeError, pickle.dumps, e)
        self.assertEqual(str(error_of(lambda: e.is_dir(True))),
                         "is_dir() takes no positional arguments")
        self.assertEqual(str(error_of(lambda: e.stat(follow_symlinks=1, x=2))),
                         str(error_of(lambda: theirs.stat(follow_symlinks=1,
                                                          x=2))))
        self.assertIs(type(error_of(lambda: setattr(e, "name", "x"))),
                      AttributeError)
        if hasattr(os.DirEntry, "__class_getitem__"):  # 3.9+
            self.assertEqual(oscpp.DirEntry[str].__args__, (str,))
        else:
            self.assertEqual(outcome(lambda: oscpp.DirEntry[str]),
                             outcome(lambda: os.DirEntry[str]))
        self.assertEqual(os.fspath(e), e.path)

    def test_iterator_type(self):
        it = oscpp.scandir(self.dir)
        self.assertIs(iter(it), it)
        self.assertEqual(str(error_of(type(it))),
                         "cannot create 'oscpp.ScandirIterator' instances")
        self.assertRaises(TypeError, pickle.dumps, it)
        it.close()
        it.close()
        self.assertEqual(list(it), [])

    def test_resource_warning_only_when_left_open(self):
        it = oscpp.scandir(self.dir)
        next(it)
        with self.assertWarns(ResourceWarning):
            del it
            gc.collect()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            it = oscpp.scandir(self.dir)
            list(it)
            del it
            with oscpp.scandir(self.dir) as it:
                next(it)
            del it
            gc.collect()

    def test_descriptors_are_released(self):
        before = set(os.listdir("/proc/self/fd"))
        for _ in range(100):
            with oscpp.scandir(self.dir) as it:
                next(it)
            list(oscpp.scandir(self.dir))
        self.assertEqual(set(os.listdir("/proc/self/fd")), before)


if __name__ == "__main__":
    unittest.main()

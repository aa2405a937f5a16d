#!/usr/bin/env python3
"""Binding tests for the module's own attributes: the path-related strings,
error, path, supports_bytes_environ, PathLike, fspath, fsencode, fsdecode,
strerror, the integer constants, CPython's result types, and the supports_*
sets.

    python3 tests/python/test_module.py --module-dir DIR

Every value is compared with what CPython's os has.
"""

import abc
import errno
import os
import sys
import pathlib
import posixpath
import subprocess
import types
import unittest

from support import FakePath, oscpp


HERE = os.path.dirname(os.path.abspath(__file__))
NEWEST_NAMES = os.path.join(HERE, "names-3.13-linux.tsv")


def outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:  # noqa: B902 - every outcome is compared
        return ("raise", type(e), str(e))


class ModuleTests(unittest.TestCase):

    def test_name(self):
        self.assertEqual(oscpp.__name__, "oscpp")

    def test_strings(self):
        for name in ["name", "sep", "curdir", "pardir", "extsep", "altsep",
                     "pathsep", "defpath", "linesep", "devnull"]:
            with self.subTest(name=name):
                value = getattr(oscpp, name)
                self.assertEqual(value, getattr(os, name))
                self.assertIs(type(value), type(getattr(os, name)))

    def test_error(self):
        self.assertIs(oscpp.error, OSError)

    def test_path(self):
        # oscpp.path is the native posixpath (tests/python/test_path.py).
        self.assertIs(oscpp.path, sys.modules["oscpp.path"])
        self.assertEqual(sorted(oscpp.path.__all__), sorted(posixpath.__all__))

    def test_supports_bytes_environ(self):
        self.assertIs(oscpp.supports_bytes_environ, os.supports_bytes_environ)

    def test_result_types_are_cpythons(self):
        for name in ["stat_result", "statvfs_result", "terminal_size"]:
            with self.subTest(name=name):
                self.assertIs(getattr(oscpp, name), getattr(os, name))

    def test_supports_sets(self):
        for name in ["supports_dir_fd", "supports_fd",
                     "supports_follow_symlinks", "supports_effective_ids"]:
            with self.subTest(name=name):
                value = getattr(oscpp, name)
                self.assertIs(type(value), set)
                self.assertTrue(value)
                for f in value:
                    self.assertIsInstance(f, types.BuiltinFunctionType)
                    self.assertIs(getattr(oscpp, f.__name__), f)
                    self.assertIn(getattr(os, f.__name__),
                                  getattr(os, name))


class PathLikeTests(unittest.TestCase):

    def test_is_an_abc(self):
        self.assertIsInstance(oscpp.PathLike, abc.ABCMeta)
        self.assertEqual(oscpp.PathLike.__name__, "PathLike")
        self.assertEqual(oscpp.PathLike.__module__, "oscpp")
        with self.assertRaises(TypeError):
            oscpp.PathLike()

    def test_subclass_hook(self):
        class WithNone:
            __fspath__ = None

        class Inherits(FakePath):
            pass

        class Plain:
            pass
        for cls, expected in [(FakePath, True), (Inherits, True),
                              (pathlib.PurePath, True), (str, False),
                              (bytes, False), (WithNone, False),
                              (Plain, False)]:
            with self.subTest(cls=cls):
                self.assertIs(issubclass(cls, oscpp.PathLike), expected)
                self.assertIs(issubclass(cls, os.PathLike), expected)

    def test_subclass_is_abstract(self):
        class A(oscpp.PathLike):
            pass
        self.assertFalse(issubclass(FakePath, A))
        self.assertTrue(issubclass(A, oscpp.PathLike))
        with self.assertRaises(TypeError):
            A()

        class B(oscpp.PathLike):
            def __fspath__(self):
                return "b"
        self.assertEqual(oscpp.fspath(B()), "b")

    def test_class_getitem(self):
        if not hasattr(os.PathLike, "__class_getitem__"):  # before 3.9
            self.assertEqual(outcome(lambda: oscpp.PathLike[str]),
                             outcome(lambda: os.PathLike[str]))
            return
        alias = oscpp.PathLike[str]
        self.assertIsInstance(alias, types.GenericAlias)
        self.assertIs(alias.__origin__, oscpp.PathLike)


class FspathTests(unittest.TestCase):

    def inputs(self):
        class NotCallable:
            __fspath__ = 1

        class NoneAttr:
            __fspath__ = None

        class Static:
            @staticmethod
            def __fspath__():
                return "static"
        return ["", "a\udcff", b"b\xff", FakePath("x"), FakePath(b"y"),
                FakePath(42), FakePath(ZeroDivisionError()), FakePath(None),
                pathlib.PurePath("p/q"), NotCallable(), NoneAttr(), Static(),
                42, None, bytearray(b"z"), memoryview(b"z"), int, os]

    def test_fspath(self):
        for value in self.inputs():
            with self.subTest(value=value):
                self.assertEqual(outcome(lambda: oscpp.fspath(value)),
                                 outcome(lambda: os.fspath(value)))
        self.assertEqual(outcome(lambda: oscpp.fspath(path="p")),
                         outcome(lambda: os.fspath(path="p")))
        self.assertEqual(outcome(oscpp.fspath)[:2], ("raise", TypeError))

    def test_fspath_returns_the_same_object(self):
        s = "some path"
        self.assertIs(oscpp.fspath(s), s)
        self.assertIs(oscpp.fspath(FakePath(s)), s)

    def test_fsencode_fsdecode(self):
        for value in self.inputs() + ["\udcff\udc80", "\ud800", "\u20ac",
                                      b"\xe2\x82\xac\xff", "x\0y"]:
            for name in ["fsencode", "fsdecode"]:
                with self.subTest(value=value, name=name):
                    self.assertEqual(
                        outcome(lambda: getattr(oscpp, name)(value)),
                        outcome(lambda: getattr(os, name)(value)))


class AllTests(unittest.TestCase):

    def test_all_lists_the_public_names(self):
        self.assertEqual(oscpp.__all__, sorted(oscpp.__all__))
        for name in oscpp.__all__:
            self.assertTrue(hasattr(oscpp, name), name)
            # os.__all__'s one private-looking name is _exit.
            if name != "_exit":
                self.assertFalse(name.startswith("_"), name)
        # Every name of os.__all__ that oscpp has is in oscpp.__all__.
        for name in os.__all__:
            if hasattr(oscpp, name):
                self.assertIn(name, oscpp.__all__)
        self.assertIn("open", oscpp.__all__)
        self.assertIn("path", oscpp.__all__)
        self.assertIn("_exit", oscpp.__all__)


class StrerrorTests(unittest.TestCase):

    def test_values(self):
        for code in list(range(-2, 140)) + [2**31 - 1, -2**31]:
            with self.subTest(code=code):
                self.assertEqual(oscpp.strerror(code), os.strerror(code))

    def check_argument_errors(self, calls):
        for args, kwargs in calls:
            with self.subTest(args=args, kwargs=kwargs):
                mine = outcome(lambda: oscpp.strerror(*args, **kwargs))
                ref = outcome(lambda: os.strerror(*args, **kwargs))
                # The messages are CPython's word for word, "posix." too.
                self.assertEqual(mine, ref)

    def test_argument_errors(self):
        self.check_argument_errors([(("2",), {}), ((2.0,), {}),
                                    ((None,), {})])
        self.assertEqual(oscpp.strerror(errno.ENOENT),
                         "No such file or directory")

    # Python's strerror takes exactly one argument (METH_O) and says "Python
    # int too large to convert to C int".
    def test_arity_and_overflow_errors(self):
        self.check_argument_errors([((), {}), ((1, 2), {}), ((2**40,), {}),
                                    ((), dict(code=1))])


class ConstantTests(unittest.TestCase):

    @staticmethod
    def int_names(module):
        return {name for name in dir(module)
                if not name.startswith("_")
                and type(getattr(module, name)) is int}

    def test_values_match_python(self):
        common = self.int_names(oscpp) & self.int_names(os)
        self.assertGreater(len(common), 100)
        for name in sorted(common):
            with self.subTest(name=name):
                self.assertEqual(getattr(oscpp, name), getattr(os, name))

    def test_no_invented_constants(self):
        # Every int oscpp has is Python's: this interpreter's, or a name of
        # the newest Python's list (added after this interpreter).
        with open(NEWEST_NAMES, encoding="utf-8") as f:
            newest = {line.split("\t")[0] for line in f}
        for name in sorted(self.int_names(oscpp) - self.int_names(os)):
            with self.subTest(name=name):
                self.assertIn(name, newest)

    def test_newer_constants_match_newer_python(self):
        # Constants this interpreter lacks are checked against the newest
        # Python found on this machine, if any.
        extra = sorted(self.int_names(oscpp) - self.int_names(os))
        if not extra:
            self.skipTest("no constants beyond this interpreter's")
        newer = os.path.expanduser("~/.pyenv/versions/3.13.0/bin/python3")
        if not os.path.exists(newer):
            self.skipTest("no Python 3.13 on this machine")
        code = ("import os, sys\n"
                "for n in sys.argv[1:]:\n"
                "    print(n, getattr(os, n, None))\n")
        out = subprocess.run([newer, "-c", code] + extra, check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            name, value = line.split()
            with self.subTest(name=name):
                self.assertEqual(str(getattr(oscpp, name)), value)


if __name__ == "__main__":
    unittest.main()

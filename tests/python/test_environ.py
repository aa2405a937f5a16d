#!/usr/bin/env python3
"""The environment binding against CPython's os: environ, environb, getenv,
getenvb, putenv, unsetenv, get_exec_path, supports_bytes_environ.

    python3 tests/python/test_environ.py --module-dir DIR

oscpp.environ and os.environ are two mappings over one process environment,
each a snapshot taken at import and kept in sync by its own writes; the tests
use variable names of their own (OSCPP_PY_*) and remove them afterwards.
"""

import collections.abc
import ctypes
import os
import subprocess
import sys
import unittest

if "--module-dir" in sys.argv:
    _i = sys.argv.index("--module-dir")
    sys.path.insert(0, sys.argv[_i + 1])
    del sys.argv[_i:_i + 2]

# The snapshots right after both imports, before any test writes.
_OS_AT_IMPORT = dict(os.environ)
import oscpp  # noqa: E402
_OSCPP_AT_IMPORT = dict(oscpp.environ)
_OSCPPB_AT_IMPORT = dict(oscpp.environb)

_libc = ctypes.CDLL(None)
_libc.getenv.restype = ctypes.c_char_p
_libc.getenv.argtypes = [ctypes.c_char_p]


def c_getenv(name):
    """The process environment's value for name (bytes), or None."""
    return _libc.getenv(os.fsencode(name))


def child_sees(name):
    """What a child process finds for name in its environment."""
    code = "import os, sys; sys.stdout.write(repr(os.environ.get(%r)))" % name
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return eval(out)


def outcome(f, *args):
    """('ok', result) or (exception type, str(exception))."""
    try:
        return ("ok", f(*args))
    except Exception as e:  # noqa: BLE001 - comparing whatever is raised
        return (type(e), str(e))


# Before 3.9 Python's putenv (and os.environ's assignment through it) gives
# the C library's putenv "=value" for an empty name, which takes it; oscpp's
# putenv is setenv, which refuses it (EINVAL), as Python does from 3.9 on.
# The one known difference of the binding here (the README lists it).
EMPTY_NAME_TAKEN = sys.version_info < (3, 9)


def known_empty_name_difference(test, got, want):
    """Whether got/want are that difference: os took the empty name, oscpp
    refused it with EINVAL."""
    if not EMPTY_NAME_TAKEN:
        return False
    test.assertEqual(want[0], "ok")
    test.assertEqual(got, (OSError, "[Errno 22] Invalid argument"))
    return True


class EnvTestCase(unittest.TestCase):
    """Removes the OSCPP_PY_* variables from every view afterwards."""

    def tearDown(self):
        for env in (oscpp.environ, os.environ):
            for key in [k for k in env if k.startswith("OSCPP_PY_")]:
                del env[key]
        for name in ("OSCPP_PY_A", "OSCPP_PY_B", "OSCPP_PY_PUT"):
            os.unsetenv(name)


class MappingTests(EnvTestCase):

    def test_snapshot_at_import_is_os_environ(self):
        self.assertEqual(_OSCPP_AT_IMPORT, _OS_AT_IMPORT)
        self.assertEqual(_OSCPPB_AT_IMPORT,
                         {os.fsencode(k): os.fsencode(v)
                          for k, v in _OS_AT_IMPORT.items()})

    def test_types(self):
        self.assertIsInstance(oscpp.environ, collections.abc.MutableMapping)
        self.assertIsInstance(oscpp.environb, collections.abc.MutableMapping)
        self.assertIsNot(oscpp.environ, oscpp.environb)
        self.assertIs(oscpp.supports_bytes_environ, os.supports_bytes_environ)
        for key, value in oscpp.environ.items():
            self.assertIs(type(key), str)
            self.assertIs(type(value), str)
        for key, value in oscpp.environb.items():
            self.assertIs(type(key), bytes)
            self.assertIs(type(value), bytes)

    def test_set_get_delete_reach_the_process_environment(self):
        oscpp.environ["OSCPP_PY_A"] = "value"
        self.assertEqual(oscpp.environ["OSCPP_PY_A"], "value")
        self.assertEqual(c_getenv("OSCPP_PY_A"), b"value")
        self.assertEqual(child_sees("OSCPP_PY_A"), "value")
        self.assertIn("OSCPP_PY_A", oscpp.environ)
        self.assertEqual(oscpp.environ.get("OSCPP_PY_A"), "value")
        del oscpp.environ["OSCPP_PY_A"]
        self.assertNotIn("OSCPP_PY_A", oscpp.environ)
        self.assertIsNone(c_getenv("OSCPP_PY_A"))
        self.assertIsNone(child_sees("OSCPP_PY_A"))

    def test_len_and_iteration_follow_writes(self):
        n = len(oscpp.environ)
        oscpp.environ["OSCPP_PY_A"] = "1"
        oscpp.environ["OSCPP_PY_B"] = "2"
        self.assertEqual(len(oscpp.environ), n + 2)
        self.assertEqual(list(oscpp.environ)[-2:], ["OSCPP_PY_A", "OSCPP_PY_B"])
        oscpp.environ["OSCPP_PY_A"] = "3"  # an update keeps its place
        self.assertEqual(list(oscpp.environ.items())[-2:],
                         [("OSCPP_PY_A", "3"), ("OSCPP_PY_B", "2")])

    def test_key_error_is_the_callers_key_from_none(self):
        key = "OSCPP_PY_missing"
        for action in (lambda: oscpp.environ[key],
                       lambda: oscpp.environ.__delitem__(key)):
            with self.assertRaises(KeyError) as cm:
                action()
            self.assertIs(cm.exception.args[0], key)
            self.assertTrue(cm.exception.__suppress_context__)
        bkey = b"OSCPP_PY_missing"
        with self.assertRaises(KeyError) as cm:
            oscpp.environb[bkey]
        self.assertIs(cm.exception.args[0], bkey)

    def test_errors_match_os_environ(self):
        cases = [
            ("__setitem__", "a=b", "1"),
            ("__setitem__", "", "1"),
            ("__setitem__", "OSCPP_PY_A\0", "1"),
            ("__setitem__", "OSCPP_PY_A", "1\0"),
            ("__setitem__", 1, "1"),
            ("__setitem__", "OSCPP_PY_A", 1),
            ("__setitem__", "OSCPP_PY_A", b"1"),
            ("__setitem__", "\ud800", "1"),
            ("__delitem__", "a=b"),
            ("__delitem__", ""),
            ("__delitem__", "a\0"),
            ("__delitem__", 1),
            ("__getitem__", 1),
            ("__getitem__", b"HOME"),
            ("__getitem__", "a\0"),
            ("__getitem__", "\udc80"),
            ("__contains__", 1),
            ("get", 1),
            ("pop", "OSCPP_PY_missing"),
        ]
        for name, *args in cases:
            with self.subTest(name=name, args=args):
                want = outcome(getattr(os.environ, name), *args)
                got = outcome(getattr(oscpp.environ, name), *args)
                if args[0] == "" and name == "__setitem__" and \
                        known_empty_name_difference(self, got, want):
                    continue
                self.assertEqual(got, want)
                self.assertNotEqual(got[0], "ok")
        bcases = [("__setitem__", "A", b"1"), ("__setitem__", b"A", "1"),
                  ("__setitem__", bytearray(b"A"), b"1"),
                  ("__getitem__", "HOME"), ("get", "HOME")]
        for name, *args in bcases:
            with self.subTest(name=name, args=args):
                self.assertEqual(outcome(getattr(oscpp.environb, name), *args),
                                 outcome(getattr(os.environb, name), *args))
        self.assertNotIn("OSCPP_PY_A", oscpp.environ)
        self.assertIsNone(c_getenv("OSCPP_PY_A"))

    def test_errno_of_rejected_names(self):
        with self.assertRaises(OSError) as cm:
            oscpp.environ[""] = "1"
        self.assertIs(type(cm.exception), OSError)
        self.assertEqual(cm.exception.errno, 22)
        self.assertIsNone(cm.exception.filename)

    def test_environb_shares_the_mapping(self):
        # test_os.EnvironTests.test_environb, with names of our own.
        oscpp.environ["OSCPP_PY_A"] = "euro\u20ac"
        self.assertEqual(oscpp.environb[b"OSCPP_PY_A"],
                         "euro\u20ac".encode(sys.getfilesystemencoding()))
        oscpp.environb[b"OSCPP_PY_B"] = b"\xff"
        self.assertEqual(oscpp.environ["OSCPP_PY_B"], "\udcff")
        self.assertEqual(c_getenv("OSCPP_PY_B"), b"\xff")
        del oscpp.environb[b"OSCPP_PY_B"]
        self.assertNotIn("OSCPP_PY_B", oscpp.environ)

    def test_iteration_is_a_snapshot(self):
        oscpp.environ["OSCPP_PY_A"] = "1"
        for view in (oscpp.environ, oscpp.environ.keys(),
                     oscpp.environ.items()):
            it = iter(view)
            next(it)
            oscpp.environ["OSCPP_PY_B"] = "new"
            rest = list(it)  # no "changed size during iteration"
            self.assertNotIn("OSCPP_PY_B", [r[0] if isinstance(r, tuple)
                                            else r for r in rest])
            del oscpp.environ["OSCPP_PY_B"]

    def test_repr(self):
        oscpp.environ["OSCPP_PY_A"] = "it's"
        items = ", ".join("%r: %r" % kv for kv in oscpp.environ.items())
        self.assertEqual(repr(oscpp.environ), "environ({%s})" % items)
        itemsb = ", ".join("%r: %r" % kv for kv in oscpp.environb.items())
        self.assertEqual(repr(oscpp.environb), "environ({%s})" % itemsb)

    def test_copy_is_a_dict(self):
        oscpp.environ["OSCPP_PY_A"] = "1"
        copy = oscpp.environ.copy()
        self.assertIs(type(copy), dict)
        self.assertEqual(copy, dict(oscpp.environ.items()))
        oscpp.environ["OSCPP_PY_A"] = "2"
        self.assertEqual(copy["OSCPP_PY_A"], "1")
        self.assertIs(type(oscpp.environb.copy()), dict)

    def test_get_setdefault_pop(self):
        self.assertIsNone(oscpp.environ.get("OSCPP_PY_A"))
        self.assertEqual(oscpp.environ.get("OSCPP_PY_A", 3), 3)
        self.assertEqual(oscpp.environ.setdefault("OSCPP_PY_A", "1"), "1")
        self.assertEqual(oscpp.environ.setdefault("OSCPP_PY_A", "2"), "1")
        self.assertEqual(c_getenv("OSCPP_PY_A"), b"1")
        self.assertRaises(TypeError, oscpp.environ.setdefault, "OSCPP_PY_B")
        self.assertEqual(oscpp.environ.pop("OSCPP_PY_A"), "1")
        self.assertIsNone(c_getenv("OSCPP_PY_A"))
        self.assertEqual(oscpp.environ.pop("OSCPP_PY_A", 909), 909)
        self.assertRaises(TypeError, oscpp.environ.get)
        self.assertRaises(TypeError, oscpp.environ.get, None, None, None)

    def test_update_and_operators(self):
        oscpp.environ.update({"OSCPP_PY_A": "1"}, OSCPP_PY_B="2")
        self.assertEqual(c_getenv("OSCPP_PY_B"), b"2")
        merged = oscpp.environ | {"OSCPP_PY_A": "9"}
        self.assertIs(type(merged), dict)
        self.assertEqual(merged["OSCPP_PY_A"], "9")
        self.assertEqual(oscpp.environ["OSCPP_PY_A"], "1")
        self.assertEqual(({"OSCPP_PY_A": "9"} | oscpp.environ)["OSCPP_PY_A"],
                         "1")
        self.assertIs(oscpp.environ.__or__([("a", "b")]), NotImplemented)
        self.assertIs(oscpp.environ.__ror__([("a", "b")]), NotImplemented)
        env = oscpp.environ
        env |= [("OSCPP_PY_A", "3")]
        self.assertIs(env, oscpp.environ)
        self.assertEqual(c_getenv("OSCPP_PY_A"), b"3")
        with self.assertRaises(TypeError):
            env |= {1: "x"}

    def test_clear_and_popitem(self):
        saved = list(oscpp.environ.items())
        saved_os = dict(os.environ)
        try:
            oscpp.environ.clear()
            self.assertEqual(len(oscpp.environ), 0)
            self.assertEqual(dict(oscpp.environb), {})
            self.assertIsNone(c_getenv("PATH"))
            with self.assertRaises(KeyError) as cm:
                oscpp.environ.popitem()
            self.assertEqual(cm.exception.args, ())
            oscpp.environ["OSCPP_PY_A"] = "1"
            oscpp.environ["OSCPP_PY_B"] = "2"
            self.assertEqual(oscpp.environ.popitem(), ("OSCPP_PY_A", "1"))
            self.assertIsNone(c_getenv("OSCPP_PY_A"))
            self.assertEqual(oscpp.environb.popitem(), (b"OSCPP_PY_B", b"2"))
        finally:
            oscpp.environ.update(saved)
            os.environ.update(saved_os)
        self.assertEqual(list(oscpp.environ.items()), saved)


class FunctionTests(EnvTestCase):

    def test_getenv(self):
        for key in ("HOME", "PATH", "OSCPP_PY_missing"):
            self.assertEqual(oscpp.getenv(key), os.getenv(key))
            self.assertEqual(oscpp.getenv(key, "d"), os.getenv(key, "d"))
            self.assertEqual(oscpp.getenv(key=key, default=5),
                             os.getenv(key=key, default=5))
            bkey = key.encode()
            self.assertEqual(oscpp.getenvb(bkey), os.getenvb(bkey))
            self.assertEqual(oscpp.getenvb(bkey, 3), os.getenvb(bkey, 3))
        for f, g, args in ((oscpp.getenv, os.getenv, (1,)),
                           (oscpp.getenv, os.getenv, (b"HOME",)),
                           (oscpp.getenvb, os.getenvb, ("HOME",))):
            self.assertEqual(outcome(f, *args), outcome(g, *args))
        self.assertRaises(TypeError, oscpp.getenv)

    def test_getenv_reads_the_module_environ(self):
        saved = oscpp.environ
        try:
            oscpp.environ = {"OSCPP_PY_A": "replaced"}
            self.assertEqual(oscpp.getenv("OSCPP_PY_A"), "replaced")
        finally:
            oscpp.environ = saved

    def test_putenv_unsetenv_do_not_update_environ(self):
        # As in Python: the process environment changes, environ does not.
        oscpp.putenv("OSCPP_PY_PUT", "value")
        self.assertEqual(c_getenv("OSCPP_PY_PUT"), b"value")
        self.assertEqual(child_sees("OSCPP_PY_PUT"), "value")
        self.assertNotIn("OSCPP_PY_PUT", oscpp.environ)
        oscpp.environ["OSCPP_PY_A"] = "1"
        oscpp.unsetenv("OSCPP_PY_A")
        self.assertIsNone(c_getenv("OSCPP_PY_A"))
        self.assertEqual(oscpp.environ["OSCPP_PY_A"], "1")
        self.assertIsNone(oscpp.unsetenv("OSCPP_PY_PUT"))
        self.assertIsNone(child_sees("OSCPP_PY_PUT"))
        # bytes and PathLike are accepted, as by Python.
        oscpp.putenv(b"OSCPP_PY_PUT", "x")
        self.assertEqual(c_getenv("OSCPP_PY_PUT"), b"x")

        class P:
            def __fspath__(self):
                return "OSCPP_PY_PUT"
        oscpp.unsetenv(P())
        self.assertIsNone(c_getenv("OSCPP_PY_PUT"))

    def test_putenv_unsetenv_errors(self):
        cases = [(name, "value") for name in ("", "=name", "na=me", "name=",
                                              "name\0", "na\0me", 1)]
        cases += [("OSCPP_PY_PUT", "v\0"), ("OSCPP_PY_PUT", 1)]
        for name, value in cases:
            with self.subTest(name=name, value=value):
                want = outcome(os.putenv, name, value)
                got = outcome(oscpp.putenv, name, value)
                if name != "" or not known_empty_name_difference(self, got,
                                                                 want):
                    self.assertNotEqual(want[0], "ok")
                    self.assertEqual(got, want)
                if value == "value":
                    self.assertEqual(outcome(oscpp.unsetenv, name),
                                     outcome(os.unsetenv, name))
        with self.assertRaises(OSError) as cm:
            oscpp.putenv("", "x")
        self.assertEqual(cm.exception.errno, 22)
        self.assertIsNone(cm.exception.filename)
        for args, kwargs in (((), {}), (("a",), {}), (("a", "b", "c"), {}),
                             ((), {"name": "a", "value": "b"})):
            self.assertRaises(TypeError, oscpp.putenv, *args, **kwargs)
        self.assertRaises(TypeError, oscpp.unsetenv)
        self.assertRaises(TypeError, oscpp.unsetenv, "a", "b")
        self.assertRaises(TypeError, oscpp.unsetenv, name="a")
        self.assertIsNone(c_getenv("OSCPP_PY_PUT"))

    def test_get_exec_path_of_a_mapping(self):
        envs = [{}, {"PATH": ""}, {"PATH": "/monty:/python::/flying/circus"},
                {b"PATH": b"abc"}, {b"PATH": "abc"}, {"PATH": b"abc"},
                {b"PATH": b"/a\xff:/b"}, {"PATH": ":"}, {1: 2},
                {"PATH": "1", b"PATH": b"2"}, {"PATH": 5}, [], 5]
        for env in envs:
            with self.subTest(env=env):
                self.assertEqual(outcome(oscpp.get_exec_path, env),
                                 outcome(os.get_exec_path, env))
        self.assertEqual(oscpp.get_exec_path(env={"PATH": "/x"}), ["/x"])

    def test_get_exec_path_of_environ(self):
        self.assertEqual(oscpp.get_exec_path(), os.get_exec_path())
        self.assertEqual(oscpp.get_exec_path(None), os.get_exec_path())
        self.assertEqual(oscpp.get_exec_path(oscpp.environb),
                         os.get_exec_path(os.environb))
        saved_path = oscpp.environ["PATH"]
        try:
            oscpp.environ["PATH"] = "/x::/y"
            self.assertEqual(oscpp.get_exec_path(), ["/x", "", "/y"])
            del oscpp.environ["PATH"]
            self.assertEqual(oscpp.get_exec_path(), ["/bin", "/usr/bin"])
        finally:
            oscpp.environ["PATH"] = saved_path

    def test_get_exec_path_reads_the_module_environ(self):
        saved = oscpp.environ
        try:
            oscpp.environ = {"PATH": "/monty:/python"}
            self.assertEqual(oscpp.get_exec_path(), ["/monty", "/python"])
        finally:
            oscpp.environ = saved

    def test_signatures(self):
        import inspect
        for name in ("getenv", "getenvb", "putenv", "unsetenv",
                     "get_exec_path"):
            with self.subTest(name=name):
                self.assertEqual(
                    str(inspect.signature(getattr(oscpp, name))),
                    str(inspect.signature(getattr(os, name))))


if __name__ == "__main__":
    unittest.main()

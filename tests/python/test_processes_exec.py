#!/usr/bin/env python3
"""The Process Management binding, exec* (and the argv / env checks
they share with spawn*) against CPython's os.

    python3 tests/python/test_processes_exec.py --module-dir DIR
"""

import errno
import io
import os
import resource
import signal
import subprocess
import sys
import tempfile
import textwrap
import unittest

import support
from support import (CallCase, FakePath, MODULE_DIR, NO_SUCH_PID, PY,
                     ProcessCase as Case, exit_code, in_child, open_fds,
                     oscpp, run_script)


# ---------------------------------------------------------------- exec

BAD_ARGVS = ["abc", None, 5, (), [], ("",), [""], [1], ["a", 1], ["a\0"],
             [b""], [FakePath("")]]
BAD_ENVS = [[], None, 5, {1: "a"}, {"a": 1}, {"": "1"}, {"a=": "b"},
            {"a\0": "b"}, {"a": "b\0"}]


class ExecTests(Case):
    def test_execv(self):
        self.assertEqual(in_child(lambda: oscpp.execv(
            PY, [PY, "-c", "raise SystemExit(11)"])), 11)
        self.assertEqual(in_child(lambda: oscpp.execv(
            FakePath(PY.encode()), (b"x", "-c", FakePath("raise SystemExit(12)")))),
            12)

    def test_execv_errors(self):
        for argv in BAD_ARGVS:
            with self.subTest(argv=argv):
                self.assertSameError("execv", "/nonexist", argv)
        self.assertSameError("execv", 1, ["a"])
        self.assertSameError("execv", "x\0", ["a"])
        self.assertSameError("execv", path="/nonexist", argv=["a"])
        e = self.assertSameError("execv", "/nonexist", ["a"])
        self.assertIs(type(e), FileNotFoundError)
        e = self.assertSameError("execv", self.dir, ["a"])
        self.assertIs(type(e), PermissionError)

    def test_execve(self):
        code = "import os; raise SystemExit(int(os.environ['CODE']))"
        self.assertEqual(in_child(lambda: oscpp.execve(
            PY, [PY, "-c", code], {"CODE": "13"})), 13)
        self.assertEqual(in_child(lambda: oscpp.execve(
            path=PY, argv=(PY, "-c", code), env={b"CODE": b"14"})), 14)
        # A leading '=' in a name is allowed, as in Python.
        self.assertEqual(in_child(lambda: oscpp.execve(
            PY, [PY, "-c", code], {"CODE": "15", "=x": "y"})), 15)

    def test_fexecve(self):
        fd = os.open(PY, os.O_RDONLY)
        try:
            self.assertEqual(in_child(lambda: oscpp.execve(
                fd, [PY, "-c", "raise SystemExit(16)"], os.environ)), 16)
        finally:
            os.close(fd)

    def test_execve_errors(self):
        for argv in BAD_ARGVS:
            with self.subTest(argv=argv):
                self.assertSameError("execve", "/nonexist", argv, {})
        for env in BAD_ENVS:
            with self.subTest(env=env):
                self.assertSameError("execve", "/nonexist", ["a"], env)
        self.assertSameError("execve", 1.5, ["a"], {})

    def test_execve_filename(self):
        for path in ("/nonexist", b"/nonexist", FakePath("/nonexist")):
            with self.subTest(path=path):
                e = self.assertSameOSError("execve", path, ["a"], {})
                self.assertIs(type(e), FileNotFoundError)
                if not isinstance(path, FakePath):
                    self.assertIs(e.filename, path)
        fd = os.open(self.dir, os.O_RDONLY)
        os.close(fd)
        e = self.assertSameOSError("execve", fd, ["a"], {})
        self.assertEqual(e.errno, errno.EBADF)
        self.assertEqual(e.filename, fd)

    def test_execvp_execvpe(self):
        env = dict(os.environ, CODE="17")
        code = "import os; raise SystemExit(int(os.environ.get('CODE', 18)))"
        name = os.path.basename(PY)
        path = os.path.dirname(PY)
        env["PATH"] = path
        self.assertEqual(in_child(lambda: oscpp.execvpe(
            name, [name, "-c", code], env)), 17)

        def execvp():
            # oscpp searches its own environ (os::environ), as os.execvp
            # searches os.environ.
            oscpp.environ["PATH"] = path
            oscpp.execvp(name, [name, "-c", code])
        self.assertEqual(in_child(execvp), 18)
        self.assertEqual(in_child(lambda: oscpp.execvpe(
            PY, [name, "-c", code], None)), 18)

    def test_execvp_errors(self):
        for argv in BAD_ARGVS:
            with self.subTest(argv=argv):
                self.assertSameError("execvp", "nonexist-x", argv)
                self.assertSameError("execvpe", "nonexist-x", argv, {})
                self.assertSameError("execvpe", "nonexist-x", argv, None)
        for env in BAD_ENVS[:1] + BAD_ENVS[2:]:
            with self.subTest(env=env):
                self.assertSameError("execvpe", "nonexist-x", ["a"], env)
        self.assertSameError("execvp", 5, ["a"])
        e = self.assertSameError("execvp", "nonexist-x", ["a"])
        self.assertIs(type(e), FileNotFoundError)

    def test_execvpe_filename(self):
        # Searched: the last candidate, as bytes; a path: the caller's.
        for env in ({}, {"PATH": "/nonexist1:/nonexist2"}):
            e = self.assertSameOSError("execvpe", "nonexist-x", ["a"], env)
            self.assertIsInstance(e.filename, bytes)
        path = "/nonexist/x"
        e = self.assertSameOSError("execvpe", path, ["a"], {})
        self.assertIs(e.filename, path)

    def test_execl_forms(self):
        code = "import os; raise SystemExit(int(os.environ.get('CODE', 19)))"
        name = os.path.basename(PY)
        env = dict(os.environ, CODE="20", PATH=os.path.dirname(PY))
        self.assertEqual(in_child(lambda: oscpp.execl(PY, PY, "-c", code)), 19)
        self.assertEqual(
            in_child(lambda: oscpp.execle(PY, PY, "-c", code, env)), 20)
        self.assertEqual(
            in_child(lambda: oscpp.execlpe(name, name, "-c", code, env)), 20)

        def execlp():
            oscpp.environ["PATH"] = os.path.dirname(PY)
            oscpp.execlp(name, name, "-c", code)
        self.assertEqual(in_child(execlp), 19)

    def test_execl_forms_errors(self):
        self.assertSameError("execl", "/nonexist")
        self.assertSameError("execl", "/nonexist", "")
        self.assertSameError("execle", "/nonexist", "a")
        self.assertSameError("execle", "/nonexist", "", {})
        self.assertSameError("execlp", "nonexist-x")
        self.assertSameError("execlpe", "nonexist-x", {})
        self.assertSameError("execlpe", "nonexist-x")

    def test_internal_execvpe_replaced_functions(self):
        calls = []

        def fake_execve(path, *args):
            calls.append((path, args))
            raise OSError(errno.ENOTDIR, "fake")
        saved = oscpp.execve
        oscpp.execve = fake_execve
        try:
            env = {"PATH": "/a:/b"}
            with self.assertRaises(NotADirectoryError):
                oscpp._execvpe("prog", ["prog"], env)
        finally:
            oscpp.execve = saved
        self.assertEqual(calls, [(b"/a/prog", (["prog"], env)),
                                 (b"/b/prog", (["prog"], env))])

if __name__ == "__main__":
    support.main()

#!/usr/bin/env python3
"""The Process Management binding, system and popen, against CPython's
os.

    python3 tests/python/test_processes_popen.py --module-dir DIR
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


# ---------------------------------------------------------------- system

class SystemTests(Case):
    def test_system(self):
        for command in ("exit 3", b"exit 4", "", "kill -9 $$",
                        FakePath("exit 5")):
            with self.subTest(command=command):
                self.assertEqual(oscpp.system(command), os.system(command))
        self.assertEqual(oscpp.system(command="exit 2"), 512)

    def test_errors(self):
        for args in [(1,), ("a\0",), (), ("a", "b")]:
            with self.subTest(args=args):
                self.assertSameError("system", *args)


# ---------------------------------------------------------------- popen

class PopenTests(Case):
    def test_read(self):
        with oscpp.popen("echo hi; echo there") as f:
            self.assertIsInstance(f, oscpp._wrap_close)
            self.assertEqual(f.readline(), "hi\n")
            self.assertEqual(list(f), ["there\n"])
            self.assertIs(type(f._stream), io.TextIOWrapper)
            with os.popen("true") as ref:
                self.assertEqual(f.encoding, ref.encoding)
        self.assertTrue(f.closed)

    def test_write(self):
        out = self.path("out")
        f = oscpp.popen(f"cat > {out}", "w")
        f.write("written\n")
        self.assertIsNone(f.close())
        with open(out) as r:
            self.assertEqual(r.read(), "written\n")

    def test_close_status(self):
        for cmd in ("exit 3", "kill -TERM $$", "true", "exit 255"):
            with self.subTest(cmd=cmd):
                f = oscpp.popen(cmd)
                want = os.popen(cmd).close()
                self.assertEqual(f.close(), want)
                self.assertEqual(f.close(), want)  # as _wrap_close

    def test_buffering(self):
        for buffering in (-1, 1, 4096):
            with oscpp.popen("echo x", buffering=buffering) as f:
                self.assertEqual(f.read(), "x\n")
        f = oscpp.popen(f"cat > {self.path('b')}", "w", 1)
        self.assertTrue(f.line_buffering)
        f.close()

    def test_errors(self):
        for args, kwargs in [((b"ls",), {}), ((1,), {}), (("ls", "rb"), {}),
                             (("ls", "x"), {}), (("ls", 5), {}),
                             (("ls", "r", 0), {}), (("ls", "r", None), {}),
                             (("ls", "r", False), {})]:
            with self.subTest(args=args):
                self.assertSameError("popen", *args, **kwargs)

    def test_no_leak_and_no_inheritance(self):
        low = os.open(self.dir, os.O_RDONLY)
        fd = os.dup2(low, 100)
        os.close(low)
        self.addCleanup(os.close, fd)
        os.set_inheritable(fd, True)
        with oscpp.popen(f"ls /proc/self/fd") as f:
            fds = f.read().split()
        # As subprocess (close_fds=True): only 0-2 and the listing's own.
        self.assertNotIn(str(fd), fds)

    def test_abandoned_is_reaped(self):
        f = oscpp.popen("true")
        pid = f._pid
        f._stream.read()
        while True:  # until the shell is a zombie
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        del f
        # Reaped by __del__ or by the next popen.
        oscpp.popen("true").close()
        with self.assertRaises(ChildProcessError):
            os.waitpid(pid, 0)

if __name__ == "__main__":
    support.main()

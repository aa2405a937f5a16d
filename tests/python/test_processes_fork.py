#!/usr/bin/env python3
"""The Process Management binding, fork, forkpty and register_at_fork,
against CPython's os.

    python3 tests/python/test_processes_fork.py --module-dir DIR
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


# ---------------------------------------------------------------- fork

class ForkTests(Case):
    def test_fork(self):
        pid = oscpp.fork()
        if pid == 0:
            os._exit(7)
        self.assertGreater(pid, 0)
        self.assertEqual(exit_code(pid), 7)
        self.assertSameError("fork", 1)

    def test_multi_threaded_fork_warns_as_python(self):
        # 3.12+: DeprecationWarning in the parent when other threads run;
        # never before 3.12, never for a single-threaded process.
        import threading
        import warnings

        def warnings_of(fork, name):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                pid = fd = fork()
                if isinstance(pid, tuple):
                    pid, fd = pid  # the master stays open until reaped
                if pid == 0:
                    os._exit(0)
                self.assertEqual(exit_code(pid), 0)
                if fd is not pid:
                    os.close(fd)
            return [(w.category, str(w.message)) for w in caught]

        self.assertEqual(warnings_of(oscpp.fork, "fork"), [])
        release = threading.Event()
        t = threading.Thread(target=release.wait)
        t.start()
        try:
            for fork, name in ((oscpp.fork, "fork"),
                               (oscpp.forkpty, "forkpty")):
                got = warnings_of(fork, name)
                if sys.version_info < (3, 12):
                    self.assertEqual(got, [])
                else:
                    self.assertEqual(got, [(
                        DeprecationWarning,
                        "This process (pid=%d) is multi-threaded, use of "
                        "%s() may lead to deadlocks in the child."
                        % (os.getpid(), name))])
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    pid = oscpp.fork()  # an error filter cannot fail it
                    if pid == 0:
                        os._exit(0)
                    self.assertEqual(exit_code(pid), 0)
        finally:
            release.set()
            t.join()

    def test_child_interpreter_works(self):
        # The child's threading state was reset (PyOS_AfterFork_Child): it
        # can start and join threads.
        r = run_script("""
            import os, threading
            t = threading.Thread(target=lambda: None); t.start(); t.join()
            pid = oscpp.fork()
            if pid == 0:
                ok = threading.current_thread() is threading.main_thread()
                t = threading.Thread(target=lambda: None); t.start(); t.join()
                os._exit(0 if ok and threading.active_count() == 1 else 9)
            print(os.waitpid(pid, 0)[1])  # the status: 0 is exit code 0
        """)
        self.assertEqual(r.stdout, "0\n", r.stderr)

    def test_register_at_fork_order(self):
        r = run_script("""
            import os
            r, w = os.pipe()
            oscpp.register_at_fork(before=lambda: os.write(w, b'B1'))
            oscpp.register_at_fork(before=lambda: os.write(w, b'B2'),
                                   after_in_parent=lambda: os.write(w, b'P1'),
                                   after_in_child=lambda: os.write(w, b'C1'))
            oscpp.register_at_fork(after_in_parent=lambda: os.write(w, b'P2'),
                                   after_in_child=lambda: os.write(w, b'C2'))
            # The interpreter's own callbacks (os.register_at_fork) run too.
            os.register_at_fork(before=lambda: os.write(w, b'I'))
            pid = oscpp.fork()
            if pid == 0:
                os.write(w, b'.')
                os._exit(0)
            os.waitpid(pid, 0)
            os.close(w)
            print(os.read(r, 100).decode())
        """)
        out = r.stdout.strip()
        self.assertTrue(out.startswith("B2B1I"), (out, r.stderr))
        self.assertIn("P1P2", out)
        self.assertIn("C1C2.", out)

    def test_register_at_fork_exception(self):
        r = run_script("""
            import os
            def boom():
                raise ZeroDivisionError("in before")
            oscpp.register_at_fork(before=boom)
            pid = oscpp.fork()
            if pid == 0:
                os._exit(0)
            print(os.waitpid(pid, 0)[1])  # the status: 0 is exit code 0
        """)
        self.assertEqual(r.stdout, "0\n")
        self.assertIn("Exception ignored", r.stderr)
        self.assertIn("ZeroDivisionError: in before", r.stderr)

    def test_register_at_fork_errors(self):
        cases = [((lambda: None,), {}), ((), {}), ((), {"before": 2}),
                 ((), {"after_in_child": "three"}),
                 ((), {"after_in_parent": b"Five"}),
                 ((), {"before": None}),
                 ((), {"before": None, "after_in_parent": lambda: 3}),
                 ((), {"before": lambda: None, "after_in_child": ""}),
                 ((), {"foo": 1})]
        for args, kwargs in cases:
            with self.subTest(args=args, kwargs=kwargs):
                self.assertSameError("register_at_fork", *args, **kwargs)

    def test_forkpty(self):
        pid, fd = oscpp.forkpty()
        if pid == 0:
            ok = os.isatty(0) and os.isatty(1) and os.getsid(0) == os.getpid()
            os.write(1, b"child says hi\n")
            os._exit(0 if ok else 3)
        try:
            data = b""
            while b"hi" not in data:
                chunk = os.read(fd, 100)
                if not chunk:
                    break
                data += chunk
            self.assertIn(b"child says hi", data)
            self.assertEqual(exit_code(pid), 0)
        finally:
            os.close(fd)
        self.assertSameError("forkpty", 1)

if __name__ == "__main__":
    support.main()

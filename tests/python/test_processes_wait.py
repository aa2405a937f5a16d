#!/usr/bin/env python3
"""The Process Management binding, children and signals (wait*, W*,
kill, killpg, nice, times, pidfd_open) against CPython's os.

    python3 tests/python/test_processes_wait.py --module-dir DIR
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


# ---------------------------------------------------------------- W*

class StatusTests(Case):
    STATUSES = [0, 1, 0x7f, 0x17f, 0x137f, 0xffff, 0x0100, 0x0900, 0x8000,
                9, 0x89, 0x8b, 15, 0xff00, -1, 2**31 - 1, -2**31]

    def test_macros(self):
        for name in ("WCOREDUMP", "WIFCONTINUED", "WIFSTOPPED", "WIFSIGNALED",
                     "WIFEXITED", "WEXITSTATUS", "WTERMSIG", "WSTOPSIG"):
            for status in self.STATUSES:
                with self.subTest(name=name, status=status):
                    got = getattr(oscpp, name)(status)
                    want = getattr(os, name)(status)
                    self.assertEqual(got, want)
                    self.assertIs(type(got), type(want))

    def test_macro_errors(self):
        for name in ("WIFCONTINUED", "WIFSTOPPED", "WIFSIGNALED", "WIFEXITED",
                     "WEXITSTATUS", "WTERMSIG", "WSTOPSIG"):
            self.assertEqual(getattr(oscpp, name)(status=0x100),
                             getattr(os, name)(status=0x100))
            for arg in ("a", 2**40, 1.5, None):
                with self.subTest(name=name, arg=arg):
                    self.assertSameError(name, arg)
            self.assertSameError(name)
        self.assertSameError("WCOREDUMP", status=1)
        self.assertSameError("WCOREDUMP", 2**40)

    def test_waitstatus_to_exitcode(self):
        for status in (0, 0x100, 0x2a00, 0xff00, 9, 0x89, 15):
            self.assertEqual(oscpp.waitstatus_to_exitcode(status),
                             os.waitstatus_to_exitcode(status))
        self.assertEqual(oscpp.waitstatus_to_exitcode(status=0x300), 3)

    def test_waitstatus_to_exitcode_errors(self):
        for arg in (0x7f, 0x17f, -1, 0xffff, "a", 2**40, 1.5):
            with self.subTest(arg=arg):
                self.assertSameError("waitstatus_to_exitcode", arg)


# ---------------------------------------------------------------- simple

class SignalTests(Case):
    def test_kill_killpg(self):
        oscpp.kill(os.getpid(), 0)
        oscpp.killpg(os.getpgid(0), 0)
        pid = os.spawnv(os.P_NOWAIT, "/bin/sleep", ["sleep", "60"])
        oscpp.kill(pid, signal.SIGTERM)
        self.assertEqual(exit_code(pid), -signal.SIGTERM)

    def test_errors(self):
        e = self.assertSameError("kill", NO_SUCH_PID, 0)
        self.assertIs(type(e), ProcessLookupError)
        e = self.assertSameError("killpg", NO_SUCH_PID, 0)
        self.assertIs(type(e), ProcessLookupError)
        self.assertSameError("kill", os.getpid(), 999)
        for args in [("a", 0), (2**40, 0), (1, 2**70), (1,), ()]:
            self.assertSameError("kill", *args)
            if args != (1, 2**70):
                self.assertSameError("killpg", *args)
        self.assertSameError("killpg", 1, 2**40)
        self.assertSameError("kill", pid=1, signal=0)

    def test_nice(self):
        self.assertEqual(oscpp.nice(0), os.nice(0))

        def child():
            assert oscpp.nice(3) == 3
            assert os.nice(0) == 3
        self.assertInChild(child)
        for arg in ("a", 2**40, None):
            self.assertSameError("nice", arg)
        self.assertSameError("nice", increment=1)

    def test_nice_error(self):
        def child():
            os.setuid(65534)
            try:
                oscpp.nice(-1)
            except PermissionError as e:
                assert e.errno == errno.EPERM and e.filename is None
            else:
                raise AssertionError("no error")
        if os.getuid() == 0:
            self.assertInChild(child)


class TimesTests(Case):
    def test_times(self):
        t = oscpp.times()
        ref = os.times()
        self.assertIs(type(t), os.times_result)
        self.assertEqual(len(t), 5)
        for field in t:
            self.assertIs(type(field), float)
        self.assertLessEqual(t.user, ref.user)
        self.assertLessEqual(t.elapsed, ref.elapsed)
        self.assertLess(ref.elapsed - t.elapsed, 5)
        self.assertSameError("times", 1)


class PidfdTests(Case):
    def test_pidfd_open(self):
        fd = oscpp.pidfd_open(os.getpid())
        try:
            self.assertFalse(os.get_inheritable(fd))
            self.assertIsInstance(fd, int)
        finally:
            os.close(fd)
        os.close(oscpp.pidfd_open(pid=os.getpid(), flags=0))

    def test_errors(self):
        e = self.assertSameError("pidfd_open", NO_SUCH_PID)
        self.assertIs(type(e), ProcessLookupError)
        for args in [(-1,), (os.getpid(), 5), (2**40,), (1, -1), (1, 2**40),
                     (1, "a"), ("a",)]:
            with self.subTest(args=args):
                self.assertSameError("pidfd_open", *args)


# ---------------------------------------------------------------- wait

def spawn_exit(code):
    return os.spawnv(os.P_NOWAIT, PY,
                     [PY, "-c", f"raise SystemExit({code})"])


class WaitTests(Case):
    def test_wait(self):
        pid = spawn_exit(3)
        self.assertEqual(oscpp.wait(), (pid, 0x300))

    def test_waitpid(self):
        pid = spawn_exit(4)
        got = oscpp.waitpid(pid, 0)
        self.assertIs(type(got), tuple)
        self.assertEqual(got, (pid, 0x400))

    def test_waitpid_nohang(self):
        pid = os.spawnv(os.P_NOWAIT, "/bin/sleep", ["sleep", "60"])
        try:
            self.assertEqual(oscpp.waitpid(pid, os.WNOHANG), (0, 0))
        finally:
            os.kill(pid, signal.SIGKILL)
        self.assertEqual(oscpp.waitpid(pid, 0), (pid, signal.SIGKILL))

    def test_wait3_wait4(self):
        for call in ("wait3", "wait4"):
            with self.subTest(call=call):
                pid = spawn_exit(5)
                if call == "wait3":
                    got = oscpp.wait3(options=0)
                else:
                    got = oscpp.wait4(pid=pid, options=0)
                self.assertEqual(got[:2], (pid, 0x500))
                ru = got[2]
                self.assertIs(type(ru), resource.struct_rusage)
                self.assertIs(type(ru.ru_utime), float)
                self.assertIs(type(ru.ru_maxrss), int)
                self.assertGreater(ru.ru_maxrss, 0)
                self.assertGreater(ru.ru_utime + ru.ru_stime, 0)
                self.assertEqual(len(ru), 16)

    def test_waitid(self):
        pid = spawn_exit(6)
        res = oscpp.waitid(os.P_PID, pid, os.WEXITED)
        self.assertIs(type(res), os.waitid_result)
        self.assertEqual(res.si_pid, pid)
        self.assertEqual(res.si_uid, os.getuid())
        self.assertEqual(res.si_signo, signal.SIGCHLD)
        self.assertEqual(res.si_status, 6)
        self.assertEqual(res.si_code, os.CLD_EXITED)

    def test_waitid_nothing_to_report(self):
        pid = os.spawnv(os.P_NOWAIT, "/bin/sleep", ["sleep", "60"])
        try:
            self.assertIsNone(
                oscpp.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG))
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)

    def test_no_child(self):
        for call, args in [("wait", ()), ("waitpid", (-1, 0)),
                           ("wait3", (0,)), ("wait4", (-1, 0)),
                           ("waitid", (os.P_ALL, 0, os.WEXITED))]:
            with self.subTest(call=call):
                e = self.assertSameError(call, *args)
                self.assertIs(type(e), ChildProcessError)

    def test_argument_errors(self):
        for call, args in [("waitpid", (2**40, 0)), ("waitpid", (0, 2**40)),
                           ("waitpid", ("a", 0)), ("wait3", (2**40,)),
                           ("wait3", ("a",)), ("wait4", (2**40, 0)),
                           ("wait4", (0, "a")), ("waitid", (2**40, 0, 0)),
                           ("waitid", (0, "a", 0)), ("waitid", (0, 0, 2**40)),
                           ("waitid", (os.P_PID, 1, 0)),
                           ("waitid", (99, 1, os.WEXITED)), ("wait", (1,))]:
            with self.subTest(call=call, args=args):
                self.assertSameError(call, *args)
        self.assertSameError("waitpid", pid=1, options=0)

if __name__ == "__main__":
    support.main()

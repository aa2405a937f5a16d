#!/usr/bin/env python3
"""The Process Management binding (exec*, fork, spawn*, posix_spawn, wait*,
popen, system ...) against CPython's os.

    python3 tests/python/test_processes.py --module-dir DIR
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
from support import (CallCase, FakePath, MODULE_DIR, NO_SUCH_PID, in_child,
                     open_fds, oscpp)

PY = sys.executable


def exit_code(pid):
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def run_script(code):
    """Runs code in a fresh Python that imports oscpp; returns the
    CompletedProcess."""
    prologue = "import sys; sys.path.insert(0, sys.argv[1]); import oscpp\n"
    return subprocess.run(
        [PY, "-c", prologue + textwrap.dedent(code), MODULE_DIR or ""],
        capture_output=True, text=True)


class Case(CallCase):
    def setUp(self):
        before = open_fds()
        self.addCleanup(lambda: self.assertEqual(open_fds() - before, set()))
        self.dir = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.dir]))

    def path(self, name):
        return os.path.join(self.dir, name)

    def assertSameOSError(self, call, *args, **kwargs):
        """Like assertSameError for OSErrors that carry a filename: type,
        errno and filename equal to os's."""
        with self.assertRaises(OSError) as want:
            getattr(os, call)(*args, **kwargs)
        with self.assertRaises(OSError) as got:
            getattr(oscpp, call)(*args, **kwargs)
        self.assertIs(type(got.exception), type(want.exception))
        self.assertEqual(got.exception.errno, want.exception.errno)
        self.assertEqual(got.exception.filename, want.exception.filename)
        self.assertEqual(str(got.exception), str(want.exception))
        return got.exception


# ---------------------------------------------------------------- constants

class ConstantTests(unittest.TestCase):
    def test_values(self):
        for name in ("P_WAIT", "P_NOWAIT", "P_NOWAITO", "POSIX_SPAWN_OPEN",
                     "POSIX_SPAWN_CLOSE", "POSIX_SPAWN_DUP2"):
            self.assertEqual(getattr(oscpp, name), getattr(os, name), name)
        # Python 3.13's value (oscpp offers it on every version).
        self.assertEqual(oscpp.POSIX_SPAWN_CLOSEFROM, 3)
        if hasattr(os, "POSIX_SPAWN_CLOSEFROM"):
            self.assertEqual(oscpp.POSIX_SPAWN_CLOSEFROM,
                             os.POSIX_SPAWN_CLOSEFROM)

    def test_closefrom_action(self):
        # An inheritable descriptor reaches the child, unless a closefrom
        # action at or below it closes it first.
        fd = os.open("/dev/null", os.O_RDONLY)
        self.addCleanup(os.close, fd)
        os.set_inheritable(fd, True)
        probe = ["sh", "-c", "test -e /proc/self/fd/%d" % fd]

        def run(actions):
            pid = oscpp.posix_spawn("/bin/sh", probe, os.environ,
                                    file_actions=actions)
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

        self.assertEqual(run([]), 0)
        self.assertEqual(run([(oscpp.POSIX_SPAWN_CLOSEFROM, fd)]), 1)
        self.assertEqual(run([(oscpp.POSIX_SPAWN_CLOSEFROM, fd + 1)]), 0)
        with self.assertRaises(TypeError) as cm:
            run([(oscpp.POSIX_SPAWN_CLOSEFROM,)])
        self.assertEqual(str(cm.exception),
                         "A closefrom file_action tuple must have 2 elements")
        self.assertIs(oscpp.times_result, os.times_result)
        self.assertIs(oscpp.waitid_result, os.waitid_result)

    def test_all(self):
        for name in ("execl", "execv", "fork", "popen", "posix_spawn",
                     "spawnlpe", "wait4", "WIFEXITED", "P_NOWAIT"):
            self.assertIn(name, oscpp.__all__)


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
        pid = os.posix_spawn("/bin/sleep", ["sleep", "60"], os.environ)
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
    return os.posix_spawn(PY, [PY, "-c", f"raise SystemExit({code})"],
                          os.environ)


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
        pid = os.posix_spawn("/bin/sleep", ["sleep", "60"], os.environ)
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
        pid = os.posix_spawn("/bin/sleep", ["sleep", "60"], os.environ)
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
            print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
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
            print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
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


# ---------------------------------------------------------------- spawn*

class SpawnTests(Case):
    def script(self, code):
        path = self.path("script.py")
        with open(path, "w") as f:
            f.write(code)
        return path

    def test_spawnv_forms(self):
        script = self.script(
            "import os, sys; sys.exit(int(os.environ.get('CODE', 21)))")
        env = dict(os.environ, CODE="22")
        name = os.path.basename(PY)
        for environ in (os.environ, oscpp.environ):
            old_path = environ["PATH"]
            environ["PATH"] = os.path.dirname(PY) + os.pathsep + old_path
            self.addCleanup(environ.__setitem__, "PATH", old_path)
        penv = dict(env, PATH=os.path.dirname(PY))
        W = os.P_WAIT
        cases = [
            (lambda m: m.spawnv(W, PY, [PY, script]), 21),
            (lambda m: m.spawnv(W, FakePath(PY), (PY, script)), 21),
            (lambda m: m.spawnve(W, PY, [PY, script], env), 22),
            (lambda m: m.spawnve(W, PY.encode(), [PY.encode(), script.encode()],
                                 {k.encode(): v.encode()
                                  for k, v in env.items()}), 22),
            (lambda m: m.spawnvp(W, name, [name, script]), 21),
            (lambda m: m.spawnvpe(W, name, [name, script], penv), 22),
            (lambda m: m.spawnl(W, PY, PY, script), 21),
            (lambda m: m.spawnle(W, PY, PY, script, env), 22),
            (lambda m: m.spawnlp(W, name, name, script), 21),
            (lambda m: m.spawnlpe(W, name, name, script, penv), 22),
            (lambda m: m.spawnv("anything", PY, [PY, script]), 21),
        ]
        for i, (call, want) in enumerate(cases):
            with self.subTest(i=i):
                self.assertEqual(call(oscpp), want)
                self.assertEqual(call(os), want)

    def test_nowait(self):
        script = self.script("raise SystemExit(23)")
        for mode in (os.P_NOWAIT, os.P_NOWAITO, True):
            pid = oscpp.spawnv(mode, PY, [PY, script])
            self.assertEqual(exit_code(pid), 23)

    def test_signal(self):
        self.assertEqual(
            oscpp.spawnv(os.P_WAIT, "/bin/sh", ["sh", "-c", "kill -9 $$"]),
            -9)

    def test_argv_errors(self):
        for argv in ("abc", None, (), [], ("",), [""]):
            with self.subTest(argv=argv):
                self.assertSameError("spawnv", os.P_NOWAIT, PY, argv)
                self.assertSameError("spawnve", os.P_NOWAIT, PY, argv, {})
                self.assertSameError("spawnvp", os.P_NOWAIT, PY, argv)
                self.assertSameError("spawnvpe", os.P_NOWAIT, PY, argv, {})
        self.assertSameError("spawnl", os.P_NOWAIT, PY)
        self.assertSameError("spawnl", os.P_NOWAIT, PY, "")
        self.assertSameError("spawnle", os.P_NOWAIT, PY, {})
        self.assertSameError("spawnle", os.P_NOWAIT, PY, "", {})

    def test_invalid_env(self):
        # Python's child exits 127; oscpp refuses in the parent.
        for env in ({"A\0B": "c"}, {"A": "b\0c"}, {"A=B": "c"}):
            for call in (oscpp.spawnve, oscpp.spawnvpe):
                with self.assertRaises(ValueError):
                    call(os.P_WAIT, PY, [PY, "-c", "pass"], env)

    def test_missing_program(self):
        # Python's fork-based spawn* return 127; oscpp raises in the parent.
        for path in ("/nonexist", b"/nonexist"):
            with self.assertRaises(FileNotFoundError) as cm:
                oscpp.spawnv(os.P_WAIT, path, ["x"])
            self.assertIs(cm.exception.filename, path)
        with self.assertRaises(FileNotFoundError) as cm:
            oscpp.spawnvpe(os.P_WAIT, "nonexist-x", ["x"], {"PATH": "/a:/b"})
        self.assertEqual(cm.exception.filename, "/b/nonexist-x")
        with self.assertRaises(FileNotFoundError) as cm:
            oscpp.spawnvpe(os.P_WAIT, b"nonexist-x", ["x"], {"PATH": "/a"})
        self.assertEqual(cm.exception.filename, b"/a/nonexist-x")


# ---------------------------------------------------------------- posix_spawn

class PosixSpawnTests(Case):
    def test_spawn_and_file_actions(self):
        out = self.path("out")
        for call in (oscpp.posix_spawn, oscpp.posix_spawnp):
            with self.subTest(call=call.__name__):
                pid = call(PY, [PY, "-c", "import os; print(os.environ['X'])"],
                           {"X": "hello"},
                           file_actions=[
                               (os.POSIX_SPAWN_OPEN, 1, out,
                                os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
                               (os.POSIX_SPAWN_DUP2, 1, 2),
                               (os.POSIX_SPAWN_CLOSE, 0)])
                self.assertEqual(exit_code(pid), 0)
                with open(out) as f:
                    self.assertEqual(f.read(), "hello\n")

    def test_posix_spawnp_searches_path(self):
        pid = oscpp.posix_spawnp("true", ["true"], os.environ)
        self.assertEqual(exit_code(pid), 0)

    def test_attributes(self):
        code = textwrap.dedent("""
            import os, signal, sys
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, [])
            sys.exit((os.getpgid(0) == os.getpid()) * 1 +
                     (signal.SIGUSR1 in blocked) * 2 +
                     (signal.getsignal(signal.SIGUSR2) == signal.SIG_DFL) * 4)
        """)
        old = signal.signal(signal.SIGUSR2, signal.SIG_IGN)
        self.addCleanup(signal.signal, signal.SIGUSR2, old)
        pid = oscpp.posix_spawn(PY, [PY, "-c", code], os.environ,
                                setpgroup=0, setsigmask=[signal.SIGUSR1],
                                setsigdef=(signal.SIGUSR2,), resetids=True)
        self.assertEqual(exit_code(pid), 7)
        pid = oscpp.posix_spawn(PY, [PY, "-c", "import os; exit(os.getsid(0) "
                                     "== os.getpid())"], os.environ,
                                setsid=True)
        self.assertEqual(exit_code(pid), 1)
        pid = oscpp.posix_spawn(
            "/bin/true", ["true"], {},
            scheduler=(None, os.sched_param(0)))
        self.assertEqual(exit_code(pid), 0)
        policy = os.sched_getscheduler(0)
        pid = oscpp.posix_spawn(
            "/bin/true", ["true"], {},
            scheduler=(policy, os.sched_param(0)))
        self.assertEqual(exit_code(pid), 0)
        # Refused while setting the attributes: no filename; by the
        # spawn itself: the program's, as in CPython.
        for policy in (os.SCHED_BATCH, 12345):
            self.assertSameError("posix_spawn", "/bin/true", ["true"], {},
                                 scheduler=(policy, os.sched_param(0)))
        self.assertSameOSError("posix_spawn", "/bin/true", ["true"], {},
                               scheduler=(os.SCHED_FIFO, os.sched_param(0)))

    BAD = [
        (("/bin/true", "a", {}), {}),
        (("/bin/true", (), {}), {}),
        (("/bin/true", ("",), {}), {}),
        (("/bin/true", [1], {}), {}),
        (("/bin/true", ["a\0"], {}), {}),
        (("/bin/true", ["a"], []), {}),
        (("/bin/true", ["a"], {"a=b": "c"}), {}),
        (("/bin/true", ["a"], {1: "c"}), {}),
        ((1, ["a"], {}), {}),
        (("/bin/true", ["a"], {}), {"file_actions": [(99,)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [()]}),
        (("/bin/true", ["a"], {}), {"file_actions": [(0,)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [(1,)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [(2, 1)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [5]}),
        (("/bin/true", ["a"], {}), {"file_actions": [[1, 2]]}),
        (("/bin/true", ["a"], {}), {"file_actions": 5}),
        (("/bin/true", ["a"], {}), {"file_actions": [(0, 1, "\0", 0, 0)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [(0, 1, "x", "a", 0)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [("a", 1)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [(2**70,)]}),
        (("/bin/true", ["a"], {}), {"file_actions": [(1, 2**40)]}),
        (("/bin/true", ["a"], {}), {"setsigmask": 5}),
        (("/bin/true", ["a"], {}), {"setsigmask": ["a"]}),
        (("/bin/true", ["a"], {}), {"setsigmask": [0]}),
        (("/bin/true", ["a"], {}), {"setsigmask": [99]}),
        (("/bin/true", ["a"], {}), {"setsigmask": [2**70]}),
        (("/bin/true", ["a"], {}), {"setsigdef": [-3]}),
        (("/bin/true", ["a"], {}), {"setsigmask": None}),
        (("/bin/true", ["a"], {}), {"setpgroup": "a"}),
        (("/bin/true", ["a"], {}), {"setpgroup": None}),
        (("/bin/true", ["a"], {}), {"scheduler": 5}),
        (("/bin/true", ["a"], {}), {"scheduler": None}),
        (("/bin/true", ["a"], {}), {"scheduler": (None, 5)}),
        (("/bin/true", ["a"], {}), {"scheduler": (None,)}),
        (("/bin/true", ["a"], {}),
         {"scheduler": ("a", os.sched_param(0))}),
        (("/bin/true", ["a"], {}),
         {"scheduler": (None, os.sched_param(2**40))}),
        (("/bin/true", ["a"], {}), {"bogus": 1}),
        ((), {"path": "/bin/true", "argv": ["a"], "env": {}}),
    ]
    if sys.version_info < (3, 13):  # env=None: the process's since 3.13
        BAD += [(("/bin/true", ["a"], None), {})]
    if sys.version_info < (3, 12):  # any truth value since 3.12
        BAD += [
            (("/bin/true", ["a"], {}), {"resetids": "a"}),
            (("/bin/true", ["a"], {}), {"setsid": None}),
        ]

    def test_argument_errors(self):
        for call in ("posix_spawn", "posix_spawnp"):
            for args, kwargs in self.BAD:
                with self.subTest(call=call, args=args, kwargs=kwargs):
                    self.assertSameError(call, *args, **kwargs)

    def test_spawn_errors(self):
        for call, path in [("posix_spawn", "/nonexist"),
                           ("posix_spawn", b"/nonexist"),
                           ("posix_spawnp", "nonexist-x")]:
            with self.subTest(call=call, path=path):
                e = self.assertSameOSError(call, path, ["a"], {})
                self.assertIs(type(e), FileNotFoundError)
                self.assertIs(e.filename, path)
        # A failing file action names the spawned program, as Python.
        path = "/bin/true"
        e = self.assertSameOSError(
            "posix_spawn", path, ["a"], {},
            file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/nonexist/x", 0, 0)])
        self.assertIs(e.filename, path)
        e = self.assertSameOSError(
            "posix_spawn", path, ["a"], {},
            file_actions=[(os.POSIX_SPAWN_DUP2, 999, 1)])
        self.assertEqual(e.errno, errno.EBADF)


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

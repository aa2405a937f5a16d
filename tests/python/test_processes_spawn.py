#!/usr/bin/env python3
"""The Process Management binding, spawn*, posix_spawn, posix_spawnp and
their constants, against CPython's os.

    python3 tests/python/test_processes_spawn.py --module-dir DIR
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
            self.assertEqual(name in oscpp.__all__, name in os.__all__, name)


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

if __name__ == "__main__":
    support.main()

#!/usr/bin/env python3
"""The Process Parameters binding (ids, groups, process groups, sessions,
priorities, umask, uname, getlogin, ctermid) against CPython's os.

    python3 tests/python/test_process_parameters.py --module-dir DIR

Whatever changes the process runs in a forked child, as root or after
dropping to uid/gid 65534: never in the test process itself.
"""

import errno
import os
import pwd
import unittest

import support
from support import CallCase, NO_SUCH_PID, ROOT, in_child, oscpp


class Case(CallCase):
    # Python's errors here may carry a filename, and argument-count
    # TypeErrors word the function name differently.
    def assertSameError(self, call, *args, **kwargs):
        """call(*args) raises on oscpp what it raises on os."""
        with self.assertRaises(Exception) as want:
            getattr(os, call)(*args, **kwargs)
        with self.assertRaises(Exception) as got:
            getattr(oscpp, call)(*args, **kwargs)
        self.assertIs(type(got.exception), type(want.exception))
        if isinstance(want.exception, OSError):
            self.assertEqual(got.exception.errno, want.exception.errno)
            self.assertEqual(got.exception.filename, want.exception.filename)
            self.assertEqual(str(got.exception), str(want.exception))
        elif not isinstance(want.exception, TypeError):
            # Argument-count TypeErrors word the function name differently.
            self.assertEqual(str(got.exception), str(want.exception))
        return got.exception


class IdTests(Case):
    def test_getters(self):
        for name in ("getuid", "geteuid", "getgid", "getegid", "getresuid",
                     "getresgid"):
            with self.subTest(name):
                self.assertEqual(getattr(oscpp, name)(), getattr(os, name)())
        self.assertIsInstance(oscpp.getresuid(), tuple)

    def test_getters_after_changes(self):
        def child():
            os.setresgid(11, 12, 13)
            os.setresuid(21, 22, 23)
            assert oscpp.getresuid() == (21, 22, 23), oscpp.getresuid()
            assert oscpp.getresgid() == (11, 12, 13), oscpp.getresgid()
            assert oscpp.getuid() == os.getuid() == 21
            assert oscpp.geteuid() == os.geteuid() == 22
            assert oscpp.getgid() == os.getgid() == 11
            assert oscpp.getegid() == os.getegid() == 12
        self.assertInChild(child)

    def test_no_argument_functions_take_none(self):
        for name in ("getuid", "geteuid", "getgid", "getegid", "getresuid",
                     "getresgid", "getgroups", "getlogin", "getpgrp",
                     "setpgrp", "getpid", "getppid", "setsid", "ctermid",
                     "uname"):
            with self.subTest(name):
                self.assertRaises(TypeError, getattr(oscpp, name), 1)

    @unittest.skipUnless(ROOT, "needs root to change ids")
    def test_setters_as_root(self):
        def child():
            oscpp.setresgid(41, 42, 43)
            assert os.getresgid() == (41, 42, 43)
            oscpp.setregid(-1, 44)
            assert os.getresgid() == (41, 44, 44)
            oscpp.setegid(45)
            assert os.getresgid() == (41, 45, 44)
            oscpp.setgid(46)
            assert os.getresgid() == (46, 46, 46)
            oscpp.setresuid(-1, -1, -1)
            oscpp.seteuid(50)
            assert os.getresuid() == (0, 50, 0)
            oscpp.setreuid(-1, 0)
            oscpp.setreuid(51, -1)
            assert os.getresuid() == (51, 0, 0)
            oscpp.setuid(52)
            assert os.getresuid() == (52, 52, 52)
        self.assertInChild(child)

    @unittest.skipUnless(ROOT, "needs root to drop privileges")
    def test_setters_unprivileged_are_permission_errors(self):
        def child():
            for call, args in [("setuid", (0,)), ("seteuid", (0,)),
                               ("setgid", (0,)), ("setegid", (0,)),
                               ("setreuid", (0, 0)), ("setregid", (0, 0)),
                               ("setresuid", (0, -1, -1)),
                               ("setresgid", (0, -1, -1)),
                               ("setgroups", ([0],)),
                               ("initgroups", ("root", 0))]:
                e = self.assertSameError(call, *args)
                assert type(e) is PermissionError, (call, e)
                assert e.errno == errno.EPERM and e.filename is None
        self.assertInChild(child, unprivileged=True)

    def test_minus_one_keeps_ids(self):
        def child():
            oscpp.setreuid(-1, -1)
            oscpp.setregid(-1, -1)
            oscpp.setresuid(-1, -1, -1)
            oscpp.setresgid(-1, -1, -1)
        self.assertInChild(child)

    def test_argument_errors(self):
        # CPython's messages for out-of-range and mistyped ids.
        for call in ("setuid", "seteuid"):
            for arg in (-2, 2**32, 2**64, "x", 1.5):
                with self.subTest(call=call, arg=arg):
                    self.assertSameError(call, arg)
        for call in ("setgid", "setegid"):
            for arg in (-2, 2**32, 2**64, "x"):
                with self.subTest(call=call, arg=arg):
                    self.assertSameError(call, arg)
        for args in [(-2, 0), (0, 2**32), ("x", 0)]:
            self.assertSameError("setreuid", *args)
            self.assertSameError("setregid", *args)
            self.assertSameError("setresuid", 0, *args)
            self.assertSameError("setresgid", *args, 0)
        self.assertSameError("setuid")
        self.assertSameError("setuid", uid=1)

    @unittest.skipUnless(ROOT, "setuid(-1) as root is EINVAL")
    def test_setuid_minus_one_is_einval(self):
        def child():
            e = self.assertSameError("setuid", -1)
            assert e.errno == errno.EINVAL
            e = self.assertSameError("seteuid", -1)
            assert e.errno == errno.EINVAL
        self.assertInChild(child)


class GroupTests(Case):
    def test_getgroups(self):
        self.assertEqual(oscpp.getgroups(), os.getgroups())

    @unittest.skipUnless(ROOT, "needs root to set groups")
    def test_setgroups_then_getgroups(self):
        def child():
            for groups in ([0], list(range(16)), [5, 3, 1], (7, 8),
                           range(2), b"\x01\x02", [True], []):
                oscpp.setgroups(groups)
                assert oscpp.getgroups() == os.getgroups(), groups
                assert set(os.getgroups()) == set(groups), groups
        self.assertInChild(child)

    def test_setgroups_argument_errors(self):
        for arg in (5, {1}, ["a"], "abc", [1.5], [2**32], [2**64], [-2],
                    list(range(70000))):
            with self.subTest(arg=arg if not isinstance(arg, list)
                              or len(arg) < 10 else "long"):
                self.assertSameError("setgroups", arg)

    @unittest.skipUnless(ROOT, "needs root to set groups")
    def test_setgroups_kernel_errors(self):
        def child():
            e = self.assertSameError("setgroups", [-1])
            assert e.errno == errno.EINVAL
        self.assertInChild(child)

    def test_getgrouplist(self):
        for user, group in [("root", 0), ("root", 4242), ("nosuchuser", 5),
                            ("root", -1)]:
            with self.subTest(user=user, group=group):
                self.assertEqual(oscpp.getgrouplist(user, group),
                                 os.getgrouplist(user, group))
        for entry in pwd.getpwall():
            self.assertEqual(oscpp.getgrouplist(entry.pw_name, entry.pw_gid),
                             os.getgrouplist(entry.pw_name, entry.pw_gid))

    def test_getgrouplist_argument_errors(self):
        for args in [("root", 2**32), (b"root", 0), ("ro\0ot", 0), ("root",),
                     ("root", "0")]:
            with self.subTest(args=args):
                self.assertSameError("getgrouplist", *args)

    @unittest.skipUnless(ROOT, "needs root to set groups")
    def test_initgroups(self):
        def child():
            os.setgroups([1])
            oscpp.initgroups("root", 4244)
            assert 4244 in os.getgroups()
            oscpp.initgroups(b"nosuchuser", 4245)
            assert os.getgroups() == [4245], os.getgroups()

            class Name:
                def __fspath__(self):
                    return "nosuchuser"
            oscpp.initgroups(Name(), 4246)
            assert os.getgroups() == [4246]
        self.assertInChild(child)

    def test_initgroups_argument_errors(self):
        for args in [(), (None,), (3, "foo"), ("foo", 3, object()),
                     ("root", "x"), ("root", 2**32), (b"ro\0ot", 0),
                     ("ro\0ot", 0)]:
            with self.subTest(args=args):
                self.assertSameError("initgroups", *args)


class LoginTests(Case):
    def test_getlogin_matches(self):
        try:
            want = os.getlogin()
        except OSError:
            self.assertSameError("getlogin")
        else:
            self.assertEqual(oscpp.getlogin(), want)

    @unittest.skipUnless(os.access("/proc/self/loginuid", os.W_OK),
                         "needs a writable /proc/self/loginuid")
    def test_getlogin_of_the_login_uid(self):
        def child():
            with open("/proc/self/loginuid", "w") as f:
                f.write("0")
            assert oscpp.getlogin() == os.getlogin() == "root"
        self.assertInChild(child)

    @unittest.skipUnless(os.access("/proc/self/loginuid", os.W_OK),
                         "needs a writable /proc/self/loginuid")
    def test_getlogin_without_login(self):
        def child():
            with open("/proc/self/loginuid", "w") as f:
                f.write("4294967295")
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.close(null)
            e = self.assertSameError("getlogin")
            assert e.errno == errno.ENXIO, e
        self.assertInChild(child)


class ProcessGroupTests(Case):
    def test_getters(self):
        self.assertEqual(oscpp.getpid(), os.getpid())
        self.assertEqual(oscpp.getppid(), os.getppid())
        self.assertEqual(oscpp.getpgrp(), os.getpgrp())
        self.assertEqual(oscpp.getpgid(0), os.getpgid(0))
        self.assertEqual(oscpp.getpgid(pid=os.getpid()), os.getpgid(0))
        self.assertEqual(oscpp.getsid(0), os.getsid(0))
        self.assertEqual(oscpp.getsid(os.getppid()), os.getsid(os.getppid()))

    def test_errors(self):
        for call, args in [("getpgid", (NO_SUCH_PID,)), ("getpgid", (-1,)),
                           ("getsid", (NO_SUCH_PID,)), ("getsid", (-1,)),
                           ("setpgid", (NO_SUCH_PID, 0)),
                           ("setpgid", (-1, 0)), ("getpgid", (2**40,)),
                           ("getpgid", ("x",)), ("getsid", (2**31,)),
                           ("getpgid", ())]:
            with self.subTest(call=call, args=args):
                e = self.assertSameError(call, *args)
        e = self.assertSameError("getpgid", NO_SUCH_PID)
        self.assertIs(type(e), ProcessLookupError)

    def test_setpgrp_setpgid_setsid(self):
        def child():
            oscpp.setpgrp()
            assert os.getpgrp() == os.getpid()
        self.assertInChild(child)

        def child():
            oscpp.setpgid(0, 0)
            assert os.getpgrp() == os.getpid()
        self.assertInChild(child)

        def child():
            assert oscpp.setsid() is None
            assert os.getsid(0) == os.getpid()
            # A session leader: no second session, no other group.
            e = self.assertSameError("setsid")
            assert type(e) is PermissionError and e.errno == errno.EPERM
            e = self.assertSameError("setpgrp")
            assert e.errno == errno.EPERM
        self.assertInChild(child)


class PriorityTests(Case):
    def test_getpriority(self):
        for which, who in [(os.PRIO_PROCESS, 0), (os.PRIO_PGRP, 0),
                           (os.PRIO_USER, 0),
                           (os.PRIO_PROCESS, os.getpid())]:
            self.assertEqual(oscpp.getpriority(which, who),
                             os.getpriority(which, who))
        self.assertEqual(oscpp.getpriority(which=os.PRIO_PROCESS, who=0),
                         os.getpriority(os.PRIO_PROCESS, 0))

    def test_set_get_priority(self):
        def child():
            oscpp.setpriority(os.PRIO_PROCESS, 0, 5)
            assert os.getpriority(os.PRIO_PROCESS, 0) == 5
            oscpp.setpriority(which=os.PRIO_PROCESS, who=os.getpid(),
                              priority=-1)
            # -1 is a priority, not a failure.
            assert oscpp.getpriority(os.PRIO_PROCESS, 0) == -1
        self.assertInChild(child)

    def test_errors(self):
        for call, args in [("getpriority", (999, 0)),
                           ("getpriority", (os.PRIO_PROCESS, NO_SUCH_PID)),
                           ("getpriority", (os.PRIO_PROCESS, -1)),
                           ("getpriority", (0, 2**31)),
                           ("getpriority", (0, 1.5)),
                           ("setpriority", (999, 0, 0)),
                           ("setpriority", (os.PRIO_PROCESS, NO_SUCH_PID, 0)),
                           ("setpriority", (0, 0, 2**31))]:
            with self.subTest(call=call, args=args):
                self.assertSameError(call, *args)

    @unittest.skipUnless(ROOT, "needs root to drop privileges")
    def test_unprivileged_cannot_lower_nice(self):
        def child():
            e = self.assertSameError("setpriority", os.PRIO_PROCESS, 0, -5)
            assert type(e) is PermissionError and e.errno == errno.EACCES
        self.assertInChild(child, unprivileged=True)


class MiscTests(Case):
    def test_umask(self):
        old = oscpp.umask(0o027)
        try:
            self.assertEqual(os.umask(0o027), 0o027)
        finally:
            os.umask(old)

        def child():
            # -1 keeps every permission bit, as in CPython.
            os.umask(0o022)
            want = os.umask(-1), os.umask(0)
            os.umask(0o022)
            got = oscpp.umask(-1), os.umask(0)
            assert got == want == (0o022, 0o777), (got, want)
        self.assertInChild(child)

    def test_umask_errors(self):
        for arg in (2**40, 1.5, "x"):
            self.assertSameError("umask", arg)

    def test_ctermid(self):
        self.assertEqual(oscpp.ctermid(), os.ctermid())

    def test_uname(self):
        got = oscpp.uname()
        self.assertIs(type(got), os.uname_result)
        self.assertEqual(got, os.uname())
        sysname, nodename, release, version, machine = got
        self.assertEqual(got.machine, machine)
        self.assertIs(oscpp.uname_result, os.uname_result)



@unittest.skipUnless(hasattr(os, "unshare"),
                     "Python 3.12's: before, os (and so oscpp) has neither")
class NamespaceTests(Case):
    """setns and unshare (Python 3.12)."""

    @unittest.skipUnless(ROOT, "needs root")
    def test_unshare_and_setns_in_child(self):
        import socket

        def child():
            oscpp.unshare(oscpp.CLONE_NEWUTS)
            socket.sethostname("oscpp-ns")
            assert oscpp.uname().nodename == "oscpp-ns"
            with open("/proc/self/ns/uts", "rb") as f:
                oscpp.setns(f, oscpp.CLONE_NEWUTS)  # an object with fileno()
                oscpp.setns(fd=f.fileno())
                try:
                    oscpp.setns(f.fileno(), nstype=oscpp.CLONE_NEWNET)
                except OSError as e:
                    assert e.errno == errno.EINVAL and e.filename is None
                else:
                    raise AssertionError("setns to another type worked")

        before = os.uname().nodename
        self.assertEqual(in_child(child), 0)
        self.assertEqual(os.uname().nodename, before)

    def test_errors(self):
        with self.assertRaises(OSError) as cm:
            oscpp.unshare(-1)
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        self.assertIsNone(cm.exception.filename)
        r, w = os.pipe()
        os.close(r)
        os.close(w)
        with self.assertRaises(OSError) as cm:
            oscpp.setns(r)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        with self.assertRaises(ValueError) as cm:
            oscpp.setns(-1)
        self.assertEqual(str(cm.exception),
                         "file descriptor cannot be a negative integer (-1)")
        self.assertRaises(TypeError, oscpp.unshare, "x")
        self.assertRaises(TypeError, oscpp.setns)


if __name__ == "__main__":
    support.main()

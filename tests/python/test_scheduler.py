#!/usr/bin/env python3
"""The scheduler binding (sched_*) against CPython's os.

    python3 tests/python/test_scheduler.py --module-dir DIR

Policies, parameters and affinity are changed in forked children only.
"""

import errno
import os
import unittest

from support import CallCase as Case, NO_SUCH_PID, ROOT, oscpp


class PriorityTests(Case):
    def test_min_max(self):
        for policy in (os.SCHED_OTHER, os.SCHED_FIFO, os.SCHED_RR,
                       os.SCHED_BATCH, os.SCHED_IDLE):
            with self.subTest(policy=policy):
                self.assertEqual(oscpp.sched_get_priority_min(policy),
                                 os.sched_get_priority_min(policy))
                self.assertEqual(oscpp.sched_get_priority_max(policy=policy),
                                 os.sched_get_priority_max(policy=policy))

    def test_errors(self):
        for arg in (-23, 2**40, 1.5, None):
            with self.subTest(arg=arg):
                self.assertSameError("sched_get_priority_min", arg)
                self.assertSameError("sched_get_priority_max", arg)


class PolicyTests(Case):
    def test_getscheduler_getparam(self):
        for pid in (0, os.getpid(), os.getppid()):
            self.assertEqual(oscpp.sched_getscheduler(pid),
                             os.sched_getscheduler(pid))
            param = oscpp.sched_getparam(pid)
            self.assertIs(type(param), os.sched_param)
            self.assertEqual(param, os.sched_getparam(pid))
        self.assertIs(oscpp.sched_param, os.sched_param)

    def test_get_errors(self):
        for call in ("sched_getscheduler", "sched_getparam",
                     "sched_rr_get_interval"):
            for arg in (-1, NO_SUCH_PID, 2**31, "x"):
                with self.subTest(call=call, arg=arg):
                    self.assertSameError(call, arg)
        e = self.assertSameError("sched_getparam", NO_SUCH_PID)
        self.assertIs(type(e), ProcessLookupError)

    @unittest.skipUnless(ROOT, "real-time policies need root")
    def test_set_scheduler_and_param(self):
        def child():
            oscpp.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(3))
            assert os.sched_getscheduler(0) == os.SCHED_FIFO
            assert os.sched_getparam(0).sched_priority == 3
            oscpp.sched_setparam(0, os.sched_param(sched_priority=7))
            assert os.sched_getparam(0) == os.sched_param(7)
            assert oscpp.sched_getparam(0) == os.sched_param(7)
            oscpp.sched_setscheduler(0, os.SCHED_RR, os.sched_param(1))
            assert oscpp.sched_getscheduler(0) == os.SCHED_RR
            assert oscpp.sched_rr_get_interval(0) == \
                os.sched_rr_get_interval(0) > 0
            oscpp.sched_setscheduler(
                0, os.SCHED_OTHER | os.SCHED_RESET_ON_FORK, os.sched_param(0))
            assert os.sched_getscheduler(0) == \
                os.SCHED_OTHER | os.SCHED_RESET_ON_FORK
        self.assertInChild(child)

    def test_set_errors(self):
        param = os.sched_param(0)
        mine = os.sched_getscheduler(0)
        for call, args in [
                ("sched_setscheduler", (0, 12345, param)),
                ("sched_setscheduler", (NO_SUCH_PID, mine, param)),
                ("sched_setscheduler", (-1, mine, param)),
                ("sched_setscheduler", (0, mine, None)),
                ("sched_setscheduler", (0, 2**40, param)),
                ("sched_setparam", (0, 43)),
                ("sched_setparam", (0, (0,))),
                ("sched_setparam", (0, os.sched_param(None))),
                ("sched_setparam", (0, os.sched_param(1.5))),
                ("sched_setparam", (0, os.sched_param(214748364700))),
                ("sched_setparam", (0, os.sched_param(-214748364700))),
                ("sched_setparam", (0, os.sched_param(2**70))),
                ("sched_setparam", (-1, param)),
                ("sched_setparam", (NO_SUCH_PID, param)),
                ("sched_setparam", (0, os.sched_param(5)))]:
            with self.subTest(call=call, args=args):
                self.assertSameError(call, *args)

    @unittest.skipUnless(ROOT, "needs root to drop privileges")
    def test_unprivileged_real_time_is_permission_error(self):
        def child():
            e = self.assertSameError("sched_setscheduler", 0, os.SCHED_FIFO,
                                     os.sched_param(1))
            assert type(e) is PermissionError and e.errno == errno.EPERM
        self.assertInChild(child, unprivileged=True)

    def test_rr_get_interval(self):
        self.assertEqual(oscpp.sched_rr_get_interval(0),
                         os.sched_rr_get_interval(0))
        self.assertIsInstance(oscpp.sched_rr_get_interval(0), float)

    def test_yield(self):
        self.assertIsNone(oscpp.sched_yield())
        self.assertRaises(TypeError, oscpp.sched_yield, 1)


class AffinityTests(Case):
    def test_getaffinity(self):
        self.assertEqual(oscpp.sched_getaffinity(0), os.sched_getaffinity(0))
        self.assertIsInstance(oscpp.sched_getaffinity(0), set)
        self.assertEqual(oscpp.sched_getaffinity(os.getppid()),
                         os.sched_getaffinity(os.getppid()))

    def test_getaffinity_errors(self):
        for arg in (-1, NO_SUCH_PID, 2**31, "x"):
            with self.subTest(arg=arg):
                self.assertSameError("sched_getaffinity", arg)

    def test_setaffinity(self):
        mask = os.sched_getaffinity(0)
        first, last = min(mask), max(mask)

        def child():
            for cpus, want in [([first], {first}), ({last}, {last}),
                               ((first, last), {first, last}),
                               (iter([last]), {last}),
                               (range(first, last + 1), mask),
                               ({first: "x"}, {first}),
                               ([last, 5000, 1 << 20], {last})]:
                oscpp.sched_setaffinity(0, cpus)
                got = os.sched_getaffinity(0)
                assert got == want == oscpp.sched_getaffinity(0), (cpus, got)
        self.assertInChild(child)

    def test_setaffinity_errors(self):
        mask = os.sched_getaffinity(0)

        def bad_iterator():
            return map(int, "0X")
        bad_iterator.factory = True
        for args in [(0, []), (0, [-10]), (0, bad_iterator), (0, [1 << 128]),
                     (0, [1 << 40]), (0, [2**31 - 1]), (0, [100000]),
                     (0, 5), (0, ["a"]), (0, [1.0]), (0, [None]),
                     (-1, mask), (NO_SUCH_PID, mask), (2**31, mask)]:
            with self.subTest(args=args):
                self.assertSameError("sched_setaffinity", *args)
        self.assertSameError("sched_setaffinity", 0, exact=False)
        self.assertEqual(os.sched_getaffinity(0), mask)

    @unittest.skipUnless(ROOT, "needs root to drop privileges")
    def test_setaffinity_of_another_user_is_permission_error(self):
        def child():
            e = self.assertSameError("sched_setaffinity", 1, [0])
            assert type(e) is PermissionError and e.errno == errno.EPERM
        self.assertInChild(child, unprivileged=True)


if __name__ == "__main__":
    unittest.main()

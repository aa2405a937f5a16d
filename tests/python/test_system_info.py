#!/usr/bin/env python3
"""The Miscellaneous System Information binding (confstr, sysconf, their
name dictionaries, cpu_count, process_cpu_count, getloadavg) against
CPython's os.

    python3 tests/python/test_system_info.py --module-dir DIR
"""

import os
import unittest

import support
from support import CallCase as Case, in_child, oscpp


class NameTests(Case):
    def test_dictionaries_equal_pythons(self):
        self.assertEqual(oscpp.confstr_names, os.confstr_names)
        self.assertEqual(oscpp.sysconf_names, os.sysconf_names)
        self.assertIsInstance(oscpp.sysconf_names, dict)


class ConfstrTests(Case):
    def test_every_name(self):
        for name, number in os.confstr_names.items():
            with self.subTest(name):
                self.assertEqual(oscpp.confstr(name), os.confstr(name))
                self.assertEqual(oscpp.confstr(number), os.confstr(number))

    def test_errors(self):
        for arg in ("CS_garbage", b"CS_PATH", 1.0, 2**40, -1, 99999, None):
            with self.subTest(arg=arg):
                self.assertSameError("confstr", arg)
        self.assertSameError("confstr", exact=False)


class SysconfTests(Case):
    def test_every_name(self):
        for name, number in os.sysconf_names.items():
            if name == "SC_AVPHYS_PAGES":  # free memory changes
                continue
            with self.subTest(name):
                try:
                    want = os.sysconf(name)
                except OSError:
                    self.assertSameError("sysconf", name)
                    self.assertSameError("sysconf", number)
                    continue
                self.assertEqual(oscpp.sysconf(name), want)
                self.assertEqual(oscpp.sysconf(number), want)

    def test_in_a_child_with_another_limit(self):
        import resource

        def child():
            resource.setrlimit(resource.RLIMIT_NOFILE, (123, 123))
            assert oscpp.sysconf("SC_OPEN_MAX") == os.sysconf(
                "SC_OPEN_MAX") == 123
        self.assertEqual(in_child(child), 0)

    def test_errors(self):
        for arg in ("SC_garbage", "SC_EQUIV_CLASS_MAX", b"SC_OPEN_MAX", 1.5,
                    2**40, -1, 999999):
            with self.subTest(arg=arg):
                self.assertSameError("sysconf", arg)


class CpuCountTests(Case):
    def test_cpu_count(self):
        self.assertEqual(oscpp.cpu_count(), os.cpu_count())

    def test_process_cpu_count(self):
        # Python 3.13's: the size of the affinity mask.
        self.assertEqual(oscpp.process_cpu_count(),
                         len(os.sched_getaffinity(0)))
        if hasattr(os, "process_cpu_count"):
            self.assertEqual(oscpp.process_cpu_count(),
                             os.process_cpu_count())
        mask = os.sched_getaffinity(0)

        def child():
            os.sched_setaffinity(0, {max(mask)})
            assert oscpp.process_cpu_count() == 1
            assert oscpp.cpu_count() == os.cpu_count()
        self.assertEqual(in_child(child), 0)

    def test_no_arguments(self):
        self.assertRaises(TypeError, oscpp.cpu_count, 1)
        self.assertRaises(TypeError, oscpp.process_cpu_count, 1)


class GetloadavgTests(Case):
    def test_three_floats(self):
        load = oscpp.getloadavg()
        self.assertIsInstance(load, tuple)
        self.assertEqual(len(load), 3)
        # The kernel updates the averages every 5 s: bracket our reading.
        before = os.getloadavg()
        load = oscpp.getloadavg()
        after = os.getloadavg()
        for b, x, a in zip(before, load, after):
            self.assertIsInstance(x, float)
            self.assertTrue(min(a, b) <= x <= max(a, b), (before, load, after))
        self.assertRaises(TypeError, oscpp.getloadavg, 1)


if __name__ == "__main__":
    support.main()

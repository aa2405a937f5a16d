#!/usr/bin/env python3
"""The random numbers binding (getrandom, urandom) against CPython's os.

    python3 tests/python/test_random.py --module-dir DIR
"""

import errno
import os
import unittest

from support import CallCase as Case, oscpp


class GetrandomTests(Case):
    def test_sizes(self):
        for size in (0, 1, 16, 1000, 1 << 20):
            with self.subTest(size=size):
                data = oscpp.getrandom(size)
                self.assertIs(type(data), bytes)
                self.assertEqual(len(data), size)
        self.assertEqual(oscpp.getrandom(0), b"")
        self.assertNotEqual(oscpp.getrandom(16), oscpp.getrandom(16))
        self.assertGreater(len(set(oscpp.getrandom(4096))), 200)

    def test_flags(self):
        self.assertEqual(len(oscpp.getrandom(16, os.GRND_NONBLOCK)), 16)
        self.assertEqual(len(oscpp.getrandom(size=8, flags=os.GRND_NONBLOCK)),
                         8)
        self.assertLessEqual(
            len(oscpp.getrandom(1, os.GRND_RANDOM | os.GRND_NONBLOCK)), 1)

    def test_errors(self):
        for args in [(-1,), (1, -1), (1, 999), (1, 2**31), (2**63,),
                     ("a",), (1.0,), (2**62,)]:
            with self.subTest(args=args):
                self.assertSameError("getrandom", *args)
        e = self.assertSameError("getrandom", 1, 999)
        self.assertEqual(e.errno, errno.EINVAL)
        self.assertSameError("getrandom", exact=False)


class UrandomTests(Case):
    def test_sizes(self):
        for size in (0, 1, 10, 100, 1000, 1 << 20):
            with self.subTest(size=size):
                data = oscpp.urandom(size)
                self.assertIs(type(data), bytes)
                self.assertEqual(len(data), size)
        self.assertNotEqual(oscpp.urandom(16), oscpp.urandom(16))

    def test_larger_than_one_call_of_old_kernels(self):
        data = oscpp.urandom(40 << 20)
        self.assertEqual(len(data), 40 << 20)
        self.assertGreater(len(set(data[-4096:])), 200)

    def test_errors(self):
        for arg in (-1, 2**63, 1.0, "a", 2**62):
            with self.subTest(arg=arg):
                self.assertSameError("urandom", arg)
        self.assertSameError("urandom", exact=False)
        self.assertSameError("urandom", size=1, exact=False)


if __name__ == "__main__":
    unittest.main()

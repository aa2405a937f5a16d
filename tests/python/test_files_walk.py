#!/usr/bin/env python3
"""Binding tests for walk and fwalk.

    python3 tests/python/test_files_walk.py --module-dir DIR

Each walk runs with CPython's os and with oscpp over the same tree; the
steps (as sets, since listing order is the filesystem's), the errors given
to onerror and the errors raised must agree.
"""

import errno
import gc
import itertools
import os
import sys
import shutil
import tempfile
import unittest

from support import FakePath, error_of, open_fds, oscpp


def steps(walk):
    """The steps of a walk as a sorted list of (root, dirs, files) with the
    lists sorted; the dirfd of fwalk is dropped."""
    out = []
    for step in walk:
        root, dirs, files = step[:3]
        out.append((root, sorted(dirs), sorted(files)))
    return sorted(out)


class WalkTests(unittest.TestCase):
    def setUp(self):
        self.dir = os.path.realpath(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        self.top = os.path.join(self.dir, "TEST1")
        for d in ("TEST1/SUB1/SUB11", "TEST1/SUB2", "TEST2"):
            os.makedirs(os.path.join(self.dir, d))
        for f in ("TEST1/tmp1", "TEST1/SUB1/tmp2", "TEST1/SUB2/tmp3",
                  "TEST2/tmp4"):
            with open(os.path.join(self.dir, f), "w") as fh:
                fh.write(f)
        os.symlink(os.path.join(self.dir, "TEST2"),
                   os.path.join(self.top, "SUB2", "link"))
        os.symlink("broken", os.path.join(self.top, "SUB2", "broken_link"))

    def compare(self, name, top, **kwargs):
        ours = steps(getattr(oscpp, name)(top, **kwargs))
        theirs = steps(getattr(os, name)(top, **kwargs))
        self.assertEqual(ours, theirs, (name, top, kwargs))
        return ours

    def test_walk_matches_os(self):
        for top in (self.top, os.fsencode(self.top), FakePath(self.top),
                    self.top + "/", os.path.join(self.top, "SUB2", "link")):
            for topdown, follow in itertools.product((True, False), repeat=2):
                self.compare("walk", top, topdown=topdown, followlinks=follow)

    def test_fwalk_matches_os(self):
        for top in (self.top, os.fsencode(self.top), FakePath(self.top),
                    os.path.join(self.top, "SUB2", "link")):
            for topdown, follow in itertools.product((True, False), repeat=2):
                self.compare("fwalk", top, topdown=topdown,
                             follow_symlinks=follow)
        fd = os.open(self.dir, os.O_RDONLY)
        self.addCleanup(os.close, fd)
        self.compare("fwalk", "TEST1", dir_fd=fd)
        self.compare("fwalk", b"TEST1", dir_fd=fd, topdown=False)

    def test_fwalk_yields_usable_descriptors(self):
        before = open_fds()
        for topdown in (True, False):
            for root, dirs, files, fd in oscpp.fwalk(self.top,
                                                     topdown=topdown):
                self.assertEqual(os.fstat(fd).st_ino, os.stat(root).st_ino)
                self.assertEqual(set(os.listdir(fd)), set(dirs) | set(files))
                self.assertFalse(os.get_inheritable(fd))
        self.assertEqual(open_fds(), before)

    def test_pruning_and_reordering(self):
        for name in ("walk", "fwalk"):
            for module in (oscpp, os):
                seen = []
                for step in getattr(module, name)(self.top):
                    seen.append(step[0])
                    if "SUB1" in step[1]:
                        step[1].remove("SUB1")
                self.assertEqual(len(seen), 2, (name, module))
            roots = []
            for step in getattr(oscpp, name)(self.top):
                roots.append(step[0])
                if step[0] == self.top:
                    step[1][:] = ["SUB2", "SUB1"]
            self.assertEqual(roots, [self.top,
                                     os.path.join(self.top, "SUB2"),
                                     os.path.join(self.top, "SUB1"),
                                     os.path.join(self.top, "SUB1", "SUB11")])

    def test_bytes_pruning(self):
        top = os.fsencode(self.top)
        seen = [s[0] for s in oscpp.walk(top) if s[1].clear() is None]
        self.assertEqual(seen, [top])
        err = error_of(lambda: [s[1].append("x") for s in oscpp.walk(top)])
        self.assertIs(type(err), TypeError)

    def test_onerror_gets_what_os_gives(self):
        missing = os.path.join(self.dir, "missing")
        tmp1 = os.path.join(self.top, "tmp1")
        for top in (missing, os.fsencode(missing), tmp1, ""):
            got = {}
            for module in (oscpp, os):
                errors = []
                self.assertEqual(list(module.walk(top, onerror=errors.append)),
                                 [])
                got[module] = [(type(e), e.errno, e.filename) for e in errors]
            self.assertEqual(got[oscpp], got[os], top)
            self.assertEqual(len(got[os]), 1)
        # fwalk's onerror, for a directory that vanished after the listing.
        for module in (oscpp, os):
            errors = []
            walk = module.fwalk(self.top, onerror=errors.append)
            root, dirs, files, fd = next(walk)
            dirs.append("gone")
            list(walk)
            self.assertEqual([(type(e), e.errno, e.filename) for e in errors],
                             [(FileNotFoundError, errno.ENOENT, "gone")])

    def test_onerror_raising_ends_the_walk(self):
        def boom(e):
            raise ZeroDivisionError(e.filename)
        for name in ("walk", "fwalk"):
            walk = getattr(oscpp, name)(self.top, onerror=boom)
            step = next(walk)
            step[1].append("missing")
            with self.assertRaises(ZeroDivisionError):
                list(walk)
            self.assertEqual(list(walk), [])
            # A non-callable onerror fails only when an error happens.
            for module in (oscpp, os):
                walk = getattr(module, name)(self.top, onerror=5)
                step = next(walk)
                step[1].append("missing")
                err = error_of(lambda: list(walk))
                self.assertIs(type(err), TypeError)
                self.assertEqual(str(err), "'int' object is not callable")

    def test_fwalk_errors_are_lazy_and_match_os(self):
        missing = os.path.join(self.dir, "missing")
        for args, kwargs in (((1.5,), {}), ((missing,), {}),
                             ((os.path.join(self.top, "tmp1"),),
                              {"follow_symlinks": True}),
                             (("TEST1",), {"dir_fd": 1 << 20}),
                             ((".",), {"dir_fd": "x"})):
            walk = oscpp.fwalk(*args, **kwargs)  # nothing raised yet
            ours = error_of(lambda: next(walk))
            theirs = error_of(lambda: next(os.fwalk(*args, **kwargs)))
            self.assertIs(type(ours), type(theirs), (args, kwargs))
            if isinstance(theirs, OSError):
                self.assertEqual(ours.errno, theirs.errno)
                if not isinstance(theirs.filename, int):
                    self.assertEqual(ours.filename, theirs.filename)
            else:
                self.assertEqual(str(ours), str(theirs))
            self.assertEqual(list(walk), [])

    def test_walk_checks_top_as_python(self):
        # At once in 3.9 to 3.11; walk() is a generator before and since
        # 3.12, which checks top at the first next().
        def first_step_error(mod, bad):
            return error_of(lambda: next(mod.walk(bad)))

        for bad in (1.5, None, [1]):
            if (3, 9) <= sys.version_info < (3, 12):
                ours = error_of(lambda: oscpp.walk(bad))
                theirs = error_of(lambda: os.walk(bad))
            else:
                self.assertIsNone(error_of(lambda: oscpp.walk(bad)))
                ours = first_step_error(oscpp, bad)
                theirs = first_step_error(os, bad)
            self.assertIsInstance(theirs, TypeError)
            self.assertIs(type(ours), type(theirs))
            self.assertEqual(str(ours), str(theirs))
        # Argument errors are Python function's, raised at the call.
        for name in ("walk", "fwalk"):
            for args, kwargs in (((), {}), (("a", 1, 2, 3, 4), {}),
                                 (("a",), {"bad": 1}),
                                 (("a",), {"top": "b"})):
                ours = error_of(lambda: getattr(oscpp, name)(*args, **kwargs))
                theirs = error_of(lambda: getattr(os, name)(*args, **kwargs))
                if name == "fwalk" and not args:
                    self.assertIsNone(ours)
                    continue
                self.assertIs(type(ours), TypeError, (name, args, kwargs))
                self.assertEqual(str(ours), str(theirs))

    def test_generators(self):
        import inspect
        for name in ("walk", "fwalk"):
            ours, theirs = getattr(oscpp, name), getattr(os, name)
            self.assertEqual(inspect.isgeneratorfunction(ours),
                             inspect.isgeneratorfunction(theirs), name)
            self.assertEqual(str(inspect.signature(ours)),
                             str(inspect.signature(theirs)))
            walk = ours(self.top)
            self.assertTrue(inspect.isgenerator(walk))
            first = next(walk)
            self.assertEqual(first[0], self.top)
            # send() is next() whose value the walk ignores.
            self.assertIsInstance(walk.send("ignored"), tuple)
            with self.assertRaises(KeyError):
                walk.throw(KeyError("x"))
            self.assertEqual(list(walk), [])
            walk = ours(self.top)
            next(walk)
            walk.close()
            self.assertEqual(list(walk), [])
            # A walk closed before its first step never starts.
            walk = ours(1.5 if name == "fwalk" else self.top)
            walk.close()
            self.assertEqual(list(walk), [])

    def test_audit_events(self):
        if sys.version_info < (3, 8):
            self.skipTest("no audit hooks before 3.8")
        code = ("import sys\n"
                "sys.path.insert(0, sys.argv[1])\n"
                "import oscpp, os\n"
                "seen = []\n"
                "sys.addaudithook(lambda e, a: e.startswith('os.') and "
                "'walk' in e and seen.append((e, a)))\n"
                "for m in (oscpp, os):\n"
                "    w = m.walk(sys.argv[2], False, None, 0)\n"
                "    seen.append('called')\n"
                "    next(w)\n"
                "    f = m.fwalk(sys.argv[2], 1, None, dir_fd=None)\n"
                "    seen.append('called')\n"
                "    next(f)\n"
                "    f.close()\n"
                "print(seen[:len(seen) // 2] == seen[len(seen) // 2:])\n"
                "print(seen[:len(seen) // 2])\n")
        import subprocess
        out = subprocess.run([sys.executable, "-c", code,
                              os.path.dirname(oscpp.__file__), self.top],
                             check=True, capture_output=True, text=True)
        self.assertEqual(out.stdout.splitlines()[0], "True", out.stdout)

    def test_fwalk_descriptors_are_closed(self):
        before = open_fds()
        walk = oscpp.fwalk(self.top)
        next(walk)
        next(walk)
        walk.close()
        self.assertEqual(open_fds(), before)
        walk = oscpp.fwalk(self.top)
        next(walk)
        del walk
        gc.collect()
        self.assertEqual(open_fds(), before)
        for _ in range(300):
            list(oscpp.fwalk(self.top))
        self.assertEqual(open_fds(), before)


if __name__ == "__main__":
    unittest.main()

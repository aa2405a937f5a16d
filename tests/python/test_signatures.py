"""inspect.signature(oscpp.X) gives the same string as inspect.signature(os.X)
for every function X of both whose os signature inspect can read."""

import inspect
import os
import unittest

import support


def os_signature(function):
    try:
        return str(inspect.signature(function))
    except (TypeError, ValueError):
        return None


class SignatureTests(unittest.TestCase):

    def test_same_signatures(self):
        checked = 0
        for name in sorted(dir(support.oscpp)):
            ours = getattr(support.oscpp, name)
            theirs = getattr(os, name, None)
            if (not callable(ours) or isinstance(ours, type) or
                    theirs is None):
                continue
            expected = os_signature(theirs)
            if expected is None:
                continue
            checked += 1
            with self.subTest(name=name):
                self.assertEqual(str(inspect.signature(ours)), expected)
        self.assertGreater(checked, 150)

    def test_same_direntry_signatures(self):
        # The methods of os.DirEntry, unbound and bound to an entry.
        here = os.path.dirname(os.path.abspath(__file__))
        entries = []
        for module in (os, support.oscpp):
            with module.scandir(here) as it:
                entries.append(next(it))
        for name in ("is_dir", "is_file", "is_symlink", "stat", "inode",
                     "__fspath__"):
            for theirs, ours in ((os.DirEntry, support.oscpp.DirEntry),
                                 entries):
                with self.subTest(name=name, bound=theirs is not os.DirEntry):
                    self.assertEqual(
                        str(inspect.signature(getattr(ours, name))),
                        str(inspect.signature(getattr(theirs, name))))


if __name__ == "__main__":
    unittest.main()

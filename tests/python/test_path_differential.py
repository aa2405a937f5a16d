#!/usr/bin/env python3
"""Differential test: oscpp.path against CPython's posixpath as the oracle.

    python3 tests/python/test_path_differential.py --module-dir DIR \\
        [--cases N] [--seed S]

Random paths over an alphabet of the edge cases ('/', '//', '.', '..', '~',
'~user', '$VAR', '${VAR}', '$', NUL, non-UTF-8 bytes, lone surrogates, long
runs) go through every lexical function of posixpath, as str or as bytes,
now and then with a wrong type, a str/bytes mix or a PathLike: the result
(value and type) or the exception (type and message) must be the same as
CPython's posixpath on the same interpreter. Then random paths over a tree
with symlink chains, loops, dangling links and missing components go
through realpath (strict too, where the version has it), abspath, relpath,
ismount and the predicates.

--cases N: N lexical cases (one generated input through every lexical
function) and N/10 tree cases; 10**5 by default (ctest), 10**6 for the
benchmark run (docs/performance.md). --seed S repeats a run; a failure
prints its seed.
"""

import argparse
import os
import posixpath
import random
import shutil
import sys
import tempfile
import time
import unittest
import warnings

import support
from support import FakePath, oscpp


def _take_options():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--cases", type=int, default=10**5)
    parser.add_argument("--seed", type=int, default=None)
    options, rest = parser.parse_known_args(sys.argv[1:])
    sys.argv[1:] = rest
    if options.seed is None:
        options.seed = random.randrange(2**32)
    return options


OPTIONS = _take_options()
MAX_REPORTED = 20

STR_TOKENS = [
    "/", "//", "///", ".", "..", "~", "~/", "~root", "~daemon", "~nosuchuser",
    "$VAR", "${VAR}", "$", "${", "}", "{", "$UNDEF", "${UNDEF}", "$EMPTY",
    "${EMPTY}", "$VAR}", "${{VAR}}", "$?", "$föö", "${föö}", "%VAR%", "$$",
    "\0", "a", "b", "abc", "a.b", ".x", "x.", "...", ".bashrc", ".tar.gz", " ",
    "é", "日本", "\udcff", "\udc80", "\ud800", "\udfff", "a" * 40, "/" * 16,
    "." * 24, "../" * 8, "\n",
]
BYTES_TOKENS = [
    t.encode("utf-8", "surrogateescape") for t in STR_TOKENS
    if not any(0xD800 <= ord(c) < 0xDC80 or 0xDD00 <= ord(c) < 0xE000
               for c in t)
] + [b"\xff", b"\xc3", b"\x80", b"~\xc3\xa9x", b"~\xff", b"$\xff",
     b"${\xff}"]

ENVIRONMENT = {"VAR": "value", "EMPTY": "", "föö": "foo-value",
               "{VAR": "brace", "HOME": "/home/tester/"}
HOMES = ["/", "", "//", "///", "/home/x", "/home/x/", "relative", None]


def _weird(rng, p):
    return rng.choice([None, 42, 1.5, True, bytearray(b"a/b"), ["a"],
                       FakePath(p), FakePath(42), object()])


def outcome(fn):
    """What fn() did: the value with its type, or the exception's type and
    text (and errno/filenames for OSError). Warnings are errors while the
    tests run (setUp), so a warning is compared as an exception."""
    try:
        value = fn()
        return ("ok", type(value).__name__, value)
    except Exception as e:  # noqa: BLE001 - compared, not handled
        result = ("raise", type(e).__name__, str(e))
        if isinstance(e, OSError):
            result += (e.errno, e.filename, e.filename2)
        return result


def lexical_calls(has):
    """(name, args builder) for every lexical function this version has;
    a builder takes (p, q, r) and returns the positional arguments."""
    calls = [
        ("normcase", lambda p, q, r: (p,)),
        ("isabs", lambda p, q, r: (p,)),
        ("splitdrive", lambda p, q, r: (p,)),
        ("split", lambda p, q, r: (p,)),
        ("basename", lambda p, q, r: (p,)),
        ("dirname", lambda p, q, r: (p,)),
        ("splitext", lambda p, q, r: (p,)),
        ("normpath", lambda p, q, r: (p,)),
        ("expanduser", lambda p, q, r: (p,)),
        ("expandvars", lambda p, q, r: (p,)),
        ("abspath", lambda p, q, r: (p,)),
        ("join", lambda p, q, r: (p,)),
        ("join", lambda p, q, r: (p, q)),
        ("join", lambda p, q, r: (p, q, r)),
        ("relpath", lambda p, q, r: (p,)),
        ("relpath", lambda p, q, r: (p, q)),
        ("commonprefix", lambda p, q, r: ([p, q, r],)),
        ("commonpath", lambda p, q, r: ([p],)),
        ("commonpath", lambda p, q, r: ([p, q],)),
        ("commonpath", lambda p, q, r: ([p, q, r],)),
        ("splitroot", lambda p, q, r: (p,)),
        ("isjunction", lambda p, q, r: (p,)),
        ("isdevdrive", lambda p, q, r: (p,)),
    ]
    return [(name, build) for name, build in calls if has(name)]


class Generator:
    def __init__(self, rng):
        self.rng = rng

    def path(self, tokens, sep):
        rng = self.rng
        count = min(int(rng.expovariate(0.35)), 14)
        parts = []
        for _ in range(count):
            parts.append(rng.choice(tokens))
            if rng.random() < 0.45:
                parts.append(sep)
        return sep[:0].join(parts)

    def args(self):
        """p, q, r of one kind (str or bytes); now and then one of them is
        of the other kind, a PathLike or a wrong type."""
        rng = self.rng
        kind = rng.random() < 0.5
        tokens, sep = (BYTES_TOKENS, b"/") if kind else (STR_TOKENS, "/")
        args = [self.path(tokens, sep) for _ in range(3)]
        roll = rng.random()
        i = rng.randrange(3)
        if roll < 0.04:
            other, osep = (STR_TOKENS, "/") if kind else (BYTES_TOKENS, b"/")
            args[i] = self.path(other, osep)
        elif roll < 0.08:
            args[i] = _weird(rng, args[i])
        elif roll < 0.12:
            args[i] = FakePath(args[i])
        return args


def describe(name, args):
    return "%s(%s)" % (name, ", ".join(
        repr(a.path) + " as PathLike" if isinstance(a, FakePath) else repr(a)
        for a in args))


class Differential(unittest.TestCase):
    def setUp(self):
        self.rng = random.Random(OPTIONS.seed)
        catcher = warnings.catch_warnings()
        catcher.__enter__()
        self.addCleanup(catcher.__exit__, None, None, None)
        warnings.simplefilter("error")
        self.mismatches = []
        self.compared = 0
        saved = {k: os.environ.get(k) for k in ENVIRONMENT}
        os.environ.update(ENVIRONMENT)
        self.addCleanup(self._restore_environment, saved)
        self.old_cwd = os.getcwd()
        self.addCleanup(os.chdir, self.old_cwd)
        self.top = os.path.realpath(tempfile.mkdtemp(prefix="oscpp-pathdiff-"))
        self.addCleanup(shutil.rmtree, self.top)

    @staticmethod
    def _restore_environment(saved):
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def compare(self, name, args, kwargs=None):
        kwargs = kwargs or {}
        ours, theirs = getattr(oscpp.path, name), getattr(posixpath, name)
        want = outcome(lambda: theirs(*args, **kwargs))
        got = outcome(lambda: ours(*args, **kwargs))
        self.compared += 1
        if got != want and len(self.mismatches) < MAX_REPORTED:
            call = describe(name, args) + ("" if not kwargs else
                                           " with %r" % kwargs)
            self.mismatches.append("%s\n    posixpath: %r\n    oscpp.path: %r"
                                   % (call, want, got))

    def report(self, what, started):
        rate = self.compared / max(time.monotonic() - started, 1e-9)
        print("%s: %d calls compared (%.0f/s), seed %d"
              % (what, self.compared, rate, OPTIONS.seed), file=sys.stderr)
        if self.mismatches:
            self.fail("oscpp.path differs from posixpath (seed %d; first %d):"
                      "\n%s" % (OPTIONS.seed, len(self.mismatches),
                                "\n".join(self.mismatches)))

    def set_home(self, home):
        if home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = home

    def test_lexical(self):
        # A working directory whose name is not UTF-8 and holds a non-ASCII
        # character: abspath and relpath see it.
        cwd = os.path.join(os.fsencode(self.top), b"cwd-\xff-\xc3\xa9")
        os.mkdir(cwd)
        os.chdir(cwd)
        calls = lexical_calls(lambda name: hasattr(posixpath, name))
        self.assertEqual(
            sorted({n for n, _ in calls if hasattr(oscpp.path, n)}),
            sorted({n for n, _ in calls}), "functions missing")
        generator = Generator(self.rng)
        started = time.monotonic()
        for case in range(OPTIONS.cases):
            if case % 997 == 0:
                self.set_home(self.rng.choice(HOMES))
            p, q, r = generator.args()
            for name, build in calls:
                self.compare(name, build(p, q, r))
        self.report("lexical, %d cases" % OPTIONS.cases, started)

    def make_tree(self):
        """A tree with symlink chains, loops, dangling links and links up;
        returns the names random paths are made of."""
        top = self.top
        for d in ("d/sub", "e", "unreadable/inner"):
            os.makedirs(os.path.join(top, d))
        for f in ("f", "d/sub/file2", "e/.hidden"):
            with open(os.path.join(top, f), "w") as stream:
                stream.write(f)
        links = {
            "abs_link": os.path.join(top, "d"),
            "rel_link": "d/sub",
            "chain1": "chain2", "chain2": "chain3", "chain3": "d/sub/file2",
            "dirchain1": "dirchain2", "dirchain2": "d",
            "loop1": "loop2", "loop2": "loop1", "self": "self",
            "dangling": "nonexistent/x", "up": "..", "root": "/",
            "d/parent": "../", "d/sub/back": "../../d",
            "file_link": "f", "missing_dir_link": "missing_dir/sub",
            "loop_via_dir": "d/sub/back/../../loop_via_dir",
            "to_file_slash": "f/",
        }
        for name, target in links.items():
            os.symlink(target, os.path.join(top, name))
        return ["d", "e", "f", "sub", "file2", "inner", ".hidden", "missing",
                "missing_dir", "unreadable", ".", "..", "", "back",
                "parent"] + [os.path.basename(n) for n in links]

    def test_tree(self):
        names = self.make_tree()
        os.chdir(self.top)
        top = self.top
        rng = self.rng
        has_strict = sys.version_info >= (3, 10)
        roots = ["/", "/proc", "/dev", "/sys", "/tmp", "/nonexistent"]

        def path():
            count = 1 + min(int(rng.expovariate(0.5)), 7)
            p = "/".join(rng.choice(names) for _ in range(count))
            roll = rng.random()
            if roll < 0.3:
                p = top + "/" + p
            elif roll < 0.35:
                p = rng.choice(roots)
            elif roll < 0.4:
                p += "/"
            return p

        started = time.monotonic()
        for _ in range(max(OPTIONS.cases // 10, 1)):
            p, q = path(), path()
            if rng.random() < 0.5:
                p, q = os.fsencode(p), os.fsencode(q)
            self.compare("realpath", (p,))
            if has_strict:
                self.compare("realpath", (p,), {"strict": True})
            self.compare("abspath", (p,))
            self.compare("relpath", (p, q))
            self.compare("ismount", (p,))
            for predicate in ("exists", "lexists", "isdir", "isfile",
                              "islink"):
                self.compare(predicate, (p,))
            self.compare("samefile", (p, q))
        self.report("tree, %d cases" % max(OPTIONS.cases // 10, 1), started)


if __name__ == "__main__":
    unittest.main()

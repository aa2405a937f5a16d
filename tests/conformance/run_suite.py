#!/usr/bin/env python3
"""Run CPython's own test_os and test_posix against the oscpp extension.

The test modules come from the running interpreter's standard library. They
are imported with sys.modules["os"] and sys.modules["posix"] pointing at
oscpp (and restored right after), so their global ``os``/``posix`` is oscpp
while everything they depend on keeps the real os. Only the tests that pass
with CPython's own os on this interpreter (the reference set) are counted.

Every test run happens in a child process of this script that reports one
JSON line per event; a child that crashes or hangs costs one test, and a new
child carries on with the rest. See README.md for usage. Python >= 3.7.
"""

import argparse
import hashlib
import importlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import unittest

SCRIPT = os.path.abspath(__file__)
HERE = os.path.dirname(SCRIPT)
PYVER = "%d.%d" % sys.version_info[:2]
DEFAULT_TESTS = "test_os,test_posix"

PASS = "pass"
FAIL = "fail"
ERROR = "error"
SKIP = "skip"
XFAIL = "expected failure"
XPASS = "unexpected success"
CRASHED = "crashed"
TIMEOUT = "timeout"
NOT_RUN = "not run"
IMPORT_ERROR = "import error"

# When a test reports several outcomes (subtests), the first one listed wins.
OUTCOME_RANK = (ERROR, FAIL, XPASS, PASS, XFAIL, SKIP)

POLL_SECONDS = 0.02
EXIT_GRACE_SECONDS = 10.0


def test_id(test):
    """'test.test_os.FileTests.test_access' -> 'test_os.FileTests.test_access'."""
    tid = test.id()
    return tid[len("test."):] if tid.startswith("test.") else tid


def class_of(tid):
    return tid.rsplit(".", 1)[0]


def module_of(tid):
    return tid.split(".", 1)[0]


def printable(text):
    """Text safe to print on any terminal (tracebacks may hold surrogates)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def last_line(text, limit=240):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    line = lines[-1].strip() if lines else ""
    return line if len(line) <= limit else line[:limit - 3] + "..."


def missing_name_in(exc):
    """The name an AttributeError/ImportError says is missing, if any."""
    name = None
    if isinstance(exc, AttributeError):
        name = getattr(exc, "name", None)
        match = re.search(r"has no attribute '([^']+)'", str(exc))
        name = name or (match.group(1) if match else None)
    elif isinstance(exc, ImportError):
        match = re.search(r"cannot import name '([^']+)'", str(exc))
        name = match.group(1) if match else None
    return name


# ---------------------------------------------------------------------------
# Child side: import one test module (optionally with oscpp as os), run the
# requested tests, append one JSON line per event to the results file.
# ---------------------------------------------------------------------------

class Emitter:
    """Appends events to the results file, one write() per event."""

    def __init__(self, path):
        self.path = path

    def __call__(self, event, **fields):
        fields["event"] = event
        # A buggy fork() could leave two processes running tests: the parent
        # only listens to the pid it started.
        fields["pid"] = os.getpid()
        data = (json.dumps(fields) + "\n").encode("utf-8")
        # Opened per event, so a test that closes or dup2()s over our
        # descriptors cannot cut the channel.
        with open(self.path, "ab", buffering=0) as stream:
            stream.write(data)


class MissingNames:
    """Records names looked up on the module but not defined by it.

    Installs a module-level __getattr__ (PEP 562) that notes the name and
    raises the usual AttributeError, so behaviour is unchanged.
    """

    def __init__(self, module):
        self.module = module
        self.previous = module.__dict__.get("__getattr__")
        self.names = set()
        module.__getattr__ = self.lookup

    def lookup(self, name):
        if self.previous is not None:
            try:
                return self.previous(name)
            except AttributeError:
                pass
        if not (name.startswith("__") and name.endswith("__")):
            self.names.add(name)
        raise AttributeError("module %r has no attribute %r"
                             % (self.module.__name__, name))

    def take(self):
        names, self.names = sorted(self.names), set()
        return names


class EventResult(unittest.TestResult):
    """A TestResult that reports each test's start and final outcome."""

    def __init__(self, emit, missing):
        super().__init__()
        self.emit = emit
        self.missing = missing
        self.current = None
        self.marks = {}
        self.started = 0.0
        self.finished = set()
        self.fixture_problems = []

    def _take_missing(self):
        return self.missing.take() if self.missing is not None else []

    def startTest(self, test):
        super().startTest(test)
        self._take_missing()  # lookups from fixtures belong to no test
        self.current = test_id(test)
        self.marks = {}
        self.started = time.monotonic()
        self.emit("start", id=self.current)

    def stopTest(self, test):
        super().stopTest(test)
        outcome = next((o for o in OUTCOME_RANK if o in self.marks), None)
        detail = self.marks.get(outcome, "")
        if outcome is None:
            outcome, detail = ERROR, "the test reported no outcome"
        self.emit("end", id=self.current, outcome=outcome, detail=detail,
                  missing=self._take_missing(),
                  seconds=round(time.monotonic() - self.started, 3))
        self.finished.add(self.current)
        self.current = None

    def _mark(self, test, outcome, detail):
        owner = getattr(test, "test_case", test)  # a subtest's test
        if (isinstance(owner, unittest.TestCase) and self.current is not None
                and test_id(owner) == self.current):
            self.marks.setdefault(outcome, detail)
            if outcome in (ERROR, FAIL):
                sys.stderr.write("=== %s: %s\n%s\n"
                                 % (outcome.upper(), test, detail))
            return
        # Raised by setUpClass/setUpModule/tearDown*: unittest hands us an
        # _ErrorHolder whose description is "setUpClass (module.Class)".
        description = str(test)
        match = re.match(r"^(\w+) \((.*)\)$", description)
        fixture, target = match.groups() if match else (description, "")
        self.fixture_problems.append((fixture, target, outcome, detail))
        sys.stderr.write("=== %s in %s\n%s\n" % (outcome.upper(), description,
                                                 detail))
        self.emit("fixture", fixture=fixture, target=target, outcome=outcome,
                  detail=detail)

    def _format(self, err):
        return "".join(traceback.format_exception(*err))

    def addSuccess(self, test):
        self._mark(test, PASS, "")

    def addFailure(self, test, err):
        self._mark(test, FAIL, self._format(err))

    def addError(self, test, err):
        self._mark(test, ERROR, self._format(err))

    def addSkip(self, test, reason):
        self._mark(test, SKIP, str(reason))

    def addExpectedFailure(self, test, err):
        self._mark(test, XFAIL, self._format(err))

    def addUnexpectedSuccess(self, test):
        self._mark(test, XPASS, "")

    def addSubTest(self, test, subtest, err):
        if err is None:
            return
        outcome = FAIL if issubclass(err[0], test.failureException) else ERROR
        self._mark(test, outcome, "%s\n%s" % (subtest, self._format(err)))

    def outcome_of_unstarted(self, test):
        """Why a test that never started did not run (fixture or unknown)."""
        cls = type(test)
        targets = ("%s.%s" % (cls.__module__, cls.__qualname__),
                   cls.__module__)
        for fixture, target, outcome, detail in self.fixture_problems:
            if fixture.startswith("setUp") and target in targets:
                return outcome, "%s failed: %s" % (fixture, last_line(detail))
        return NOT_RUN, "never started"


def import_test_module(name, replacement):
    """Import test.<name>; with a replacement, as its os and posix."""
    full = "test." + name
    # With the real os first: every module the test module needs is now
    # imported, and keeps the real os.
    importlib.import_module(full)
    if replacement is None:
        return sys.modules[full]
    del sys.modules[full]
    saved = {key: sys.modules.get(key) for key in ("os", "posix")}
    sys.modules["os"] = sys.modules["posix"] = replacement
    try:
        return importlib.import_module(full)
    finally:
        for key, module in saved.items():
            if module is None:
                sys.modules.pop(key, None)
            else:
                sys.modules[key] = module


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


def import_oscpp(module_dir):
    if module_dir:
        sys.path.insert(0, os.path.abspath(module_dir))
    module = importlib.import_module("oscpp")
    where = os.path.abspath(getattr(module, "__file__", "") or "")
    if module_dir and os.path.dirname(where) != os.path.abspath(module_dir):
        raise ImportError("oscpp was imported from %s, not from --module-dir"
                          " %s" % (where, module_dir))
    return module


def child_main(args):
    import faulthandler
    faulthandler.enable()  # a crash leaves the Python traceback in the log
    emit = Emitter(args.results)
    missing = None
    oscpp_file = None
    try:
        replacement = None
        if args.swap:
            replacement = import_oscpp(args.module_dir)
            oscpp_file = getattr(replacement, "__file__", None)
            missing = MissingNames(replacement)
        module = import_test_module(args.child, replacement)
    except BaseException as exc:
        text = traceback.format_exc()
        sys.stderr.write(text)
        emit("imported", ok=False, traceback=text, failed_name=missing_name_in(exc),
             missing=missing.take() if missing is not None else [],
             oscpp_file=oscpp_file)
        sys.stderr.flush()
        os._exit(0)

    tests = list(flatten(unittest.defaultTestLoader.loadTestsFromModule(module)))
    wanted = None
    if args.ids_file:
        with open(args.ids_file) as stream:
            wanted = set(stream.read().split())
    selected = [t for t in tests if wanted is None or test_id(t) in wanted]
    emit("imported", ok=True, ids=[test_id(t) for t in tests],
         planned=[test_id(t) for t in selected],
         missing=missing.take() if missing is not None else [],
         oscpp_file=oscpp_file)

    result = EventResult(emit, missing)
    unittest.TestSuite(selected).run(result)
    for test in selected:
        if test_id(test) not in result.finished:
            outcome, detail = result.outcome_of_unstarted(test)
            emit("end", id=test_id(test), outcome=outcome, detail=detail,
                 missing=[], seconds=0)
    emit("done")
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter shutdown: leftover non-daemon threads or atexit
    # handlers of a broken test must not hang the run.
    os._exit(0)

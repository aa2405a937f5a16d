#!/usr/bin/env python3
"""Run CPython's own test_os and test_posix (or test_posixpath and
test_genericpath) against the oscpp extension.

The test modules come from the running interpreter's standard library. They
are imported with sys.modules["os"] pointing at oscpp and sys.modules["posix"]
at oscpp._posix, its stand-in for posix (and, for the path suite,
"posixpath" at oscpp.path and "genericpath" at a genericpath-shaped view of
it), restored right after, so their globals are oscpp's while everything
they depend on keeps the real modules. Only the tests that pass with
CPython's own modules on this interpreter (the reference set) are counted.

Every test run happens in a child process of this script that reports one
JSON line per event; a child that crashes or hangs costs one test, and a new
child carries on with the rest. See README.md for usage. Python >= 3.7.
"""

import argparse
import faulthandler
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
# The suites: their test modules, and the baseline file name's prefix.
SUITES = {
    "os": ("test_os,test_posix", "baseline"),
    "path": ("test_posixpath,test_genericpath", "baseline-path"),
}
# Test modules that get oscpp.path as posixpath (and a view of it as
# genericpath); test_posixpath imports test_genericpath, so both are
# re-imported together.
PATH_MODULES = ("test_genericpath", "test_posixpath")

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
# The reference must not depend on a short --timeout chosen for debugging.
REFERENCE_MIN_TIMEOUT = 120.0


def test_id(test):
    """The id without the package: 'test_os.FileTests.test_access'."""
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
    """Records names looked up on the stand-in modules that they lack but
    the real module has (probes for other platforms' names are not
    interesting); a name missing from oscpp._posix is noted as _posix.NAME.

    Installs a module-level __getattr__ (PEP 562) on each that notes the
    name and raises the usual AttributeError, so behaviour is unchanged.
    """

    def __init__(self, pairs):
        self.names = set()
        for module, real in pairs:
            prefix = {"posix": "_posix.",
                      "posixpath": "path."}.get(real.__name__, "")
            module.__getattr__ = self.lookup_for(module, real, prefix)

    def lookup_for(self, module, real, prefix):
        previous = module.__dict__.get("__getattr__")

        def lookup(name):
            if previous is not None:
                try:
                    return previous(name)
                except AttributeError:
                    pass
            if hasattr(real, name) and not name.startswith("__"):
                self.names.add(prefix + name)
            error = AttributeError("module %r has no attribute %r"
                                   % (module.__name__, name))
            if sys.version_info >= (3, 10):
                error.name, error.obj = name, module
            raise error
        return lookup

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
        self._begin(test)

    def _begin(self, test):
        self._take_missing()  # lookups from fixtures belong to no test
        self.current = test_id(test)
        self.marks = {}
        self.started = time.monotonic()
        self.emit("start", id=self.current)

    def stopTest(self, test):
        super().stopTest(test)
        if self.current is None:
            self._begin(test)
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
        if isinstance(owner, unittest.TestCase) and self.current is None:
            # Some versions (3.12.1) report a skipped test without startTest.
            self._begin(owner)
        if (isinstance(owner, unittest.TestCase)
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


def posix_stand_in(replacement):
    """oscpp._posix, oscpp's stand-in for posix."""
    return importlib.import_module(replacement.__name__ + "._posix")


def genericpath_view(path_module):
    """A module shaped like genericpath (its names only) whose functions are
    path_module's. Never the posixpath-shaped module itself: ntpath does
    `from genericpath import *` after setting its own sep/altsep."""
    import genericpath
    import types
    view = types.ModuleType("genericpath")
    for name, value in vars(genericpath).items():
        if name.startswith("__") or isinstance(value, types.ModuleType):
            continue
        if hasattr(path_module, name):
            setattr(view, name, getattr(path_module, name))
    view.__all__ = [name for name in genericpath.__all__
                    if hasattr(view, name)]
    return view


def swapped_modules(name, replacement):
    """{sys.modules key: module} to install while test.<name> is imported."""
    swap = {"os": replacement, "posix": posix_stand_in(replacement)}
    if name in PATH_MODULES:
        path = replacement.path
        swap.update({"posixpath": path, "os.path": path,
                     "genericpath": genericpath_view(path)})
    return swap


def import_test_module(name, replacement):
    """Import test.<name>; with a replacement, as its os and posix (and its
    path as posixpath for the path suite)."""
    full = "test." + name
    # With the real os first: every module the test module needs is now
    # imported, and keeps the real os.
    importlib.import_module(full)
    if replacement is None:
        return sys.modules[full]
    swap = swapped_modules(name, replacement)
    # test_posixpath's classes derive from test_genericpath's: both are
    # imported again with the swap, or the base class would keep the real os.
    again = [full] + (["test.test_genericpath"]
                      if name == "test_posixpath" else [])
    for module in again:
        sys.modules.pop(module, None)
    saved = {key: sys.modules.get(key) for key in swap}
    sys.modules.update(swap)
    try:
        for module in again[::-1]:
            importlib.import_module(module)
        return sys.modules[full]
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


def format_import_error(exc):
    """The traceback without this script's and importlib's own frames."""
    machinery = os.path.dirname(importlib.__file__)

    def ours(frame):
        name = frame.filename
        return (name == SCRIPT or name.startswith("<frozen")
                or os.path.dirname(name) == machinery)

    frames = traceback.extract_tb(exc.__traceback__)
    frames = [frame for frame in frames if not ours(frame)]
    head = ["Traceback (most recent call last):\n"] if frames else []
    return "".join(head + traceback.format_list(frames)
                   + traceback.format_exception_only(type(exc), exc))


def import_oscpp(module_dir):
    if module_dir:
        sys.path.insert(0, os.path.abspath(module_dir))
    module = importlib.import_module("oscpp")
    where = os.path.realpath(getattr(module, "__file__", "") or "")
    if module_dir and os.path.dirname(where) != os.path.realpath(module_dir):
        raise ImportError("oscpp was imported from %s, not from --module-dir"
                          " %s" % (where, module_dir))
    return module


def child_main(args):
    faulthandler.enable()  # a crash leaves the Python traceback in the log
    emit = Emitter(args.results)
    missing = None
    oscpp_file = None
    try:
        replacement = None
        if args.swap:
            emit("stage", name="importing oscpp")
            replacement = import_oscpp(args.module_dir)
            oscpp_file = getattr(replacement, "__file__", None)
            import posix
            pairs = [(replacement, os), (posix_stand_in(replacement), posix)]
            if args.child in PATH_MODULES:
                import posixpath
                pairs.append((replacement.path, posixpath))
                # PosixCommonTest.test_import runs `python -I -S -c "import
                # <pathmodule.__name__>"`: -I drops the path to oscpp, so
                # the name is posixpath's while the tests run (README.md).
                replacement.path.__name__ = "posixpath"
            missing = MissingNames(pairs)
        emit("stage", name="importing test.%s" % args.child)
        module = import_test_module(args.child, replacement)
    except BaseException as exc:
        text = format_import_error(exc)
        sys.stderr.write(text)
        emit("imported", ok=False, traceback=text,
             failed_name=missing_name_in(exc),
             missing=missing.take() if missing is not None else [],
             oscpp_file=oscpp_file)
        sys.stderr.flush()
        os._exit(0)

    loader = unittest.defaultTestLoader
    tests = list(flatten(loader.loadTestsFromModule(module)))
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


# ---------------------------------------------------------------------------
# Parent side: supervise children, keep the reference, count, compare.
# ---------------------------------------------------------------------------

class FileTail:
    """What has been appended to a file since the previous call."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = b""

    def read(self):
        try:
            with open(self.path, "rb") as stream:
                stream.seek(self.offset)
                data = stream.read()
        except FileNotFoundError:
            return b""
        self.offset += len(data)
        return data

    def lines(self):
        *complete, self.partial = (self.partial + self.read()).split(b"\n")
        return complete


class ModuleRun:
    """The results of one test module, gathered over one or more children."""

    def __init__(self, module):
        self.module = module
        self.outcomes = {}  # id -> (outcome, detail, missing names)
        self.import_ok = None
        self.import_stage = ""
        self.import_traceback = ""
        self.failed_name = None
        self.import_missing = []
        self.oscpp_file = None
        self.loaded_ids = None
        self.incidents = []  # (id or None, outcome, detail)
        self.children = 0


class ChildState:
    def __init__(self):
        self.import_reported = False
        self.imported = False
        self.planned = []
        self.current = None
        self.stage = "starting"
        self.done = False
        self.timed_out = False
        self.status = ""


def describe_status(returncode):
    if returncode is None:
        return "still running"
    if returncode < 0:
        try:
            return "child killed by " + signal.Signals(-returncode).name
        except ValueError:
            return "child killed by signal %d" % -returncode
    return "child exited with status %d" % returncode


def kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Runner:
    """Runs test modules in supervised child processes."""

    def __init__(self, workdir, log_path, timeout, max_restarts, swap,
                 module_dir=None, on_end=None, echo_log=False):
        self.workdir = workdir
        self.log_path = log_path
        self.timeout = timeout
        self.max_restarts = max_restarts
        self.swap = swap
        self.module_dir = module_dir
        self.on_end = on_end or (lambda *unused: None)
        self.log_tail = FileTail(log_path) if echo_log else None
        self.count = 0
        self.env = dict(os.environ)
        self.env["TMPDIR"] = os.path.join(workdir, "tmp")
        os.makedirs(self.env["TMPDIR"], exist_ok=True)
        with open(log_path, "w"):
            pass
        if self.log_tail is not None:
            self.log_tail.read()

    def run_module(self, module, ids=None):
        """Run test.<module> (only `ids` if given) until every test has a
        result, starting a new child after each crash or timeout."""
        run = ModuleRun(module)
        pending = list(ids) if ids is not None else None
        while True:
            state = self._run_child(run, pending)
            if not state.imported:
                if not state.import_reported:
                    run.import_ok = False
                    run.import_stage = state.stage
                    run.import_traceback = "%s while %s; see the log" % (
                        state.status, state.stage)
                break
            if state.done:
                break
            unfinished = [i for i in state.planned if i not in run.outcomes]
            blame = state.current
            detail = state.status
            if blame is None or blame in run.outcomes:
                blame = unfinished[0] if unfinished else None
                detail = "died before this test started (in a fixture?): " \
                    + state.status
            kind = TIMEOUT if state.timed_out else CRASHED
            run.incidents.append((blame, kind, detail))
            if blame is None:
                break  # after the last test: nothing left to rerun
            run.outcomes[blame] = (kind, detail, [])
            self.on_end(blame, kind, detail, [])
            pending = [i for i in unfinished if i != blame]
            if not pending:
                break
            if run.children > self.max_restarts:
                for tid in pending:
                    run.outcomes[tid] = (NOT_RUN, "gave up after %d children"
                                         % run.children, [])
                break
        for tid in (ids if ids is not None else run.loaded_ids or []):
            if tid in run.outcomes:
                continue
            if not run.import_ok:
                result = (IMPORT_ERROR, "the test module failed to import", [])
            elif tid not in run.loaded_ids:
                result = (NOT_RUN, "not defined when the module is imported"
                          " with oscpp", [])
            else:
                result = (NOT_RUN, "no result reported", [])
            run.outcomes[tid] = result
            self.on_end(tid, *result)
        return run

    def _run_child(self, run, pending):
        self.count += 1
        run.children += 1
        tag = "%s-%d" % (run.module, self.count)
        events = os.path.join(self.workdir, "events-%s.jsonl" % tag)
        cwd = tempfile.mkdtemp(prefix="cwd-%s-" % tag, dir=self.workdir)
        command = [sys.executable, "-u", SCRIPT, "--child", run.module,
                   "--results", events]
        if pending is not None:
            ids_file = os.path.join(self.workdir, "ids-%s.txt" % tag)
            with open(ids_file, "w") as stream:
                stream.write("\n".join(pending) + "\n")
            command += ["--ids-file", ids_file]
        if self.swap:
            command.append("--swap")
            if self.module_dir:
                command += ["--module-dir", os.path.abspath(self.module_dir)]
        state = ChildState()
        with open(self.log_path, "a") as log:
            log.write("\n##### child %d: %s%s\n" % (
                self.count, run.module, "" if pending is None
                else " (%d tests)" % len(pending)))
            log.flush()
            proc = subprocess.Popen(command, cwd=cwd, env=self.env,
                                    stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT,
                                    start_new_session=True)
        try:
            self._supervise(proc, FileTail(events), run, state)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            kill_group(proc.pid)  # whatever the tests left running
            self._echo_log()
            remove_tree(cwd)
        if not state.done:
            state.status = state.status or describe_status(proc.returncode)
        return state

    def _supervise(self, proc, events, run, state):
        last_event = time.monotonic()
        done_at = None
        while True:
            if self._drain(proc, events, run, state):
                last_event = time.monotonic()
                if state.done and done_at is None:
                    done_at = last_event
            self._echo_log()
            if proc.poll() is not None:
                break
            now = time.monotonic()
            if done_at is not None and now - done_at > EXIT_GRACE_SECONDS:
                break  # finished but does not exit: killed by the caller
            if done_at is None and now - last_event > self.timeout:
                state.timed_out = True
                state.status = "no progress for %g s, child killed" \
                    % self.timeout
                self._abort(proc)
                break
            time.sleep(POLL_SECONDS)
        self._drain(proc, events, run, state)

    def _abort(self, proc):
        # SIGABRT first: faulthandler writes every thread's stack to the log.
        try:
            proc.send_signal(signal.SIGABRT)
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        kill_group(proc.pid)
        proc.wait()

    def _drain(self, proc, events, run, state):
        got = False
        for line in events.lines():
            try:
                event = json.loads(line.decode("utf-8"))
            except ValueError:
                continue
            if event.get("pid") != proc.pid:
                continue  # a forked grandchild still running tests
            got = True
            self._handle(event, run, state)
        return got

    def _handle(self, event, run, state):
        kind = event["event"]
        if kind == "imported":
            state.import_reported = True
            state.imported = event["ok"]
            run.import_ok = event["ok"]
            run.oscpp_file = event.get("oscpp_file")
            if run.children == 1:
                run.import_missing = event.get("missing", [])
            if event["ok"]:
                state.planned = event["planned"]
                if run.loaded_ids is None:
                    run.loaded_ids = event["ids"]
            else:
                run.import_stage = state.stage
                run.import_traceback = event["traceback"]
                run.failed_name = event.get("failed_name")
        elif kind == "stage":
            state.stage = event["name"]
        elif kind == "start":
            state.current = event["id"]
        elif kind == "end":
            state.current = None
            result = (event["outcome"], event["detail"], event["missing"])
            run.outcomes[event["id"]] = result
            self.on_end(event["id"], *result)
        elif kind == "done":
            state.done = True

    def _echo_log(self):
        if self.log_tail is None:
            return
        text = self.log_tail.read().decode("utf-8", "replace")
        for line in text.splitlines():
            print("    | " + printable(line))
        sys.stdout.flush()


def remove_tree(path):
    """rmtree that also copes with directories tests left read-only."""
    def retry(function, name, unused):
        try:
            os.chmod(os.path.dirname(name), 0o700)
            function(name)
        except OSError:
            pass
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)


# ---------------------------------------------------------------------------
# The reference: what passes with CPython's own os, cached per interpreter.
# ---------------------------------------------------------------------------

def module_stamp(module):
    spec = importlib.util.find_spec("test." + module)
    if spec is None or not spec.origin:
        raise SystemExit("run_suite: no module test.%s in this Python's"
                         " standard library" % module)
    info = os.stat(spec.origin)
    return [spec.origin, info.st_size, info.st_mtime_ns]


def reference_path(cache_dir, tag):
    digest = hashlib.sha256()
    for part in (os.path.realpath(sys.executable), sys.version,
                 str(os.getuid())):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    with open(SCRIPT, "rb") as stream:
        digest.update(stream.read())
    return os.path.join(cache_dir, "reference-%spy%s-%s.json"
                        % (tag, PYVER, digest.hexdigest()[:16]))


def load_reference(modules, args, workdir, out):
    """{module: {"outcomes": {id: outcome}, "error": text}}, from the cache
    when it matches this interpreter and test files, else computed."""
    path = reference_path(args.cache_dir, args.tag)
    cache = {"python": sys.executable, "version": sys.version, "modules": {}}
    if not args.refresh_reference:
        try:
            with open(path) as stream:
                cache = json.load(stream)
        except (OSError, ValueError):
            pass
    stale = [m for m in modules
             if cache["modules"].get(m, {}).get("stamp") != module_stamp(m)]
    if stale:
        started = time.monotonic()
        log_path = os.path.join(args.cache_dir,
                                "reference-%spy%s.log" % (args.tag, PYVER))
        print("reference: running %s with CPython's own os (log: %s)"
              % (", ".join(stale), log_path), file=out)
        out.flush()
        runner = Runner(workdir, log_path,
                        max(args.timeout, REFERENCE_MIN_TIMEOUT),
                        args.max_restarts, swap=False)
        for module in stale:
            run = runner.run_module(module)
            cache["modules"][module] = {
                "stamp": module_stamp(module),
                "outcomes": {tid: result[0]
                             for tid, result in run.outcomes.items()},
                "error": "" if run.import_ok else run.import_traceback,
            }
        temporary = path + ".%d.tmp" % os.getpid()
        with open(temporary, "w") as stream:
            json.dump(cache, stream, indent=0, sort_keys=True)
        os.replace(temporary, path)
        print("reference: computed in %.1f s, cached in %s"
              % (time.monotonic() - started, path), file=out)
    else:
        print("reference: cached in %s (--refresh-reference to recompute)"
              % path, file=out)
    return {m: cache["modules"][m] for m in modules}


# ---------------------------------------------------------------------------
# Baseline file
# ---------------------------------------------------------------------------

def read_baseline(path):
    with open(path) as stream:
        return {line.strip() for line in stream
                if line.strip() and not line.lstrip().startswith("#")}


def write_baseline(path, ids):
    temporary = path + ".tmp"
    with open(temporary, "w") as stream:
        stream.writelines(tid + "\n" for tid in sorted(ids))
    os.replace(temporary, path)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Run CPython's test_os/test_posix with oscpp as os and "
                    "compare with a baseline.")
    parser.add_argument("--module-dir", metavar="DIR",
                        help="directory holding the built oscpp extension")
    parser.add_argument("--suite", choices=sorted(SUITES), default="os",
                        help="os: test_os,test_posix with oscpp as os/posix;"
                             " path: test_posixpath,test_genericpath with "
                             "oscpp.path as posixpath (default: %(default)s)")
    parser.add_argument("--baseline", metavar="FILE",
                        help="baseline file (default: baseline-<major.minor>"
                             ".txt for the os suite, baseline-path-<major."
                             "minor>.txt for the path suite, next to this "
                             "script)")
    parser.add_argument("--update-baseline", action="store_true",
                        help="rewrite the baseline with the passing tests")
    parser.add_argument("--tests", metavar="A,B",
                        help="test modules (default: the suite's)")
    parser.add_argument("--classes", metavar="A,B",
                        help="run only these TestCase classes (Class or "
                             "module.Class)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print each test's outcome and the tests' output")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S",
                        help="seconds a test may run before it is killed "
                             "(default: %(default)s)")
    parser.add_argument("--max-restarts", type=int, default=100, metavar="N",
                        help="children per module before giving up "
                             "(default: %(default)s)")
    parser.add_argument("--cache-dir", metavar="DIR",
                        default=os.path.join(tempfile.gettempdir(),
                                             "oscpp-conformance-%d"
                                             % os.getuid()),
                        help="reference cache and logs (default: %(default)s)")
    parser.add_argument("--refresh-reference", action="store_true",
                        help="recompute the reference instead of the cache")
    parser.add_argument("--reference", action="store_true",
                        help="print the reference (test id -> outcome with "
                             "CPython's os) as JSON and exit")
    # Internal: one child process.
    parser.add_argument("--child", metavar="MODULE", help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    parser.add_argument("--ids-file", help=argparse.SUPPRESS)
    parser.add_argument("--swap", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    tests, prefix = SUITES[args.suite]
    args.tests = args.tests or tests
    # Cache and log names: the suites may run at the same time (ctest -j).
    args.tag = "" if args.suite == "os" else args.suite + "-"
    args.baseline = args.baseline or os.path.join(
        HERE, "%s-%s.txt" % (prefix, PYVER))
    return args


def split_list(text):
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def verbose_printer(reference):
    def on_end(tid, outcome, detail, missing):
        counted = reference.get(tid) == PASS
        line = "%s ... %s" % (tid, outcome)
        if outcome != PASS and detail:
            line += ": " + last_line(detail, 160)
        if missing:
            line += " [missing: %s]" % ", ".join(missing)
        if not counted:
            line += " (not counted: %s with CPython's os)" \
                % reference.get(tid, "absent")
        print(printable(line))
        sys.stdout.flush()
    return on_end


def report_imports(runs, module_dir):
    for run in runs:
        if run.import_missing:
            print("%s: names looked up at import time but missing from oscpp:"
                  " %s" % (run.module, ", ".join(run.import_missing)))
        if run.import_ok:
            continue
        if run.import_stage == "importing oscpp":
            print("\n*** oscpp COULD NOT BE IMPORTED: all reference tests of "
                  "%s count as failed." % run.module)
            if module_dir:
                try:
                    found = ", ".join(sorted(
                        name for name in os.listdir(module_dir)
                        if name.startswith("oscpp"))) or "none"
                except OSError as exc:
                    found = str(exc)
                print("*** oscpp* in %s: %s" % (module_dir, found))
        else:
            print("\n*** %s FAILED TO IMPORT with oscpp as os/posix: all its "
                  "reference tests count as failed." % run.module)
        if run.failed_name:
            print("*** the import stopped at the missing name %r"
                  % run.failed_name)
        for line in run.import_traceback.rstrip().splitlines():
            print("    " + printable(line))
        print()


def report_classes(counted, passed):
    totals = {}
    for tid in counted:
        entry = totals.setdefault(class_of(tid), [0, 0])
        entry[1] += 1
        entry[0] += tid in passed
    width = max([len(name) for name in totals] + [10])
    print("\nPer class (passed/total among the tests that pass with CPython's"
          " os):")
    for name in sorted(totals, key=lambda n: (module_of(n), n)):
        done, total = totals[name]
        print("  %-*s %4d/%-4d%s" % (width, name, done, total,
                                     "" if done == total else "  *"))


def report_failures(counted, passed, results):
    failed = [tid for tid in counted if tid not in passed]
    if not failed:
        return
    kinds = {}
    names = {}
    for tid in failed:
        outcome, _, missing = results[tid]
        kinds[outcome] = kinds.get(outcome, 0) + 1
        for name in missing:
            names[name] = names.get(name, 0) + 1
    print("\nCounted failures by outcome: " + ", ".join(
        "%s %d" % item for item in sorted(kinds.items(),
                                          key=lambda kv: (-kv[1], kv[0]))))
    if names:
        print("Names missing from oscpp, looked up by failing tests (tests):"
              " " + ", ".join("%s (%d)" % item for item in sorted(
                  names.items(), key=lambda kv: (-kv[1], kv[0]))))


def check_baseline(args, in_scope, counted, passed, results):
    """Print the comparison with the baseline; return the exit status."""
    path = args.baseline
    if args.update_baseline:
        old = read_baseline(path) if os.path.exists(path) else set()
        new = {tid for tid in old if not in_scope(tid)} | passed
        write_baseline(path, new)
        print("\nbaseline %s written: %d tests (%d added, %d removed)"
              % (path, len(new), len(new - old), len(old - new)))
        return 0
    if not os.path.exists(path):
        print("\nno baseline file %s: nothing to compare (run with "
              "--update-baseline to create it)" % path)
        return 0
    baseline = {tid for tid in read_baseline(path) if in_scope(tid)}
    counted_set = set(counted)
    lost = sorted(tid for tid in baseline
                  if tid in counted_set and tid not in passed)
    ignored = sorted(baseline - counted_set)
    new = sorted(passed - baseline)
    print("\nbaseline %s: %d tests in scope" % (path, len(baseline)))
    if ignored:
        print("baseline tests not in the reference set (ignored; they do not "
              "pass with CPython's os here):")
        for tid in ignored:
            print("  " + tid)
    if new:
        print("newly passing (run with --update-baseline to record):")
        for tid in new:
            print("  " + tid)
    if lost:
        print("REGRESSIONS: %d baseline tests no longer pass:" % len(lost))
        for tid in lost:
            outcome, detail, _ = results[tid]
            reason = ": " + last_line(detail, 160) if detail else ""
            print(printable("  %s ... %s%s" % (tid, outcome, reason)))
        return 1
    return 0


class Scope:
    """Which tests a run covers: --tests modules, optionally --classes."""

    def __init__(self, tests, classes):
        self.modules = [m[len("test."):] if m.startswith("test.") else m
                        for m in split_list(tests)]
        self.classes = set(split_list(classes)) or None

    def __call__(self, tid):
        if module_of(tid) not in self.modules:
            return False
        name = class_of(tid)
        return (self.classes is None or name in self.classes
                or name.split(".", 1)[-1] in self.classes)

    def unknown_classes(self, ids):
        known = {class_of(t) for t in ids}
        known |= {name.split(".", 1)[-1] for name in known}
        return sorted((self.classes or set()) - known)


def report_incidents(runs):
    incidents = [(run.module, item) for run in runs for item in run.incidents]
    if not incidents:
        return
    print("\nCrashes and timeouts (a new child continued after each):")
    for module, (tid, outcome, detail) in incidents:
        where = tid or module + " (after its last test)"
        print("  %s ... %s: %s" % (where, outcome, detail))


def exit_problem(module_dir, timeout):
    """Why a process that imports oscpp and exits normally fails, or None.

    The test children leave with os._exit, so a crash at interpreter exit
    (say a static C++ object holding a Python object destroyed after
    finalization) would go unseen there."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import oscpp; "
            "import oscpp.path")
    try:
        proc = subprocess.run([sys.executable, "-c", code,
                               os.path.abspath(module_dir or ".")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "did not exit within %g s" % timeout
    if proc.returncode == 0:
        return None
    return "%s\n%s" % (describe_status(proc.returncode),
                       printable(proc.stderr.decode("utf-8", "replace")))


def parent_main(args):
    started = time.monotonic()
    scope = Scope(args.tests, args.classes)
    os.makedirs(args.cache_dir, exist_ok=True)
    out = sys.stderr if args.reference else sys.stdout
    log_path = os.path.join(args.cache_dir,
                            "run-%spy%s.log" % (args.tag, PYVER))
    workdir = tempfile.mkdtemp(prefix="oscpp-conformance-")
    try:
        references = load_reference(scope.modules, args, workdir, out)
        reference = {}
        for module in scope.modules:
            entry = references[module]
            if entry["error"] or PASS not in entry["outcomes"].values():
                print("run_suite: %s does not pass with CPython's own os here;"
                      " no reference.\n%s" % (module, entry["error"]),
                      file=sys.stderr)
                return 2
            reference.update(entry["outcomes"])
        if args.reference:
            json.dump(reference, sys.stdout, indent=1)
            print()
            return 0
        unknown = scope.unknown_classes(reference)
        if unknown:
            print("run_suite: no such test class: %s" % ", ".join(unknown),
                  file=sys.stderr)
            return 2

        print("python: %s (%s)" % (sys.executable, sys.version.split()[0]))
        print("log: %s" % log_path)
        sys.stdout.flush()
        runner = Runner(workdir, log_path, args.timeout, args.max_restarts,
                        swap=True, module_dir=args.module_dir,
                        on_end=verbose_printer(reference) if args.verbose
                        else None,
                        echo_log=args.verbose)
        runs = []
        results = {}
        for module in scope.modules:
            ids = [tid for tid in references[module]["outcomes"]
                   if scope(tid)]
            if ids:
                runs.append(runner.run_module(module, ids))
                results.update(runs[-1].outcomes)
    finally:
        remove_tree(workdir)

    oscpp_files = sorted({run.oscpp_file for run in runs if run.oscpp_file})
    print("oscpp: %s" % (", ".join(oscpp_files) or "(not imported)"))
    report_imports(runs, args.module_dir)
    report_incidents(runs)
    counted = [tid for tid in reference
               if scope(tid) and reference[tid] == PASS]
    passed = {tid for tid in counted if results[tid][0] == PASS}
    report_classes(counted, passed)
    report_failures(counted, passed, results)
    status = check_baseline(args, scope, counted, passed, results)
    problem = exit_problem(args.module_dir, args.timeout)
    if problem:
        print("\nEXIT: a process that imports oscpp and exits normally "
              "fails: %s" % problem)
        status = 1
    print("\n%d children, %.1f s; tests' output in %s"
          % (sum(run.children for run in runs), time.monotonic() - started,
             log_path))
    print("%d passed, %d failed" % (len(passed), len(counted) - len(passed)))
    return status


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())

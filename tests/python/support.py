"""Pieces shared by the binding tests in this directory.

Each test script imports this module first (the script's own directory is
sys.path[0] when it runs as `python3 tests/python/test_x.py`). Importing it
takes `--module-dir DIR` out of sys.argv, puts DIR first on sys.path and
imports oscpp from there, so the scripts use `support.oscpp`.
"""

import errno
import functools
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import traceback
import unittest
import warnings


def _take_module_dir():
    if "--module-dir" in sys.argv:
        i = sys.argv.index("--module-dir")
        directory = sys.argv[i + 1]
        del sys.argv[i:i + 2]
        return os.path.abspath(directory)
    return None


MODULE_DIR = _take_module_dir()
if MODULE_DIR:
    sys.path.insert(0, MODULE_DIR)
import oscpp  # noqa: E402

NO_SUCH_PID = 2**31 - 1
ROOT = os.getuid() == 0


class FakePath:
    """A PathLike whose __fspath__ returns path, or raises it if it is an
    exception."""

    def __init__(self, path):
        self.path = path

    def __fspath__(self):
        if isinstance(self.path, BaseException):
            raise self.path
        return self.path


# The AttributeError of a module-level name lookup, on oscpp or os.
_MISSING_NAME = re.compile(r"module '(?:oscpp|os)' has no attribute '(\w+)'")


def _skip_missing(name):
    raise unittest.SkipTest("Python %d.%d's os has no %s"
                            % (sys.version_info[:2] + (name,)))


def skip_if_os_lacks(test, name):
    """Skips the test (or subtest) where this Python's os has no name, once
    sure that oscpp has none either."""
    if not hasattr(os, name):
        test.assertFalse(hasattr(oscpp, name))
        _skip_missing(name)


def _run(fn):
    """fn()'s exception (None if it returned) and its outcome()."""
    caught = []

    def keep():
        try:
            return fn()
        except BaseException as e:  # noqa: B902 - kept, then re-raised
            caught.append(e)
            raise
    result = outcome(keep)
    return (caught[0] if caught else None), result


def same_failure(test, ours, theirs, message=True, no_filename=True):
    """ours() (a call on oscpp) fails as theirs() (the same on os) does:
    exception type, errno, with message its text, with no_filename no
    filename. Returns oscpp's exception. Where this Python's os has no such
    function, oscpp must have none either and the test is skipped; where
    this Python's os takes the arguments (a float for an integer before
    3.10, with a DeprecationWarning from 3.8), oscpp must return the same
    and warn the same (and None is returned)."""
    want, want_outcome = _run(theirs)
    got, got_outcome = _run(ours)
    if want is None and sys.version_info < (3, 10):
        test.assertEqual(got_outcome, want_outcome)
        return None
    test.assertIsNotNone(want, "os did not fail")
    missing = (_MISSING_NAME.search(str(want))
               if isinstance(want, AttributeError) else None)
    if missing:
        skip_if_os_lacks(test, missing.group(1))
    test.assertIsNotNone(got, "oscpp did not fail")
    test.assertIs(type(got), type(want), (got, want))
    if isinstance(want, OSError):
        test.assertEqual(got.errno, want.errno)
        if no_filename:
            test.assertIsNone(got.filename)
    if message:
        test.assertEqual(str(got), str(want))
    return got


class WithFileno:
    def __init__(self, fd):
        self.fd = fd

    def fileno(self):
        return self.fd


def status_code(status):
    """A wait status as an exit code, negative for a signal (what
    os.waitstatus_to_exitcode, new in 3.9, gives for these two)."""
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def outcome(fn):
    """What fn() did, in a form that compares across the two modules."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn()
        return ("ok", value, [(w.category, str(w.message)) for w in caught])
    except BaseException as e:  # noqa: B902 - every outcome is compared
        if isinstance(e, OSError):
            return ("raise", type(e), e.errno, e.strerror, e.filename,
                    e.filename2, str(e))
        return ("raise", type(e), str(e))


def error_of(fn):
    """The exception fn() raised, or None."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return e
    return None


def open_fds():
    return set(os.listdir("/proc/self/fd"))


def tree(path, owners=False):
    """The directory's contents: names, types and permission bits; with
    owners, also owner, group, link count and symlink targets."""
    result = {}
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            full = os.path.join(root, name)
            st = os.lstat(full)
            entry = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode))
            if owners:
                entry += (st.st_uid, st.st_gid, st.st_nlink,
                          os.readlink(full) if stat.S_ISLNK(st.st_mode)
                          else None)
            result[os.path.relpath(full, path)] = entry
    return result


def files(*names, dirs=(), links=()):
    """A setup for ComparingCase.same: the directories, files holding b"data"
    and symlinks (source, name), made in the current directory."""
    def setup():
        for d in dirs:
            os.mkdir(d)
        for n in names:
            with open(n, "wb") as f:
                f.write(b"data")
        for src, dst in links:
            os.symlink(src, dst)
    return setup


def in_child(fn, unprivileged=False):
    """Runs fn in a forked child, as uid/gid 65534 if unprivileged; returns
    its exit code (1: it raised)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            if unprivileged:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            fn()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status_code(status)


def raises_permission_error(fn, check=lambda e: True):
    """Runs fn as uid/gid 65534 in a forked child: True if it raised a
    PermissionError for which check(e) holds."""
    def child():
        try:
            fn()
        except PermissionError as e:
            if not check(e):
                raise AssertionError("PermissionError, but %r" % (e,))
        else:
            raise AssertionError("no PermissionError")
    return in_child(child, unprivileged=True) == 0

def run_unprivileged(code):
    """Runs code (which sees oscpp and os) as uid/gid 65534 in a child
    Python; returns the CompletedProcess."""
    prologue = textwrap.dedent("""
        import errno, os, sys
        sys.path.insert(0, sys.argv[1])
        import oscpp
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    """)
    return subprocess.run(
        [sys.executable, "-c", prologue + textwrap.dedent(code),
         MODULE_DIR or ""], capture_output=True, text=True)


class CallCase(unittest.TestCase):
    """Compares a call by name on os and on oscpp."""

    def assertSameError(self, call, *args, exact=True, **kwargs):
        """call(*args) raises on oscpp what it raises on os, with no
        filename; args may hold zero-argument factories marked with a true
        `factory` attribute (for iterators, consumed once). See
        same_failure."""
        def fresh():
            return [a() if callable(a) and getattr(a, "factory", False)
                    else a for a in args]
        return same_failure(self, lambda: getattr(oscpp, call)(*fresh(),
                                                               **kwargs),
                            lambda: getattr(os, call)(*fresh(), **kwargs),
                            message=exact, no_filename=True)

    def assertInChild(self, fn, unprivileged=False):
        self.assertEqual(in_child(fn, unprivileged), 0)


# ---------------------------------------------------------------- processes

PY = sys.executable


def exit_code(pid):
    return status_code(os.waitpid(pid, 0)[1])


def run_script(code):
    """Runs code in a fresh Python that imports oscpp; returns the
    CompletedProcess."""
    prologue = "import sys; sys.path.insert(0, sys.argv[1]); import oscpp\n"
    return subprocess.run(
        [PY, "-c", prologue + textwrap.dedent(code), MODULE_DIR or ""],
        capture_output=True, text=True)


class ProcessCase(CallCase):
    def setUp(self):
        before = open_fds()
        self.addCleanup(lambda: self.assertEqual(open_fds() - before, set()))
        self.dir = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.dir]))

    def path(self, name):
        return os.path.join(self.dir, name)

    def assertSameOSError(self, call, *args, **kwargs):
        """Like assertSameError for OSErrors that carry a filename: type,
        errno and filename equal to os's."""
        skip_if_os_lacks(self, call)
        with self.assertRaises(OSError) as want:
            getattr(os, call)(*args, **kwargs)
        with self.assertRaises(OSError) as got:
            getattr(oscpp, call)(*args, **kwargs)
        self.assertIs(type(got.exception), type(want.exception))
        self.assertEqual(got.exception.errno, want.exception.errno)
        self.assertEqual(got.exception.filename, want.exception.filename)
        self.assertEqual(str(got.exception), str(want.exception))
        return got.exception


class ComparingCase(unittest.TestCase):
    """A fresh directory per test, the working directory while it runs;
    same() runs an operation on os and on oscpp and compares."""

    prefix = "oscpp-"
    realpath = False  # whether self.dir has its symlinks resolved
    owners = False  # whether tree comparisons include owners and links

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix=self.prefix)
        if self.realpath:
            self.dir = os.path.realpath(self.dir)
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        old = os.getcwd()
        self.addCleanup(os.chdir, old)
        os.chdir(self.dir)
        self.fds = []
        self.addCleanup(self._close_fds)

    def _close_fds(self):
        for fd in self.fds:
            os.close(fd)

    def open(self, path, flags=os.O_RDONLY):
        fd = os.open(path, flags)
        self.fds.append(fd)
        return fd

    def same(self, op, setup=None, normalize=lambda v: v):
        """Runs op(module, context) for os and oscpp, each in a fresh
        directory made by setup(); asserts that outcome and resulting tree
        agree, and returns the outcome."""
        results = []
        for module in (os, oscpp):
            where = os.path.join(self.dir, module.__name__)
            os.mkdir(where)
            os.chdir(where)
            try:
                context = setup() if setup else None
                result = outcome(lambda: normalize(op(module, context)))
                results.append((result, tree(where, self.owners)))
            finally:
                os.chdir(self.dir)
                shutil.rmtree(where)
        self.assertEqual(results[1], results[0])
        return results[0][0]


class FilesCase(ComparingCase):
    """The Files and Directories comparisons."""
    prefix = "oscpp-files-"


class DirsCase(ComparingCase):
    """The Files and Directories comparisons that also compare owners and
    link counts, in a directory with its symlinks resolved."""
    prefix = "oscpp-dirs-"
    realpath = True
    owners = True

    def assert_raises_with(self, exc, errnum, fn, filename=None,
                           filename2=None):
        """fn() raises exactly exc with errnum, and the very filename
        objects given."""
        with self.assertRaises(OSError) as cm:
            fn()
        e = cm.exception
        self.assertIs(type(e), exc)
        self.assertEqual(e.errno, errnum)
        self.assertIs(e.filename, filename)
        self.assertIs(e.filename2, filename2)


# A descriptor number that is certainly not open.
BAD_FD = 1 << 30


def filename_of(path):
    """The filename Python's errors carry for path: the caller's object, or
    for a PathLike the very object its __fspath__ returned."""
    return path.path if isinstance(path, FakePath) else path


class FdTestCase(unittest.TestCase):
    """A fresh directory per test, and a check that no descriptor leaks."""

    # Whether assertSameError also requires oscpp's OSError to carry no
    # filename.
    errors_have_no_filename = True

    def setUp(self):
        before = open_fds()
        self.addCleanup(self.check_no_leak, before)
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def check_no_leak(self, before):
        self.assertEqual(open_fds() - before, set(), "descriptors leaked")

    def path(self, name="file"):
        return os.path.join(self.dir, name)

    def closing(self, fd):
        self.addCleanup(os.close, fd)
        return fd

    def pipe(self):
        r, w = os.pipe()
        return self.closing(r), self.closing(w)

    def bad_fd(self):
        """A descriptor number that was just closed."""
        fd = os.open(self.dir, os.O_RDONLY)
        os.close(fd)
        return fd

    def assertSameError(self, ours, theirs, message=True):
        """ours() fails as theirs() does (see same_failure). Returns oscpp's
        exception."""
        return same_failure(self, ours, theirs, message,
                            self.errors_have_no_filename)

    def assertBadFd(self, function, *args):
        """function(bad_fd, *args) fails like os's with EBADF."""
        fd = self.bad_fd()
        e = self.assertSameError(
            lambda: getattr(oscpp, function)(fd, *args),
            lambda: getattr(os, function)(fd, *args))
        self.assertEqual(e.errno, errno.EBADF)
        self.assertIsNone(e.filename)




class FileFdTestCase(FdTestCase):
    """Descriptors on files in self.dir."""
    # Some calls here take paths, whose errors carry a filename.
    errors_have_no_filename = False

    def make_file(self, data=b"0123456789", name="file"):
        path = self.path(name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def open_file(self, flags=os.O_RDWR, data=b"0123456789"):
        fd = os.open(self.make_file(data), flags)
        self.addCleanup(os.close, fd)
        return fd


class SpecialFdTestCase(FdTestCase):
    """Descriptors that are no file: a file to refuse, terminals, a child."""
    def open_file(self):
        path = os.path.join(self.dir, "file")
        with open(path, "wb") as f:
            f.write(b"data")
        return self.closing(os.open(path, os.O_RDWR))

    def pty(self):
        master, slave = os.openpty()
        return self.closing(master), self.closing(slave)

    def assertOSError(self, call, errnum, type_=OSError):
        with self.assertRaises(OSError) as cm:
            call()
        self.assertIs(type(cm.exception), type_)
        self.assertEqual(cm.exception.errno, errnum)
        self.assertIsNone(cm.exception.filename)

    def in_child(self, body):
        """Runs body() in a forked child; it passes if body returns 0."""
        pid = os.fork()
        if pid == 0:
            code = 99
            try:
                code = body()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(status_code(status), 0)



def _skip_if_python_lacks(method):
    @functools.wraps(method)
    def test(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except AttributeError as e:
            missing = _MISSING_NAME.search(str(e))
            if missing is None or hasattr(os, missing.group(1)):
                raise
            _skip_missing(missing.group(1))
    return test


def main():
    """unittest.main() for a test script whose tests may use names that
    Python added after the running version (which oscpp leaves out under
    it, as os has none of them): a test that stops at such a name is
    skipped."""
    namespace = sys.modules["__main__"].__dict__
    for cls in list(namespace.values()):
        if isinstance(cls, type) and issubclass(cls, unittest.TestCase):
            for name, method in list(vars(cls).items()):
                if name.startswith("test") and callable(method):
                    setattr(cls, name, _skip_if_python_lacks(method))
    unittest.main()

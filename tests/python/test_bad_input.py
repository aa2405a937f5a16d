"""Differential bad-input test: every bound callable gets a battery of bad
arguments (wrong types, NUL, lone surrogates, fd -1 / 2**64, wrong argument
counts, unknown or repeated keywords, None), given once to CPython's os and
once to oscpp, each function's battery in a fresh child (one per
implementation) with the same state: a fresh copy of the same small tree as
its cwd, stdin from /dev/null, the same descriptors. The exception type,
message, errno, filenames and warnings of every call must be equal, except
for the deliberate differences of DELIBERATE below.

Run directly to print every difference and the mismatch count:
    python3 tests/python/test_bad_input.py --module-dir build/default/python
"""

import inspect
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

import support

# Functions whose valid-looking calls would end, fork, signal or rewire the
# child: they get only the arguments that no implementation may accept
# (wrong types and counts), never integers.
HAZARDOUS = {
    "_exit", "abort", "fork", "forkpty", "kill", "killpg", "system", "popen",
    "posix_spawn", "posix_spawnp", "register_at_fork", "setsid", "setpgrp",
    "execv", "execve", "execl", "execle", "execlp", "execlpe", "execvp",
    "execvpe", "_execvpe", "spawnv", "spawnve", "spawnvp", "spawnvpe",
    "spawnl", "spawnle", "spawnlp", "spawnlpe", "login_tty", "setpgid",
    "tcsetpgrp", "closerange", "dup2", "close", "setuid", "setgid",
    "seteuid", "setegid", "setreuid", "setregid", "setresuid", "setresgid",
    "setgroups", "initgroups", "sched_setaffinity", "sched_setscheduler",
    "sched_setparam", "setpriority", "nice", "chroot", "chdir", "fchdir",
    "umask", "unshare", "setns", "wait", "wait3", "wait4", "waitpid",
    "waitid", "pidfd_open", "walk", "fwalk",
}

# The one list of calls whose outcome may differ: (function, call) ->
# reason, a call as battery() writes it; call None stands for every call.
# README.md lists the same differences.
DELIBERATE = {
    ("popen", None): "CPython's popen keeps a subprocess.Popen whose "
                     "finalizer warns 'subprocess N is still running'; "
                     "oscpp's popen waits for its own child and does not.",
}
# fwalk over a non-directory top, following symlinks: CPython's
# scandir(topfd) names the descriptor, a number that is closed by the time
# the caller sees it; oscpp names the path (the C++ fwalk's error), as the
# binding cannot know which number CPython would have had.
DELIBERATE.update({
    ("fwalk", "('f', follow_symlinks=%s)" % value):
    "fwalk names the path, not its closed descriptor" for value in (
        "'a\\0b'", "b'a\\0b'", "'\\udcff'", "1.5", "object()")})


def deliberate(name, call):
    return (name, call) in DELIBERATE or (name, None) in DELIBERATE

# Functions per child: each child runs their batteries in order, in a tree of
# its own; os and oscpp run the same sequence from the same state.
GROUP = 25

BAD = [
    "None", "''", "'a\\0b'", "b'a\\0b'", "'\\udcff'", "1.5", "[]", "object()",
]
BAD_INTS = ["-1", "2**63", "2**64", "-2**64"]

CHILD = r'''
import gc, json, os, re, sys, warnings

def normal(text):
    # Addresses and pids differ from run to run; oscpp's own types are
    # named oscpp.X where CPython's are posix.X.
    text = re.sub(r"0x[0-9a-f]+", "0x?", text)
    text = re.sub(r"subprocess [0-9]+", "subprocess ?", text)
    return text.replace("<oscpp.", "<posix.")
sys.path.insert(0, sys.argv[2])
if sys.argv[1] == "oscpp":
    import oscpp as m
else:
    m = os

def resolve(module, name):
    if name.startswith("DirEntry."):  # the methods of the entry for l
        with module.scandir(".") as it:
            module = [e for e in it if e.name == "l"][0]
        name = name[len("DirEntry."):]
    for part in name.split("."):
        module = getattr(module, part)
    return module
tree = sys.argv[3]
os.chdir(tree)
calls = json.loads(sys.stdin.readline())
sys.stdin = open(os.devnull)
os.dup2(sys.stdin.fileno(), 0)
results = []
for name, call in calls:
    f = resolve(m, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = eval("f" + call)
            if inspect_gen(r):
                next(r, None)
            out = ["OK"]
        except BaseException as e:
            out = [type(e).__name__, str(e), getattr(e, "errno", None),
                   repr(getattr(e, "filename", None)),
                   repr(getattr(e, "filename2", None))]
        r = e = None
        gc.collect()  # a leaked object warns during its own call
    out.append([[w.category.__name__, str(w.message)] for w in caught])
    out = json.loads(normal(json.dumps(out)))
    results.append(out)
with open(sys.argv[4], "w") as report:
    json.dump(results, report)
'''.replace("inspect_gen(r)", "hasattr(r, '__next__') and not isinstance(r, "
            "(str, bytes)) and hasattr(r, 'send')")


def make_tree(root):
    os.makedirs(os.path.join(root, "d", "sub"))
    with open(os.path.join(root, "f"), "w") as f:
        f.write("data\n")
    os.symlink("f", os.path.join(root, "l"))


def text_signature_parameters(function):
    """The parameters of a builtin whose __text_signature__ inspect refuses
    (a default CPython cannot write, "<unrepresentable>"), or None."""
    text = getattr(function, "__text_signature__", None)
    if not text or sys.version_info < (3, 8):
        return None
    text = re.sub(r"^\(\$module(, /)?(, )?", "(", text)
    text = text.replace("<unrepresentable>", "None")
    scope = {"os": os}  # 3.13's chmod: follow_symlinks=(os.name != 'nt')
    exec("def f%s: pass" % text, scope)
    return list(inspect.signature(scope["f"]).parameters.values())


def battery(name, function):
    """The calls for one function, as strings of arguments "(...)"."""
    try:
        params = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        params = text_signature_parameters(function)
    bad = BAD + ([] if name in HAZARDOUS else BAD_INTS)
    calls = ["(bogus_keyword=1)", "(None, bogus_keyword=1)"]
    if params is None:
        return calls + ["(%s)" % b for b in bad]
    positional = [p for p in params
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keywords = [p for p in params
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    required = [p for p in positional if p.default is p.empty]
    var = any(p.kind == p.VAR_POSITIONAL for p in params)
    if params or name not in HAZARDOUS:
        calls.append("()")
    if not var:
        calls.append("(%s)" % ", ".join(["None"] * (len(positional) + 1)))
    if len(required) > 1:
        calls.append("(%s)" % ", ".join(["None"] * (len(required) - 1)))
    if keywords:
        k = keywords[0].name
        calls.append("(%s=None)" % k)
        calls.append("(**{%r: None, 'bogus_keyword': 1})" % k)
        if keywords[0].kind == keywords[0].POSITIONAL_OR_KEYWORD:
            calls.append("(None, %s=None)" % k)
        calls.append("(**{%s})" % ", ".join(
            "%r: None" % x for x in [p.name for p in keywords] + ["a", "b"]))
    for p in params:
        if p.kind == p.POSITIONAL_ONLY:
            calls.append("(%s=None)" % p.name)
    if not positional:
        return calls
    # Each bad value in each position, earlier ones taking a fixed value.
    for b in bad:
        for i in range(len(positional)):
            if i == 0:
                calls.append("(%s)" % b)
                continue
            # The required arguments after it are given, so that the
            # conversion, not the binding, fails.
            after = ["0"] * max(0, len(required) - i - 1)
            for first in (["'f'", "3"] if name not in HAZARDOUS else ["'f'"]):
                calls.append("(%s)" % ", ".join([first] + ["0"] * (i - 1) +
                                                [b] + after))
    for p in keywords:
        if p.kind == p.KEYWORD_ONLY:
            for b in bad:
                calls.append("('f', %s=%s)" % (p.name, b))
    return calls


def run_battery(which, calls, tree_parent):
    tree = tempfile.mkdtemp(dir=tree_parent)
    make_tree(tree)
    report = os.path.join(tree_parent, "report-%s-%s" % (which,
                                                          os.path.basename(tree)))
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, which, support.MODULE_DIR or "", tree,
         report],
        input=json.dumps(calls) + "\n", stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, errors="replace", timeout=120)
    if proc.returncode != 0 or not os.path.exists(report):
        return None, proc.stderr[-2000:]
    with open(report) as f:
        return json.load(f), None


def callables():
    names = []
    for name in sorted(dir(support.oscpp)):
        f = getattr(support.oscpp, name)
        if not callable(f) or isinstance(f, type) or not hasattr(os, name):
            continue
        if name.startswith("_") and name != "_exit":
            continue  # os.py's private helpers are not its API
        names.append(name)
    # os.environ's methods (Python methods of os._Environ in CPython).
    names += ["environ." + n for n in (
        "__getitem__", "__setitem__", "__delitem__", "__contains__", "get",
        "__len__", "__iter__", "copy", "__repr__", "setdefault")]
    # DirEntry's methods that take arguments (bound to an entry).
    names += ["DirEntry." + n for n in ("is_dir", "is_file", "stat")]
    return names


def resolve(module, name):
    if name.startswith("DirEntry."):  # bound to an entry, for the signature
        with module.scandir(os.path.dirname(__file__) or ".") as it:
            module = next(it)
        name = name[len("DirEntry."):]
    for part in name.split("."):
        module = getattr(module, part)
    return module


def compare():
    """Returns (differences, number of calls, crashed batteries)."""
    differences = []
    total = 0
    crashed = []
    names = callables()
    with tempfile.TemporaryDirectory() as parent:
        for start in range(0, len(names), GROUP):
            calls = [[name, c] for name in names[start:start + GROUP]
                     for c in battery(name, resolve(os, name))]
            expected, err1 = run_battery("os", calls, parent)
            got, err2 = run_battery("oscpp", calls, parent)
            if expected is None or got is None:
                crashed.append((names[start:start + GROUP], err1, err2))
                continue
            for (name, call), e, g in zip(calls, expected, got):
                total += 1
                if e != g and not deliberate(name, call):
                    differences.append((name, call, e, g))
    return differences, total, crashed


class BadInputTest(unittest.TestCase):

    def test_same_errors_as_os(self):
        differences, total, crashed = compare()
        self.assertGreater(total, 1000)
        lines = ["%s%s:\n    os:    %s\n    oscpp: %s" % d for d in differences]
        lines += ["%s: a child failed: %s / %s" % c for c in crashed]
        self.assertEqual(lines, [], "%d of %d calls differ:\n%s" % (
            len(differences), total, "\n".join(lines)))

    def test_deliberate_differences_still_differ(self):
        # A listed difference that no longer exists must leave the list.
        with tempfile.TemporaryDirectory() as parent:
            for (name, call), reason in DELIBERATE.items():
                if call is None:
                    continue
                expected, _ = run_battery("os", [[name, call]], parent)
                got, _ = run_battery("oscpp", [[name, call]], parent)
                self.assertNotEqual(expected, got, (name, call, reason))


if __name__ == "__main__":
    if "--report" in sys.argv:
        differences, total, crashed = compare()
        for d in differences:
            print("%s%s:\n    os:    %s\n    oscpp: %s" % d)
        for c in crashed:
            print("CRASHED", c)
        print("%d of %d calls differ; %d batteries crashed" %
              (len(differences), total, len(crashed)))
    else:
        unittest.main()

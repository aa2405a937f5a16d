// Process Management, fork, forkpty, register_at_fork.
//
// Forking from Python: the interpreter must be told around fork(2)
// (PyOS_BeforeFork, PyOS_AfterFork_Child/Parent), and nothing may run Python
// code in the child before PyOS_AfterFork_Child. At module init one C++
// at-fork entry doing exactly that is registered before any other, so its
// `before` runs last and its `after_*` first; the callables given to
// oscpp.register_at_fork become C++ at-fork entries registered after it.
// Both act only around a fork made by oscpp.fork/forkpty (t_python_fork),
// on the thread that holds the GIL.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "bind_processes.hpp"
#include "oscpp/processes.hpp"

namespace oscpp_py {
namespace {

using namespace processes;

// Whether this thread is inside oscpp.fork / oscpp.forkpty (so holds the
// GIL). The child's copy of the flag belongs to the same thread.
thread_local bool t_python_fork = false;

// The interpreter's own fork hooks, as CPython's os.fork calls them.
void register_interpreter_at_fork() {
  static bool done = false;
  if (done) return;
  done = true;
  os::at_fork_options hooks;
  hooks.before = [] {
    if (t_python_fork) PyOS_BeforeFork();
  };
  hooks.after_in_child = [] {
    if (t_python_fork) PyOS_AfterFork_Child();
  };
  hooks.after_in_parent = [] {
    if (t_python_fork) PyOS_AfterFork_Parent();
  };
  unwrap(os::nothrow::register_at_fork(std::move(hooks)));
}

// A Python at-fork callable as a C++ callback: errors are reported as
// CPython reports them, and the callable lives forever (as in CPython).
std::function<void()> at_fork_callback(PyObject* callable) {
  if (callable == nullptr) return {};
  Py_INCREF(callable);
  return [callable] {
    if (!t_python_fork) return;
    PyObject* result = PyObject_CallObject(callable, nullptr);
    if (result == nullptr)
      PyErr_WriteUnraisable(callable);
    else
      Py_DECREF(result);
  };
}

// Runs os::nothrow::fork or forkpty with the GIL held, as CPython does.
template <class F>
auto python_fork(const char* audit_event, F&& f) {
  audit(audit_event, nullptr);
  t_python_fork = true;
  auto r = f();
  t_python_fork = false;
  return r;
}

// ---------------------------------------------------------------- fork

#if PY_VERSION_HEX >= 0x030C0000
// The number of threads of this process (/proc/self/stat's 20th field), or
// 0 if unknown.
long thread_count() {
  std::FILE* f = std::fopen("/proc/self/stat", "re");
  if (f == nullptr) return 0;
  char buf[1024];
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');  // after the command name
  if (p == nullptr) return 0;
  // Field 3 (state) follows ") "; num_threads is field 20.
  for (int field = 2; field < 20 && p != nullptr; ++field)
    p = std::strchr(p + 1, ' ');
  return p != nullptr ? std::strtol(p + 1, nullptr, 10) : 0;
}
#endif

// Since 3.12 the parent of a fork from a multi-threaded process is warned
// (the warning cannot fail the fork: an error it turns into is dropped).
void warn_about_fork_with_threads([[maybe_unused]] const char* name) {
#if PY_VERSION_HEX >= 0x030C0000
  if (thread_count() <= 1) return;
  if (PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                       "This process (pid=%d) is multi-threaded, use of %s() "
                       "may lead to deadlocks in the child.",
                       static_cast<int>(::getpid()), name) < 0)
    PyErr_Clear();
#endif
}

py::object py_fork(const arguments&) {
  auto r = python_fork("os.fork", [] { return os::nothrow::fork(); });
  if (r && *r > 0) warn_about_fork_with_threads("fork");
  return py::int_(unwrap(std::move(r)));
}

py::object py_forkpty(const arguments&) {
  auto r = python_fork("os.forkpty", [] { return os::nothrow::forkpty(); });
  if (r && r->pid > 0) warn_about_fork_with_threads("forkpty");
  os::forkpty_result pty = unwrap(std::move(r));
  int fd = pty.fd ? pty.fd.release() : -1;
  return py::make_tuple(pty.pid, fd);
}

// Python's check of each callable: given (as a keyword) means callable.
void check_callable(PyObject* o, const char* name) {
  if (o == nullptr || PyCallable_Check(o)) return;
  PyErr_Format(PyExc_TypeError, "'%s' must be callable, not %s", name,
               Py_TYPE(o)->tp_name);
  throw py::error_already_set();
}

py::object py_register_at_fork(const arguments& a) {
  PyObject* before = nullptr;
  PyObject* after_in_child = nullptr;
  PyObject* after_in_parent = nullptr;
  a.parse(&object_converter, &before, &object_converter, &after_in_child,
          &object_converter, &after_in_parent);
  if (!before && !after_in_child && !after_in_parent)
    type_error("At least one argument is required.");
  check_callable(before, "before");
  check_callable(after_in_child, "after_in_child");
  check_callable(after_in_parent, "after_in_parent");
  os::at_fork_options callbacks;
  callbacks.before = at_fork_callback(before);
  callbacks.after_in_child = at_fork_callback(after_in_child);
  callbacks.after_in_parent = at_fork_callback(after_in_parent);
  return python_value(os::nothrow::register_at_fork(std::move(callbacks)));
}

}  // namespace

OSCPP_BINDINGS(processes_fork) {
  register_interpreter_at_fork();
  def<&py_fork>(m, "fork()", "Fork a child process.");
  def<&py_forkpty>(m, "forkpty()",
                   "Fork a new process with a new "
                   "pseudo-terminal as controlling tty.");
  def<&py_register_at_fork>(m,
#if PY_VERSION_HEX >= 0x03080000
                            "register_at_fork(*, before=<unrepresentable>, "
                            "after_in_child=<unrepresentable>, "
                            "after_in_parent=<unrepresentable>)",
#else  // 3.7 writes the defaults as None
                            "register_at_fork(*, before=None, "
                            "after_in_child=None, after_in_parent=None)",
#endif
                            "Register callables to be called when forking "
                            "a new process.");
}

}  // namespace oscpp_py

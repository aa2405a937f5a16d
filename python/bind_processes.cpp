// Process Management: exec*, fork, forkpty, register_at_fork, _exit, abort,
// kill, killpg, nice, times, wait*, waitstatus_to_exitcode, pidfd_open and
// the W* status functions. posix_spawn, spawn*, system and popen are in
// bind_processes_spawn.cpp.
//
// Forking from Python: the interpreter must be told around fork(2)
// (PyOS_BeforeFork, PyOS_AfterFork_Child/Parent), and nothing may run Python
// code in the child before PyOS_AfterFork_Child. At module init one C++
// at-fork entry doing exactly that is registered before any other, so its
// `before` runs last and its `after_*` first; the callables given to
// oscpp.register_at_fork become C++ at-fork entries registered after it.
// Both act only around a fork made by oscpp.fork/forkpty (t_python_fork),
// on the thread that holds the GIL.
#include "bind_processes.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "oscpp/processes.hpp"

namespace oscpp_py {

namespace processes {

void value_error(const char* message) {
  PyErr_SetString(PyExc_ValueError, message);
  throw py::error_already_set();
}

void type_error(const char* message) {
  PyErr_SetString(PyExc_TypeError, message);
  throw py::error_already_set();
}

void check_argv(PyObject* argv, const char* type_message,
                const char* empty_message) {
  if (!PyList_Check(argv) && !PyTuple_Check(argv)) type_error(type_message);
  if (PySequence_Size(argv) < 1) value_error(empty_message);
}

os::arg_list to_arg_list(PyObject* argv) {
  os::arg_list args;
  Py_ssize_t n = PySequence_Size(argv);
  if (n < 0) throw py::error_already_set();
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* item = PySequence_GetItem(argv, i);
    if (item == nullptr) throw py::error_already_set();
    py::object owned = py::reinterpret_steal<py::object>(item);
    args.push_back(bytes_view(fs_bytes(item)));
  }
  return args;
}

void check_first(const os::arg_list& args, const char* message) {
  if (args.empty() || args[0].empty()) value_error(message);
}

void check_env(PyObject* env, const char* message) {
  if (!PyMapping_Check(env)) type_error(message);
}

os::env_list to_env_list(PyObject* env) {
  Py_ssize_t n = PyMapping_Size(env);
  if (n < 0) throw py::error_already_set();
  PyObject* raw_keys = PyMapping_Keys(env);
  if (raw_keys == nullptr) throw py::error_already_set();
  py::object keys = py::reinterpret_steal<py::object>(raw_keys);
  PyObject* raw_values = PyMapping_Values(env);
  if (raw_values == nullptr) throw py::error_already_set();
  py::object values = py::reinterpret_steal<py::object>(raw_values);
  if (!PyList_Check(keys.ptr()) || !PyList_Check(values.ptr()))
    type_error("env.keys() or env.values() is not a list");
  os::env_list out;
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* key = PyList_GetItem(keys.ptr(), i);
    PyObject* value = PyList_GetItem(values.ptr(), i);
    if (key == nullptr || value == nullptr) throw py::error_already_set();
    py::object k = fs_bytes(key);
    py::object v = fs_bytes(value);
    out.add(bytes_view(k), bytes_view(v));  // ValueError for an illegal name
  }
  return out;
}

void raise_with_filename(const os::error_info& e, py::handle filename) {
  raise_error(os::error_info(e.value(), "-"), filename);
}

void raise_without_filename(const os::error_info& e) {
  raise_error(os::error_info(e.value()));
}

}  // namespace processes

namespace {

using namespace processes;

PyObject* g_module = nullptr;  // oscpp (borrowed: lives forever)

PyObject* g_times_result = nullptr;   // posix.times_result (owned)
PyObject* g_waitid_result = nullptr;  // posix.waitid_result (owned)

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

// ---------------------------------------------------------------- exec

py::object py_execv(const arguments& a) {
  path_t path("execv", "path");
  PyObject* argv = nullptr;
  a.parse(&path_converter, &path, &object_converter, &argv);
  check_argv(argv, "execv() arg 2 must be a tuple or list",
             "execv() arg 2 must not be empty");
  os::arg_list list = to_arg_list(argv);
  check_first(list, "execv() arg 2 first element cannot be empty");
  audit("os.exec", "OOO", path.object.ptr(), argv, Py_None);
  auto r = os::nothrow::execv(path.arg(), list);
  raise_without_filename(r.error());  // Python's execv names no file
}

py::object py_execve(const arguments& a) {
  path_t path("execve", "path", false, true);
  PyObject* argv = nullptr;
  PyObject* env = nullptr;
  a.parse(&path_converter, &path, &object_converter, &argv, &object_converter,
          &env);
  check_argv(argv, "execve: argv must be a tuple or list",
             "execve: argv must not be empty");
  check_env(env, "execve: environment must be a mapping object");
  os::arg_list list = to_arg_list(argv);
  check_first(list, "execve: argv first element cannot be empty");
  os::env_list envs = to_env_list(env);
  audit("os.exec", "OOO", path.object.ptr(), argv, env);
  auto r = path.is_fd ? os::nothrow::execve(path.fd, list, envs)
                      : os::nothrow::execve(path.arg(), list, envs);
  raise_with_filename(r.error(), path.object);
}

// os.py's execvp(file, args) and execvpe(file, args, env): the PATH search
// of the C++ library. As in Python, the errors are execv's (no filename)
// or, with an environment, execve's (the candidate tried, as bytes, or the
// caller's file when it holds a '/').
py::object exec_search(PyObject* file, PyObject* argv, PyObject* env) {
  py::object given = fspath(file);
  py::object file_bytes = given;
  if (PyUnicode_Check(given.ptr())) {
    file_bytes = py::reinterpret_steal<py::object>(
        PyUnicode_EncodeFSDefault(given.ptr()));
    if (!file_bytes) throw py::error_already_set();
  }
  std::string_view name = bytes_view(file_bytes);
  bool searched = name.find('/') == std::string_view::npos;
  // As os.py, a searched name reads the environment's PATH first (with
  // get_exec_path's errors for an env without get()).
  if (searched && env != Py_None)
    py::handle(g_module).attr("get_exec_path")(py::handle(env));
  // A NUL fails os.py's first execv/execve call, worded by its path
  // converter: a searched name reaches it encoded (bytes), else as given.
  path_t checked(env == Py_None ? "execv" : "execve", "path");
  if (!path_converter(searched ? file_bytes.ptr() : given.ptr(), &checked))
    throw py::error_already_set();
  if (env == Py_None) {
    check_argv(argv, "execv() arg 2 must be a tuple or list",
               "execv() arg 2 must not be empty");
    os::arg_list list = to_arg_list(argv);
    check_first(list, "execv() arg 2 first element cannot be empty");
    auto r = os::nothrow::execvp(os::path_arg(name), list);
    raise_without_filename(r.error());
  }
  check_argv(argv, "execve: argv must be a tuple or list",
             "execve: argv must not be empty");
  check_env(env, "execve: environment must be a mapping object");
  os::arg_list list = to_arg_list(argv);
  check_first(list, "execve: argv first element cannot be empty");
  os::env_list envs = to_env_list(env);
  auto r = os::nothrow::execvpe(os::path_arg(name), list, envs);
  if (!searched) raise_with_filename(r.error(), file);
  if (r.error().filename())
    raise_error(r.error(), to_bytes(*r.error().filename()));
  raise_without_filename(r.error());
}

py::object py_execvp(const arguments& a) {
  PyObject* file = nullptr;
  PyObject* argv = nullptr;
  a.parse(&object_converter, &file, &object_converter, &argv);
  return exec_search(file, argv, Py_None);
}

py::object py_execvpe(const arguments& a) {
  PyObject* file = nullptr;
  PyObject* argv = nullptr;
  PyObject* env = nullptr;
  a.parse(&object_converter, &file, &object_converter, &argv, &object_converter,
          &env);
  return exec_search(file, argv, env);
}

// os._execvpe(file, args, env=None): the PATH search done through the
// module's own execv/execve, path joining and get_exec_path, looked up at
// call time, so that a program (or CPython's test suite) that replaces them
// sees each attempt. oscpp's public execvp/execvpe search in C++ instead.
py::object py__execvpe(const arguments& a) {
  PyObject* file = nullptr;
  PyObject* argv = nullptr;
  PyObject* env = Py_None;
  a.parse(&object_converter, &file, &object_converter, &argv, &object_converter,
          &env);
  py::handle module(g_module);
  py::object exec_func;
  py::tuple rest;
  py::object search_env;
  if (env != Py_None) {
    exec_func = module.attr("execve");
    rest = py::make_tuple(py::handle(argv), py::handle(env));
    search_env = py::reinterpret_borrow<py::object>(env);
  } else {
    exec_func = module.attr("execv");
    rest = py::make_tuple(py::handle(argv));
    search_env = module.attr("environ");
  }
  py::module_ posixpath = py::module_::import("posixpath");
  auto call = [&](py::handle path) {
    py::list all;
    all.append(path);
    for (py::handle a : rest) all.append(a);
    exec_func(*py::tuple(all));
  };
  if (py::bool_(posixpath.attr("dirname")(py::handle(file)))) {
    call(file);
    return py::none();
  }
  // PATH of the environment, else the module's defpath (which may have
  // been replaced, as os.defpath can be).
  auto has_key = [&](py::object key) {
    try {
      return bool(py::bool_(search_env.attr("__contains__")(key)));
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_TypeError)) throw;
      return false;
    }
  };
  py::object dirs =
      has_key(py::str("PATH")) || has_key(py::bytes("PATH"))
          ? module.attr("get_exec_path")(search_env)
          : module.attr("defpath").attr("split")(module.attr("pathsep"));
  py::object fsencode = module.attr("fsencode");
  py::object name = fsencode(py::handle(file));
  py::object saved, last;
  for (py::handle dir : dirs) {
    py::object full = posixpath.attr("join")(fsencode(dir), name);
    try {
      call(full);
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_OSError)) throw;
      if (!e.matches(PyExc_FileNotFoundError) &&
          !e.matches(PyExc_NotADirectoryError) && !saved)
        saved = e.value();
      last = e.value();
    }
  }
  py::object error = saved ? saved : last;
  if (!error) {
    errno = ENOENT;
    PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, file);
    throw py::error_already_set();
  }
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())),
                  error.ptr());
  throw py::error_already_set();
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

// ---------------------------------------------------------------- exit

py::object py__exit(const arguments& a) {
  int status = 0;
  a.parse(&int_converter, &status);
  os::_exit(status);
}

py::object py_abort(const arguments&) { os::abort(); }

// ---------------------------------------------------------------- signals

py::object py_kill(const arguments& a) {
  pid_t pid = 0;
  Py_ssize_t signal = 0;
  a.parse(&c_int_converter, &pid, &ssize_converter, &signal);
  audit("os.kill", "in", pid, signal);
  // Python passes the signal as a C int, truncated.
  unwrap(os::nothrow::kill(pid, static_cast<int>(signal)));
  if (PyErr_CheckSignals() < 0) throw py::error_already_set();
  return py::none();
}

py::object py_killpg(const arguments& a) {
  pid_t pgid = 0;
  int signal = 0;
  a.parse(&c_int_converter, &pgid, &c_int_converter, &signal);
  audit("os.killpg", "ii", pgid, signal);
  return python_value(os::nothrow::killpg(pgid, signal));
}

// ---------------------------------------------------------------- times

py::object py_times(const arguments&) {
  os::times_result t = unwrap(os::nothrow::times());
  return py::handle(g_times_result)(py::make_tuple(
      t.user, t.system, t.children_user, t.children_system, t.elapsed));
}

// ---------------------------------------------------------------- wait

py::object wait_tuple(const os::wait_result& w) {
  return py::make_tuple(w.pid, w.status);
}

// resource.struct_rusage, imported on first use as CPython does.
py::object struct_rusage_type() {
  static PyObject* type = nullptr;
  if (type == nullptr)
    type = py::object(py::module_::import("resource").attr("struct_rusage"))
               .release()
               .ptr();
  return py::reinterpret_borrow<py::object>(type);
}

py::object make_rusage(const struct ::rusage& ru) {
  auto seconds = [](const struct ::timeval& tv) {
    return static_cast<double>(tv.tv_sec) +
           static_cast<double>(tv.tv_usec) * 1e-6;
  };
  py::tuple fields = py::make_tuple(
      seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss, ru.ru_ixrss,
      ru.ru_idrss, ru.ru_isrss, ru.ru_minflt, ru.ru_majflt, ru.ru_nswap,
      ru.ru_inblock, ru.ru_oublock, ru.ru_msgsnd, ru.ru_msgrcv, ru.ru_nsignals,
      ru.ru_nvcsw, ru.ru_nivcsw);
  return struct_rusage_type()(fields);
}

py::object wait_rusage_tuple(const os::wait_rusage_result& w) {
  py::object rusage = make_rusage(w.rusage);
  return py::make_tuple(w.pid, w.status, rusage);
}

py::object py_wait(const arguments&) {
  return wait_tuple(unwrap(without_gil([] { return os::nothrow::wait(); })));
}

py::object py_waitpid(const arguments& a) {
  pid_t pid = 0;
  int options = 0;
  a.parse(&c_int_converter, &pid, &c_int_converter, &options);
  return wait_tuple(
      unwrap(without_gil([&] { return os::nothrow::waitpid(pid, options); })));
}

py::object py_wait3(const arguments& a) {
  int options = 0;
  a.parse(&int_converter, &options);
  auto r = without_gil([&] { return os::nothrow::wait3(options); });
  return wait_rusage_tuple(unwrap(std::move(r)));
}

py::object py_wait4(const arguments& a) {
  pid_t pid = 0;
  int options = 0;
  a.parse(&c_int_converter, &pid, &c_int_converter, &options);
  auto r = without_gil([&] { return os::nothrow::wait4(pid, options); });
  return wait_rusage_tuple(unwrap(std::move(r)));
}

py::object py_waitid(const arguments& a) {
  int idtype = 0;
  id_t id = 0;
  int options = 0;
  a.parse(&c_int_converter, &idtype, &c_int_converter, &id, &c_int_converter,
          &options);
  auto r = without_gil([&] {
    return os::nothrow::waitid(static_cast<idtype_t>(idtype), id, options);
  });
  std::optional<os::waitid_result> w = unwrap(std::move(r));
  if (!w) return py::none();
  return py::handle(g_waitid_result)(
      py::make_tuple(w->pid, w->uid, w->signo, w->status, w->code));
}

py::object py_waitstatus_to_exitcode(const arguments& a) {
  int status = 0;
  a.parse(&int_converter, &status);
  return py::int_(os::waitstatus_to_exitcode(status));
}

py::object py_pidfd_open(const arguments& a) {
  pid_t pid = 0;
  unsigned int flags = 0;
  a.parse(&c_int_converter, &pid, &unsigned_int_converter, &flags);
  return py::int_(unwrap(os::nothrow::pidfd_open(pid, flags)).release());
}

// ---------------------------------------------------------------- W*

// The <sys/wait.h> macros on a status, Python's signatures.
#define OSCPP_WAIT_MACRO(NAME, RESULT)       \
  py::object py_##NAME(const arguments& a) { \
    int status = 0;                          \
    a.parse(&int_converter, &status);        \
    return RESULT(NAME(status));             \
  }
OSCPP_WAIT_MACRO(WCOREDUMP, py::bool_)
OSCPP_WAIT_MACRO(WIFCONTINUED, py::bool_)
OSCPP_WAIT_MACRO(WIFSTOPPED, py::bool_)
OSCPP_WAIT_MACRO(WIFSIGNALED, py::bool_)
OSCPP_WAIT_MACRO(WIFEXITED, py::bool_)
OSCPP_WAIT_MACRO(WEXITSTATUS, py::int_)
OSCPP_WAIT_MACRO(WTERMSIG, py::int_)
OSCPP_WAIT_MACRO(WSTOPSIG, py::int_)
#undef OSCPP_WAIT_MACRO

}  // namespace

OSCPP_BINDINGS(processes) {
  g_module = m.ptr();
  register_interpreter_at_fork();
  py::module_ posix = py::module_::import("posix");
  g_times_result = py::object(posix.attr("times_result")).release().ptr();
  g_waitid_result = py::object(posix.attr("waitid_result")).release().ptr();
  m.attr("times_result") = py::handle(g_times_result);
  m.attr("waitid_result") = py::handle(g_waitid_result);

  def<&py_execv>(m, "execv(path, argv, /)",
                 "Execute an executable path with arguments, "
                 "replacing current process.");
  def<&py_execve>(m, "execve(path, argv, env)",
                  "Execute an executable path with arguments, "
                  "replacing current process.");
  def_python<&py_execvp>(m, "execvp(file, args)",
                         "Execute the executable file (which is "
                         "searched for along $PATH) with argument "
                         "list args, replacing the current process.");
  def_python<&py_execvpe>(m, "execvpe(file, args, env)",
                          "Execute the executable file (which is "
                          "searched for along $PATH) with argument "
                          "list args and environment env, replacing "
                          "the current process.");
  def_python<&py__execvpe>(m, "_execvpe(file, args, env=None)", nullptr);
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
  def<&py__exit>(m, "_exit(status)",
                 "Exit to the system with specified status, "
                 "without normal exit processing.");
  def<&py_abort>(m, "abort()", "Abort the interpreter immediately.");
  def<&py_kill>(m, "kill(pid, signal, /)", "Kill a process with a signal.",
                wording::clinic_format);
  def<&py_killpg>(m, "killpg(pgid, signal, /)",
                  "Kill a process group with a signal.",
                  wording::clinic_format);
  def<&call<&os::nothrow::nice, int_arg>>(
      m, "nice(increment, /)",
      "Add increment to the priority of process and "
      "return the new priority.");
  def<&py_times>(m, "times()",
                 "Return a collection containing process timing "
                 "information.");
  def<&py_wait>(m, "wait()", "Wait for completion of a child process.");
  def<&py_waitpid>(m, "waitpid(pid, options, /)",
                   "Wait for completion of a given child process.",
                   wording::clinic_format);
  def<&py_wait3>(m, "wait3(options)",
                 "Wait for completion of a child process.");
  def<&py_wait4>(m, "wait4(pid, options)",
                 "Wait for completion of a specific child "
                 "process.",
                 wording::clinic_format);
  def<&py_waitid>(m, "waitid(idtype, id, options, /)",
                  "Returns the result of waiting for a process or processes.",
                  wording::clinic_format);
  def<&py_waitstatus_to_exitcode>(m, "waitstatus_to_exitcode(status)",
                                  "Convert a wait status to an exit code.");
  def<&py_pidfd_open>(m, "pidfd_open(pid, flags=0)",
                      "Return a file descriptor referring "
                      "to the process *pid*.",
                      wording::clinic_format);
  def<&py_WCOREDUMP>(m, "WCOREDUMP(status, /)",
                     "Return True if the process returning "
                     "status was dumped to a core file.");
  def<&py_WIFCONTINUED>(m, "WIFCONTINUED(status)",
                        "Return True if a particular process was continued "
                        "from a job control stop.");
  def<&py_WIFSTOPPED>(m, "WIFSTOPPED(status)",
                      "Return True if the process returning "
                      "status was stopped.");
  def<&py_WIFSIGNALED>(m, "WIFSIGNALED(status)",
                       "Return True if the process "
                       "returning status was terminated "
                       "by a signal.");
  def<&py_WIFEXITED>(m, "WIFEXITED(status)",
                     "Return True if the process returning "
                     "status exited via the exit() system "
                     "call.");
  def<&py_WEXITSTATUS>(m, "WEXITSTATUS(status)",
                       "Return the process return code "
                       "from status.");
  def<&py_WTERMSIG>(m, "WTERMSIG(status)",
                    "Return the signal that terminated the "
                    "process that provided the status value.");
  def<&py_WSTOPSIG>(m, "WSTOPSIG(status)",
                    "Return the signal that stopped the "
                    "process that provided the status value.");
}

}  // namespace oscpp_py

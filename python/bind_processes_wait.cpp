// Process Management, children and signals: wait, waitpid, wait3, wait4,
// waitid, waitstatus_to_exitcode, pidfd_open, the W* status functions, kill,
// killpg, nice, times.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <utility>

#include "bind_processes.hpp"
#include "oscpp/processes.hpp"

namespace oscpp_py {
namespace {

PyObject* g_times_result = nullptr;   // posix.times_result (owned)
PyObject* g_waitid_result = nullptr;  // posix.waitid_result (owned)

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

OSCPP_BINDINGS(processes_wait) {
  py::module_ posix = py::module_::import("posix");
  g_times_result = py::object(posix.attr("times_result")).release().ptr();
  g_waitid_result = py::object(posix.attr("waitid_result")).release().ptr();
  m.attr("times_result") = py::handle(g_times_result);
  m.attr("waitid_result") = py::handle(g_waitid_result);

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

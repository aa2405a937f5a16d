// Interface to the scheduler: priorities, policies, sched_param (CPython's
// own posix.sched_param type), the RR interval, yield, affinity.
#include <climits>
#include <vector>

#include "convert.hpp"
#include "oscpp/scheduler.hpp"

namespace oscpp_py {
namespace {

PyObject* g_sched_param = nullptr;  // posix.sched_param, never released

// Python's sched_param argument: exactly a posix.sched_param whose
// sched_priority fits a C int.
int sched_param_converter(PyObject* o, void* out) {
  if (Py_TYPE(o) != reinterpret_cast<PyTypeObject*>(g_sched_param)) {
    PyErr_SetString(PyExc_TypeError, "must have a sched_param object");
    return 0;
  }
  // A struct sequence is a tuple: field 0 is sched_priority.
  long priority = PyLong_AsLong(PyTuple_GET_ITEM(o, 0));
  if (priority == -1 && PyErr_Occurred()) return 0;
  if (priority > INT_MAX || priority < INT_MIN) {
    PyErr_SetString(PyExc_OverflowError, "sched_priority out of range");
    return 0;
  }
  static_cast<os::sched_param*>(out)->sched_priority =
      static_cast<int>(priority);
  return 1;
}

py::object make_sched_param(const os::sched_param& p) {
  return py::handle(g_sched_param)(p.sched_priority);
}

py::object py_sched_getparam(const arguments& a) {
  pid_t pid = 0;
  a.parse(&c_int_converter, &pid);
  return make_sched_param(unwrap(os::nothrow::sched_getparam(pid)));
}

py::object py_sched_rr_get_interval(const arguments& a) {
  pid_t pid = 0;
  a.parse(&c_int_converter, &pid);
  return py::float_(unwrap(os::nothrow::sched_rr_get_interval(pid)));
}

py::object py_sched_setaffinity(const arguments& a) {
  pid_t pid = 0;
  PyObject* mask = nullptr;
  a.parse(&c_int_converter, &pid, &object_converter, &mask);
  py::object it = py::reinterpret_steal<py::object>(PyObject_GetIter(mask));
  if (!it) throw py::error_already_set();
  std::vector<int> cpus;
  while (PyObject* raw = PyIter_Next(it.ptr())) {
    py::object item = py::reinterpret_steal<py::object>(raw);
    if (!PyLong_Check(raw)) {
      PyErr_Format(PyExc_TypeError,
                   "expected an iterator of ints, but iterator yielded %R",
                   Py_TYPE(raw));
      throw py::error_already_set();
    }
    long cpu = PyLong_AsLong(raw);
    if (cpu == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (cpu < 0) {
      PyErr_SetString(PyExc_ValueError, "negative CPU number");
      throw py::error_already_set();
    }
    if (cpu > INT_MAX - 1) {
      PyErr_SetString(PyExc_OverflowError, "CPU number too large");
      throw py::error_already_set();
    }
    cpus.push_back(static_cast<int>(cpu));
  }
  if (PyErr_Occurred()) throw py::error_already_set();
  return python_value(os::nothrow::sched_setaffinity(pid, cpus));
}

py::object py_sched_getaffinity(const arguments& a) {
  pid_t pid = 0;
  a.parse(&c_int_converter, &pid);
  py::set out;
  for (int cpu : unwrap(os::nothrow::sched_getaffinity(pid)))
    out.add(py::int_(cpu));
  return out;
}

}  // namespace

OSCPP_BINDINGS(scheduler) {
  g_sched_param = py::object(py::module_::import("posix").attr("sched_param"))
                      .release()
                      .ptr();
  m.attr("sched_param") = py::handle(g_sched_param);

  def<&call<&os::nothrow::sched_get_priority_min, int_arg>>(
      m, "sched_get_priority_min(policy)",
      "Get the minimum scheduling priority for "
      "policy.");
  def<&call<&os::nothrow::sched_get_priority_max, int_arg>>(
      m, "sched_get_priority_max(policy)",
      "Get the maximum scheduling priority for "
      "policy.");
  def<&call<&os::nothrow::sched_getscheduler, c_int_arg>>(
      m, "sched_getscheduler(pid, /)",
      "Get the scheduling policy for the process "
      "identified by pid.");
  def<&call<&os::nothrow::sched_setscheduler, c_int_arg, c_int_arg,
            as<&sched_param_converter, os::sched_param>>>(
      m, "sched_setscheduler(pid, policy, param, /)",
      "Set the scheduling policy for the process "
      "identified by pid.",
      wording::clinic_format);
  def<&py_sched_getparam>(m, "sched_getparam(pid, /)",
                          "Returns scheduling parameters for the process "
                          "identified by pid.");
  def<&call<&os::nothrow::sched_setparam, c_int_arg,
            as<&sched_param_converter, os::sched_param>>>(
      m, "sched_setparam(pid, param, /)",
      "Set scheduling parameters for the process "
      "identified by pid.",
      wording::clinic_format);
  def<&py_sched_rr_get_interval>(m, "sched_rr_get_interval(pid, /)",
                                 "Return the round-robin quantum for the "
                                 "process identified by pid, in seconds.");
  def<&call_released<&os::nothrow::sched_yield>>(
      m, "sched_yield()", "Voluntarily relinquish the CPU.");
  def<&py_sched_setaffinity>(m, "sched_setaffinity(pid, mask, /)",
                             "Set the CPU affinity of the process identified "
                             "by pid to mask.",
                             wording::clinic_format);
  def<&py_sched_getaffinity>(m, "sched_getaffinity(pid, /)",
                             "Return the affinity of the process identified "
                             "by pid (or the current process if zero).");
}

}  // namespace oscpp_py

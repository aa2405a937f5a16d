// Miscellaneous System Information: confstr, sysconf and their name
// dictionaries, cpu_count, process_cpu_count, getloadavg.
#include <climits>
#include <map>
#include <string>
#include <string_view>

#include "convert.hpp"
#include "oscpp/system_info.hpp"

namespace oscpp_py {
namespace {

// Python 3.13's -X cpu_count / PYTHON_CPU_COUNT override; -1 when unset or
// on an older Python.
int g_cpu_count_config = -1;

using name_table = std::map<std::string, int, std::less<>>;

int confstr_name_converter(PyObject* o, void* out) {
  return conf_name(o, static_cast<int*>(out), os::confstr_names);
}

// This Python's sysconf names: 3.11 added SC_MINSIGSTKSZ.
const name_table& sysconf_names() {
  static const name_table names = [] {
    name_table all = os::sysconf_names;
    if (PY_VERSION_HEX < 0x030B0000) all.erase("SC_MINSIGSTKSZ");
    return all;
  }();
  return names;
}

int sysconf_name_converter(PyObject* o, void* out) {
  return conf_name(o, static_cast<int*>(out), sysconf_names());
}

py::object py_sysconf(const arguments& a) {
  int name = 0;
  a.parse(&sysconf_name_converter, &name);
  return python_value(os::nothrow::sysconf(name));
}

py::dict name_dict(const name_table& names) {
  py::dict d;
  for (const auto& [name, value] : names) d[py::str(name)] = value;
  return d;
}

py::object py_confstr(const arguments& a) {
  int name = 0;
  a.parse(&confstr_name_converter, &name);
  std::optional<std::string> value = unwrap(os::nothrow::confstr(name));
  if (!value) return py::none();
  return decode(*value);
}

// cpu_count and process_cpu_count: with the override set, Python's
// process_cpu_count is cpu_count.
template <auto Count>
py::object py_cpu_count(const arguments&) {
  if (g_cpu_count_config > 0) return py::int_(g_cpu_count_config);
  std::optional<int> n = Count();
  if (!n) return py::none();
  return py::int_(*n);
}

py::object py_getloadavg(const arguments&) {
  auto load = os::nothrow::getloadavg();
  if (!load) {
    // Python's own words, without an errno.
    PyErr_SetString(PyExc_OSError, "Load averages are unobtainable");
    throw py::error_already_set();
  }
  return py::make_tuple((*load)[0], (*load)[1], (*load)[2]);
}

}  // namespace

OSCPP_BINDINGS(system_info) {
  py::module_ sys = py::module_::import("sys");
  if (py::hasattr(sys, "_get_cpu_count_config"))
    g_cpu_count_config = sys.attr("_get_cpu_count_config")().cast<int>();

  m.attr("confstr_names") = name_dict(os::confstr_names);
  m.attr("sysconf_names") = name_dict(sysconf_names());
  def<&py_confstr>(m, "confstr(name, /)",
                   "Return a string-valued system configuration variable.");
  def<&py_sysconf>(m, "sysconf(name, /)",
                   "Return an integer-valued system configuration "
                   "variable.");
  def<&py_cpu_count<&os::cpu_count>>(
      m, "cpu_count()",
      "Return the number of logical CPUs in the system, or "
      "None if indeterminable.");
  def_python<&py_cpu_count<&os::process_cpu_count>>(
      m, "process_cpu_count()",
      "Get the number of CPUs of the current process "
      "(its affinity), or None if indeterminable.");
  def<&py_getloadavg>(m, "getloadavg()",
                      "Return average recent system load information.");
}

}  // namespace oscpp_py

// The oscpp extension module: Python's os, backed by the C++ library.
#include <pybind11/pybind11.h>

#include <set>
#include <string>

#include "bind_path.hpp"
#include "convert.hpp"
#include "oscpp/error.hpp"
#include "oscpp/files.hpp"
#include "oscpp/system_info.hpp"

namespace py = pybind11;

namespace {

py::object g_posix;  // CPython's posix module, for its result types only

py::object posix_attr(const char* name) { return g_posix.attr(name); }

// Python's supports_* sets hold the functions themselves (os.stat in
// os.supports_fd), so they are built once every binder has run; a name the
// module does not have (yet) is left out.
py::set function_set(const py::module_& m,
                     const std::set<std::string, std::less<>>& names) {
  py::set functions;
  for (const std::string& name : names)
    if (py::hasattr(m, name.c_str())) functions.add(m.attr(name.c_str()));
  return functions;
}

}  // namespace

namespace oscpp_py {
py::object stat_result_type() { return posix_attr("stat_result"); }
py::object statvfs_result_type() { return posix_attr("statvfs_result"); }
py::object terminal_size_type() { return posix_attr("terminal_size"); }
}  // namespace oscpp_py

PYBIND11_MODULE(oscpp, m) {
  m.doc() =
      "Python's os module implemented by the oscpp C++ library: a drop-in "
      "replacement for os on Linux.";
  // Result types are CPython's own, so results compare and pickle the same.
  g_posix = py::module_::import("posix");
  for (const char* type : {"stat_result", "statvfs_result", "terminal_size"})
    m.attr(type) = posix_attr(type);

  m.attr("name") = py::str(os::name.data(), os::name.size());
  m.attr("curdir") = py::str(os::curdir.data(), os::curdir.size());
  m.attr("pardir") = py::str(os::pardir.data(), os::pardir.size());
  m.attr("sep") = py::str(os::sep.data(), os::sep.size());
  m.attr("altsep") = py::none();
  m.attr("extsep") = py::str(os::extsep.data(), os::extsep.size());
  m.attr("pathsep") = py::str(os::pathsep.data(), os::pathsep.size());
  m.attr("defpath") = py::str(os::defpath.data(), os::defpath.size());
  m.attr("linesep") = py::str(os::linesep.data(), os::linesep.size());
  m.attr("devnull") = py::str(os::devnull.data(), os::devnull.size());
  m.attr("error") = py::handle(PyExc_OSError);
  m.attr("supports_bytes_environ") = true;
  oscpp_py::run_binders(m);
  // oscpp.path: os::path (bind_path.cpp), once the functions it may call
  // through oscpp (lstat, getcwd) are there.
  oscpp_py::bind_path_module(m);
  m.attr("supports_dir_fd") = function_set(m, os::supports_dir_fd);
  m.attr("supports_fd") = function_set(m, os::supports_fd);
  m.attr("supports_follow_symlinks") =
      function_set(m, os::supports_follow_symlinks);
  m.attr("supports_effective_ids") =
      function_set(m, os::supports_effective_ids);

  // __all__: every public name, as os.__all__ lists them (modules aside,
  // but path, which os.__all__ has too; _exit, which it lists too).
  py::list all;
  py::object module_type = py::module_::import("types").attr("ModuleType");
  for (auto item :
       py::reinterpret_borrow<py::dict>(PyModule_GetDict(m.ptr()))) {
    std::string key = py::str(item.first);
    if (key.empty() || (key[0] == '_' && key != "_exit")) continue;
    if (py::isinstance(item.second, module_type) && key != "path") continue;
    all.append(item.first);
  }
  all.attr("sort")();
  m.attr("__all__") = all;

  os::set_interruption_hook(&oscpp_py::run_signal_handlers);
}

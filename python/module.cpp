// The oscpp extension module: Python's os, backed by the C++ library.
#include <pybind11/pybind11.h>

#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "bind_path.hpp"
#include "convert.hpp"
#include "oscpp/environ.hpp"
#include "oscpp/error.hpp"
#include "oscpp/files.hpp"
#include "oscpp/system_info.hpp"

namespace py = pybind11;

namespace {

// CPython's posix module, for its result types only. A handle, never
// released: a static py::object would drop it at exit, after the
// interpreter is gone (3.8 crashes there).
py::handle g_posix;

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

// The public names os.py adds on top of posix (3.7 to 3.13), which
// oscpp._posix leaves out.
constexpr std::string_view os_py_names[] = {"P_NOWAIT",
                                            "P_NOWAITO",
                                            "P_WAIT",
                                            "PathLike",
                                            "SEEK_CUR",
                                            "SEEK_END",
                                            "SEEK_SET",
                                            "altsep",
                                            "curdir",
                                            "defpath",
                                            "devnull",
                                            "environb",
                                            "execl",
                                            "execle",
                                            "execlp",
                                            "execlpe",
                                            "execvp",
                                            "execvpe",
                                            "extsep",
                                            "fdopen",
                                            "fsdecode",
                                            "fsencode",
                                            "fwalk",
                                            "get_exec_path",
                                            "getenv",
                                            "getenvb",
                                            "linesep",
                                            "makedirs",
                                            "name",
                                            "pardir",
                                            "path",
                                            "pathsep",
                                            "popen",
                                            "process_cpu_count",
                                            "removedirs",
                                            "renames",
                                            "sep",
                                            "spawnl",
                                            "spawnle",
                                            "spawnlp",
                                            "spawnlpe",
                                            "spawnv",
                                            "spawnve",
                                            "spawnvp",
                                            "spawnvpe",
                                            "supports_bytes_environ",
                                            "supports_dir_fd",
                                            "supports_effective_ids",
                                            "supports_fd",
                                            "supports_follow_symlinks",
                                            "walk"};

// The names Python added to os after 3.7 (on Linux), by the version that
// added them: under an older interpreter the module leaves them out, as
// that interpreter's os has none of them.
constexpr std::pair<int, const char*> added_names[] = {
    {0x03080000,
     "MFD_ALLOW_SEALING MFD_CLOEXEC MFD_HUGETLB MFD_HUGE_16GB MFD_HUGE_16MB "
     "MFD_HUGE_1GB MFD_HUGE_1MB MFD_HUGE_256MB MFD_HUGE_2GB MFD_HUGE_2MB "
     "MFD_HUGE_32MB MFD_HUGE_512KB MFD_HUGE_512MB MFD_HUGE_64KB MFD_HUGE_8MB "
     "MFD_HUGE_MASK MFD_HUGE_SHIFT POSIX_SPAWN_CLOSE POSIX_SPAWN_DUP2 "
     "POSIX_SPAWN_OPEN copy_file_range memfd_create posix_spawn "
     "posix_spawnp"},
    {0x03090000,
     "CLD_KILLED CLD_STOPPED P_PIDFD pidfd_open waitstatus_to_exitcode"},
    {0x030A0000,
     "EFD_CLOEXEC EFD_NONBLOCK EFD_SEMAPHORE O_FSYNC RWF_APPEND SPLICE_F_MORE "
     "SPLICE_F_MOVE SPLICE_F_NONBLOCK eventfd eventfd_read eventfd_write "
     "splice"},
    {0x030B0000, "login_tty"},
    {0x030C0000,
     "CLONE_FILES CLONE_FS CLONE_NEWCGROUP CLONE_NEWIPC CLONE_NEWNET "
     "CLONE_NEWNS CLONE_NEWPID CLONE_NEWTIME CLONE_NEWUSER CLONE_NEWUTS "
     "CLONE_SIGHAND CLONE_SYSVSEM CLONE_THREAD CLONE_VM setns unshare"},
    {0x030D0000,
     "POSIX_SPAWN_CLOSEFROM TFD_CLOEXEC TFD_NONBLOCK TFD_TIMER_ABSTIME "
     "TFD_TIMER_CANCEL_ON_SET grantpt posix_openpt process_cpu_count ptsname "
     "timerfd_create timerfd_gettime timerfd_gettime_ns timerfd_settime "
     "timerfd_settime_ns unlockpt"}};

void drop_newer_names(py::module_& m) {
  for (const auto& [version, names] : added_names) {
    if (PY_VERSION_HEX >= version) continue;
    for (const char* p = names; *p != '\0';) {
      std::size_t n = std::strcspn(p, " ");
      std::string name(p, n);
      if (py::hasattr(m, name.c_str())) py::delattr(m, name.c_str());
      p += n + (p[n] == ' ' ? 1 : 0);
    }
  }
}

bool posix_has(std::string_view name) {
  // posix's _path_normpath/_path_splitroot_ex are os.path's (3.13).
  if (name.starts_with("_"))
    return name == "_exit" || name.starts_with("_path_");
  for (std::string_view n : os_py_names)
    if (n == name) return false;
  return true;
}

// oscpp._posix stands for posix: the module's names that posix has too (the
// same objects), and environ as posix's, a dict of bytes keys and values
// taken from the environment now. Also in sys.modules, so that it can be
// imported.
void add_posix_module(py::module_& m) {
  py::module_ posix = m.def_submodule(
      "_posix", "oscpp's stand-in for posix: os without what os.py adds.");
  for (auto item :
       py::reinterpret_borrow<py::dict>(PyModule_GetDict(m.ptr()))) {
    std::string key = py::str(item.first);
    if (key != "environ" && posix_has(key))
      posix.attr(item.first) = item.second;
  }
  py::dict environ;
  for (const auto& [key, value] : os::environ.items())
    environ[oscpp_py::to_bytes(key)] = oscpp_py::to_bytes(value);
  posix.attr("environ") = environ;
  py::module_::import("sys").attr("modules")["oscpp._posix"] = posix;
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
  g_posix = py::module_::import("posix").release();
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
  drop_newer_names(m);
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

  add_posix_module(m);

  os::set_interruption_hook(&oscpp_py::run_signal_handlers);
}

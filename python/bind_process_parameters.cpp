// Process Parameters: ids, groups, process groups and sessions, priorities,
// umask, uname, getlogin, ctermid. (The environment is in its own file.)
#include <limits.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "oscpp/process_parameters.hpp"

namespace oscpp_py {
namespace {

PyObject* g_uname_result = nullptr;  // posix.uname_result, never released

// Python's uid/gid results: (uid_t)-1 is -1, anything else unsigned.
template <class Id>
py::object id_object(Id id) {
  if (id == static_cast<Id>(-1)) return py::int_(-1);
  return py::int_(static_cast<unsigned long>(id));
}

py::list gid_list(const std::vector<gid_t>& groups) {
  py::list out;
  for (gid_t g : groups) out.append(id_object(g));
  return out;
}

py::object py_getuid(const arguments&) { return id_object(os::getuid()); }

py::object py_geteuid(const arguments&) { return id_object(os::geteuid()); }

py::object py_getgid(const arguments&) { return id_object(os::getgid()); }

py::object py_getegid(const arguments&) { return id_object(os::getegid()); }

// getresuid and getresgid.
template <auto Fn>
py::object py_getres(const arguments&) {
  auto [r, e, s] = unwrap(Fn());
  return py::make_tuple(id_object(r), id_object(e), id_object(s));
}

py::object py_getgroups(const arguments&) {
  return gid_list(unwrap(os::nothrow::getgroups()));
}

py::object py_setgroups(const arguments& a) {
  PyObject* seq = nullptr;
  a.parse(&object_converter, &seq);
  if (!PySequence_Check(seq)) {
    PyErr_SetString(PyExc_TypeError, "setgroups argument must be a sequence");
    throw py::error_already_set();
  }
  Py_ssize_t len = PySequence_Size(seq);
  if (len < 0) throw py::error_already_set();
  if (len > NGROUPS_MAX) {
    PyErr_SetString(PyExc_ValueError, "too many groups");
    throw py::error_already_set();
  }
  std::vector<gid_t> groups(static_cast<std::size_t>(len));
  for (Py_ssize_t i = 0; i < len; ++i) {
    py::object item =
        py::reinterpret_steal<py::object>(PySequence_GetItem(seq, i));
    if (!item) throw py::error_already_set();
    if (!PyLong_Check(item.ptr())) {
      PyErr_SetString(PyExc_TypeError, "groups must be integers");
      throw py::error_already_set();
    }
    if (!gid_converter(item.ptr(), &groups[static_cast<std::size_t>(i)]))
      throw py::error_already_set();
  }
  return python_value(os::nothrow::setgroups(groups));
}

py::object py_getgrouplist(const arguments& a) {
  const char* user = nullptr;
  gid_t group = 0;
  a.parse(&str_converter, &user, &gid_converter, &group);
  // The group database may be remote (NSS): without the GIL.
  auto groups = unwrap(
      without_gil([&] { return os::nothrow::getgrouplist(user, group); }));
  return gid_list(groups);
}

py::object py_initgroups(const arguments& a) {
  PyObject* name = nullptr;  // bytes, from PyUnicode_FSConverter
  gid_t gid = 0;
  a.parse(&PyUnicode_FSConverter, &name, &gid_converter, &gid);
  py::object owned = py::reinterpret_steal<py::object>(name);
  const char* username = PyBytes_AS_STRING(name);
  return released([&] { return os::nothrow::initgroups(username, gid); });
}

py::object py_getlogin(const arguments&) {
  // It may read utmp: without the GIL.
  std::string name =
      unwrap(without_gil([] { return os::nothrow::getlogin(); }));
  return decode(name);
}

py::object py_umask(const arguments& a) {
  int mask = 0;
  a.parse(&int_converter, &mask);
  // Python passes the int on as a mode_t: -1 keeps every permission bit.
  return py::int_(os::umask(static_cast<mode_t>(mask)));
}

py::object py_uname(const arguments&) {
  os::uname_result u = unwrap(os::nothrow::uname());
  py::tuple fields =
      py::make_tuple(decode(u.sysname), decode(u.nodename), decode(u.release),
                     decode(u.version), decode(u.machine));
  return py::handle(g_uname_result)(fields);
}

}  // namespace

OSCPP_BINDINGS(process_parameters) {
  g_uname_result = py::object(py::module_::import("posix").attr("uname_result"))
                       .release()
                       .ptr();
  m.attr("uname_result") = py::handle(g_uname_result);

  def<&py_getuid>(m, "getuid()", "Return the current process's user id.");
  def<&py_geteuid>(m, "geteuid()",
                   "Return the current process's effective user id.");
  def<&py_getgid>(m, "getgid()", "Return the current process's group id.");
  def<&py_getegid>(m, "getegid()",
                   "Return the current process's effective group id.");
  def<&py_getres<&os::nothrow::getresuid>>(
      m, "getresuid()",
      "Return a tuple of the current process's real, "
      "effective, and saved user ids.");
  def<&py_getres<&os::nothrow::getresgid>>(
      m, "getresgid()",
      "Return a tuple of the current process's real, "
      "effective, and saved group ids.");
  def<&call<&os::nothrow::setuid, uid_arg>>(
      m, "setuid(uid, /)", "Set the current process's user id.");
  def<&call<&os::nothrow::seteuid, uid_arg>>(
      m, "seteuid(euid, /)", "Set the current process's effective user id.");
  def<&call<&os::nothrow::setgid, gid_arg>>(
      m, "setgid(gid, /)", "Set the current process's group id.");
  def<&call<&os::nothrow::setegid, gid_arg>>(
      m, "setegid(egid, /)", "Set the current process's effective group id.");
  def<&call<&os::nothrow::setreuid, uid_arg, uid_arg>>(
      m, "setreuid(ruid, euid, /)",
      "Set the current process's real and effective user ids.");
  def<&call<&os::nothrow::setregid, gid_arg, gid_arg>>(
      m, "setregid(rgid, egid, /)",
      "Set the current process's real and effective group "
      "ids.");
  def<&call<&os::nothrow::setresuid, uid_arg, uid_arg, uid_arg>>(
      m, "setresuid(ruid, euid, suid, /)",
      "Set the current process's real, effective, and saved "
      "user ids.");
  def<&call<&os::nothrow::setresgid, gid_arg, gid_arg, gid_arg>>(
      m, "setresgid(rgid, egid, sgid, /)",
      "Set the current process's real, effective, and saved "
      "group ids.");
  def<&py_getgroups>(m, "getgroups()",
                     "Return list of supplemental group IDs for the "
                     "process.");
  def<&py_setgroups>(m, "setgroups(groups, /)",
                     "Set the groups of the current process to list.");
  // Until 3.8 both parse with a format string.
  constexpr wording until_38 =
      PY_VERSION_HEX < 0x03090000 ? wording::clinic_format : wording::clinic;
  def<&py_getgrouplist>(m, "getgrouplist(user, group, /)",
                        "Returns a list of groups to which a user belongs.",
                        until_38);
  def<&py_initgroups>(m, "initgroups(username, gid, /)",
                      "Initialize the group access list: all the groups of "
                      "username plus gid.",
                      until_38);
  def<&py_getlogin>(m, "getlogin()", "Return the actual login name.");
  def<&call<&os::nothrow::getpgid, c_int_arg>>(
      m, "getpgid(pid)", "Call the system call getpgid(pid).",
      wording::clinic_format);
  def<&call<&os::getpgrp>>(m, "getpgrp()",
                           "Return the current process group id.");
  def<&call<&os::nothrow::setpgrp>>(
      m, "setpgrp()",
      "Make the current process the leader of its process "
      "group.");
  def<&call<&os::nothrow::setpgid, c_int_arg, c_int_arg>>(
      m, "setpgid(pid, pgrp, /)", "Call the system call setpgid(pid, pgrp).",
      wording::clinic_format);
  def<&call<&os::getpid>>(m, "getpid()", "Return the current process id.");
  def<&call<&os::getppid>>(m, "getppid()", "Return the parent's process id.");
  def<&call<&os::nothrow::getsid, c_int_arg>>(
      m, "getsid(pid, /)", "Call the system call getsid(pid).");
  def<&call<&os::nothrow::setsid>>(m, "setsid()",
                                   "Call the system call setsid().");
  def<&call<&os::nothrow::getpriority, int_arg, int_arg>>(
      m, "getpriority(which, who)", "Return program scheduling priority.");
  def<&call<&os::nothrow::setpriority, int_arg, int_arg, int_arg>>(
      m, "setpriority(which, who, priority)",
      "Set program scheduling priority.");
  def<&call<&os::nothrow::ctermid>>(
      m, "ctermid()",
      "Return the name of the controlling terminal for this "
      "process.");
  def<&py_umask>(m, "umask(mask, /)",
                 "Set the current numeric umask and return the "
                 "previous umask.");
  def<&call<&os::nothrow::setns, fildes_arg, c_int_arg>>(
      m, "setns(fd, nstype=0)",
      "Move the calling thread into different namespaces.");
  def<&call_released<&os::nothrow::unshare, c_int_arg>>(
      m, "unshare(flags)",
      "Disassociate parts of the process execution context.");
  def<&py_uname>(m, "uname()",
                 "Return an object identifying the current operating "
                 "system.");
}

}  // namespace oscpp_py

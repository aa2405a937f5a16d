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

py::object py_getresuid(const arguments&) {
  auto [r, e, s] = unwrap(os::nothrow::getresuid());
  return py::make_tuple(id_object(r), id_object(e), id_object(s));
}

py::object py_getresgid(const arguments&) {
  auto [r, e, s] = unwrap(os::nothrow::getresgid());
  return py::make_tuple(id_object(r), id_object(e), id_object(s));
}

py::object py_setuid(const arguments& a) {
  uid_t uid = 0;
  a.parse(&uid_converter, &uid);
  unwrap(os::nothrow::setuid(uid));
  return py::none();
}

py::object py_seteuid(const arguments& a) {
  uid_t euid = 0;
  a.parse(&uid_converter, &euid);
  unwrap(os::nothrow::seteuid(euid));
  return py::none();
}

py::object py_setgid(const arguments& a) {
  gid_t gid = 0;
  a.parse(&gid_converter, &gid);
  unwrap(os::nothrow::setgid(gid));
  return py::none();
}

py::object py_setegid(const arguments& a) {
  gid_t egid = 0;
  a.parse(&gid_converter, &egid);
  unwrap(os::nothrow::setegid(egid));
  return py::none();
}

py::object py_setreuid(const arguments& a) {
  uid_t ruid = 0;
  uid_t euid = 0;
  a.parse(&uid_converter, &ruid, &uid_converter, &euid);
  unwrap(os::nothrow::setreuid(ruid, euid));
  return py::none();
}

py::object py_setregid(const arguments& a) {
  gid_t rgid = 0;
  gid_t egid = 0;
  a.parse(&gid_converter, &rgid, &gid_converter, &egid);
  unwrap(os::nothrow::setregid(rgid, egid));
  return py::none();
}

py::object py_setresuid(const arguments& a) {
  uid_t r = 0, e = 0, s = 0;
  a.parse(&uid_converter, &r, &uid_converter, &e, &uid_converter, &s);
  unwrap(os::nothrow::setresuid(r, e, s));
  return py::none();
}

py::object py_setresgid(const arguments& a) {
  gid_t r = 0, e = 0, s = 0;
  a.parse(&gid_converter, &r, &gid_converter, &e, &gid_converter, &s);
  unwrap(os::nothrow::setresgid(r, e, s));
  return py::none();
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
  unwrap(os::nothrow::setgroups(groups));
  return py::none();
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
  unwrap(without_gil([&] { return os::nothrow::initgroups(username, gid); }));
  return py::none();
}

py::object py_getlogin(const arguments&) {
  // It may read utmp: without the GIL.
  std::string name =
      unwrap(without_gil([] { return os::nothrow::getlogin(); }));
  return decode(name);
}

py::object py_getpgid(const arguments& a) {
  pid_t pid = 0;
  a.parse(&c_int_converter, &pid);
  return py::int_(unwrap(os::nothrow::getpgid(pid)));
}

py::object py_getpgrp(const arguments&) { return py::int_(os::getpgrp()); }

py::object py_setpgrp(const arguments&) {
  unwrap(os::nothrow::setpgrp());
  return py::none();
}

py::object py_setpgid(const arguments& a) {
  pid_t pid = 0;
  pid_t pgrp = 0;
  a.parse(&c_int_converter, &pid, &c_int_converter, &pgrp);
  unwrap(os::nothrow::setpgid(pid, pgrp));
  return py::none();
}

py::object py_getpid(const arguments&) { return py::int_(os::getpid()); }

py::object py_getppid(const arguments&) { return py::int_(os::getppid()); }

py::object py_getsid(const arguments& a) {
  pid_t pid = 0;
  a.parse(&c_int_converter, &pid);
  return py::int_(unwrap(os::nothrow::getsid(pid)));
}

py::object py_setsid(const arguments&) {
  unwrap(os::nothrow::setsid());
  return py::none();
}

py::object py_getpriority(const arguments& a) {
  int which = 0;
  int who = 0;
  a.parse(&int_converter, &which, &int_converter, &who);
  return py::int_(unwrap(os::nothrow::getpriority(which, who)));
}

py::object py_setpriority(const arguments& a) {
  int which = 0;
  int who = 0;
  int priority = 0;
  a.parse(&int_converter, &which, &int_converter, &who, &int_converter,
          &priority);
  unwrap(os::nothrow::setpriority(which, who, priority));
  return py::none();
}

py::object py_ctermid(const arguments&) {
  return decode(unwrap(os::nothrow::ctermid()));
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

py::object py_setns(const arguments& a) {
  int fd = -1;
  int nstype = 0;
  a.parse(&fildes_converter, &fd, &c_int_converter, &nstype);
  unwrap(os::nothrow::setns(fd, nstype));
  return py::none();
}

py::object py_unshare(const arguments& a) {
  int flags = 0;
  a.parse(&c_int_converter, &flags);
  unwrap(without_gil([&] { return os::nothrow::unshare(flags); }));
  return py::none();
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
  def<&py_getresuid>(m, "getresuid()",
                     "Return a tuple of the current process's real, "
                     "effective, and saved user ids.");
  def<&py_getresgid>(m, "getresgid()",
                     "Return a tuple of the current process's real, "
                     "effective, and saved group ids.");
  def<&py_setuid>(m, "setuid(uid, /)", "Set the current process's user id.");
  def<&py_seteuid>(m, "seteuid(euid, /)",
                   "Set the current process's effective user id.");
  def<&py_setgid>(m, "setgid(gid, /)", "Set the current process's group id.");
  def<&py_setegid>(m, "setegid(egid, /)",
                   "Set the current process's effective group id.");
  def<&py_setreuid>(m, "setreuid(ruid, euid, /)",
                    "Set the current process's real and effective user ids.");
  def<&py_setregid>(m, "setregid(rgid, egid, /)",
                    "Set the current process's real and effective group "
                    "ids.");
  def<&py_setresuid>(m, "setresuid(ruid, euid, suid, /)",
                     "Set the current process's real, effective, and saved "
                     "user ids.");
  def<&py_setresgid>(m, "setresgid(rgid, egid, sgid, /)",
                     "Set the current process's real, effective, and saved "
                     "group ids.");
  def<&py_getgroups>(m, "getgroups()",
                     "Return list of supplemental group IDs for the "
                     "process.");
  def<&py_setgroups>(m, "setgroups(groups, /)",
                     "Set the groups of the current process to list.");
  def<&py_getgrouplist>(m, "getgrouplist(user, group, /)",
                        "Returns a list of groups to which a user belongs.");
  def<&py_initgroups>(m, "initgroups(username, gid, /)",
                      "Initialize the group access list: all the groups of "
                      "username plus gid.");
  def<&py_getlogin>(m, "getlogin()", "Return the actual login name.");
  def<&py_getpgid>(m, "getpgid(pid)", "Call the system call getpgid(pid).",
                   wording::clinic_format);
  def<&py_getpgrp>(m, "getpgrp()", "Return the current process group id.");
  def<&py_setpgrp>(m, "setpgrp()",
                   "Make the current process the leader of its process "
                   "group.");
  def<&py_setpgid>(m, "setpgid(pid, pgrp, /)",
                   "Call the system call setpgid(pid, pgrp).",
                   wording::clinic_format);
  def<&py_getpid>(m, "getpid()", "Return the current process id.");
  def<&py_getppid>(m, "getppid()", "Return the parent's process id.");
  def<&py_getsid>(m, "getsid(pid, /)", "Call the system call getsid(pid).");
  def<&py_setsid>(m, "setsid()", "Call the system call setsid().");
  def<&py_getpriority>(m, "getpriority(which, who)",
                       "Return program scheduling priority.");
  def<&py_setpriority>(m, "setpriority(which, who, priority)",
                       "Set program scheduling priority.");
  def<&py_ctermid>(m, "ctermid()",
                   "Return the name of the controlling terminal for this "
                   "process.");
  def<&py_umask>(m, "umask(mask, /)",
                 "Set the current numeric umask and return the "
                 "previous umask.");
  def<&py_setns>(m, "setns(fd, nstype=0)",
                 "Move the calling thread into different namespaces.");
  def<&py_unshare>(m, "unshare(flags)",
                   "Disassociate parts of the process execution context.");
  def<&py_uname>(m, "uname()",
                 "Return an object identifying the current operating "
                 "system.");
}

}  // namespace oscpp_py

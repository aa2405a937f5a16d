// Files and Directories, metadata: stat, lstat, access, chmod, chown, lchown,
// utime, truncate, statvfs, pathconf, sync.
#include <fcntl.h>
#include <sys/types.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "convert.hpp"
#include "oscpp/files.hpp"

namespace oscpp_py {
namespace {

[[noreturn]] void raise(PyObject* type, const char* message) {
  PyErr_SetString(type, message);
  throw py::error_already_set();
}

// Python's argument checks for a path that may be an fd, in its order.
// Python lets fd 0 through with follow_symlinks=False.
void check_fd_options(const char* function, const path_t& path, int dir_fd,
                      bool follow_symlinks) {
  if (!path.is_fd) return;
  if (dir_fd != AT_FDCWD)
    raise(PyExc_ValueError, (std::string(function) +
                             ": can't specify dir_fd without matching path")
                                .c_str());
  if (!follow_symlinks && path.fd > 0)
    raise(PyExc_ValueError, (std::string(function) +
                             ": cannot use fd and follow_symlinks together")
                                .c_str());
}

py::object py_access(const arguments& a) {
  path_t path("access", "path");
  int mode = 0;
  int dir_fd = AT_FDCWD;
  int effective_ids = 0;
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &int_converter, &mode, &dir_fd_converter,
          &dir_fd, &bool_converter, &effective_ids, &bool_converter,
          &follow_symlinks);
  bool allowed = without_gil([&] {
    return os::access(path.arg(), mode,
                      {.dir_fd = dir_fd,
                       .effective_ids = effective_ids != 0,
                       .follow_symlinks = follow_symlinks != 0});
  });
  return py::bool_(allowed);
}

py::object py_chmod(const arguments& a) {
  path_t path("chmod", "path", false, true);
  int mode = 0;
  int dir_fd = AT_FDCWD;
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &int_converter, &mode, &dir_fd_converter,
          &dir_fd, &bool_converter, &follow_symlinks);
  // With an fd, Python uses fchmod and ignores dir_fd and follow_symlinks.
  check_null_path(path);
  auto r = without_gil([&] {
    if (path.is_fd)
      return os::nothrow::chmod(path.fd, static_cast<mode_t>(mode));
    return os::nothrow::chmod(
        path.arg(), static_cast<mode_t>(mode),
        {.dir_fd = dir_fd, .follow_symlinks = follow_symlinks != 0});
  });
  if (!r && !follow_symlinks &&
      (r.error().value() == ENOTSUP || r.error().value() == EOPNOTSUPP)) {
    // Linux cannot change a symlink's own mode: Python's errors for that.
    if (dir_fd != AT_FDCWD)
      raise(PyExc_ValueError,
            "chmod: cannot use dir_fd and follow_symlinks together");
    raise(PyExc_NotImplementedError,
          "chmod: follow_symlinks unavailable on this platform");
  }
  unwrap(std::move(r), path.object);
  return py::none();
}

py::object py_stat(const arguments& a) {
  path_t path("stat", "path", false, true);
  int dir_fd = AT_FDCWD;
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &dir_fd_converter, &dir_fd, &bool_converter,
          &follow_symlinks);
  check_fd_options("stat", path, dir_fd, follow_symlinks != 0);
  check_null_path(path);
  auto r = without_gil([&] {
    if (path.is_fd) return os::nothrow::stat(path.fd);
    return os::nothrow::stat(
        path.arg(),
        {.dir_fd = dir_fd, .follow_symlinks = follow_symlinks != 0});
  });
  return make_stat_result(unwrap(std::move(r), path.object));
}

py::object py_lstat(const arguments& a) {
  path_t path("lstat", "path");
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &dir_fd_converter, &dir_fd);
  auto r = without_gil(
      [&] { return os::nothrow::lstat(path.arg(), {.dir_fd = dir_fd}); });
  return make_stat_result(unwrap(std::move(r), path.object));
}

// ---------------------------------------------------------------- ownership

py::object py_chown(const arguments& a) {
  path_t path("chown", "path", false, true);
  uid_t uid = 0;
  gid_t gid = 0;
  int dir_fd = AT_FDCWD;
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &uid_converter, &uid, &gid_converter, &gid,
          &dir_fd_converter, &dir_fd, &bool_converter, &follow_symlinks);
  if (path.is_fd && dir_fd != AT_FDCWD)
    raise(PyExc_ValueError, "chown: can't specify both dir_fd and fd");
  // Python lets fd 0 through with follow_symlinks=False.
  if (path.is_fd && path.fd > 0 && !follow_symlinks)
    raise(PyExc_ValueError,
          "chown: cannot use fd and follow_symlinks together");
  check_null_path(path);
  return released(
      [&] {
        if (path.is_fd) return os::nothrow::chown(path.fd, uid, gid);
        return os::nothrow::chown(
            path.arg(), uid, gid,
            {.dir_fd = dir_fd, .follow_symlinks = follow_symlinks != 0});
      },
      path.object);
}

py::object py_lchown(const arguments& a) {
  path_t path("lchown", "path");
  uid_t uid = 0;
  gid_t gid = 0;
  a.parse(&path_converter, &path, &uid_converter, &uid, &gid_converter, &gid);
  return released([&] { return os::nothrow::lchown(path.arg(), uid, gid); },
                  path.object);
}

// ---------------------------------------------------------------- queries

py::object py_pathconf(const arguments& a) {
  path_t path("pathconf", "path", false, true);
  int name = 0;
  a.parse(&path_converter, &path, &pathconf_name_converter, &name);
  check_null_path(path);  // pathconf(-1) crashes CPython: EFAULT here
  return released(
      [&] {
        if (path.is_fd) return os::nothrow::pathconf(path.fd, name);
        return os::nothrow::pathconf(path.arg(), name);
      },
      path.object);
}

py::object py_statvfs(const arguments& a) {
  path_t path("statvfs", "path", false, true);
  a.parse(&path_converter, &path);
  check_null_path(path);
  auto r = without_gil([&] {
    if (path.is_fd) return os::nothrow::statvfs(path.fd);
    return os::nothrow::statvfs(path.arg());
  });
  return make_statvfs_result(unwrap(std::move(r), path.object));
}

py::object py_sync(const arguments&) {
  without_gil([] { os::sync(); });
  return py::none();
}

py::object py_truncate(const arguments& a) {
  path_t path("truncate", "path", false, true);
  off_t length = 0;
  a.parse(&path_converter, &path, &offset_converter, &length);
  check_null_path(path);
  // The fd form names no file (the library's error carries none).
  return released(
      [&] {
        if (path.is_fd) return os::nothrow::truncate(path.fd, length);
        return os::nothrow::truncate(path.arg(), length);
      },
      path.object);
}

// ---------------------------------------------------------------- utime

[[noreturn]] void time_t_overflow() {
  raise(PyExc_OverflowError, "timestamp out of range for platform time_t");
}

// An int as Python's time_t conversion reads it (PyLong_AsLongLong's: any
// __index__ object; before 3.10 any __int__ one, a float too, with a
// DeprecationWarning from 3.8), with its OverflowError reworded as Python's.
std::int64_t to_time_t(PyObject* o) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow != 0) time_t_overflow();
  return v;
}

// One element of times: a float (checked here so that the errors come in
// Python's order; the library converts it) or an int of seconds.
struct utime_value {
  bool is_float = false;
  double seconds = 0;
  std::int64_t whole = 0;
};

utime_value times_element(PyObject* o) {
  utime_value v;
  if (PyFloat_Check(o)) {
    v.is_float = true;
    v.seconds = PyFloat_AsDouble(o);
    if (std::isnan(v.seconds))
      raise(PyExc_ValueError, "Invalid value NaN (not a number)");
    double whole = std::floor(v.seconds);
    if (!(whole >= -9223372036854775808.0 && whole < 9223372036854775808.0))
      time_t_overflow();
    return v;
  }
  v.whole = to_time_t(o);
  return v;
}

// One element of ns, split as Python's divmod(ns, 10**9).
std::pair<std::int64_t, long> ns_element(PyObject* o) {
  py::object billion = py::int_(1000000000);
  PyObject* pair = PyNumber_Divmod(o, billion.ptr());
  if (pair == nullptr) throw py::error_already_set();
  py::object owned = py::reinterpret_steal<py::object>(pair);
  // A user-defined __divmod__ may return anything.
  if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
    PyErr_Format(PyExc_TypeError,
                 "%.200s.__divmod__() must return a 2-tuple, not %.200s",
                 Py_TYPE(o)->tp_name, Py_TYPE(pair)->tp_name);
    throw py::error_already_set();
  }
  std::int64_t sec = to_time_t(PyTuple_GET_ITEM(pair, 0));
  long nsec = PyLong_AsLong(PyTuple_GET_ITEM(pair, 1));
  if (nsec == -1 && PyErr_Occurred()) throw py::error_already_set();
  return {sec, nsec};
}

// seconds and nanoseconds as one nanosecond count, if it fits.
std::optional<std::int64_t> to_ns(std::int64_t sec, long nsec) {
  std::int64_t ns;
  if (__builtin_mul_overflow(sec, std::int64_t{1000000000}, &ns) ||
      __builtin_add_overflow(ns, std::int64_t{nsec}, &ns))
    return std::nullopt;
  return ns;
}

// Python's validation of times / ns, turned into the library's options:
// exact nanoseconds where they fit an int64 (whole seconds given as ints
// stay exact), else seconds as doubles.
os::utime_options utime_times(PyObject* times, PyObject* ns) {
  os::utime_options opts;
  if (times != Py_None && ns != nullptr)
    raise(PyExc_ValueError,
          "utime: you may specify either 'times' or 'ns' but not both");
  if (times != Py_None) {
    if (!PyTuple_CheckExact(times) || PyTuple_GET_SIZE(times) != 2)
      raise(PyExc_TypeError,
            "utime: 'times' must be either a tuple of two ints or None");
    utime_value a = times_element(PyTuple_GET_ITEM(times, 0));
    utime_value m = times_element(PyTuple_GET_ITEM(times, 1));
    if (!a.is_float && !m.is_float) {
      auto a_ns = to_ns(a.whole, 0);
      auto m_ns = to_ns(m.whole, 0);
      if (a_ns && m_ns) {
        opts.ns.emplace(*a_ns, *m_ns);
        return opts;
      }
    }
    auto seconds = [](const utime_value& v) {
      return v.is_float ? v.seconds : static_cast<double>(v.whole);
    };
    opts.times.emplace(seconds(a), seconds(m));
  } else if (ns != nullptr) {
    if (!PyTuple_CheckExact(ns) || PyTuple_GET_SIZE(ns) != 2)
      raise(PyExc_TypeError, "utime: 'ns' must be a tuple of two ints");
    auto [a_sec, a_nsec] = ns_element(PyTuple_GET_ITEM(ns, 0));
    auto [m_sec, m_nsec] = ns_element(PyTuple_GET_ITEM(ns, 1));
    auto a_ns = to_ns(a_sec, a_nsec);
    auto m_ns = to_ns(m_sec, m_nsec);
    if (a_ns && m_ns) {
      opts.ns.emplace(*a_ns, *m_ns);
    } else {
      // Beyond year 2262: the library takes such times only as doubles.
      opts.times.emplace(static_cast<double>(a_sec) + a_nsec * 1e-9,
                         static_cast<double>(m_sec) + m_nsec * 1e-9);
    }
  }
  return opts;
}

// Since 3.13 Python's utime errors name the path (or fd); before, they
// carry no filename, as the library's errors.
[[noreturn]] void raise_utime_error(int error, const path_t& path) {
  errno = error;
#if PY_VERSION_HEX >= 0x030D0000
  PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path.object.ptr());
#else
  (void)path;
  PyErr_SetFromErrno(PyExc_OSError);
#endif
  throw py::error_already_set();
}

py::object py_utime(const arguments& a) {
  path_t path("utime", "path", false, true);
  PyObject* times = Py_None;
  PyObject* ns = nullptr;
  int dir_fd = AT_FDCWD;
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &object_converter, &times, &object_converter,
          &ns, &dir_fd_converter, &dir_fd, &bool_converter, &follow_symlinks);
  os::utime_options opts = utime_times(times, ns);
  opts.dir_fd = dir_fd;
  opts.follow_symlinks = follow_symlinks != 0;
  check_fd_options("utime", path, dir_fd, follow_symlinks != 0);
  if (path.is_fd && (path.fd == -1 || (path.fd == 0 && !follow_symlinks))) {
    // Python takes these for a path-less utimensat() (fd -1: its null path;
    // fd 0 with AT_SYMLINK_NOFOLLOW), which the kernel refuses with EINVAL.
    raise_utime_error(EINVAL, path);
  }
  auto r = without_gil([&] {
    if (path.is_fd) return os::nothrow::utime(path.fd, opts);
    return os::nothrow::utime(path.arg(), opts);
  });
  if (!r) {
    // A signal handler's exception wins over EINTR.
    if (r.error().value() == EINTR && PyErr_Occurred())
      throw py::error_already_set();
    raise_utime_error(r.error().value(), path);
  }
  return py::none();
}

}  // namespace

OSCPP_BINDINGS(files_meta) {
  def<&py_access>(m,
                  "access(path, mode, *, dir_fd=None, effective_ids=False, "
                  "follow_symlinks=True)",
                  "Use the real uid/gid to test for access to a path.");
  def<&py_chmod>(m,
#if PY_VERSION_HEX >= 0x030D0000
                 "chmod(path, mode, *, dir_fd=None, "
                 "follow_symlinks=(os.name != 'nt'))",
#else
                 "chmod(path, mode, *, dir_fd=None, follow_symlinks=True)",
#endif
                 "Change the access permissions of a file.");
  def<&py_stat>(m, "stat(path, *, dir_fd=None, follow_symlinks=True)",
                "Perform a stat system call on the given path.");
  def<&py_lstat>(m, "lstat(path, *, dir_fd=None)",
                 "Perform a stat system call on the given path, without "
                 "following symbolic links.");
  def<&py_chown>(m,
                 "chown(path, uid, gid, *, dir_fd=None, follow_symlinks=True)",
                 "Change the owner and group id of path to the numeric uid "
                 "and gid.");
  def<&py_lchown>(m, "lchown(path, uid, gid)",
                  "Change the owner and group id of path to the numeric uid "
                  "and gid, without following symbolic links.");
  def<&py_pathconf>(m, "pathconf(path, name)",
                    "Return the configuration limit name for the file or "
                    "directory path.");
  def<&py_statvfs>(m, "statvfs(path)",
                   "Perform a statvfs system call on the given path.");
  def<&py_sync>(m, "sync()", "Force write of everything to disk.");
  def<&py_truncate>(m, "truncate(path, length)",
                    "Truncate a file, specified by path, to a specific "
                    "length.");
  def<&py_utime>(m,
#if PY_VERSION_HEX >= 0x03080000
                 "utime(path, times=None, *, ns=<unrepresentable>, "
#else
                 "utime(path, times=None, *, ns=None, "
#endif
                 "dir_fd=None, follow_symlinks=True)",
                 "Set the access and modified time of path.");

  py::dict names;
  for (const auto& [name, value] : os::pathconf_names)
    names[py::str(name)] = value;
  m.attr("pathconf_names") = names;
}

}  // namespace oscpp_py

// Files and Directories: chdir, fchdir, getcwd, getcwdb, chown, lchown,
// chroot, link, mkfifo, mknod, major, minor, makedev, pathconf, readlink,
// rmdir, replace, statvfs, sync, truncate, and os.py's makedirs,
// removedirs and renames (from the C++ implementations).
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "convert.hpp"
#include "oscpp/files.hpp"

namespace oscpp_py {
namespace {

[[noreturn]] void raise(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

// The name for a result of the C++ library: the caller's own object where
// the library reports the caller's path, else a new str or bytes of the
// argument's type (a parent makedirs could not create, say).
py::object name_object(const std::optional<std::string>& name,
                       const path_t& path) {
  if (!name) return py::none();
  if (*name == path.bytes) return path.object;
  return path.wrap(*name);
}

[[noreturn]] void raise_named(const os::error_info& e, const path_t& path,
                              const path_t* path2 = nullptr) {
  py::object f1 = name_object(e.filename(), path);
  py::object f2 =
      path2 ? name_object(e.filename2(), *path2) : py::object(py::none());
  raise_error(e, f1, f2);
}

// ---------------------------------------------------------------- converters

#if PY_VERSION_HEX >= 0x030D0000
// Since 3.13 device numbers and their parts are ints only, with -1 for all
// ones: whether o is -1, or nullopt with TypeError set for a non-int.
std::optional<bool> int_is_minus_one(PyObject* o) {
  if (!PyLong_Check(o)) {
    PyErr_SetString(PyExc_TypeError, "an integer is required");
    return std::nullopt;
  }
  int overflow = 0;
  if (PyLong_AsLongAndOverflow(o, &overflow) == -1 && overflow == 0 &&
      !PyErr_Occurred()) {
    return true;
  }
  PyErr_Clear();
  return false;
}
#endif

// A dev_t as Python's converter reads one.
int dev_converter(PyObject* o, void* out) {
#if PY_VERSION_HEX >= 0x030D0000
  // Since 3.13: ints only, -1 is NODEV.
  std::optional<bool> minus_one = int_is_minus_one(o);
  if (!minus_one) return 0;
  if (*minus_one) {
    *static_cast<dev_t*>(out) = static_cast<dev_t>(-1);
    return 1;
  }
#endif
  unsigned long long v = PyLong_AsUnsignedLongLong(o);
  if (v == static_cast<unsigned long long>(-1) && PyErr_Occurred()) return 0;
  *static_cast<dev_t*>(out) = static_cast<dev_t>(v);
  return 1;
}

// A device number to Python: signed until 3.12; since 3.13 unsigned, with
// NODEV as -1.
py::object dev_object(dev_t dev) {
#if PY_VERSION_HEX >= 0x030D0000
  if (dev == static_cast<dev_t>(-1)) return py::int_(-1);
  return py::reinterpret_steal<py::object>(
      PyLong_FromUnsignedLongLong(static_cast<unsigned long long>(dev)));
#else
  return py::reinterpret_steal<py::object>(
      PyLong_FromLongLong(static_cast<long long>(dev)));
#endif
}

// major(), minor(): since 3.13 an all-ones part is -1.
py::object device_part(unsigned int part) {
#if PY_VERSION_HEX >= 0x030D0000
  if (part == UINT_MAX) return py::int_(-1);
#endif
  return py::int_(part);
}

// makedev's parts: C ints until 3.12; since 3.13 unsigned ints where -1 is
// all ones.
int major_minor_converter(PyObject* o, void* out) {
#if PY_VERSION_HEX >= 0x030D0000
  std::optional<bool> minus_one = int_is_minus_one(o);
  if (!minus_one) return 0;
  if (*minus_one) {
    *static_cast<unsigned int*>(out) = UINT_MAX;
    return 1;
  }
  // Read as 8 unsigned bytes first, with that conversion's messages.
  int negative = PyObject_RichCompareBool(o, py::int_(0).ptr(), Py_LT);
  if (negative < 0) return 0;
  if (negative != 0) {
    PyErr_SetString(PyExc_OverflowError,
                    "can't convert negative int to unsigned");
    return 0;
  }
  unsigned long v = PyLong_AsUnsignedLong(o);
  if (v == static_cast<unsigned long>(-1) && PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_OverflowError))
      PyErr_SetString(PyExc_OverflowError, "int too big to convert");
    return 0;
  }
  if (v > UINT_MAX) {
    PyErr_SetString(PyExc_OverflowError,
                    "Python int too large to convert to C unsigned int");
    return 0;
  }
  *static_cast<unsigned int*>(out) = static_cast<unsigned int>(v);
  return 1;
#else
  int v = 0;
  if (!int_converter(o, &v)) return 0;
  *static_cast<unsigned int*>(out) = static_cast<unsigned int>(v);
  return 1;
#endif
}

// ---------------------------------------------------------------- cwd

py::object py_chdir(const arguments& a) {
  path_t path("chdir", "path", false, true);
  a.parse(&path_converter, &path);
  check_null_path(path);
  return released(
      [&] {
        if (path.is_fd) return os::nothrow::chdir(path.fd);
        return os::nothrow::chdir(path.arg());
      },
      path.object);
}

template <bool Bytes>
py::object py_getcwd(const arguments&) {
  std::string cwd = unwrap(without_gil([] { return os::nothrow::getcwd(); }));
  if (Bytes) return to_bytes(cwd);
  return decode(cwd);
}

py::object py_chroot(const arguments& a) {
  path_t path("chroot", "path");
  a.parse(&path_converter, &path);
  return released([&] { return os::nothrow::chroot(path.arg()); }, path.object);
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

// ---------------------------------------------------------------- links

py::object py_link(const arguments& a) {
  path_t src("link", "src");
  path_t dst("link", "dst");
  int src_dir_fd = AT_FDCWD;
  int dst_dir_fd = AT_FDCWD;
  int follow_symlinks = 1;
  a.parse(&path_converter, &src, &path_converter, &dst, &dir_fd_converter,
          &src_dir_fd, &dir_fd_converter, &dst_dir_fd, &bool_converter,
          &follow_symlinks);
  return released(
      [&] {
        return os::nothrow::link(src.arg(), dst.arg(),
                                 {.src_dir_fd = src_dir_fd,
                                  .dst_dir_fd = dst_dir_fd,
                                  .follow_symlinks = follow_symlinks != 0});
      },
      src.object, dst.object);
}

py::object py_readlink(const arguments& a) {
  path_t path("readlink", "path");
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &dir_fd_converter, &dir_fd);
  auto r = without_gil(
      [&] { return os::nothrow::readlink(path.arg(), {.dir_fd = dir_fd}); });
  return path.wrap(unwrap(std::move(r), path.object));
}

// ---------------------------------------------------------------- nodes

py::object py_mkfifo(const arguments& a) {
  path_t path("mkfifo", "path");
  int mode = 0666;
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &int_converter, &mode, &dir_fd_converter,
          &dir_fd);
  // No filename in the error, as Python's.
  return released([&] {
    return os::nothrow::mkfifo(path.arg(), static_cast<mode_t>(mode),
                               {.dir_fd = dir_fd});
  });
}

py::object py_mknod(const arguments& a) {
  path_t path("mknod", "path");
  int mode = 0600;
  dev_t device = 0;
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &int_converter, &mode, &dev_converter,
          &device, &dir_fd_converter, &dir_fd);
  return released([&] {
    return os::nothrow::mknod(path.arg(), static_cast<mode_t>(mode), device,
                              {.dir_fd = dir_fd});
  });
}

py::object py_major(const arguments& a) {
  dev_t device = 0;
  a.parse(&dev_converter, &device);
  return device_part(major(device));
}

py::object py_minor(const arguments& a) {
  dev_t device = 0;
  a.parse(&dev_converter, &device);
  return device_part(minor(device));
}

py::object py_makedev(const arguments& a) {
  unsigned int major_part = 0;
  unsigned int minor_part = 0;
  a.parse(&major_minor_converter, &major_part, &major_minor_converter,
          &minor_part);
  return dev_object(makedev(major_part, minor_part));
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

// ---------------------------------------------------------------- removal

py::object py_rmdir(const arguments& a) {
  path_t path("rmdir", "path");
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &dir_fd_converter, &dir_fd);
  return released(
      [&] { return os::nothrow::rmdir(path.arg(), {.dir_fd = dir_fd}); },
      path.object);
}

// ---------------------------------------------------------------- os.py's

// A path the way os.py's functions take one: os.fspath() first (its
// TypeError), then the conversion of the posix function they call.
void convert_fspath(PyObject* o, path_t& path) {
  py::object value = fspath(o);
  if (!path_converter(value.ptr(), &path)) throw py::error_already_set();
}

py::object py_makedirs(const arguments& a) {
  PyObject* name = a[0];
  PyObject* mode_obj = a[1];
  PyObject* exist_ok_obj = a[2] ? a[2] : Py_False;
  // Errors name what mkdir was given: the caller's path or a parent of it.
  path_t path("mkdir", "path");
  convert_fspath(name, path);
  int mode = 0777;
  if (mode_obj != nullptr && !int_converter(mode_obj, &mode))
    throw py::error_already_set();
  int exist_ok = PyObject_IsTrue(exist_ok_obj);
  if (exist_ok < 0) throw py::error_already_set();
  auto r = without_gil([&] {
    return os::nothrow::makedirs(path.arg(), {.mode = static_cast<mode_t>(mode),
                                              .exist_ok = exist_ok != 0});
  });
  if (!r) raise_named(r.error(), path);
  return py::none();
}

py::object py_removedirs(const arguments& a) {
  PyObject* name = a[0];
  // The first step is rmdir(name): its conversion and errors.
  path_t path("rmdir", "path");
  if (!path_converter(name, &path)) throw py::error_already_set();
  return released([&] { return os::nothrow::removedirs(path.arg()); },
                  path.object);
}

py::object py_renames(const arguments& a) {
  PyObject* old_obj = a[0];
  PyObject* new_obj = a[1];
  // Python splits new first (os.fspath), then calls rename(old, new).
  (void)fspath(new_obj);
  path_t old_name("rename", "src");
  path_t new_name("rename", "dst");
  if (!path_converter(old_obj, &old_name) ||
      !path_converter(new_obj, &new_name))
    throw py::error_already_set();
  auto r = without_gil(
      [&] { return os::nothrow::renames(old_name.arg(), new_name.arg()); });
  if (r) return py::none();
  // A failed rename names both arguments; a failed makedirs the parent.
  if (r.error().filename2())
    raise_error(r.error(), old_name.object, new_name.object);
  raise_named(r.error(), new_name);
}

}  // namespace

OSCPP_BINDINGS(files_dirs) {
  def<&py_chdir>(m, "chdir(path)",
                 "Change the current working directory to the specified "
                 "path.");
  def<&call_released<&os::nothrow::fchdir, fildes_arg>>(
      m, "fchdir(fd)", "Change to the directory of the given file descriptor.");
  def<&py_getcwd<false>>(m, "getcwd()",
                         "Return a unicode string representing the current "
                         "working directory.");
  def<&py_getcwd<true>>(m, "getcwdb()",
                        "Return a bytes string representing the current "
                        "working directory.");
  def<&py_chown>(m,
                 "chown(path, uid, gid, *, dir_fd=None, follow_symlinks=True)",
                 "Change the owner and group id of path to the numeric uid "
                 "and gid.");
  def<&py_lchown>(m, "lchown(path, uid, gid)",
                  "Change the owner and group id of path to the numeric uid "
                  "and gid, without following symbolic links.");
  def<&py_chroot>(m, "chroot(path)", "Change root directory to path.");
  def<&py_link>(m,
                "link(src, dst, *, src_dir_fd=None, dst_dir_fd=None, "
                "follow_symlinks=True)",
                "Create a hard link to a file.");
  def<&py_mkfifo>(m, "mkfifo(path, mode=438, *, dir_fd=None)",
                  "Create a \"fifo\" (a POSIX named pipe).");
  def<&py_mknod>(m, "mknod(path, mode=384, device=0, *, dir_fd=None)",
                 "Create a node in the file system.");
  def<&py_major>(m, "major(device, /)",
                 "Extracts a device major number from a raw device number.");
  def<&py_minor>(m, "minor(device, /)",
                 "Extracts a device minor number from a raw device number.");
  def<&py_makedev>(m, "makedev(major, minor, /)",
                   "Composes a raw device number from the major and minor "
                   "device numbers.");
  def<&py_pathconf>(m, "pathconf(path, name)",
                    "Return the configuration limit name for the file or "
                    "directory path.");
  def<&py_readlink>(m, "readlink(path, *, dir_fd=None)",
                    "Return a string representing the path to which the "
                    "symbolic link points.");
  def<&py_rmdir>(m, "rmdir(path, *, dir_fd=None)", "Remove a directory.");
  def<&py_statvfs>(m, "statvfs(path)",
                   "Perform a statvfs system call on the given path.");
  def<&py_sync>(m, "sync()", "Force write of everything to disk.");
  def<&py_truncate>(m, "truncate(path, length)",
                    "Truncate a file, specified by path, to a specific "
                    "length.");
  def_python<&py_makedirs>(m, "makedirs(name, mode=511, exist_ok=False)",
                           "Super-mkdir; create a leaf directory and all "
                           "intermediate ones.");
  def_python<&py_removedirs>(
      m, "removedirs(name)",
      "Super-rmdir; remove a leaf directory and all empty "
      "intermediate ones.");
  def_python<&py_renames>(m, "renames(old, new)",
                          "Super-rename; create directories as necessary and "
                          "delete any left empty.");
}

}  // namespace oscpp_py

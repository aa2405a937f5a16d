// Files and Directories, directories: listdir, mkdir, rmdir, chdir, fchdir,
// getcwd, getcwdb, chroot, and os.py's makedirs, removedirs and renames
// (from the C++ implementations).
#include <fcntl.h>
#include <sys/types.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "oscpp/files.hpp"

namespace oscpp_py {
namespace {

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

py::object py_listdir(const arguments& a) {
  path_t path("listdir", "path", true, true);
  // Omitted is None: the converter does not run for a missing argument.
  path.is_none = true;
  path.bytes = ".";
  a.parse(&path_converter, &path);
  null_path_as_cwd(path);
  auto r = without_gil([&] {
    if (path.is_fd) return os::nothrow::listdir(path.fd);
    return os::nothrow::listdir(path.arg());
  });
  std::vector<std::string> names = unwrap(std::move(r), path.object);
  py::list result(names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    result[i] = path.wrap(names[i]);
  return py::object(std::move(result));
}

py::object py_mkdir(const arguments& a) {
  path_t path("mkdir", "path");
  int mode = 0777;
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &int_converter, &mode, &dir_fd_converter,
          &dir_fd);
  return released(
      [&] {
        return os::nothrow::mkdir(path.arg(), static_cast<mode_t>(mode),
                                  {.dir_fd = dir_fd});
      },
      path.object);
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
  def<&py_listdir>(m, "listdir(path=None)",
                   "Return a list containing the names of the files in the "
                   "directory.");
  def<&py_mkdir>(m, "mkdir(path, mode=511, *, dir_fd=None)",
                 "Create a directory.");
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
  def<&py_chroot>(m, "chroot(path)", "Change root directory to path.");
  def<&py_rmdir>(m, "rmdir(path, *, dir_fd=None)", "Remove a directory.");
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

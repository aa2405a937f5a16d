// Files and Directories: Linux extended attributes (getxattr, setxattr,
// listxattr, removexattr) with CPython's signatures and checks.
#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "oscpp/files_xattr.hpp"

namespace oscpp_py {
namespace {

// Python refuses follow_symlinks=False with a descriptor (fd 0 slips
// through its check, as in CPython).
void check_fd_follow(const char* function, const path_t& path, int follow) {
  if (path.is_fd && path.fd > 0 && !follow) {
    PyErr_Format(PyExc_ValueError,
                 "%s: cannot use fd and follow_symlinks together", function);
    throw py::error_already_set();
  }
}

// A Py_buffer released when done.
struct buffer {
  Py_buffer view{};
  ~buffer() {
    if (view.obj != nullptr) PyBuffer_Release(&view);
  }
};

py::object py_getxattr(const arguments& a) {
  path_t path("getxattr", "path", false, true);
  path_t attribute("getxattr", "attribute");
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &path_converter, &attribute, &bool_converter,
          &follow_symlinks);
  check_fd_follow("getxattr", path, follow_symlinks);
  check_null_path(path, true);
  auto r = without_gil([&] {
    if (path.is_fd) return os::nothrow::getxattr(path.fd, attribute.arg());
    return os::nothrow::getxattr(path.arg(), attribute.arg(),
                                 {.follow_symlinks = follow_symlinks != 0});
  });
  std::string value = unwrap(std::move(r), path.object);
  return to_bytes(value);
}

py::object py_setxattr(const arguments& a) {
  path_t path("setxattr", "path", false, true);
  path_t attribute("setxattr", "attribute");
  buffer value;
  int flags = 0;
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &path_converter, &attribute,
          &buffer_converter, &value.view, &int_converter, &flags,
          &bool_converter, &follow_symlinks);
  check_fd_follow("setxattr", path, follow_symlinks);
  check_null_path(path, true);
  std::string_view bytes(static_cast<const char*>(value.view.buf),
                         static_cast<std::size_t>(value.view.len));
  return released(
      [&] {
        if (path.is_fd)
          return os::nothrow::setxattr(path.fd, attribute.arg(), bytes, flags);
        return os::nothrow::setxattr(path.arg(), attribute.arg(), bytes, flags,
                                     {.follow_symlinks = follow_symlinks != 0});
      },
      path.object);
}

py::object py_listxattr(const arguments& a) {
  path_t path("listxattr", "path", true, true);
  path.is_none = true;
  path.bytes = ".";
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &bool_converter, &follow_symlinks);
  check_fd_follow("listxattr", path, follow_symlinks);
  null_path_as_cwd(path, true);
  auto r = without_gil([&] {
    if (path.is_fd) return os::nothrow::listxattr(path.fd);
    return os::nothrow::listxattr(path.arg(),
                                  {.follow_symlinks = follow_symlinks != 0});
  });
  std::vector<std::string> names = unwrap(std::move(r), path.object);
  // Names are str whatever the path's type, as in Python.
  py::list out(names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i),
                    decode(names[i]).release().ptr());
  return py::object(std::move(out));
}

py::object py_removexattr(const arguments& a) {
  path_t path("removexattr", "path", false, true);
  path_t attribute("removexattr", "attribute");
  int follow_symlinks = 1;
  a.parse(&path_converter, &path, &path_converter, &attribute, &bool_converter,
          &follow_symlinks);
  check_fd_follow("removexattr", path, follow_symlinks);
  check_null_path(path, true);
  return released(
      [&] {
        if (path.is_fd)
          return os::nothrow::removexattr(path.fd, attribute.arg());
        return os::nothrow::removexattr(
            path.arg(), attribute.arg(),
            {.follow_symlinks = follow_symlinks != 0});
      },
      path.object);
}

}  // namespace

OSCPP_BINDINGS(xattr) {
  def<&py_getxattr>(
      m, "getxattr(path, attribute, *, follow_symlinks=True)",
      "Return the value of extended attribute attribute on path.");
  def<&py_setxattr>(
      m, "setxattr(path, attribute, value, flags=0, *, follow_symlinks=True)",
      "Set extended attribute attribute on path to value.");
  def<&py_listxattr>(m, "listxattr(path=None, *, follow_symlinks=True)",
                     "Return a list of extended attributes on path.");
  def<&py_removexattr>(m,
                       "removexattr(path, attribute, *, follow_symlinks=True)",
                       "Remove extended attribute attribute on path.");
}

}  // namespace oscpp_py

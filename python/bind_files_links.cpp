// Files and Directories, links and names: link, symlink, readlink, rename,
// replace, unlink, remove.
#include <fcntl.h>

#include "convert.hpp"
#include "oscpp/files.hpp"

namespace oscpp_py {
namespace {

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

// rename and replace take the same arguments; only the call differs.
py::object rename_or_replace(const arguments& a, const char* name,
                             bool replace) {
  path_t src(name, "src");
  path_t dst(name, "dst");
  int src_dir_fd = AT_FDCWD;
  int dst_dir_fd = AT_FDCWD;
  a.parse(&path_converter, &src, &path_converter, &dst, &dir_fd_converter,
          &src_dir_fd, &dir_fd_converter, &dst_dir_fd);
  return released(
      [&] {
        os::rename_options opts{.src_dir_fd = src_dir_fd,
                                .dst_dir_fd = dst_dir_fd};
        return replace ? os::nothrow::replace(src.arg(), dst.arg(), opts)
                       : os::nothrow::rename(src.arg(), dst.arg(), opts);
      },
      src.object, dst.object);
}

py::object py_rename(const arguments& a) {
  return rename_or_replace(a, "rename", false);
}

py::object py_replace(const arguments& a) {
  return rename_or_replace(a, "replace", true);
}

py::object py_symlink(const arguments& a) {
  path_t src("symlink", "src");
  path_t dst("symlink", "dst");
  int target_is_directory = 0;
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &src, &path_converter, &dst, &bool_converter,
          &target_is_directory, &dir_fd_converter, &dir_fd);
  return released(
      [&] {
        return os::nothrow::symlink(
            src.arg(), dst.arg(),
            {.target_is_directory = target_is_directory != 0,
             .dir_fd = dir_fd});
      },
      src.object, dst.object);
}

// unlink and remove: the same function under two names.
template <bool Remove>
py::object py_unlink(const arguments& a) {
  const char* name = Remove ? "remove" : "unlink";
  path_t path(name, "path");
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &dir_fd_converter, &dir_fd);
  return released(
      [&] {
        return Remove ? os::nothrow::remove(path.arg(), {.dir_fd = dir_fd})
                      : os::nothrow::unlink(path.arg(), {.dir_fd = dir_fd});
      },
      path.object);
}

}  // namespace

OSCPP_BINDINGS(files_links) {
  def<&py_link>(m,
                "link(src, dst, *, src_dir_fd=None, dst_dir_fd=None, "
                "follow_symlinks=True)",
                "Create a hard link to a file.");
  def<&py_readlink>(m, "readlink(path, *, dir_fd=None)",
                    "Return a string representing the path to which the "
                    "symbolic link points.");
  def<&py_rename>(m, "rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None)",
                  "Rename a file or directory.");
  def<&py_replace>(m, "replace(src, dst, *, src_dir_fd=None, dst_dir_fd=None)",
                   "Rename a file or directory, overwriting the destination.");
  def<&py_symlink>(
      m, "symlink(src, dst, target_is_directory=False, *, dir_fd=None)",
      "Create a symbolic link pointing to src named dst.");
  def<&py_unlink<false>>(m, "unlink(path, *, dir_fd=None)",
                         "Remove a file (same as remove()).");
  def<&py_unlink<true>>(m, "remove(path, *, dir_fd=None)",
                        "Remove a file (same as unlink()).");
}

}  // namespace oscpp_py

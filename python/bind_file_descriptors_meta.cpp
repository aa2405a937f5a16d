// File Descriptor Operations, the meta topic: fstat, fstatvfs, fpathconf
// (and pathconf_names), fchmod, fchown, fsync, fdatasync, ftruncate,
// posix_fallocate, posix_fadvise.
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "convert.hpp"
#include "oscpp/file_descriptors.hpp"

namespace oscpp_py {
namespace {

py::object py_fchmod(const arguments& a) {
  int fd = -1;
  int mode = 0;
  a.parse(&int_converter, &fd, &int_converter, &mode);
  unwrap(without_gil(
      [&] { return os::nothrow::fchmod(fd, static_cast<mode_t>(mode)); }));
  return py::none();
}

py::object py_fchown(const arguments& a) {
  int fd = -1;
  uid_t uid = 0;
  gid_t gid = 0;
  a.parse(&int_converter, &fd, &uid_converter, &uid, &gid_converter, &gid);
  unwrap(without_gil([&] { return os::nothrow::fchown(fd, uid, gid); }));
  return py::none();
}

py::object py_fdatasync(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  unwrap(without_gil([&] { return os::nothrow::fdatasync(fd); }));
  return py::none();
}

py::object py_fsync(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  unwrap(without_gil([&] { return os::nothrow::fsync(fd); }));
  return py::none();
}

py::object py_fpathconf(const arguments& a) {
  int fd = -1;
  int name = 0;
  a.parse(&fildes_converter, &fd, &pathconf_name_converter, &name);
  long value =
      unwrap(without_gil([&] { return os::nothrow::fpathconf(fd, name); }));
  return py::int_(value);
}

py::object py_fstat(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  os::stat_result st =
      unwrap(without_gil([&] { return os::nothrow::fstat(fd); }));
  return make_stat_result(st);
}

py::object py_fstatvfs(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  os::statvfs_result st =
      unwrap(without_gil([&] { return os::nothrow::fstatvfs(fd); }));
  return make_statvfs_result(st);
}

py::object py_ftruncate(const arguments& a) {
  int fd = -1;
  off_t length = 0;
  a.parse(&int_converter, &fd, &offset_converter, &length);
  unwrap(without_gil([&] { return os::nothrow::ftruncate(fd, length); }));
  return py::none();
}

py::object py_posix_fallocate(const arguments& a) {
  int fd = -1;
  off_t offset = 0;
  off_t length = 0;
  a.parse(&int_converter, &fd, &offset_converter, &offset, &offset_converter,
          &length);
  unwrap(without_gil(
      [&] { return os::nothrow::posix_fallocate(fd, offset, length); }));
  return py::none();
}

py::object py_posix_fadvise(const arguments& a) {
  int fd = -1;
  off_t offset = 0;
  off_t length = 0;
  int advice = 0;
  a.parse(&int_converter, &fd, &offset_converter, &offset, &offset_converter,
          &length, &int_converter, &advice);
  unwrap(without_gil(
      [&] { return os::nothrow::posix_fadvise(fd, offset, length, advice); }));
  return py::none();
}

}  // namespace

OSCPP_BINDINGS(file_descriptors_meta) {
  def<&py_fchmod>(m, "fchmod(fd, mode)",
                  "Change the mode of the file open on fd.");
  def<&py_fchown>(m, "fchown(fd, uid, gid)",
                  "Change the owner and group of the file open on fd (-1 "
                  "leaves one unchanged).");
  def<&py_fdatasync>(m, "fdatasync(fd)",
                     "Flush fd's data (not all of its metadata) to disk.");
  def<&py_fsync>(m, "fsync(fd)",
                 "Flush fd (an int or an object with fileno()) to disk.");
  def<&py_fpathconf>(m, "fpathconf(fd, name, /)",
                     "A configuration limit (a name of pathconf_names, or a "
                     "number) of the file open on fd; -1 if none.");
  def<&py_fstat>(m, "fstat(fd)", "The os.stat_result of the file open on fd.");
  def<&py_fstatvfs>(m, "fstatvfs(fd, /)",
                    "The os.statvfs_result of the file system of fd.");
  def<&py_ftruncate>(m, "ftruncate(fd, length, /)",
                     "Truncate (or extend) the file open on fd to length "
                     "bytes.");
  def<&py_posix_fallocate>(m, "posix_fallocate(fd, offset, length, /)",
                           "Allocate disk space for length bytes of fd from "
                           "offset.");
  def<&py_posix_fadvise>(m, "posix_fadvise(fd, offset, length, advice, /)",
                         "Announce how fd's data from offset will be "
                         "accessed (POSIX_FADV_*).");

  py::dict names;
  for (const auto& [name, value] : os::pathconf_names)
    names[py::str(name)] = value;
  m.attr("pathconf_names") = names;
}

}  // namespace oscpp_py

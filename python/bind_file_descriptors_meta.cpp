// File Descriptor Operations, the file behind a descriptor: fstat, fstatvfs,
// fpathconf, fchmod, fchown, fsync, fdatasync, ftruncate, posix_fallocate,
// posix_fadvise.
#include <sys/types.h>

#include "convert.hpp"
#include "oscpp/file_descriptors.hpp"

namespace oscpp_py {
namespace {

py::object py_fpathconf(const arguments& a) {
  int fd = -1;
  int name = 0;
  // Until 3.9 fd is a plain int (no fileno()).
  a.parse(PY_VERSION_HEX < 0x030A0000 ? &int_converter : &fildes_converter, &fd,
          &pathconf_name_converter, &name);
  return released([&] { return os::nothrow::fpathconf(fd, name); });
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

}  // namespace

OSCPP_BINDINGS(file_descriptors_meta) {
  def<&call_released<&os::nothrow::fchmod, int_arg, int_arg>>(
      m, "fchmod(fd, mode)", "Change the mode of the file open on fd.");
  def<&call_released<&os::nothrow::fchown, int_arg, uid_arg, gid_arg>>(
      m, "fchown(fd, uid, gid)",
      "Change the owner and group of the file open on fd (-1 "
      "leaves one unchanged).");
  def<&call_released<&os::nothrow::fdatasync, fildes_arg>>(
      m, "fdatasync(fd)", "Flush fd's data (not all of its metadata) to disk.");
  def<&call_released<&os::nothrow::fsync, fildes_arg>>(
      m, "fsync(fd)", "Flush fd (an int or an object with fileno()) to disk.");
  def<&py_fpathconf>(m, "fpathconf(fd, name, /)",
                     "A configuration limit (a name of pathconf_names, or a "
                     "number) of the file open on fd; -1 if none.");
  def<&py_fstat>(m, "fstat(fd)", "The os.stat_result of the file open on fd.");
  def<&py_fstatvfs>(m, "fstatvfs(fd, /)",
                    "The os.statvfs_result of the file system of fd.");
  def<&call_released<&os::nothrow::ftruncate, int_arg, offset_arg>>(
      m, "ftruncate(fd, length, /)",
      "Truncate (or extend) the file open on fd to length "
      "bytes.");
  def<&call_released<&os::nothrow::posix_fallocate, int_arg, offset_arg,
                     offset_arg>>(
      m, "posix_fallocate(fd, offset, length, /)",
      "Allocate disk space for length bytes of fd from "
      "offset.");
  def<&call_released<&os::nothrow::posix_fadvise, int_arg, offset_arg,
                     offset_arg, int_arg>>(
      m, "posix_fadvise(fd, offset, length, advice, /)",
      "Announce how fd's data from offset will be "
      "accessed (POSIX_FADV_*).");
}

}  // namespace oscpp_py

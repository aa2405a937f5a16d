// File Descriptor Operations: open, close, dup, metadata, locking,
// inheritance and blocking, fpathconf, fdopen. The reading and writing
// family is in bind_file_descriptors_io.cpp; terminals, ptys, eventfd,
// memfd and timerfd in bind_file_descriptors_special.cpp.
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <string>
#include <utility>

#include "convert.hpp"
#include "oscpp/file_descriptors.hpp"

namespace oscpp_py {
namespace {

py::object py_close(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  return released([&] { return os::nothrow::close(fd); });
}

py::object py_device_encoding(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  std::optional<std::string> encoding = os::device_encoding(fd);
  if (!encoding) return py::none();
  // Python's locale encoding is "utf-8" in UTF-8 mode, whatever the locale.
  py::object flags = py::module_::import("sys").attr("flags");
  if (py::cast<bool>(flags.attr("utf8_mode"))) return py::str("utf-8");
  return decode(*encoding);
}

py::object py_dup2(const arguments& a) {
  int fd = -1;
  int fd2 = -1;
  int inheritable = 1;
  a.parse(&int_converter, &fd, &int_converter, &fd2, &bool_converter,
          &inheritable);
  return released([&] { return os::nothrow::dup2(fd, fd2, inheritable != 0); });
}

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

py::object py_set_blocking(const arguments& a) {
  int fd = -1;
  int blocking = 0;
  // Until 3.12 Python takes an int here, not any truthy object.
  a.parse(&int_converter, &fd,
          PY_VERSION_HEX >= 0x030C0000 ? &bool_converter : &int_converter,
          &blocking);
  return python_value(os::nothrow::set_blocking(fd, blocking != 0));
}

py::object py_isatty(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  return py::bool_(without_gil([&] { return os::isatty(fd); }));
}

py::object py_lseek(const arguments& a) {
  int fd = -1;
  off_t position = 0;
  int whence = 0;
  a.parse(&int_converter, &fd, &offset_converter, &position, &int_converter,
          &whence);
  off_t result = unwrap(
      without_gil([&] { return os::nothrow::lseek(fd, position, whence); }));
  return py::int_(result);
}

py::object py_open(const arguments& a) {
  path_t path("open", "path");
  int flags = 0;
  int mode = 0777;
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &int_converter, &flags, &int_converter, &mode,
          &dir_fd_converter, &dir_fd);
  os::unique_fd fd = unwrap(without_gil([&] {
                              return os::nothrow::open(
                                  path.arg(), flags, static_cast<mode_t>(mode),
                                  {.dir_fd = dir_fd});
                            }),
                            filename_of(path));
  return fd_result(std::move(fd));
}

py::object pair_of(os::unique_fd a, os::unique_fd b) {
  py::int_ first(a.get());
  py::int_ second(b.get());
  py::tuple result = py::make_tuple(first, second);
  // Only once the result exists do the descriptors belong to the caller.
  static_cast<void>(a.release());
  static_cast<void>(b.release());
  return result;
}

py::object py_pipe(const arguments&) {
  os::pipe_fds fds = unwrap(os::nothrow::pipe());
  return pair_of(std::move(fds.r), std::move(fds.w));
}

py::object py_pipe2(const arguments& a) {
  int flags = 0;
  a.parse(&int_converter, &flags);
  os::pipe_fds fds = unwrap(os::nothrow::pipe2(flags));
  return pair_of(std::move(fds.r), std::move(fds.w));
}

// os.fdopen: Python's file object on fd, from the io module (C stdio
// streams would not be Python file objects).
py::object py_fdopen(const arguments& a) {
  py::handle fd = a[0];
  if (!PyLong_Check(fd.ptr())) {
    py::str type = py::str(py::type::handle_of(fd));
    PyErr_Format(PyExc_TypeError, "invalid fd type (%U, expected integer)",
                 type.ptr());
    throw py::error_already_set();
  }
  py::module_ io = py::module_::import("io");
#if PY_VERSION_HEX >= 0x030A0000
  py::object mode = a[1] ? py::reinterpret_borrow<py::object>(a[1])
                         : py::object(py::str("r"));
  py::object buffering = a[2] ? py::reinterpret_borrow<py::object>(a[2])
                              : py::object(py::int_(-1));
  py::object encoding =
      py::reinterpret_borrow<py::object>(a[3] ? a[3] : Py_None);
  int has_b = PySequence_Contains(mode.ptr(), py::str("b").ptr());
  if (has_b < 0) throw py::error_already_set();
  if (has_b == 0) encoding = io.attr("text_encoding")(encoding);
  return io.attr("open")(fd, mode, buffering, encoding, *a.rest_args(),
                         **a.rest_kwargs());
#else
  return io.attr("open")(fd, *a.rest_args(), **a.rest_kwargs());
#endif
}

}  // namespace

OSCPP_BINDINGS(file_descriptors) {
  def<&py_close>(m, "close(fd)", "Close fd (never retried on EINTR).");
  def<&call_released<&os::nothrow::closerange, int_arg, int_arg>>(
      m, "closerange(fd_low, fd_high, /)",
      "Close every descriptor in [fd_low, fd_high), ignoring "
      "errors.");
  def<&py_device_encoding>(m, "device_encoding(fd)",
                           "The encoding of the terminal on fd, or None if fd "
                           "is not a terminal.");
  def<&call<&os::nothrow::dup, int_arg>>(
      m, "dup(fd, /)", "Return a non-inheritable duplicate of fd.");
  def<&py_dup2>(m, "dup2(fd, fd2, inheritable=True)",
                "Make fd2 a copy of fd (inheritable unless inheritable is "
                "false); return fd2.");
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
  def<&call<&os::nothrow::get_blocking, int_arg>>(
      m, "get_blocking(fd, /)", "False if O_NONBLOCK is set on fd, else True.");
  def<&py_set_blocking>(m, "set_blocking(fd, blocking, /)",
                        "Clear O_NONBLOCK on fd if blocking, else set it.");
  def<&call<&os::nothrow::get_inheritable, int_arg>>(
      m, "get_inheritable(fd, /)", "True unless fd is close-on-exec.");
  def<&call<&os::nothrow::set_inheritable, int_arg, int_arg>>(
      m, "set_inheritable(fd, inheritable, /)",
      "Clear (inheritable) or set fd's close-on-exec "
      "flag.");
  def<&py_isatty>(m, "isatty(fd, /)", "True if fd is a terminal.");
  def<&call_released<&os::nothrow::lockf, int_arg, int_arg, offset_arg>>(
      m, "lockf(fd, command, length, /)",
      "Apply, test or remove a POSIX record lock (F_LOCK, F_TLOCK, "
      "F_ULOCK, F_TEST) on fd.");
  def<&py_lseek>(m,
#if PY_VERSION_HEX >= 0x030B0000
                 "lseek(fd, position, whence, /)",
#else
                 "lseek(fd, position, how, /)",
#endif
                 "Move fd's position (SEEK_SET, SEEK_CUR, SEEK_END ...); "
                 "return the new position.");
  def<&py_open>(m, "open(path, flags, mode=511, *, dir_fd=None)",
                "Open path with flags (always close-on-exec); return the "
                "descriptor.");
  def<&py_pipe>(m, "pipe()",
                "Create a pipe; return (read_fd, write_fd), both "
                "non-inheritable.");
  def<&py_pipe2>(m, "pipe2(flags, /)",
                 "Create a pipe with flags (O_NONBLOCK, O_CLOEXEC) set "
                 "atomically; return (read_fd, write_fd).");
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
  def_python<&py_fdopen>(
      m,
#if PY_VERSION_HEX >= 0x030A0000
      "fdopen(fd, mode='r', buffering=-1, encoding=None, *args, **kwargs)",
#else
      "fdopen(fd, *args, **kwargs)",
#endif
      "A Python file object on fd: io.open(fd, mode, buffering, "
      "encoding, ...).");

  py::dict names;
  for (const auto& [name, value] : os::pathconf_names)
    names[py::str(name)] = value;
  m.attr("pathconf_names") = names;
}

}  // namespace oscpp_py

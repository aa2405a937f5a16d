// File Descriptor Operations: open, close, closerange, dup, dup2, pipe,
// pipe2, lseek, lockf, get/set_blocking, get/set_inheritable. The other
// topics: bind_file_descriptors_io.cpp (read, write ...), _meta (fstat,
// fsync ...), _special (memfd, eventfd, timerfd), _terminals.
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

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

py::object py_dup2(const arguments& a) {
  int fd = -1;
  int fd2 = -1;
  int inheritable = 1;
  a.parse(&int_converter, &fd, &int_converter, &fd2, &bool_converter,
          &inheritable);
#if PY_VERSION_HEX < 0x030A0000
  // Before 3.10 Python refuses a negative descriptor before any call, with
  // the OSError of whatever errno holds (0, "Error", in a fresh process).
  if (fd < 0 || fd2 < 0) {
    PyErr_SetFromErrno(PyExc_OSError);
    throw py::error_already_set();
  }
#endif
  return released([&] { return os::nothrow::dup2(fd, fd2, inheritable != 0); });
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

}  // namespace

OSCPP_BINDINGS(file_descriptors) {
  def<&py_close>(m, "close(fd)", "Close fd (never retried on EINTR).");
  def<&call_released<&os::nothrow::closerange, int_arg, int_arg>>(
      m, "closerange(fd_low, fd_high, /)",
      "Close every descriptor in [fd_low, fd_high), ignoring "
      "errors.");
  def<&call<&os::nothrow::dup, int_arg>>(
      m, "dup(fd, /)", "Return a non-inheritable duplicate of fd.");
  def<&py_dup2>(m, "dup2(fd, fd2, inheritable=True)",
                "Make fd2 a copy of fd (inheritable unless inheritable is "
                "false); return fd2.");
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
}

}  // namespace oscpp_py

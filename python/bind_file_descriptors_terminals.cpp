// File Descriptor Operations, terminals: isatty, ttyname, device_encoding,
// get_terminal_size, openpty, posix_openpt, grantpt, unlockpt, ptsname,
// login_tty, tcgetpgrp, tcsetpgrp.
#include <sys/types.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "convert.hpp"
#include "oscpp/file_descriptors.hpp"

namespace oscpp_py {
namespace {

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

py::object py_isatty(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  return py::bool_(without_gil([&] { return os::isatty(fd); }));
}

py::object py_openpty(const arguments&) {
  os::pty_fds fds = unwrap(without_gil([] { return os::nothrow::openpty(); }));
  py::tuple result = py::make_tuple(fds.master_fd.get(), fds.slave_fd.get());
  // The caller owns them only once the result exists.
  static_cast<void>(fds.master_fd.release());
  static_cast<void>(fds.slave_fd.release());
  return result;
}

py::object py_posix_openpt(const arguments& a) {
  int oflag = 0;
  a.parse(&int_converter, &oflag);
  return fd_result(
      unwrap(without_gil([&] { return os::nothrow::posix_openpt(oflag); })));
}

py::object py_login_tty(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  return python_value(os::nothrow::login_tty(fd));
}

py::object py_get_terminal_size(const arguments& a) {
  int fd = STDOUT_FILENO;
  // Until 3.8 fd is read as "i" (a C long's overflow message first).
  a.parse(PY_VERSION_HEX < 0x03090000 ? &c_int_converter : &int_converter, &fd);
  os::terminal_size size = unwrap(os::nothrow::get_terminal_size(fd));
  return terminal_size_type()(py::make_tuple(size.columns, size.lines));
}

}  // namespace

OSCPP_BINDINGS(file_descriptors_terminals) {
  def<&py_device_encoding>(m, "device_encoding(fd)",
                           "The encoding of the terminal on fd, or None if fd "
                           "is not a terminal.");
  def<&py_isatty>(m, "isatty(fd, /)", "True if fd is a terminal.");
  def<&py_openpty>(m, "openpty()",
                   "Open a pseudo-terminal; return (master_fd, slave_fd), "
                   "both non-inheritable.");
  def<&py_posix_openpt>(m, "posix_openpt(oflag, /)",
                        "Open a pseudo-terminal master (always "
                        "close-on-exec).");
  def<&call_released<&os::nothrow::grantpt, fildes_arg>>(
      m, "grantpt(fd, /)",
      "Grant access to the slave of a pseudo-terminal master.");
  def<&call<&os::nothrow::unlockpt, fildes_arg>>(
      m, "unlockpt(fd, /)", "Unlock the slave of a pseudo-terminal master.");
  def<&call<&os::nothrow::ptsname, fildes_arg>>(
      m, "ptsname(fd, /)",
      "Return the name of the slave of a pseudo-terminal "
      "master.");
  def<&py_login_tty>(m, "login_tty(fd, /)",
                     "Make fd the controlling terminal and stdin, stdout and "
                     "stderr of a new session, then close fd.");
  def<&call<&os::nothrow::ttyname, int_arg>>(
      m, "ttyname(fd, /)",
      "Return the name of the terminal device connected to fd.");
  def<&call<&os::nothrow::tcgetpgrp, int_arg>>(
      m, "tcgetpgrp(fd, /)",
      "Return the process group of the terminal's "
      "foreground.");
  // Python parses both as PyArg "i" (its messages differ from other ints).
  def<&call_released<&os::nothrow::tcsetpgrp, c_int_arg, c_int_arg>>(
      m, "tcsetpgrp(fd, pgid, /)",
      "Set the process group of the terminal's foreground.",
      wording::clinic_format);
  def<&py_get_terminal_size>(
      m, "get_terminal_size(fd=<unrepresentable>, /)",
      "Return the size of the terminal window as (columns, lines).",
      PY_VERSION_HEX < 0x03090000 ? wording::unnamed_format : wording::clinic);
}

}  // namespace oscpp_py

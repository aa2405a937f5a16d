// File Descriptor Operations, the terminals topic: isatty, ttyname,
// device_encoding, get_terminal_size, openpty, posix_openpt, grantpt,
// unlockpt, ptsname, login_tty, tcgetpgrp, tcsetpgrp.
#include <sys/types.h>
#include <unistd.h>

#include <string>
#include <utility>

#include "convert.hpp"
#include "oscpp/file_descriptors.hpp"

namespace oscpp_py {
namespace {

// The descriptor as a Python int, which owns it only once the int exists.
py::object fd_result(os::unique_fd fd) {
  py::int_ result(fd.get());
  static_cast<void>(fd.release());
  return result;
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

py::object py_grantpt(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  unwrap(without_gil([&] { return os::nothrow::grantpt(fd); }));
  return py::none();
}

py::object py_unlockpt(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  unwrap(os::nothrow::unlockpt(fd));
  return py::none();
}

py::object py_ptsname(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  return decode(unwrap(os::nothrow::ptsname(fd)));
}

py::object py_login_tty(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  unwrap(os::nothrow::login_tty(fd));
  return py::none();
}

py::object py_ttyname(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  return decode(unwrap(os::nothrow::ttyname(fd)));
}

py::object py_tcgetpgrp(const arguments& a) {
  int fd = -1;
  a.parse(&int_converter, &fd);
  return py::int_(unwrap(os::nothrow::tcgetpgrp(fd)));
}

py::object py_tcsetpgrp(const arguments& a) {
  int fd = -1;
  int pgid = 0;
  // Python parses both as PyArg "i" (its messages differ from other ints).
  a.parse(&c_int_converter, &fd, &c_int_converter, &pgid);
  unwrap(without_gil([&] { return os::nothrow::tcsetpgrp(fd, pgid); }));
  return py::none();
}

py::object py_get_terminal_size(PyObject* args, PyObject* kwargs) {
  int fd = STDOUT_FILENO;
  parse(args, kwargs, "|O&:get_terminal_size", {""}, &int_converter, &fd);
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
  def<&py_grantpt>(m, "grantpt(fd, /)",
                   "Grant access to the slave of a pseudo-terminal master.");
  def<&py_unlockpt>(m, "unlockpt(fd, /)",
                    "Unlock the slave of a pseudo-terminal master.");
  def<&py_ptsname>(m, "ptsname(fd, /)",
                   "Return the name of the slave of a pseudo-terminal "
                   "master.");
  def<&py_login_tty>(m, "login_tty(fd, /)",
                     "Make fd the controlling terminal and stdin, stdout and "
                     "stderr of a new session, then close fd.");
  def<&py_ttyname>(m, "ttyname(fd, /)",
                   "Return the name of the terminal device connected to fd.");
  def<&py_tcgetpgrp>(m, "tcgetpgrp(fd, /)",
                     "Return the process group of the terminal's "
                     "foreground.");
  def<&py_tcsetpgrp>(m, "tcsetpgrp(fd, pgid, /)",
                     "Set the process group of the terminal's foreground.",
                     wording::clinic_format);
  def<&py_get_terminal_size>(
      m, "get_terminal_size",
      "Return the size of the terminal window as (columns, lines).");
}

}  // namespace oscpp_py

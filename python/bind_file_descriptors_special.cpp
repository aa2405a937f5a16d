// File Descriptor Operations, descriptors that are no file: memfd_create,
// eventfd, eventfd_read, eventfd_write, timerfd_*.
#include <sys/types.h>

#include <cstdint>
#include <string>

#include "convert.hpp"
#include "oscpp/file_descriptors.hpp"

namespace oscpp_py {
namespace {

// Python's unsigned long long parameters (eventfd_write's value): negative
// is ValueError, too large OverflowError.
int unsigned_long_long_converter(PyObject* o, void* out) {
  if (!not_negative(o)) return 0;
  unsigned long long v = PyLong_AsUnsignedLongLong(o);
  if (v == static_cast<unsigned long long>(-1) && PyErr_Occurred()) return 0;
  *static_cast<unsigned long long*>(out) = v;
  return 1;
}

py::object py_memfd_create(const arguments& a) {
  PyObject* name_bytes = nullptr;
  unsigned int flags = MFD_CLOEXEC;
  // Bitwise ("I"), as Python's: out-of-range flags reach the kernel.
  a.parse(&PyUnicode_FSConverter, &name_bytes, &unsigned_int_mask_converter,
          &flags);
  py::object name = py::reinterpret_steal<py::object>(name_bytes);
  std::string path(PyBytes_AS_STRING(name_bytes),
                   static_cast<std::size_t>(PyBytes_GET_SIZE(name_bytes)));
  return fd_result(unwrap(
      without_gil([&] { return os::nothrow::memfd_create(path, flags); })));
}

py::object py_eventfd(const arguments& a) {
  unsigned int initval = 0;
  int flags = EFD_CLOEXEC;
  a.parse(&unsigned_int_converter, &initval, &int_converter, &flags);
  return python_value(os::nothrow::eventfd(initval, flags));
}

py::object py_eventfd_read(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  // Python reads 8 bytes and reports a short read (end of file, or fd not
  // an eventfd) with the errno glibc leaves, 0: "[Errno 0] Error". The
  // library's eventfd_read says EINVAL there, as a C++ caller needs a real
  // error code; the binding reads the 8 bytes itself to answer as Python.
  std::string data =
      unwrap(without_gil([&] { return os::nothrow::read(fd, 8); }));
  std::uint64_t value = 0;
  if (data.size() != sizeof value) raise_error(os::error_info(0));
  std::memcpy(&value, data.data(), sizeof value);
  return py::int_(value);
}

py::object py_eventfd_write(const arguments& a) {
  int fd = -1;
  unsigned long long value = 0;
  a.parse(&fildes_converter, &fd, &unsigned_long_long_converter, &value);
  return released([&] { return os::nothrow::eventfd_write(fd, value); });
}

py::object py_timerfd_settime(const arguments& a) {
  int fd = -1;
  int flags = 0;
  double initial = 0.0;
  double interval = 0.0;
  a.parse(&fildes_converter, &fd, &int_converter, &flags, &double_converter,
          &initial, &double_converter, &interval);
  // A time out of range throws std::overflow_error: Python's OverflowError.
  os::timerfd_times old = unwrap(os::nothrow::timerfd_settime(
      fd, {.flags = flags, .initial = initial, .interval = interval}));
  return py::make_tuple(old.initial, old.interval);
}

py::object py_timerfd_settime_ns(const arguments& a) {
  int fd = -1;
  int flags = 0;
  long long initial = 0;
  long long interval = 0;
  a.parse(&fildes_converter, &fd, &int_converter, &flags, &long_long_converter,
          &initial, &long_long_converter, &interval);
  os::timerfd_times_ns old = unwrap(os::nothrow::timerfd_settime_ns(
      fd, {.flags = flags, .initial = initial, .interval = interval}));
  return py::make_tuple(old.initial, old.interval);
}

py::object py_timerfd_gettime(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  os::timerfd_times t = unwrap(os::nothrow::timerfd_gettime(fd));
  return py::make_tuple(t.initial, t.interval);
}

py::object py_timerfd_gettime_ns(const arguments& a) {
  int fd = -1;
  a.parse(&fildes_converter, &fd);
  os::timerfd_times_ns t = unwrap(os::nothrow::timerfd_gettime_ns(fd));
  return py::make_tuple(t.initial, t.interval);
}

}  // namespace

OSCPP_BINDINGS(file_descriptors_special) {
  def<&py_memfd_create>(m, "memfd_create(name, flags=1)",
                        "Create an anonymous file in memory and return its "
                        "descriptor (close-on-exec unless flags omit "
                        "MFD_CLOEXEC).");
  def<&py_eventfd>(m, "eventfd(initval, flags=524288)",
                   "Create an event counter descriptor with initial value "
                   "initval.");
  def<&py_eventfd_read>(m, "eventfd_read(fd)",
                        "Read (and reset, or decrement with EFD_SEMAPHORE) an "
                        "eventfd's counter.");
  def<&py_eventfd_write>(m, "eventfd_write(fd, value)",
                         "Add value to an eventfd's counter.");
  def<&call<&os::nothrow::timerfd_create, int_arg, int_arg>>(
      m, "timerfd_create(clockid, /, *, flags=0)",
      "Create a timer descriptor for clockid "
      "(always close-on-exec).");
  def<&py_timerfd_settime>(
      m, "timerfd_settime(fd, /, *, flags=0, initial=0.0, interval=0.0)",
      "Arm or disarm a timer descriptor (seconds as floats); return the "
      "previous (next expiration, interval).");
  def<&py_timerfd_settime_ns>(
      m, "timerfd_settime_ns(fd, /, *, flags=0, initial=0, interval=0)",
      "timerfd_settime() in integer nanoseconds.");
  def<&py_timerfd_gettime>(m, "timerfd_gettime(fd, /)",
                           "Return (next expiration, interval) of a timer "
                           "descriptor, in seconds.");
  def<&py_timerfd_gettime_ns>(m, "timerfd_gettime_ns(fd, /)",
                              "timerfd_gettime() in integer nanoseconds.");
}

}  // namespace oscpp_py

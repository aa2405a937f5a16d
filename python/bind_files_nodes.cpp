// Files and Directories, special files and device numbers: mkfifo, mknod,
// major, minor, makedev.
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <climits>
#include <optional>

#include "convert.hpp"
#include "oscpp/files.hpp"

namespace oscpp_py {
namespace {

// ---------------------------------------------------------------- converters

#if PY_VERSION_HEX >= 0x030D0000
// Since 3.13 device numbers and their parts are ints only, with -1 for all
// ones: whether o is -1, or nullopt with TypeError set for a non-int.
std::optional<bool> int_is_minus_one(PyObject* o) {
  if (!PyLong_Check(o)) {
    PyErr_SetString(PyExc_TypeError, "an integer is required");
    return std::nullopt;
  }
  int overflow = 0;
  if (PyLong_AsLongAndOverflow(o, &overflow) == -1 && overflow == 0 &&
      !PyErr_Occurred()) {
    return true;
  }
  PyErr_Clear();
  return false;
}
#endif

// A dev_t as Python's converter reads one.
int dev_converter(PyObject* o, void* out) {
#if PY_VERSION_HEX >= 0x030D0000
  // Since 3.13: ints only, -1 is NODEV.
  std::optional<bool> minus_one = int_is_minus_one(o);
  if (!minus_one) return 0;
  if (*minus_one) {
    *static_cast<dev_t*>(out) = static_cast<dev_t>(-1);
    return 1;
  }
#endif
  unsigned long long v = PyLong_AsUnsignedLongLong(o);
  if (v == static_cast<unsigned long long>(-1) && PyErr_Occurred()) return 0;
  *static_cast<dev_t*>(out) = static_cast<dev_t>(v);
  return 1;
}

// A device number to Python: signed until 3.12; since 3.13 unsigned, with
// NODEV as -1.
py::object dev_object(dev_t dev) {
#if PY_VERSION_HEX >= 0x030D0000
  if (dev == static_cast<dev_t>(-1)) return py::int_(-1);
  return py::reinterpret_steal<py::object>(
      PyLong_FromUnsignedLongLong(static_cast<unsigned long long>(dev)));
#else
  return py::reinterpret_steal<py::object>(
      PyLong_FromLongLong(static_cast<long long>(dev)));
#endif
}

// major(), minor(): since 3.13 an all-ones part is -1.
py::object device_part(unsigned int part) {
#if PY_VERSION_HEX >= 0x030D0000
  if (part == UINT_MAX) return py::int_(-1);
#endif
  return py::int_(part);
}

// makedev's parts: C ints until 3.12; since 3.13 unsigned ints where -1 is
// all ones.
int major_minor_converter(PyObject* o, void* out) {
#if PY_VERSION_HEX >= 0x030D0000
  std::optional<bool> minus_one = int_is_minus_one(o);
  if (!minus_one) return 0;
  if (*minus_one) {
    *static_cast<unsigned int*>(out) = UINT_MAX;
    return 1;
  }
  // Read as 8 unsigned bytes first, with that conversion's messages.
  int negative = PyObject_RichCompareBool(o, py::int_(0).ptr(), Py_LT);
  if (negative < 0) return 0;
  if (negative != 0) {
    PyErr_SetString(PyExc_OverflowError,
                    "can't convert negative int to unsigned");
    return 0;
  }
  unsigned long v = PyLong_AsUnsignedLong(o);
  if (v == static_cast<unsigned long>(-1) && PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_OverflowError))
      PyErr_SetString(PyExc_OverflowError, "int too big to convert");
    return 0;
  }
  if (v > UINT_MAX) {
    PyErr_SetString(PyExc_OverflowError,
                    "Python int too large to convert to C unsigned int");
    return 0;
  }
  *static_cast<unsigned int*>(out) = static_cast<unsigned int>(v);
  return 1;
#else
  int v = 0;
  if (!int_converter(o, &v)) return 0;
  *static_cast<unsigned int*>(out) = static_cast<unsigned int>(v);
  return 1;
#endif
}

// ---------------------------------------------------------------- nodes

py::object py_mkfifo(const arguments& a) {
  path_t path("mkfifo", "path");
  int mode = 0666;
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &int_converter, &mode, &dir_fd_converter,
          &dir_fd);
  // No filename in the error, as Python's.
  return released([&] {
    return os::nothrow::mkfifo(path.arg(), static_cast<mode_t>(mode),
                               {.dir_fd = dir_fd});
  });
}

py::object py_mknod(const arguments& a) {
  path_t path("mknod", "path");
  int mode = 0600;
  dev_t device = 0;
  int dir_fd = AT_FDCWD;
  a.parse(&path_converter, &path, &int_converter, &mode, &dev_converter,
          &device, &dir_fd_converter, &dir_fd);
  return released([&] {
    return os::nothrow::mknod(path.arg(), static_cast<mode_t>(mode), device,
                              {.dir_fd = dir_fd});
  });
}

py::object py_major(const arguments& a) {
  dev_t device = 0;
  a.parse(&dev_converter, &device);
  return device_part(major(device));
}

py::object py_minor(const arguments& a) {
  dev_t device = 0;
  a.parse(&dev_converter, &device);
  return device_part(minor(device));
}

py::object py_makedev(const arguments& a) {
  unsigned int major_part = 0;
  unsigned int minor_part = 0;
  a.parse(&major_minor_converter, &major_part, &major_minor_converter,
          &minor_part);
  return dev_object(makedev(major_part, minor_part));
}

}  // namespace

OSCPP_BINDINGS(files_nodes) {
  def<&py_mkfifo>(m, "mkfifo(path, mode=438, *, dir_fd=None)",
                  "Create a \"fifo\" (a POSIX named pipe).");
  def<&py_mknod>(m, "mknod(path, mode=384, device=0, *, dir_fd=None)",
                 "Create a node in the file system.");
  def<&py_major>(m, "major(device, /)",
                 "Extracts a device major number from a raw device number.");
  def<&py_minor>(m, "minor(device, /)",
                 "Extracts a device minor number from a raw device number.");
  def<&py_makedev>(m, "makedev(major, minor, /)",
                   "Composes a raw device number from the major and minor "
                   "device numbers.");
}

}  // namespace oscpp_py

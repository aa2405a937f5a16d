// Random numbers: getrandom and urandom, filling the bytes object in place.
#include <span>

#include "convert.hpp"
#include "oscpp/random.hpp"

namespace oscpp_py {
namespace {

// A new bytes object of size bytes, uninitialised (MemoryError if too big).
py::object new_bytes(Py_ssize_t size) {
  PyObject* b = PyBytes_FromStringAndSize(nullptr, size);
  if (b == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(b);
}

std::span<char> buffer_of(const py::object& bytes) {
  return {PyBytes_AS_STRING(bytes.ptr()),
          static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.ptr()))};
}

py::object py_getrandom(const arguments& a) {
  Py_ssize_t size = 0;
  int flags = 0;
  a.parse(&ssize_converter, &size, &int_converter, &flags);
  // Python reports a negative size as the system would: EINVAL.
  if (size < 0) raise_error(os::error_info(EINVAL));
  py::object bytes = new_bytes(size);
  std::span<char> buffer = buffer_of(bytes);
  std::size_t n = unwrap(
      without_gil([&] { return os::nothrow::getrandom(buffer, flags); }));
  if (n != buffer.size()) {
    PyObject* raw = bytes.release().ptr();
    if (_PyBytes_Resize(&raw, static_cast<Py_ssize_t>(n)) < 0)
      throw py::error_already_set();
    bytes = py::reinterpret_steal<py::object>(raw);
  }
  return bytes;
}

py::object py_urandom(const arguments& a) {
  Py_ssize_t size = 0;
  a.parse(&ssize_converter, &size);
  if (size < 0) {
    PyErr_SetString(PyExc_ValueError, "negative argument not allowed");
    throw py::error_already_set();
  }
  py::object bytes = new_bytes(size);
  std::span<char> buffer = buffer_of(bytes);
  unwrap(without_gil([&] { return os::nothrow::urandom(buffer); }));
  return bytes;
}

}  // namespace

OSCPP_BINDINGS(random) {
  def<&py_getrandom>(m, "getrandom(size, flags=0)",
                     "Obtain a series of random bytes (one getrandom() "
                     "call: maybe fewer than size).");
  def<&py_urandom>(m, "urandom(size, /)",
                   "Return a bytes object containing random bytes suitable "
                   "for cryptographic use.");
}

}  // namespace oscpp_py

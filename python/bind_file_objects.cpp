// File Object Creation: fdopen, Python's file object on a descriptor.
#include "convert.hpp"

namespace oscpp_py {
namespace {

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

OSCPP_BINDINGS(file_objects) {
  def_python<&py_fdopen>(
      m,
#if PY_VERSION_HEX >= 0x030A0000
      "fdopen(fd, mode='r', buffering=-1, encoding=None, *args, **kwargs)",
#else
      "fdopen(fd, *args, **kwargs)",
#endif
      "A Python file object on fd: io.open(fd, mode, buffering, "
      "encoding, ...).");
}

}  // namespace oscpp_py

// fspath, fsencode, fsdecode, PathLike and strerror.
#include <pybind11/eval.h>

#include <string>

#include "convert.hpp"
#include "oscpp/error.hpp"
#include "oscpp/path_arg.hpp"

namespace oscpp_py {
namespace {

py::object py_fspath(const arguments& a) {
  PyObject* path;
  a.parse(&object_converter, &path);
  return fspath(path);
}

py::object py_fsencode(const arguments& a) {
  PyObject* filename;
  a.parse(&object_converter, &filename);
  py::object path = fspath(filename);
  if (PyBytes_Check(path.ptr())) return path;
  Py_ssize_t n = 0;
  Py_UCS4* text = PyUnicode_AsUCS4Copy(path.ptr());
  if (text == nullptr) throw py::error_already_set();
  n = PyUnicode_GET_LENGTH(path.ptr());
  std::u32string_view view(reinterpret_cast<const char32_t*>(text),
                           static_cast<std::size_t>(n));
  try {
    std::string bytes = os::fsencode(view);
    PyMem_Free(text);
    return to_bytes(bytes);
  } catch (const std::invalid_argument&) {
    PyMem_Free(text);
  }
  // Not encodable: let the codec raise its precise UnicodeEncodeError.
  PyObject* b = PyUnicode_EncodeFSDefault(path.ptr());
  if (b == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(b);
}

py::object py_fsdecode(const arguments& a) {
  PyObject* filename;
  a.parse(&object_converter, &filename);
  py::object path = fspath(filename);
  if (PyUnicode_Check(path.ptr())) return path;
  std::u32string text = os::fsdecode(
      std::string_view(PyBytes_AS_STRING(path.ptr()),
                       static_cast<std::size_t>(PyBytes_GET_SIZE(path.ptr()))));
  PyObject* s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, text.data(),
                                          static_cast<Py_ssize_t>(text.size()));
  if (s == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(s);
}

py::object py_strerror(const arguments& a) {
  int code;
  a.parse(&int_converter, &code);
  std::string text = os::strerror(code);
  PyObject* s = PyUnicode_DecodeLocale(text.c_str(), "surrogateescape");
  if (s == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(s);
}

// os.PathLike: an abstract base class whose subclass hook recognises any
// class defining __fspath__ (not set to None) somewhere in its MRO.
constexpr const char* path_like_source = R"(
import abc as _abc
try:
    from types import GenericAlias as _GenericAlias
except ImportError:  # Python < 3.9 has no PathLike[...]
    _GenericAlias = None

class PathLike(_abc.ABC):
    """Abstract base class for implementing the file system path protocol."""

    __slots__ = ()

    @_abc.abstractmethod
    def __fspath__(self):
        """Return the file system path representation of the object."""
        raise NotImplementedError

    @classmethod
    def __subclasshook__(cls, subclass):
        if cls is not PathLike:
            return NotImplemented
        for klass in subclass.__mro__:
            if "__fspath__" in klass.__dict__:
                if klass.__dict__["__fspath__"] is None:
                    return NotImplemented
                return True
        return NotImplemented

    if _GenericAlias is not None:
        __class_getitem__ = classmethod(_GenericAlias)
)";

}  // namespace

OSCPP_BINDINGS(paths) {
  def<&py_fspath>(m, "fspath(path)",
                  "Return the file system path representation of the object.");
  // os.py's pure-Python twin of fspath; here both are the one C++ function.
  m.attr("_fspath") = m.attr("fspath");
  def_python<&py_fsencode>(
      m, "fsencode(filename)",
      "Encode filename (an os.PathLike, bytes, or str) to the filesystem "
      "encoding with 'surrogateescape' error handler, return bytes unchanged.",
      "_fscodec.<locals>.fsencode");
  def_python<&py_fsdecode>(
      m, "fsdecode(filename)",
      "Decode filename (an os.PathLike, bytes, or str) from the filesystem "
      "encoding with 'surrogateescape' error handler, return str unchanged.",
      "_fscodec.<locals>.fsdecode");
  def<&py_strerror>(m, "strerror(code, /)",
                    "Translate an error code to a message string.");

  py::dict scope;
  scope["__name__"] = m.attr("__name__");
  scope["__builtins__"] = py::module_::import("builtins");
  py::exec(path_like_source, scope);
  py::object path_like = scope["PathLike"];
  m.attr("PathLike") = path_like;
}

}  // namespace oscpp_py

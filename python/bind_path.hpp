// oscpp.path: the native submodule over os::path (Python's posixpath).
// Shared by bind_path.cpp (the module, str/bytes conversion, the lexical
// functions) and bind_path_fs.cpp (the functions that touch the file
// system, the environment or the password database).
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

#include "convert.hpp"

namespace oscpp_py::path {

namespace py = pybind11;

// A str or bytes after os.fspath, as bytes for os::path and back.
// A str is UTF-8 (ASCII without a copy), its surrogate escapes
// (U+DC80..U+DCFF) the bytes they stand for, as os.fsencode; a str holding
// other lone surrogates (which no file name can hold, but lexical functions
// accept) is encoded with surrogatepass and decoded the same way.
class text {
 public:
  enum class kind { bytes, str, str_pass };

  // o must be str or bytes (an fspath result).
  explicit text(py::object o);

  std::string_view view() const { return view_; }
  operator std::string_view() const { return view_; }
  kind what() const { return kind_; }
  bool is_bytes() const { return kind_ == kind::bytes; }
  const py::object& object() const { return object_; }
  // s as str or bytes, as this argument was.
  py::object wrap(std::string_view s) const;
  // wrap(s), or this very argument when s is its text (an exact str/bytes).
  py::object wrap_same(std::string_view s) const;

 private:
  py::object object_;
  py::object encoded_;  // holds the bytes view_ points into, if any
  std::string_view view_;
  kind kind_ = kind::bytes;
};

// os.fspath(o) as a text.
text fspath_text(PyObject* o);

// The "os" module oscpp.path's functions see (oscpp itself), and whether
// name there is still the function oscpp defined: a test that patches
// oscpp.lstat (as CPython's tests patch os.lstat) is honoured.
PyObject* os_module();
bool is_patched(const char* name);
// Remembers oscpp's own lstat, getcwd and getcwdb; called once the module
// is complete.
void remember_originals(py::module_& oscpp);

// The binders of each file (bind_path.cpp calls bind_fs).
void bind_fs(py::module_& m);

}  // namespace oscpp_py::path

namespace oscpp_py {
// Builds oscpp.path as a submodule of m (sys.modules["oscpp.path"]) and sets
// m.path; module.cpp calls it after every other binder has run.
void bind_path_module(pybind11::module_& m);
}  // namespace oscpp_py

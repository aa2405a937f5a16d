// oscpp.path: the native submodule over os::path (Python's posixpath).
// Shared by bind_path.cpp (the module, argument binding, the lexical
// functions) and bind_path_fs.cpp (the functions that touch the file
// system, the environment or the password database).
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "convert.hpp"

namespace oscpp_py::path {

namespace py = pybind11;

// A METH_FASTCALL | METH_KEYWORDS function: (args, nargs, kwnames).
using fast_function = py::object (*)(PyObject* const* args, Py_ssize_t nargs,
                                     PyObject* kwnames);

template <fast_function Fn>
PyObject* fast_trampoline(PyObject*, PyObject* const* args, Py_ssize_t nargs,
                          PyObject* kwnames) noexcept {
  try {
    return Fn(args, nargs, kwnames).release().ptr();
  } catch (...) {
    translate_current_exception();
    return nullptr;
  }
}

using fast_c_function = PyObject* (*)(PyObject*, PyObject* const*, Py_ssize_t,
                                      PyObject*);
// Adds a builtin called name to m; doc starts with its text signature.
void def_fast(py::module_& m, const char* name, fast_c_function fn,
              const char* doc);
template <fast_function Fn>
void def(py::module_& m, const char* name, const char* doc) {
  def_fast(m, name, &fast_trampoline<Fn>, doc);
}

// A Python function's signature: positional-or-keyword parameters (the
// first `required` of them required), then keyword-only ones (optional).
struct signature {
  const char* name;
  std::initializer_list<const char*> params;
  std::size_t required;
  std::initializer_list<const char*> kwonly = {};
};
// Binds the call's arguments to sig's parameters in out (null: not given),
// raising TypeError as a Python function's call does. With a
// one-parameter, no-keyword call this is a couple of comparisons.
void bind(const signature& sig, PyObject* const* args, Py_ssize_t nargs,
          PyObject* kwnames, PyObject** out);

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

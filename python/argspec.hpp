// One declaration per bound function. A function is declared once, in the
// syntax of a Python signature:
//
//   def<&py_lseek>(m, "lseek(fd, position, whence, /)", "Move fd's ...");
//
// and from that one string follow its argument binding (vectorcall, no
// allocation per call unless it takes *args or **kwargs), every argument
// error message worded as CPython words it for that kind of function and
// Python version (Argument Clinic's for C functions, the interpreter's for
// the functions CPython writes in Python) and its __text_signature__.
// Converters turn the bound arguments into C++ values, in parameter order:
//
//   py::object py_lseek(const arguments& a) {
//     int fd = -1; off_t position = 0; int whence = 0;
//     a.parse(&int_converter, &fd, &offset_converter, &position,
//             &int_converter, &whence);
//
// An absent optional argument leaves its C++ variable as initialised.
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace oscpp_py {

namespace py = pybind11;

// How CPython words a function's argument errors.
enum class wording : unsigned char {
  clinic,  // a C function of posix (Argument Clinic)
  // A C function whose Clinic code parses with a format string (one with a
  // pid_t, say): counts in the older words ("takes exactly 2 arguments (1
  // given)"), and each argument converted before a later one is found
  // missing. Every C function parses so on 3.7.
  clinic_format,
  // A C function parsing with a format that names no function: counts say
  // "function takes at most 1 argument (2 given)" (get_terminal_size
  // before 3.9). Only for positional-only parameters.
  unnamed_format,
  python,  // a function of os.py (the interpreter's wording)
};

// A function's parameters, read once from its declaration.
struct signature {
  struct parameter {
    py::object name;  // interned str
    bool positional;  // may be given by position
    bool keyword;     // may be given by keyword
    bool required;
  };

  // bound: the text signature's first, bound parameter ("$module" for a
  // module's function, "$self" for a type's method).
  signature(const char* declaration, const char* doc, wording style,
            const char* qualname, const char* bound = "$module");

  std::string name;
  std::string qualname;  // for the python wording (3.10+ says __qualname__)
  wording style;
  std::vector<parameter> parameters;  // *args and **kwargs aside
  Py_ssize_t max_positional = 0;      // parameters that take a position
  Py_ssize_t positional_only = 0;
  Py_ssize_t min_positional = 0;  // required ones that take a position
  // The most positional arguments a call without keywords binds with no
  // check beyond the count (-1 if a keyword-only parameter is required).
  Py_ssize_t max_positional_call = 0;
  bool var_positional = false;  // *args
  bool var_keyword = false;     // **kwargs
  std::string doc;              // "name($module, ...)\n--\n\n<doc>"
};

// The most parameters a declaration may have.
inline constexpr std::size_t max_parameters = 16;

using converter = int (*)(PyObject*, void*);

// One call's arguments bound to its parameters: borrowed references, null
// where an optional argument was not given.
class arguments {
 public:
  // Binds a vectorcall's arguments; throws py::error_already_set with
  // CPython's TypeError for a bad call. Always inlined: out of line (as GCC
  // left it for splitext) the positional call paid a function call more.
  [[gnu::always_inline]] arguments(const signature& s, PyObject* const* args,
                                   Py_ssize_t nargs, PyObject* kwnames)
      : signature_(s), args_(args), nargs_(nargs) {
    // Positional arguments only, a count the parameters take: each is its
    // parameter's, whatever the wording (most calls: read in place, no
    // copy, no lookup).
    if ((kwnames == nullptr || PyTuple_GET_SIZE(kwnames) == 0) &&
        nargs >= s.min_positional && nargs <= s.max_positional_call) {
      bound_ = args;
      bound_count_ = nargs < s.max_positional ? nargs : s.max_positional;
    } else {
      bind(args, nargs, kwnames);
    }
  }
  arguments(const arguments&) = delete;
  arguments& operator=(const arguments&) = delete;
  ~arguments() { Py_XDECREF(pending_); }

  PyObject* operator[](std::size_t i) const {
    return static_cast<Py_ssize_t>(i) < bound_count_ ? bound_[i] : nullptr;
  }
  const signature& function() const { return signature_; }
  // The surplus positional arguments (*args), borrowed, and as a tuple;
  // the surplus keywords (**kwargs).
  std::span<PyObject* const> surplus() const {
    Py_ssize_t skip = signature_.max_positional;
    return nargs_ > skip ? std::span(args_ + skip, args_ + nargs_)
                         : std::span<PyObject* const>();
  }
  py::tuple rest_args() const;
  py::dict rest_kwargs() const {
    return rest_kwargs_ ? py::reinterpret_borrow<py::dict>(rest_kwargs_)
                        : py::dict();
  }

  // Converts the arguments from the first parameter on: pairs of a
  // converter (as PyArg's "O&" takes) and where it writes.
  template <class Out, class... Rest>
  void parse(converter c, Out* out, Rest... rest) const {
    parse_from(0, c, out, rest...);
    raise_pending();
  }

  // The arguments converted by as<> types, in parameter order; an absent
  // optional argument is value-initialised (0).
  template <class... As>
  std::tuple<typename As::type...> values() const {
    std::tuple<typename As::type...> out{};
    convert_values<As...>(out, std::index_sequence_for<As...>());
    raise_pending();
    return out;
  }

 private:
  void convert(std::size_t i, converter c, void* out) const;
  template <class... As, std::size_t... I>
  void convert_values(std::tuple<typename As::type...>& out,
                      std::index_sequence<I...>) const {
    (convert(I, As::convert, &std::get<I>(out)), ...);
  }
  template <class Out, class... Rest>
  void parse_from(std::size_t i, converter c, Out* out, Rest... rest) const {
    convert(i, c, out);
    if constexpr (sizeof...(Rest) > 0) parse_from(i + 1, rest...);
  }
  // The clinic_format wording's error at parameter i, raised once the
  // arguments before it are converted.
  void defer(Py_ssize_t i, PyObject* message);
  void raise_pending() const;
  [[gnu::noinline]] void bind(PyObject* const* args, Py_ssize_t nargs,
                              PyObject* kwnames);
  void bind_positional_only(Py_ssize_t nargs, Py_ssize_t nkw) const;
  void bind_clinic(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames);
  void bind_python(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames);

  const signature& signature_;
  // The bound arguments: the call's own (a positional call) or slots_,
  // set up to the parameter count only (zeroing all 16, a `rep stos`, was
  // the hottest instruction of a one-argument call under perf).
  PyObject* const* bound_ = slots_;
  Py_ssize_t bound_count_ = 0;
  PyObject* slots_[max_parameters];
  PyObject* const* args_;
  Py_ssize_t nargs_;
  py::object rest_kwargs_;  // a dict once needed (none made per call)
  mutable PyObject* pending_ = nullptr;
  std::size_t pending_at_ = max_parameters;
};

// A converter and the C++ type it writes, for arguments::values().
template <auto Convert, class T>
struct as {
  using type = T;
  static constexpr converter convert = Convert;
};

// Converters for parse(), beside those of convert.hpp.
int object_converter(PyObject* o, void* out);  // PyObject*, borrowed
int bool_converter(PyObject* o, void* out);    // int, as PyArg's "p"
// PyArg's own conversions, for the C types CPython's posix reads that way.
int c_int_converter(PyObject* o, void* out);              // int ("i")
int ssize_converter(PyObject* o, void* out);              // Py_ssize_t ("n")
int long_long_converter(PyObject* o, void* out);          // long long ("L")
int unsigned_int_mask_converter(PyObject* o, void* out);  // "I"
int double_converter(PyObject* o, void* out);             // double ("d")
int buffer_converter(PyObject* o, void* out);  // Py_buffer ("y*"): release it
// A str without NUL as UTF-8 (const char*), as Clinic's str converter, with
// its "name() argument 1 must be str, not int".
int str_converter(PyObject* o, void* out);

using bound_function = py::object (*)(const arguments&);
using fast_function = PyObject* (*)(PyObject*, PyObject* const*, Py_ssize_t,
                                    PyObject*);

// Sets the Python exception for the C++ exception being handled.
void translate_current_exception() noexcept;

// The signature of each bound function, set when it is added.
template <bound_function Fn>
const signature* signature_of = nullptr;

template <bound_function Fn>
PyObject* fast_trampoline(PyObject*, PyObject* const* args, Py_ssize_t nargs,
                          PyObject* kwnames) noexcept {
  try {
    return Fn(arguments(*signature_of<Fn>, args, nargs, kwnames))
        .release()
        .ptr();
  } catch (...) {
    translate_current_exception();
    return nullptr;
  }
}

// Keeps s for the module's lifetime, with a PyMethodDef calling fn named
// and documented as s says.
struct kept_method {
  const signature* kept;
  const PyMethodDef* def;
};
kept_method keep_method(signature s, fast_function fn);

// Keeps s for the module's lifetime and makes fn a builtin of m named as s
// says (not added to m).
struct made_function {
  const signature* kept;
  py::object function;
};
made_function make_fast(py::module_& m, signature s, fast_function fn);

// Fn as a builtin whose declaration gives its name and parameters, not added
// to m: environ's methods, the walk steps.
template <bound_function Fn>
py::object function(py::module_& m, const char* declaration, const char* doc,
                    wording style = wording::clinic,
                    const char* qualname = nullptr) {
  auto [kept, f] = make_fast(m, signature(declaration, doc, style, qualname),
                             &fast_trampoline<Fn>);
  signature_of<Fn> = kept;
  return f;
}

// Adds Fn to m as the C function its declaration names (wording of posix).
template <bound_function Fn>
void def(py::module_& m, const char* declaration, const char* doc = nullptr,
         wording style = wording::clinic) {
  py::object f = function<Fn>(m, declaration, doc, style);
  m.attr(signature_of<Fn>->name.c_str()) = f;
}

// Adds Fn to m as a function CPython writes in Python (os.py): its errors
// name it by qualname from 3.10 on (default: its name).
template <bound_function Fn>
void def_python(py::module_& m, const char* declaration, const char* doc,
                const char* qualname = nullptr) {
  py::object f = function<Fn>(m, declaration, doc, wording::python, qualname);
  m.attr(signature_of<Fn>->name.c_str()) = f;
}

// A method of a native type: Fn gets the instance and its arguments.
using bound_method = py::object (*)(PyObject* self, const arguments&);

template <bound_method Fn>
const signature* method_signature_of = nullptr;

template <bound_method Fn>
PyObject* method_trampoline(PyObject* self, PyObject* const* args,
                            Py_ssize_t nargs, PyObject* kwnames) noexcept {
  try {
    return Fn(self, arguments(*method_signature_of<Fn>, args, nargs, kwnames))
        .release()
        .ptr();
  } catch (...) {
    translate_current_exception();
    return nullptr;
  }
}

// The PyMethodDef of a type's method Fn, declared as def<> declares a
// function (the instance is not in the declaration): for a type's
// Py_tp_methods, filled before the type is made.
template <bound_method Fn>
PyMethodDef method(const char* declaration, const char* doc) {
  kept_method k = keep_method(
      signature(declaration, doc, wording::clinic, nullptr, "$self"),
      &method_trampoline<Fn>);
  method_signature_of<Fn> = k.kept;
  return *k.def;
}

}  // namespace oscpp_py

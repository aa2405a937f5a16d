#include "argspec.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string_view>

namespace oscpp_py {

namespace {

constexpr bool py38 = PY_VERSION_HEX >= 0x03080000;
constexpr bool py39 = PY_VERSION_HEX >= 0x03090000;
constexpr bool py310 = PY_VERSION_HEX >= 0x030A0000;
constexpr bool py313 = PY_VERSION_HEX >= 0x030D0000;

[[noreturn]] void type_error(PyObject* message) {
  if (message != nullptr) {
    PyErr_SetObject(PyExc_TypeError, message);
    Py_DECREF(message);
  }
  throw py::error_already_set();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The declaration's parameter list split at its top-level commas.
std::vector<std::string_view> split_parameters(std::string_view list) {
  std::vector<std::string_view> items;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    char c = list[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      items.push_back(trim(list.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (!trim(list.substr(start)).empty())
    items.push_back(trim(list.substr(start)));
  return items;
}

// The name the clinic messages of positional-only functions give:
// "posix.read()" from 3.9 on, "read()" before.
std::string clinic_name(const signature& s) {
  return (py39 ? "posix." : "") + s.name + "()";
}

const char* plural(Py_ssize_t n) { return n == 1 ? "" : "s"; }

// The functions an older posix parses without Argument Clinic: their
// docstrings carry no text signature (__text_signature__ is None) before the
// version that converted them.
bool unsigned_here(std::string_view name, std::string_view bound) {
  constexpr std::pair<std::string_view, long> converted[] = {
      {"get_blocking", 0x03080000}, {"readlink", 0x03080000},
      {"set_blocking", 0x03080000}, {"get_terminal_size", 0x03090000},
      {"getgrouplist", 0x03090000}, {"initgroups", 0x03090000},
      {"sendfile", 0x03090000}};
  if (bound != "$module") return false;
  for (const auto& [n, version] : converted)
    if (n == name) return PY_VERSION_HEX < version;
  return false;
}

// A keyword's parameter among those that take keywords, or -1.
Py_ssize_t keyword_index(const signature& s, PyObject* key) {
  Py_ssize_t n = static_cast<Py_ssize_t>(s.parameters.size());
  for (Py_ssize_t i = s.positional_only; i < n; ++i)
    if (s.parameters[i].name.ptr() == key) return i;
  if (!PyUnicode_Check(key)) return -1;
  for (Py_ssize_t i = s.positional_only; i < n; ++i) {
    int equal = PyUnicode_Compare(s.parameters[i].name.ptr(), key);
    if (equal == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (equal == 0) return i;
  }
  return -1;
}

}  // namespace

signature::signature(const char* declaration, const char* doc_text,
                     wording style_, const char* qualname_, const char* bound)
    : style(style_) {
  std::string_view d(declaration);
  std::size_t open = d.find('(');
  if (open == std::string_view::npos || d.back() != ')')
    throw std::logic_error(std::string("bad declaration: ") + declaration);
  name = std::string(d.substr(0, open));
  qualname = qualname_ != nullptr ? qualname_ : name;
  std::string_view list = d.substr(open + 1, d.size() - open - 2);
  bool keyword_only = false;
  bool saw_slash = false;
  for (std::string_view item : split_parameters(list)) {
    if (item == "/") {
      for (parameter& p : parameters) p.keyword = false;
      positional_only = static_cast<Py_ssize_t>(parameters.size());
      saw_slash = true;
      continue;
    }
    if (item.substr(0, 2) == "**") {
      var_keyword = true;
      continue;
    }
    if (item.substr(0, 1) == "*") {
      keyword_only = true;
      var_positional = var_positional || item.size() > 1;
      continue;
    }
    std::size_t eq = item.find('=');
    std::string param(trim(item.substr(0, eq)));
    PyObject* interned = PyUnicode_InternFromString(param.c_str());
    if (interned == nullptr) throw py::error_already_set();
    parameters.push_back({py::reinterpret_steal<py::object>(interned),
                          !keyword_only, true, eq == std::string_view::npos});
    if (!keyword_only) {
      ++max_positional;
      if (eq == std::string_view::npos) ++min_positional;
    }
  }
  if (parameters.size() > max_parameters)
    throw std::logic_error("too many parameters: " + name);
  // *args takes any surplus only in the interpreter's binding.
  max_positional_call = var_positional && style == wording::python
                            ? PY_SSIZE_T_MAX
                            : max_positional;
  for (const parameter& p : parameters)
    if (!p.positional && p.required) max_positional_call = -1;
  if (unsigned_here(name, bound)) {
    doc = std::string(d) + "\n\n" + (doc_text != nullptr ? doc_text : "");
    return;
  }
  // Clinic's text signature: "$module" (or "$self") is bound, positional-only;
  // lines wrap before 72 columns, aligned after the parenthesis.
  std::vector<std::string_view> pieces = split_parameters(list);
  pieces.insert(pieces.begin(), saw_slash ? 0 : 1, "/");
  pieces.insert(pieces.begin(), bound);
  std::string line = name + "(";
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    std::string piece(pieces[i]);
    piece += i + 1 == pieces.size() ? ")" : ",";
    bool at_start = line.size() <= name.size() + 1;
    if (!at_start && line.size() + 1 + piece.size() > 72) {
      doc += line + "\n";
      line.assign(name.size() + 1, ' ');
      at_start = true;
    }
    line += (at_start ? "" : " ") + piece;
  }
  doc += line + "\n--\n\n" + (doc_text != nullptr ? doc_text : "");
}

void arguments::bind(PyObject* const* args, Py_ssize_t nargs,
                     PyObject* kwnames) {
  bound_count_ = static_cast<Py_ssize_t>(signature_.parameters.size());
  std::fill_n(slots_, bound_count_, nullptr);
  if (signature_.style == wording::python)
    bind_python(args, nargs, kwnames);
  else
    bind_clinic(args, nargs, kwnames);
}

py::tuple arguments::rest_args() const {
  std::span<PyObject* const> rest = surplus();
  py::tuple out(rest.size());
  for (std::size_t i = 0; i < rest.size(); ++i)
    out[i] = py::reinterpret_borrow<py::object>(rest[i]);
  return out;
}

void arguments::defer(Py_ssize_t i, PyObject* message) {
  if (i == 0) type_error(message);  // nothing to convert before it
  pending_ = message;
  pending_at_ = static_cast<std::size_t>(i);
}

void arguments::raise_pending() const {
  PyObject* message = pending_;
  pending_ = nullptr;
  if (message != nullptr) type_error(message);
}

void arguments::convert(std::size_t i, converter c, void* out) const {
  if (i >= pending_at_) raise_pending();
  PyObject* o = (*this)[i];
  if (o == nullptr) return;
  if (c(o, out) == 0) {
    // A converter that failed without an exception had a non-str for
    // str_converter, whose error names the function and argument.
    if (!PyErr_Occurred()) {
      const signature::parameter& p = signature_.parameters[i];
      PyObject* message =
          p.keyword
              ? PyUnicode_FromFormat("%s() argument '%U' must be str, not %s",
                                     signature_.name.c_str(), p.name.ptr(),
                                     Py_TYPE(o)->tp_name)
              : PyUnicode_FromFormat("%s() argument %zu must be str, not %s",
                                     signature_.name.c_str(), i + 1,
                                     Py_TYPE(o)->tp_name);
      type_error(message);
    }
    throw py::error_already_set();
  }
}

// All parameters positional-only: CPython's METH_NOARGS, METH_O and
// _PyArg_CheckPositional messages.
void arguments::bind_positional_only(Py_ssize_t nargs, Py_ssize_t nkw) const {
  const signature& s = signature_;
  Py_ssize_t max = s.max_positional;
  Py_ssize_t min = s.min_positional;
  if (nkw != 0)
    type_error(PyUnicode_FromFormat("%s takes no keyword arguments",
                                    clinic_name(s).c_str()));
  if (max == 0 && nargs != 0)
    type_error(PyUnicode_FromFormat("%s takes no arguments (%zd given)",
                                    clinic_name(s).c_str(), nargs));
  if (max == 1 && min == 1 && nargs != 1)
    type_error(PyUnicode_FromFormat("%s takes exactly one argument (%zd given)",
                                    clinic_name(s).c_str(), nargs));
  if (nargs >= min && nargs <= max) return;
  Py_ssize_t bound = nargs < min ? min : max;
  const char* how =
      min == max ? "exactly" : (nargs < min ? "at least" : "at most");
  if (s.style == wording::unnamed_format)
    type_error(
        PyUnicode_FromFormat("function takes %s %zd argument%s (%zd given)",
                             how, bound, plural(bound), nargs));
  if (py38 && s.style != wording::clinic_format)
    type_error(PyUnicode_FromFormat(
        "%s expected %s%zd argument%s, got %zd", s.name.c_str(),
        min == max ? "" : (nargs < min ? "at least " : "at most "), bound,
        plural(bound), nargs));
  type_error(PyUnicode_FromFormat("%s() takes %s %zd argument%s (%zd given)",
                                  s.name.c_str(), how, bound, plural(bound),
                                  nargs));
}

void arguments::bind_clinic(PyObject* const* args, Py_ssize_t nargs,
                            PyObject* kwnames) {
  const signature& s = signature_;
  bool format = s.style == wording::clinic_format || !py38;
  const char* name = s.name.c_str();
  Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  Py_ssize_t n = static_cast<Py_ssize_t>(s.parameters.size());
  if (s.positional_only == n) {
    bind_positional_only(nargs, nkw);
    for (Py_ssize_t i = 0; i < nargs; ++i) slots_[i] = args[i];
    return;
  }
  Py_ssize_t maxpos = s.max_positional;
  Py_ssize_t minpos = s.min_positional;
  if (nargs + nkw > n)
    type_error(PyUnicode_FromFormat(
        "%s() takes at most %zd %sargument%s (%zd given)", name, n,
        nargs == 0 ? "keyword " : "", plural(n), nargs + nkw));
  if (nargs > maxpos) {
    if (maxpos == 0)
      type_error(
          PyUnicode_FromFormat("%s() takes no positional arguments", name));
    if (!format)
      type_error(PyUnicode_FromFormat(
          "%s() takes %s %zd positional argument%s (%zd given)", name,
          minpos < maxpos ? "at most" : "exactly", maxpos, plural(maxpos),
          nargs));
    // 3.8's parser says "exactly" when no positional is optional, 3.7's
    // only when no parameter is.
    bool exactly = minpos == maxpos;
    for (const signature::parameter& p : s.parameters)
      exactly = exactly && (py38 || p.required);
    type_error(PyUnicode_FromFormat(
        "%s() takes %s %zd positional arguments (%zd given)", name,
        exactly ? "exactly" : "at most", maxpos, nargs));
  }
  Py_ssize_t min_positional_only =
      s.positional_only < minpos ? s.positional_only : minpos;
  if (nargs < min_positional_only) {
    const char* how = min_positional_only < maxpos ? "at least" : "exactly";
    type_error(py38 ? PyUnicode_FromFormat(
                          "%s() takes %s %zd positional argument%s (%zd given)",
                          name, how, min_positional_only,
                          plural(min_positional_only), nargs)
                    : PyUnicode_FromFormat(
                          "%s() takes %s %zd positional arguments (%zd given)",
                          name, how, min_positional_only, nargs));
  }
  for (Py_ssize_t i = 0; i < nargs; ++i) slots_[i] = args[i];
  Py_ssize_t left = nkw;
  // Keyword arguments, found by each parameter's name.
  for (Py_ssize_t i = nargs > s.positional_only ? nargs : s.positional_only;
       i < n; ++i) {
    const signature::parameter& p = s.parameters[i];
    PyObject* value = nullptr;
    for (Py_ssize_t k = 0; left != 0 && k < nkw && value == nullptr; ++k) {
      PyObject* key = PyTuple_GET_ITEM(kwnames, k);
      if (key == p.name.ptr() ||
          (PyUnicode_Check(key) && PyUnicode_Compare(key, p.name.ptr()) == 0))
        value = args[nargs + k];
    }
    if (value != nullptr) {
      slots_[i] = value;
      --left;
    } else if (p.required) {
      return defer(
          format ? i : 0,
          PyUnicode_FromFormat("%s() missing required argument '%U' (pos %zd)",
                               name, p.name.ptr(), i + 1));
    }
  }
  if (left == 0) return;
  Py_ssize_t at = format ? n : 0;  // where the error comes
  // Keywords left: one repeats a positional argument, or is unknown.
  for (Py_ssize_t i = s.positional_only; i < nargs; ++i)
    for (Py_ssize_t k = 0; k < nkw; ++k) {
      PyObject* key = PyTuple_GET_ITEM(kwnames, k);
      PyObject* param = s.parameters[i].name.ptr();
      if (key == param ||
          (PyUnicode_Check(key) && PyUnicode_Compare(key, param) == 0))
        return defer(at, PyUnicode_FromFormat("argument for %s() given by name "
                                              "('%U') and position (%zd)",
                                              name, param, i + 1));
    }
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, k);
    if (!PyUnicode_Check(key))
      return defer(at, PyUnicode_FromString("keywords must be strings"));
    if (keyword_index(s, key) >= 0) continue;
    return defer(
        at,
        py313 ? PyUnicode_FromFormat(
                    "%s() got an unexpected keyword argument '%U'", name, key)
              : PyUnicode_FromFormat("'%U' is an invalid keyword argument for "
                                     "%s()",
                                     key, name));
  }
}

namespace {

// "'a'", "'a' and 'b'", "'a', 'b', and 'c'", as the interpreter lists
// missing arguments.
std::string name_list(const std::vector<PyObject*>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) list += names.size() == 2 ? " and " : ", ";
    if (i != 0 && i + 1 == names.size() && names.size() > 2) list += "and ";
    list += "'";
    list += PyUnicode_AsUTF8(names[i]);
    list += "'";
  }
  return list;
}

[[noreturn]] void missing(const char* name, const char* kind,
                          const std::vector<PyObject*>& names) {
  type_error(PyUnicode_FromFormat(
      "%s() missing %zd required %s argument%s: %s", name, names.size(), kind,
      plural(static_cast<Py_ssize_t>(names.size())), name_list(names).c_str()));
}

}  // namespace

// The interpreter's binding of a Python function's arguments.
void arguments::bind_python(PyObject* const* args, Py_ssize_t nargs,
                            PyObject* kwnames) {
  const signature& s = signature_;
  const char* name = py310 ? s.qualname.c_str() : s.name.c_str();
  Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  Py_ssize_t n = static_cast<Py_ssize_t>(s.parameters.size());
  Py_ssize_t maxpos = s.max_positional;
  for (Py_ssize_t i = 0; i < nargs && i < maxpos; ++i) slots_[i] = args[i];
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, k);
    if (!PyUnicode_Check(key))
      type_error(PyUnicode_FromFormat("%s() keywords must be strings", name));
    Py_ssize_t i = keyword_index(s, key);
    if (i < 0) {
      if (!s.var_keyword)
        type_error(PyUnicode_FromFormat(
            "%s() got an unexpected keyword argument '%U'", name, key));
      if (!rest_kwargs_) rest_kwargs_ = py::dict();
      rest_kwargs_[key] = py::reinterpret_borrow<py::object>(args[nargs + k]);
      continue;
    }
    if (slots_[i] != nullptr)
      type_error(PyUnicode_FromFormat(
          "%s() got multiple values for argument '%U'", name, key));
    slots_[i] = args[nargs + k];
  }
  if (s.var_keyword && !rest_kwargs_) rest_kwargs_ = py::dict();
  if (nargs > maxpos && !s.var_positional) {
    Py_ssize_t kwonly_given = 0;
    for (Py_ssize_t i = maxpos; i < n; ++i)
      kwonly_given += slots_[i] != nullptr ? 1 : 0;
    bool defaults = s.min_positional < maxpos;
    std::string count = defaults ? "from " + std::to_string(s.min_positional) +
                                       " to " + std::to_string(maxpos)
                                 : std::to_string(maxpos);
    PyObject* kwonly =
        kwonly_given != 0
            ? PyUnicode_FromFormat(
                  " positional argument%s (and %zd keyword-only argument%s)",
                  plural(nargs), kwonly_given, plural(kwonly_given))
            : PyUnicode_FromString("");
    if (kwonly == nullptr) throw py::error_already_set();
    PyObject* message = PyUnicode_FromFormat(
        "%s() takes %s positional argument%s but %zd%U %s given", name,
        count.c_str(), defaults || maxpos != 1 ? "s" : "", nargs, kwonly,
        nargs == 1 && kwonly_given == 0 ? "was" : "were");
    Py_DECREF(kwonly);
    type_error(message);
  }
  std::vector<PyObject*> names;
  for (Py_ssize_t i = 0; i < maxpos; ++i)
    if (slots_[i] == nullptr && s.parameters[i].required)
      names.push_back(s.parameters[i].name.ptr());
  if (!names.empty()) missing(name, "positional", names);
  for (Py_ssize_t i = maxpos; i < n; ++i)
    if (slots_[i] == nullptr && s.parameters[i].required)
      names.push_back(s.parameters[i].name.ptr());
  if (!names.empty()) missing(name, "keyword-only", names);
}

// ---------------------------------------------------------------- converters

int object_converter(PyObject* o, void* out) {
  *static_cast<PyObject**>(out) = o;
  return 1;
}

int bool_converter(PyObject* o, void* out) {
  int truth = PyObject_IsTrue(o);
  if (truth < 0) return 0;
  *static_cast<int*>(out) = truth;
  return 1;
}

// PyArg's conversion of one object ("i", "n" ...), whose errors are set by
// the conversion itself (none names the argument).
int c_int_converter(PyObject* o, void* out) {
  return PyArg_Parse(o, "i", static_cast<int*>(out));
}
int ssize_converter(PyObject* o, void* out) {
  return PyArg_Parse(o, "n", static_cast<Py_ssize_t*>(out));
}
int long_long_converter(PyObject* o, void* out) {
  return PyArg_Parse(o, "L", static_cast<long long*>(out));
}
int unsigned_int_mask_converter(PyObject* o, void* out) {
  return PyArg_Parse(o, "I", static_cast<unsigned int*>(out));
}
int double_converter(PyObject* o, void* out) {
  return PyArg_Parse(o, "d", static_cast<double*>(out));
}
int buffer_converter(PyObject* o, void* out) {
  return PyObject_GetBuffer(o, static_cast<Py_buffer*>(out), PyBUF_SIMPLE) == 0;
}

// Returns 0 without an exception for a non-str: arguments::convert words
// that error, as it knows the function and argument.
int str_converter(PyObject* o, void* out) {
  if (!PyUnicode_Check(o)) return 0;
  Py_ssize_t size = 0;
  const char* s = PyUnicode_AsUTF8AndSize(o, &size);
  if (s == nullptr) return 0;
  if (std::strlen(s) != static_cast<std::size_t>(size)) {
    PyErr_SetString(PyExc_ValueError, "embedded null character");
    return 0;
  }
  *static_cast<const char**>(out) = s;
  return 1;
}

// ---------------------------------------------------------------- adding

kept_method keep_method(signature s, fast_function fn) {
  // A PyMethodDef and its strings must outlive the module; a deque never
  // moves its elements. Never destroyed: its parameter names are Python
  // objects, and static destructors run after Py_Finalize (3.13 crashes).
  static auto& all = *new std::deque<std::pair<signature, PyMethodDef>>;
  auto& [kept, def] = all.emplace_back(std::move(s), PyMethodDef{});
  def.ml_name = kept.name.c_str();
  def.ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fn));
  def.ml_flags = METH_FASTCALL | METH_KEYWORDS;
  def.ml_doc = kept.doc.c_str();
  return {&kept, &def};
}

made_function make_fast(py::module_& m, signature s, fast_function fn) {
  kept_method k = keep_method(std::move(s), fn);
  py::object f = py::reinterpret_steal<py::object>(PyCFunction_NewEx(
      const_cast<PyMethodDef*>(k.def), m.ptr(), m.attr("__name__").ptr()));
  if (!f) throw py::error_already_set();
  return {k.kept, f};
}

}  // namespace oscpp_py

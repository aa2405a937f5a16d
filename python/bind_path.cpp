// oscpp.path: Python's posixpath as builtins over os::path. This file: the
// submodule, argument binding, str/bytes conversion and the lexical
// functions; bind_path_fs.cpp has the rest.
#include "bind_path.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "oscpp/path.hpp"

namespace oscpp_py::path {

namespace {
constexpr bool py312 = PY_VERSION_HEX >= 0x030C0000;
constexpr bool py313 = PY_VERSION_HEX >= 0x030D0000;
}  // namespace

// ---------------------------------------------------------------- functions

void def_fast(py::module_& m, const char* name, fast_c_function fn,
              const char* doc) {
  // PyMethodDef must outlive the module; a deque never moves its elements.
  static std::deque<PyMethodDef> defs;
  PyMethodDef& def = defs.emplace_back();
  def.ml_name = name;
  def.ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fn));
  def.ml_flags = METH_FASTCALL | METH_KEYWORDS;
  def.ml_doc = doc;
  py::object f = py::reinterpret_steal<py::object>(
      PyCFunction_NewEx(&def, m.ptr(), m.attr("__name__").ptr()));
  if (!f) throw py::error_already_set();
  m.attr(name) = f;
}

namespace {

[[noreturn]] void type_error(const std::string& message) {
  PyErr_SetString(PyExc_TypeError, message.c_str());
  throw py::error_already_set();
}

std::string quoted_list(const std::vector<const char*>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0)
      s += names.size() == 2       ? " and "
           : i + 1 == names.size() ? ", and "
                                   : ", ";
    s += std::string("'") + names[i] + "'";
  }
  return s;
}

}  // namespace

void bind(const signature& sig, PyObject* const* args, Py_ssize_t nargs,
          PyObject* kwnames, PyObject** out) {
  const std::size_t npos = sig.params.size();
  const std::size_t total = npos + sig.kwonly.size();
  std::fill(out, out + total, nullptr);
  const std::string fn = std::string(sig.name) + "()";
  if (static_cast<std::size_t>(nargs) > npos) {
    std::string takes = sig.required == npos
                            ? std::to_string(npos)
                            : "from " + std::to_string(sig.required) + " to " +
                                  std::to_string(npos);
    type_error(fn + " takes " + takes + " positional argument" +
               (npos == 1 && sig.required == npos ? "" : "s") + " but " +
               std::to_string(nargs) + (nargs == 1 ? " was" : " were") +
               " given");
  }
  for (Py_ssize_t i = 0; i < nargs; ++i) out[i] = args[i];
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, k);
    std::size_t slot = total;
    std::size_t i = 0;
    for (const char* name : sig.params) {
      if (PyUnicode_CompareWithASCIIString(key, name) == 0) slot = i;
      ++i;
    }
    for (const char* name : sig.kwonly) {
      if (PyUnicode_CompareWithASCIIString(key, name) == 0) slot = i;
      ++i;
    }
    if (slot == total)
      type_error(fn + " got an unexpected keyword argument '" +
                 py::str(key).cast<std::string>() + "'");
    if (out[slot] != nullptr)
      type_error(fn + " got multiple values for argument '" +
                 py::str(key).cast<std::string>() + "'");
    out[slot] = args[nargs + k];
  }
  std::vector<const char*> missing;
  std::size_t i = 0;
  for (const char* name : sig.params) {
    if (i < sig.required && out[i] == nullptr) missing.push_back(name);
    ++i;
  }
  if (!missing.empty())
    type_error(fn + " missing " + std::to_string(missing.size()) +
               " required positional argument" +
               (missing.size() == 1 ? "" : "s") + ": " + quoted_list(missing));
}

// ---------------------------------------------------------------- text

namespace {

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Whether every surrogate of o is an escaped byte (U+DC80..U+DCFF).
bool only_escapes(PyObject* o) {
  const int kind = PyUnicode_KIND(o);
  const void* data = PyUnicode_DATA(o);
  for (Py_ssize_t i = 0, n = PyUnicode_GET_LENGTH(o); i < n; ++i) {
    Py_UCS4 c = PyUnicode_READ(kind, data, i);
    if (c >= 0xD800 && c <= 0xDFFF && (c < 0xDC80 || c > 0xDCFF)) return false;
  }
  return true;
}

}  // namespace

text::text(py::object o) : object_(std::move(o)) {
  PyObject* p = object_.ptr();
  if (PyBytes_Check(p)) {
    view_ = std::string_view(PyBytes_AS_STRING(p),
                             static_cast<std::size_t>(PyBytes_GET_SIZE(p)));
    return;
  }
  kind_ = kind::str;
  if (PyUnicode_IS_ASCII(p)) {
    view_ = std::string_view(static_cast<const char*>(PyUnicode_DATA(p)),
                             static_cast<std::size_t>(PyUnicode_GET_LENGTH(p)));
    return;
  }
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(p, &size);
  if (utf8 != nullptr) {  // cached in the str: no copy next time
    view_ = std::string_view(utf8, static_cast<std::size_t>(size));
    return;
  }
  PyErr_Clear();  // it holds surrogates
  const char* errors = "surrogateescape";
  if (!only_escapes(p)) {
    kind_ = kind::str_pass;
    errors = "surrogatepass";
  }
  PyObject* b = PyUnicode_AsEncodedString(p, "utf-8", errors);
  if (b == nullptr) throw py::error_already_set();
  encoded_ = py::reinterpret_steal<py::object>(b);
  view_ = std::string_view(PyBytes_AS_STRING(b),
                           static_cast<std::size_t>(PyBytes_GET_SIZE(b)));
}

py::object text::wrap(std::string_view s) const {
  const auto n = static_cast<Py_ssize_t>(s.size());
  PyObject* o = nullptr;
  if (kind_ == kind::bytes) {
    o = PyBytes_FromStringAndSize(s.data(), n);
  } else if (is_ascii(s)) {
    o = PyUnicode_New(n, 127);
    if (o != nullptr) std::memcpy(PyUnicode_DATA(o), s.data(), s.size());
  } else if (kind_ == kind::str) {
    o = PyUnicode_DecodeUTF8(s.data(), n, "surrogateescape");
  } else {
    o = PyUnicode_DecodeUTF8(s.data(), n, "surrogatepass");
    if (o == nullptr && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
      // Bytes from the environment or the password database that are not
      // UTF-8, next to the lone surrogates: they stay escaped bytes.
      PyErr_Clear();
      o = PyUnicode_DecodeUTF8(s.data(), n, "surrogateescape");
    }
  }
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object text::wrap_same(std::string_view s) const {
  PyObject* p = object_.ptr();
  bool exact = PyBytes_CheckExact(p) || PyUnicode_CheckExact(p);
  if (exact && s.size() == view_.size() &&
      (s.data() == view_.data() ||
       std::memcmp(s.data(), view_.data(), s.size()) == 0))
    return object_;
  return wrap(s);
}

text fspath_text(PyObject* o) { return text(fspath(o)); }

// ---------------------------------------------------------------- patches

namespace {
PyObject* g_os = nullptr;  // oscpp (borrowed: it owns oscpp.path)
struct original {
  const char* name;
  PyObject* function;
};
original g_originals[] = {
    {"lstat", nullptr}, {"getcwd", nullptr}, {"getcwdb", nullptr}};
}  // namespace

PyObject* os_module() { return g_os; }

void remember_originals(py::module_& oscpp) {
  g_os = oscpp.ptr();
  for (original& o : g_originals)
    o.function = py::getattr(oscpp, o.name, py::none()).release().ptr();
}

bool is_patched(const char* name) {
  for (const original& o : g_originals) {
    if (std::strcmp(o.name, name) != 0) continue;
    PyObject* now = PyDict_GetItemString(PyModule_GetDict(g_os), name);
    return now != o.function;
  }
  return false;
}

// ---------------------------------------------------------------- lexical

namespace {

// genericpath._check_arg_types(name, *args): TypeError for an argument that
// is neither str nor bytes, or for a mix of both; returns if neither.
void check_arg_types(const char* name, PyObject* const* args, std::size_t n) {
  bool has_str = false, has_bytes = false;
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* s = args[i];
    if (PyUnicode_Check(s)) {
      has_str = true;
    } else if (PyBytes_Check(s)) {
      has_bytes = true;
    } else {
      const char* allowed = PY_VERSION_HEX >= 0x03080000
                                ? "str, bytes, or os.PathLike object"
                                : "str or bytes";
      PyErr_Format(PyExc_TypeError, "%s() argument must be %s, not '%s'", name,
                   allowed, Py_TYPE(s)->tp_name);
      throw py::error_already_set();
    }
  }
  if (has_str && has_bytes)
    type_error("Can't mix strings and bytes in path components");
}

// A tuple of the parts, each wrapped like t.
template <class... S>
py::object tuple_of(const text& t, const S&... parts) {
  return py::make_tuple(t.wrap(parts)...);
}

// The fspath of a 3.13 builtin's path argument (argument clinic's path_t
// wording for a wrong type), or of a Python function's (os.fspath's).
text builtin_path(PyObject* o, const char* function) {
  if (py313 && !PyUnicode_Check(o) && !PyBytes_Check(o)) {
    try {
      return fspath_text(o);
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_TypeError) ||
          std::string(py::str(e.value())).rfind("expected str, bytes", 0) != 0)
        throw;
      type_error(std::string(function) +
                 ": path should be string, bytes or os.PathLike, not " +
                 Py_TYPE(o)->tp_name);
    }
  }
  return fspath_text(o);
}

PyObject* one(const signature& sig, PyObject* const* args, Py_ssize_t nargs,
              PyObject* kwnames) {
  if (nargs == 1 && kwnames == nullptr) return args[0];
  PyObject* out[1];
  bind(sig, args, nargs, kwnames, out);
  return out[0];
}

py::object py_normcase(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  return fspath(one({"normcase", {"s"}, 1}, a, n, kw));
}

py::object py_isabs(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  py::object s = fspath(one({"isabs", {"s"}, 1}, a, n, kw));
  bool abs = PyUnicode_Check(s.ptr())
                 ? PyUnicode_GET_LENGTH(s.ptr()) > 0 &&
                       PyUnicode_READ_CHAR(s.ptr(), 0) == '/'
                 : PyBytes_GET_SIZE(s.ptr()) > 0 &&
                       PyBytes_AS_STRING(s.ptr())[0] == '/';
  return py::bool_(abs);
}

py::object py_splitdrive(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  text p = fspath_text(one({"splitdrive", {"p"}, 1}, a, n, kw));
  return py::make_tuple(p.wrap({}), p.object());
}

py::object py_splitroot(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  PyObject* arg = one({"splitroot", {py313 ? "path" : "p"}, 1}, a, n, kw);
  text p = builtin_path(arg, "_path_splitroot_ex");
  auto [drive, root, tail] = os::path::splitroot(p.view());
  return tuple_of(p, drive, root, tail);
}

py::object py_split(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  text p = fspath_text(one({"split", {"p"}, 1}, a, n, kw));
  auto [head, tail] = os::path::split(p.view());
  return tuple_of(p, head, tail);
}

py::object py_splitext(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  text p = fspath_text(one({"splitext", {"p"}, 1}, a, n, kw));
  auto [root, ext] = os::path::splitext(p.view());
  return tuple_of(p, root, ext);
}

py::object py_basename(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  text p = fspath_text(one({"basename", {"p"}, 1}, a, n, kw));
  return p.wrap_same(os::path::basename(p.view()));
}

py::object py_dirname(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  text p = fspath_text(one({"dirname", {"p"}, 1}, a, n, kw));
  return p.wrap_same(os::path::dirname(p.view()));
}

py::object py_normpath(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  text p =
      builtin_path(one({"normpath", {"path"}, 1}, a, n, kw), "_path_normpath");
  return p.wrap_same(os::path::normpath(p.view()));
}

py::object py_isjunction(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  fspath(one({"isjunction", {"path"}, 1}, a, n, kw));
  return py::bool_(false);
}

py::object py_isdevdrive(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  fspath(one({"isdevdrive", {"path"}, 1}, a, n, kw));
  return py::bool_(false);
}

bool any_pass(const std::vector<text>& texts) {
  return std::any_of(texts.begin(), texts.end(), [](const text& t) {
    return t.what() == text::kind::str_pass;
  });
}

// Re-encodes every str of objects with surrogatepass: one encoding for all.
std::vector<std::string> pass_encoded(const std::vector<py::object>& objects) {
  std::vector<std::string> out;
  for (const py::object& o : objects) {
    PyObject* b = PyUnicode_AsEncodedString(o.ptr(), "utf-8", "surrogatepass");
    if (b == nullptr) throw py::error_already_set();
    out.emplace_back(PyBytes_AS_STRING(b),
                     static_cast<std::size_t>(PyBytes_GET_SIZE(b)));
    Py_DECREF(b);
  }
  return out;
}

py::object py_join(PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  PyObject* a0 = nullptr;
  if (kw != nullptr && PyTuple_GET_SIZE(kw) > 0) {
    // join(a, *p): only a can be a keyword, and only with no positional.
    PyObject* out[1];
    bind({"join", {"a"}, 1}, args, nargs, kw, out);
    a0 = out[0];
    nargs = 1;
    args = &a0;
  } else if (nargs == 0) {
    type_error("join() missing 1 required positional argument: 'a'");
  }
  py::object a = fspath(args[0]);
  if (nargs == 1) return a;
  std::vector<py::object> parts{a};
  parts.reserve(static_cast<std::size_t>(nargs));
  bool is_str = PyUnicode_Check(a.ptr());
  try {
    for (Py_ssize_t i = 1; i < nargs; ++i) {
      parts.push_back(fspath(args[i]));
      if (PyUnicode_Check(parts.back().ptr()) != is_str)
        type_error("mixed");  // replaced by check_arg_types below
    }
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_TypeError) && !e.matches(PyExc_AttributeError)) throw;
    std::vector<PyObject*> all{a.ptr()};
    all.insert(all.end(), args + 1, args + nargs);
    check_arg_types("join", all.data(), all.size());
    throw;
  }
  std::vector<text> texts;
  texts.reserve(parts.size());
  for (const py::object& o : parts) texts.emplace_back(o);
  std::vector<std::string_view> views;
  views.reserve(texts.size());
  std::vector<std::string> pass;
  if (any_pass(texts)) {
    pass = pass_encoded(parts);
    views.assign(pass.begin(), pass.end());
    for (text& t : texts)
      if (t.what() == text::kind::str_pass)
        return t.wrap(os::path::detail::join_views(views.data(), views.size()));
  }
  for (const text& t : texts) views.push_back(t.view());
  return texts.front().wrap(
      os::path::detail::join_views(views.data(), views.size()));
}

// The items of an iterable of paths, after os.fspath.
std::vector<py::object> fspath_all(PyObject* iterable) {
  std::vector<py::object> out;
  py::object it = py::reinterpret_steal<py::object>(PyObject_GetIter(iterable));
  if (!it) throw py::error_already_set();
  while (PyObject* item = PyIter_Next(it.ptr())) {
    py::object owned = py::reinterpret_steal<py::object>(item);
    out.push_back(fspath(owned.ptr()));
  }
  if (PyErr_Occurred()) throw py::error_already_set();
  return out;
}

py::object py_commonprefix(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  PyObject* m = one({"commonprefix", {"m"}, 1}, a, n, kw);
  int truth = PyObject_IsTrue(m);
  if (truth < 0) throw py::error_already_set();
  if (!truth) return py::str("");
  py::object first =
      py::reinterpret_steal<py::object>(PySequence_GetItem(m, 0));
  if (!first) throw py::error_already_set();
  std::vector<py::object> items;
  if (PyList_Check(first.ptr()) || PyTuple_Check(first.ptr())) {
    // A list of sequences: any comparable items (genericpath allows it).
    py::object seq = py::reinterpret_steal<py::object>(PySequence_Tuple(m));
    if (!seq) throw py::error_already_set();
    for (auto item : seq)
      items.push_back(py::reinterpret_borrow<py::object>(item));
  } else {
    items = fspath_all(m);
  }
  // min() and max() first, as Python: their TypeError for a str/bytes mix.
  py::object builtins = py::module_::import("builtins");
  py::tuple all(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) all[i] = items[i];
  py::object s1 = builtins.attr("min")(all);
  py::object s2 = builtins.attr("max")(all);
  if (PyBytes_Check(s1.ptr())) {
    text t1(s1), t2(s2);
    std::string_view v1 = t1, v2 = t2;
    std::size_t i = 0;
    while (i < v1.size() && i < v2.size() && v1[i] == v2[i]) ++i;
    return t1.wrap(v1.substr(0, i));
  }
  Py_ssize_t len =
      std::min(PyObject_Length(s1.ptr()), PyObject_Length(s2.ptr()));
  if (len < 0) throw py::error_already_set();
  Py_ssize_t i = 0;
  for (; i < len; ++i) {
    py::object c1 =
        py::reinterpret_steal<py::object>(PySequence_GetItem(s1.ptr(), i));
    py::object c2 =
        py::reinterpret_steal<py::object>(PySequence_GetItem(s2.ptr(), i));
    if (!c1 || !c2) throw py::error_already_set();
    int ne = PyObject_RichCompareBool(c1.ptr(), c2.ptr(), Py_NE);
    if (ne < 0) throw py::error_already_set();
    if (ne) break;
  }
  PyObject* slice = PySequence_GetSlice(s1.ptr(), 0, i);
  if (slice == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(slice);
}

py::object py_commonpath(PyObject* const* a, Py_ssize_t n, PyObject* kw) {
  PyObject* paths = one({"commonpath", {"paths"}, 1}, a, n, kw);
  if (!py313) {
    int truth = PyObject_IsTrue(paths);
    if (truth < 0) throw py::error_already_set();
    if (!truth)
      throw std::invalid_argument("commonpath() arg is an empty sequence");
  }
  std::vector<py::object> items = fspath_all(paths);
  if (items.empty()) {
    if (py313)
      throw std::invalid_argument("commonpath() arg is an empty sequence");
    PyErr_SetString(PyExc_IndexError, "tuple index out of range");
    throw py::error_already_set();
  }
  bool is_str = PyUnicode_Check(items.front().ptr());
  for (const py::object& o : items)
    if (PyUnicode_Check(o.ptr()) != is_str)
      type_error("Can't mix strings and bytes in path components");
  std::vector<text> texts;
  texts.reserve(items.size());
  for (const py::object& o : items) texts.emplace_back(o);
  os::path::detail::commonpath_state state;
  if (any_pass(texts)) {
    std::vector<std::string> pass = pass_encoded(items);
    for (const std::string& s : pass) state.add(s);
    for (const text& t : texts)
      if (t.what() == text::kind::str_pass) return t.wrap(state.result());
  }
  for (const text& t : texts) state.add(t.view());
  return texts.front().wrap(state.result());
}

}  // namespace

// The version's __all__, as posixpath lists it.
namespace {
py::list all_names() {
  py::list all;
  for (const char* name :
       {"normcase",     "isabs",     "join",     "splitdrive",
        "split",        "splitext",  "basename", "dirname",
        "commonprefix", "getsize",   "getmtime", "getatime",
        "getctime",     "islink",    "exists",   "lexists",
        "isdir",        "isfile",    "ismount",  "expanduser",
        "expandvars",   "normpath",  "abspath",  "samefile",
        "sameopenfile", "samestat",  "curdir",   "pardir",
        "sep",          "pathsep",   "defpath",  "altsep",
        "extsep",       "devnull",   "realpath", "supports_unicode_filenames",
        "relpath",      "commonpath"})
    all.append(name);
  if (py312) {
    all.append("isjunction");
    all.append("splitroot");
  }
  if (py313) all.append("isdevdrive");
  return all;
}
}  // namespace

}  // namespace oscpp_py::path

namespace oscpp_py {

void bind_path_module(py::module_& m) {
  namespace p = path;
  py::module_ sub = m.def_submodule(
      "path",
      "Common operations on POSIX pathnames (Python's posixpath), "
      "implemented by os::path.");
  p::def<&p::py_normcase>(sub, "normcase",
                          "normcase($module, s)\n--\n\n"
                          "Normalize case of pathname: unchanged on POSIX.");
  p::def<&p::py_isabs>(sub, "isabs",
                       "isabs($module, s)\n--\n\n"
                       "Test whether a path is absolute.");
  p::def<&p::py_join>(sub, "join",
                      "join($module, a, *p)\n--\n\n"
                      "Join two or more pathname components, inserting '/' "
                      "as needed.");
  p::def<&p::py_splitdrive>(sub, "splitdrive",
                            "splitdrive($module, p)\n--\n\n"
                            "Split a pathname into drive and path: the drive "
                            "is always empty on POSIX.");
  if (p::py312)
    p::def<&p::py_splitroot>(
        sub, "splitroot",
        p::py313 ? "splitroot($module, /, path)\n--\n\n"
                   "Split a pathname into drive, root and tail."
                 : "splitroot($module, p)\n--\n\n"
                   "Split a pathname into drive, root and tail.");
  p::def<&p::py_split>(sub, "split",
                       "split($module, p)\n--\n\n"
                       "Split a pathname into (head, tail): tail is "
                       "everything after the final slash.");
  p::def<&p::py_splitext>(sub, "splitext",
                          "splitext($module, p)\n--\n\n"
                          "Split the extension from a pathname: (root, ext).");
  p::def<&p::py_basename>(sub, "basename",
                          "basename($module, p)\n--\n\n"
                          "Returns the final component of a pathname.");
  p::def<&p::py_dirname>(sub, "dirname",
                         "dirname($module, p)\n--\n\n"
                         "Returns the directory component of a pathname.");
  p::def<&p::py_normpath>(
      sub, "normpath",
      p::py313 ? "normpath($module, /, path)\n--\n\nNormalize path, "
                 "eliminating double slashes, etc."
               : "normpath($module, path)\n--\n\nNormalize path, "
                 "eliminating double slashes, etc.");
  p::def<&p::py_commonprefix>(sub, "commonprefix",
                              "commonprefix($module, m)\n--\n\n"
                              "Given a list of pathnames, returns the longest "
                              "common leading component.");
  p::def<&p::py_commonpath>(sub, "commonpath",
                            "commonpath($module, paths)\n--\n\n"
                            "Given a sequence of path names, returns the "
                            "longest common sub-path.");
  if (p::py312)
    p::def<&p::py_isjunction>(sub, "isjunction",
                              "isjunction($module, path)\n--\n\n"
                              "Test whether a path is a junction: never on "
                              "POSIX.");
  if (p::py313)
    p::def<&p::py_isdevdrive>(sub, "isdevdrive",
                              "isdevdrive($module, path)\n--\n\n"
                              "Test whether a path is on a Windows Dev Drive: "
                              "never on POSIX.");
  p::bind_fs(sub);

  auto str = [](std::string_view s) { return py::str(s.data(), s.size()); };
  sub.attr("curdir") = str(os::path::curdir);
  sub.attr("pardir") = str(os::path::pardir);
  sub.attr("extsep") = str(os::path::extsep);
  sub.attr("sep") = str(os::path::sep);
  sub.attr("pathsep") = str(os::path::pathsep);
  sub.attr("defpath") = str(os::path::defpath);
  sub.attr("altsep") = py::none();
  sub.attr("devnull") = str(os::path::devnull);
  sub.attr("supports_unicode_filenames") =
      py::bool_(os::path::supports_unicode_filenames);
  sub.attr("__all__") = p::all_names();

  py::module_::import("sys").attr("modules")["oscpp.path"] = sub;
  m.attr("path") = sub;
  // Python 3.13's posix has os.path's normpath and splitroot under these
  // names (test_posixpath checks that they are the same objects).
  if (p::py313) {
    m.attr("_path_normpath") = sub.attr("normpath");
    m.attr("_path_splitroot_ex") = sub.attr("splitroot");
  }
  p::remember_originals(m);
}

}  // namespace oscpp_py

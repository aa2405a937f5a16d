// oscpp.path: Python's posixpath as builtins over os::path. This file: the
// submodule, str/bytes conversion and the lexical functions;
// bind_path_fs.cpp has the rest.
#include "bind_path.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "oscpp/path.hpp"

namespace oscpp_py::path {

namespace {
constexpr bool py312 = PY_VERSION_HEX >= 0x030C0000;
constexpr bool py313 = PY_VERSION_HEX >= 0x030D0000;

[[noreturn]] void type_error(const std::string& message) {
  PyErr_SetString(PyExc_TypeError, message.c_str());
  throw py::error_already_set();
}
}  // namespace

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
text builtin_path(const arguments& a) {
  PyObject* o = a[0];
  if (py313 && !PyUnicode_Check(o) && !PyBytes_Check(o)) {
    try {
      return fspath_text(o);
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_TypeError) ||
          std::string(py::str(e.value())).rfind("expected str, bytes", 0) != 0)
        throw;
      type_error(a.function().name +
                 ": path should be string, bytes or os.PathLike, not " +
                 Py_TYPE(o)->tp_name);
    }
  }
  return fspath_text(o);
}

// The path argument of a one-path lexical function when its text can be
// used in place: a bytes, or a str of ASCII characters only (its UTF-8 is
// its storage, one byte a character). Results are then made from the bytes
// directly, with no encoding either way; anything else goes through text.
struct raw_path {
  PyObject* object = nullptr;
  std::string_view view;
  bool bytes = false;

  // The result s (bytes of view's kind) as a new object.
  PyObject* make(std::string_view s) const {
    const auto n = static_cast<Py_ssize_t>(s.size());
    if (bytes) return PyBytes_FromStringAndSize(s.data(), n);
    PyObject* o = PyUnicode_New(n, 127);
    if (o != nullptr) std::memcpy(PyUnicode_DATA(o), s.data(), s.size());
    return o;
  }
};

bool as_raw_path(PyObject* o, raw_path& r) {
  if (PyBytes_Check(o)) {
    r = {o,
         {PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o))},
         true};
    return true;
  }
  if (!PyUnicode_Check(o)) return false;
#if PY_VERSION_HEX < 0x030C0000
  if (PyUnicode_READY(o) != 0) throw py::error_already_set();
#endif
  if (!PyUnicode_IS_ASCII(o)) return false;
  r = {o,
       {static_cast<const char*>(PyUnicode_DATA(o)),
        static_cast<std::size_t>(PyUnicode_GET_LENGTH(o))},
       false};
  return true;
}

py::object steal_or_throw(PyObject* o) {
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

// A 2-tuple of new references (either may be null: an error is raised).
py::object pair_of(PyObject* a, PyObject* b) {
  py::object first = py::reinterpret_steal<py::object>(a);
  py::object second = py::reinterpret_steal<py::object>(b);
  if (!first || !second) throw py::error_already_set();
  PyObject* t = PyTuple_New(2);
  if (t == nullptr) throw py::error_already_set();
  PyTuple_SET_ITEM(t, 0, first.release().ptr());
  PyTuple_SET_ITEM(t, 1, second.release().ptr());
  return py::reinterpret_steal<py::object>(t);
}

py::object py_normcase(const arguments& a) { return fspath(a[0]); }

py::object py_isabs(const arguments& a) {
  py::object s = fspath(a[0]);
  bool abs = PyUnicode_Check(s.ptr())
                 ? PyUnicode_GET_LENGTH(s.ptr()) > 0 &&
                       PyUnicode_READ_CHAR(s.ptr(), 0) == '/'
                 : PyBytes_GET_SIZE(s.ptr()) > 0 &&
                       PyBytes_AS_STRING(s.ptr())[0] == '/';
  return py::bool_(abs);
}

py::object py_splitdrive(const arguments& a) {
  text p = fspath_text(a[0]);
  return py::make_tuple(p.wrap({}), p.object());
}

py::object py_splitroot(const arguments& a) {
  text p = builtin_path(a);
  auto [drive, root, tail] = os::path::splitroot(p.view());
  return tuple_of(p, drive, root, tail);
}

py::object py_split(const arguments& a) {
  text p = fspath_text(a[0]);
  auto [head, tail] = os::path::split(p.view());
  return tuple_of(p, head, tail);
}

py::object py_splitext(const arguments& a) {
  if (raw_path r; as_raw_path(a[0], r)) {
    std::size_t i = os::path::detail::ext_start(r.view);
    return pair_of(r.make(r.view.substr(0, i)), r.make(r.view.substr(i)));
  }
  text p = fspath_text(a[0]);
  auto [root, ext] = os::path::splitext(p.view());
  return tuple_of(p, root, ext);
}

py::object py_basename(const arguments& a) {
  text p = fspath_text(a[0]);
  return p.wrap_same(os::path::basename(p.view()));
}

py::object py_dirname(const arguments& a) {
  text p = fspath_text(a[0]);
  return p.wrap_same(os::path::dirname(p.view()));
}

py::object py_normpath(const arguments& a) {
  PyObject* arg = a[0];
  if (raw_path r; as_raw_path(arg, r) && r.view.size() < 256) {
    char buf[256];
    std::size_t size = os::path::detail::normpath_into(r.view, buf);
    // normpath only drops bytes (or makes '' '.'): the same length is the
    // same text.
    if (size == r.view.size() &&
        (r.bytes ? PyBytes_CheckExact(arg) : PyUnicode_CheckExact(arg)))
      return py::reinterpret_borrow<py::object>(arg);
    return steal_or_throw(r.make({buf, size}));
  }
  text p = builtin_path(a);
  return p.wrap_same(os::path::normpath(p.view()));
}

py::object py_isjunction(const arguments& a) {
  fspath(a[0]);
  return py::bool_(false);
}

py::object py_isdevdrive(const arguments& a) {
  fspath(a[0]);
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

py::object py_join(const arguments& args) {
  py::object a = fspath(args[0]);
  std::span<PyObject* const> p = args.surplus();
  if (p.empty()) return a;
  std::vector<py::object> parts{a};
  parts.reserve(p.size() + 1);
  bool is_str = PyUnicode_Check(a.ptr());
  try {
    for (PyObject* b : p) {
      parts.push_back(fspath(b));
      if (PyUnicode_Check(parts.back().ptr()) != is_str)
        type_error("mixed");  // replaced by check_arg_types below
    }
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_TypeError) && !e.matches(PyExc_AttributeError)) throw;
    std::vector<PyObject*> all{a.ptr()};
    all.insert(all.end(), p.begin(), p.end());
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

py::object py_commonprefix(const arguments& a) {
  PyObject* m = a[0];
  int truth = PyObject_IsTrue(m);
  if (truth < 0) throw py::error_already_set();
  if (!truth) return py::str("");
  // m[0], as Python subscripts (a mapping's key 0, a non-sequence's error).
  py::object first = py::handle(m)[py::int_(0)];
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

py::object py_commonpath(const arguments& a) {
  PyObject* paths = a[0];
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
  def_python<&p::py_normcase>(
      sub, "normcase(s)", "Normalize case of pathname: unchanged on POSIX.");
  def_python<&p::py_isabs>(sub, "isabs(s)", "Test whether a path is absolute.");
  def_python<&p::py_join>(
      sub, "join(a, *p)",
      "Join two or more pathname components, inserting '/' as needed.");
  def_python<&p::py_splitdrive>(sub, "splitdrive(p)",
                                "Split a pathname into drive and path: the "
                                "drive is always empty on POSIX.");
  def_python<&p::py_split>(sub, "split(p)",
                           "Split a pathname into (head, tail): tail is "
                           "everything after the final slash.");
  def_python<&p::py_splitext>(
      sub, "splitext(p)", "Split the extension from a pathname: (root, ext).");
  def_python<&p::py_basename>(sub, "basename(p)",
                              "Returns the final component of a pathname.");
  def_python<&p::py_dirname>(sub, "dirname(p)",
                             "Returns the directory component of a pathname.");
  // 3.13's posixpath has posix's builtins for these two: Clinic's wording,
  // under their posix names.
  const wording posix_from_313 = p::py313 ? wording::clinic : wording::python;
  sub.attr("normpath") = function<&p::py_normpath>(
      sub, p::py313 ? "_path_normpath(path)" : "normpath(path)",
      "Normalize path, eliminating double slashes, etc.", posix_from_313);
  if (p::py312)
    sub.attr("splitroot") = function<&p::py_splitroot>(
        sub, p::py313 ? "_path_splitroot_ex(path)" : "splitroot(p)",
        "Split a pathname into drive, root and tail.", posix_from_313);
  def_python<&p::py_commonprefix>(sub, "commonprefix(m)",
                                  "Given a list of pathnames, returns the "
                                  "longest common leading component.");
  def_python<&p::py_commonpath>(sub, "commonpath(paths)",
                                "Given a sequence of path names, returns the "
                                "longest common sub-path.");
  if (p::py312)
    def_python<&p::py_isjunction>(
        sub, "isjunction(path)",
        "Test whether a path is a junction: never on POSIX.");
  if (p::py313)
    def_python<&p::py_isdevdrive>(
        sub, "isdevdrive(path)",
        "Test whether a path is on a Windows Dev Drive: never on POSIX.");
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

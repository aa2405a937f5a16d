// The environment: environ, environb, getenv, getenvb, putenv, unsetenv,
// get_exec_path.
//
// environ and environb are two instances of one MutableMapping class whose
// core methods are builtins calling the C++ os::environ (str keys and values
// for environ, encoded with the filesystem encoding and surrogateescape;
// bytes for environb). Both see the same C++ mapping.
#include <pybind11/eval.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "oscpp/environ.hpp"
#include "oscpp/system_info.hpp"

namespace oscpp_py {
namespace {

PyObject* g_module = nullptr;         // oscpp itself (borrowed: lives forever)
PyObject* g_environ = nullptr;        // the str mapping (owned)
PyObject* g_environb = nullptr;       // the bytes mapping (owned)
PyObject* g_path_value = nullptr;     // Python helper for get_exec_path (owned)
PyObject* g_environ_name = nullptr;   // "environ", interned (owned)
PyObject* g_environb_name = nullptr;  // "environb", interned (owned)

[[noreturn]] void raise_type_error(const char* expected, PyObject* o) {
  PyErr_Format(PyExc_TypeError, "%s expected, not %s", expected,
               _PyType_Name(Py_TYPE(o)));
  throw py::error_already_set();
}

// `raise KeyError(key) from None`: the caller's key, no context shown.
// key may be null: KeyError() without arguments, as popitem() raises.
[[noreturn]] void raise_key_error(PyObject* key) {
  PyObject* exc = key != nullptr ? PyObject_CallFunctionObjArgs(PyExc_KeyError,
                                                                key, nullptr)
                                 : PyObject_CallObject(PyExc_KeyError, nullptr);
  if (exc == nullptr) throw py::error_already_set();
  PyException_SetCause(exc, nullptr);  // sets __suppress_context__
  PyErr_SetObject(PyExc_KeyError, exc);
  Py_DECREF(exc);
  throw py::error_already_set();
}

// A key or value as the bytes the C++ mapping holds. An ASCII str is used
// in place; any other str is encoded as Python's os.environ encodes it.
class encoded {
 public:
  encoded(PyObject* o, bool bytes) {
    if (bytes) {
      if (!PyBytes_Check(o)) raise_type_error("bytes", o);
      view_ = {PyBytes_AS_STRING(o),
               static_cast<std::size_t>(PyBytes_GET_SIZE(o))};
      return;
    }
    if (!PyUnicode_Check(o)) raise_type_error("str", o);
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(o) != 0) throw py::error_already_set();
#endif
    if (PyUnicode_IS_ASCII(o)) {
      view_ = {static_cast<const char*>(PyUnicode_DATA(o)),
               static_cast<std::size_t>(PyUnicode_GET_LENGTH(o))};
      return;
    }
    PyObject* b = PyUnicode_EncodeFSDefault(o);
    if (b == nullptr) throw py::error_already_set();
    owner_ = py::reinterpret_steal<py::object>(b);
    view_ = {PyBytes_AS_STRING(b),
             static_cast<std::size_t>(PyBytes_GET_SIZE(b))};
  }
  std::string_view view() const noexcept { return view_; }

 private:
  py::object owner_;
  std::string_view view_;
};

py::object wrap(std::string_view s, bool bytes) {
  return bytes ? py::object(to_bytes(s)) : decode(s);
}

// Which kind of mapping self is: environb has bytes keys and values.
bool bytes_kind(PyObject* self) { return self == g_environb; }

// ---------------------------------------------------------------- methods

// key's value as str or bytes, made straight from the C++ mapping's bytes;
// a null object if key is missing.
py::object lookup(PyObject* key, bool bytes) {
  py::object value;
  os::environ.visit(encoded(key, bytes).view(),
                    [&](std::string_view v) { value = wrap(v, bytes); });
  return value;
}

py::object py_getitem(const arguments& a) {
  PyObject* key = a[1];
  py::object value = lookup(key, bytes_kind(a[0]));
  if (!value) raise_key_error(key);
  return value;
}

py::object py_setitem(const arguments& a) {
  bool bytes = bytes_kind(a[0]);
  encoded k(a[1], bytes);
  encoded v(a[2], bytes);
  os::environ.set(k.view(), v.view());
  return py::none();
}

py::object py_delitem(const arguments& a) {
  try {
    os::environ.erase(encoded(a[1], bytes_kind(a[0])).view());
  } catch (const std::out_of_range&) {
    raise_key_error(a[1]);
  }
  return py::none();
}

py::object py_contains(const arguments& a) {
  return py::bool_(
      os::environ.contains(encoded(a[1], bytes_kind(a[0])).view()));
}

py::object py_get(const arguments& a) {
  py::object value = lookup(a[1], bytes_kind(a[0]));
  if (!value) return py::reinterpret_borrow<py::object>(a[2] ? a[2] : Py_None);
  return value;
}

py::object py_len(const arguments&) { return py::int_(os::environ.size()); }

// Iterates over a snapshot of the keys, so that writes during the loop
// neither fail nor show, as Python's os.environ does.
py::object py_iter(const arguments& a) {
  bool bytes = bytes_kind(a[0]);
  std::vector<std::string> keys = os::environ.keys();
  py::list out(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) out[i] = wrap(keys[i], bytes);
  return py::iter(out);
}

py::dict items_dict(bool bytes) {
  py::dict out;
  for (const auto& [key, value] : os::environ)
    out[wrap(key, bytes)] = wrap(value, bytes);
  return out;
}

py::object py_copy(const arguments& a) { return items_dict(bytes_kind(a[0])); }

// environ({'KEY': 'value', ...}), whichever the kind.
py::object py_repr(const arguments& a) {
  bool bytes = bytes_kind(a[0]);
  std::string text = "environ({";
  bool first = true;
  for (const auto& [key, value] : os::environ) {
    if (!first) text += ", ";
    first = false;
    text += py::repr(wrap(key, bytes)).cast<std::string>();
    text += ": ";
    text += py::repr(wrap(value, bytes)).cast<std::string>();
  }
  text += "})";
  return py::str(text);
}

py::object py_clear(const arguments&) {
  os::environ.clear();
  return py::none();
}

py::object py_popitem(const arguments& a) {
  bool bytes = bytes_kind(a[0]);
  std::optional<os::environ_map::value_type> item;
  try {
    item = os::environ.popitem();
  } catch (const std::out_of_range&) {
    raise_key_error(nullptr);
  }
  return py::make_tuple(wrap(item->first, bytes), wrap(item->second, bytes));
}

// The class: MutableMapping's mixins over the builtins above, plus the
// methods whose Python semantics are easiest to state in Python.
constexpr const char* environ_class_source = R"(
from collections.abc import Mapping as _Mapping, MutableMapping as _MutableMapping

class _Environ(_MutableMapping):
    """The process environment as a mapping, backed by oscpp's C++
    os::environ: assignments call setenv(), deletions unsetenv()."""

    __slots__ = ()

    __getitem__ = _methods['__getitem__']
    __setitem__ = _methods['__setitem__']
    __delitem__ = _methods['__delitem__']
    __contains__ = _methods['__contains__']
    __len__ = _methods['__len__']
    __iter__ = _methods['__iter__']
    __repr__ = _methods['__repr__']
    get = _methods['get']
    copy = _methods['copy']
    clear = _methods['clear']
    popitem = _methods['popitem']

    def setdefault(self, key, value):
        """Return self[key], first setting it to value if missing."""
        if key not in self:
            self[key] = value
        return self[key]

    # The dict operators of Python 3.9: the result of | is a dict.
    def __or__(self, other):
        if not isinstance(other, _Mapping):
            return NotImplemented
        result = self.copy()
        result.update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, _Mapping):
            return NotImplemented
        result = dict(other)
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self

# get_exec_path's PATH of a mapping other than environ: str, bytes or None.
# Comparing str and bytes keys must not warn (python -b).
def _path_value(env):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BytesWarning)
        try:
            text = env.get('PATH')
        except TypeError:
            text = None
        try:
            data = env[b'PATH']
        except (KeyError, TypeError):
            return text
    if text is not None:
        raise ValueError("env cannot contain 'PATH' and b'PATH' keys")
    return data
)";

// ---------------------------------------------------------------- functions

// The module's current environ / environb (a test may replace them); name
// is one of the interned names below.
py::object module_attr(PyObject* name) {
  PyObject* value = PyObject_GetAttr(g_module, name);
  if (value == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(value);
}

// getenv (str) and getenvb (bytes).
template <bool bytes>
py::object py_getenv(const arguments& a) {
  PyObject* key = nullptr;
  PyObject* default_ = Py_None;
  a.parse(&object_converter, &key, &object_converter, &default_);
  py::object env = module_attr(bytes ? g_environb_name : g_environ_name);
  // Replaced: Python's getenv reads whatever it is.
  if (env.ptr() != (bytes ? g_environb : g_environ))
    return env.attr("get")(py::handle(key), py::handle(default_));
  py::object value = lookup(key, bytes);
  if (!value) return py::reinterpret_borrow<py::object>(default_);
  return value;
}

py::object py_putenv(const arguments& a) {
  py::object name = fs_bytes(a[0]);
  py::object value = fs_bytes(a[1]);
  return python_value(os::nothrow::putenv(bytes_view(name), bytes_view(value)));
}

py::object py_unsetenv(const arguments& a) {
  py::object name = fs_bytes(a[0]);
  return python_value(os::nothrow::unsetenv(bytes_view(name)));
}

py::list decoded_list(const std::vector<std::string>& dirs) {
  py::list out(dirs.size());
  for (std::size_t i = 0; i < dirs.size(); ++i) out[i] = decode(dirs[i]);
  return out;
}

py::object py_get_exec_path(const arguments& a) {
  PyObject* env_arg = Py_None;
  a.parse(&object_converter, &env_arg);
  py::object env = env_arg == Py_None
                       ? module_attr(g_environ_name)
                       : py::reinterpret_borrow<py::object>(env_arg);
  // Ours (either kind): PATH decoded, straight from C++.
  if (env.ptr() == g_environ || env.ptr() == g_environb)
    return decoded_list(os::get_exec_path());
  py::object path = py::reinterpret_borrow<py::object>(g_path_value)(env);
  if (path.is_none())
    return decoded_list(
        os::get_exec_path(std::map<std::string, std::string>{}));
  if (PyBytes_Check(path.ptr())) {
    std::map<std::string, std::string, std::less<>> one = {
        {"PATH", std::string(bytes_view(path))}};
    return decoded_list(os::get_exec_path(one));
  }
  // A str, or whatever the mapping held: split it as Python would.
  return path.attr("split")(py::str(os::pathsep.data(), os::pathsep.size()));
}

}  // namespace

OSCPP_BINDINGS(environ) {
  g_module = m.ptr();
  g_environ_name = PyUnicode_InternFromString("environ");
  g_environb_name = PyUnicode_InternFromString("environb");
  if (g_environ_name == nullptr || g_environb_name == nullptr)
    throw py::error_already_set();
  // The methods, named in errors as CPython's os._Environ (or the mixin
  // its method comes from) names them from 3.10 on.
  py::dict methods;
  auto method = [&](py::object f) {
    // A builtin does not bind to instances; an instancemethod makes it a
    // method, so environ[k] calls it with (environ, k).
    PyObject* bound = PyInstanceMethod_New(f.ptr());
    if (bound == nullptr) throw py::error_already_set();
    methods[f.attr("__name__")] = py::reinterpret_steal<py::object>(bound);
  };
  constexpr wording python = wording::python;
  method(function<&py_getitem>(m, "__getitem__(self, key)",
                               "x.__getitem__(y) <==> x[y]", python,
                               "_Environ.__getitem__"));
  method(function<&py_setitem>(m, "__setitem__(self, key, value)",
                               "Set self[key] to value.", python,
                               "_Environ.__setitem__"));
  method(function<&py_delitem>(m, "__delitem__(self, key)", "Delete self[key].",
                               python, "_Environ.__delitem__"));
  method(function<&py_contains>(m, "__contains__(self, key)",
                                "True if the mapping has the key.", python,
                                "Mapping.__contains__"));
  method(function<&py_get>(
      m, "get(self, key, default=None)",
      "D.get(k[,d]) -> D[k] if k in D, else d.  d defaults to None.", python,
      "Mapping.get"));
  method(function<&py_len>(m, "__len__(self)", "Return len(self).", python,
                           "_Environ.__len__"));
  method(function<&py_iter>(m, "__iter__(self)", "Implement iter(self).",
                            python, "_Environ.__iter__"));
  method(function<&py_copy>(m, "copy(self)",
                            "A dict holding the environment's items.", python,
                            "_Environ.copy"));
  method(function<&py_repr>(m, "__repr__(self)", "Return repr(self).", python,
                            "_Environ.__repr__"));
  method(function<&py_clear>(m, "clear(self)",
                             "Unset every variable of the mapping.", python,
                             "MutableMapping.clear"));
  method(function<&py_popitem>(
      m, "popitem(self)",
      "Remove and return the oldest (key, value) pair; KeyError if empty.",
      python, "MutableMapping.popitem"));

  py::dict scope;
  scope["__name__"] = m.attr("__name__");
  scope["__builtins__"] = py::module_::import("builtins");
  scope["_methods"] = methods;
  py::exec(environ_class_source, scope);
  py::object cls = scope["_Environ"];
  g_environ = cls().release().ptr();
  g_environb = cls().release().ptr();
  g_path_value = py::object(scope["_path_value"]).release().ptr();

  m.attr("_Environ") = cls;
  m.attr("environ") = py::handle(g_environ);
  m.attr("environb") = py::handle(g_environb);

  def_python<&py_getenv<false>>(
      m, "getenv(key, default=None)",
      "Get an environment variable, return None if it doesn't "
      "exist.\nThe optional second argument can specify an "
      "alternate default.\nkey, default and the result are str.");
  def_python<&py_getenv<true>>(
      m, "getenvb(key, default=None)",
      "Get an environment variable, return None if it doesn't "
      "exist.\nThe optional second argument can specify an "
      "alternate default.\nkey, default and the result are "
      "bytes.");
  def<&py_putenv>(m, "putenv(name, value, /)",
                  "Change or add an environment variable.");
  def<&py_unsetenv>(m, "unsetenv(name, /)", "Delete an environment variable.");
  def_python<&py_get_exec_path>(
      m, "get_exec_path(env=None)",
      "Returns the sequence of directories that will be searched for the\n"
      "named executable (similar to a shell) when launching a process.\n\n"
      "*env* must be an environment variable dict or None.  If *env* is "
      "None,\nos.environ will be used.");
}

}  // namespace oscpp_py

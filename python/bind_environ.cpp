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

// Unpacks a method call's (self, args...) tuple.
template <class... Out>
PyObject* method_args(PyObject* args, PyObject* kwargs, const char* format,
                      std::initializer_list<const char*> keywords,
                      Out*... out) {
  PyObject* self = nullptr;
  parse(args, kwargs, format, keywords, &self, out...);
  return self;
}

// ---------------------------------------------------------------- methods

// key's value as str or bytes, made straight from the C++ mapping's bytes;
// a null object if key is missing.
py::object lookup(PyObject* key, bool bytes) {
  py::object value;
  os::environ.visit(encoded(key, bytes).view(),
                    [&](std::string_view v) { value = wrap(v, bytes); });
  return value;
}

py::object py_getitem(PyObject* args, PyObject* kwargs) {
  PyObject* key;
  PyObject* self = method_args(args, kwargs, "OO:__getitem__", {"", ""}, &key);
  py::object value = lookup(key, bytes_kind(self));
  if (!value) raise_key_error(key);
  return value;
}

py::object py_setitem(PyObject* args, PyObject* kwargs) {
  PyObject* key;
  PyObject* value;
  PyObject* self =
      method_args(args, kwargs, "OOO:__setitem__", {"", "", ""}, &key, &value);
  bool bytes = bytes_kind(self);
  encoded k(key, bytes);
  encoded v(value, bytes);
  os::environ.set(k.view(), v.view());
  return py::none();
}

py::object py_delitem(PyObject* args, PyObject* kwargs) {
  PyObject* key;
  PyObject* self = method_args(args, kwargs, "OO:__delitem__", {"", ""}, &key);
  try {
    os::environ.erase(encoded(key, bytes_kind(self)).view());
  } catch (const std::out_of_range&) {
    raise_key_error(key);
  }
  return py::none();
}

py::object py_contains(PyObject* args, PyObject* kwargs) {
  PyObject* key;
  PyObject* self = method_args(args, kwargs, "OO:__contains__", {"", ""}, &key);
  return py::bool_(os::environ.contains(encoded(key, bytes_kind(self)).view()));
}

py::object py_get(PyObject* args, PyObject* kwargs) {
  PyObject* key;
  PyObject* default_ = Py_None;
  PyObject* self = method_args(args, kwargs, "OO|O:get", {"", "key", "default"},
                               &key, &default_);
  py::object value = lookup(key, bytes_kind(self));
  if (!value) return py::reinterpret_borrow<py::object>(default_);
  return value;
}

py::object py_len(PyObject* args, PyObject* kwargs) {
  method_args(args, kwargs, "O:__len__", {""});
  return py::int_(os::environ.size());
}

// Iterates over a snapshot of the keys, so that writes during the loop
// neither fail nor show, as Python's os.environ does.
py::object py_iter(PyObject* args, PyObject* kwargs) {
  PyObject* self = method_args(args, kwargs, "O:__iter__", {""});
  bool bytes = bytes_kind(self);
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

py::object py_copy(PyObject* args, PyObject* kwargs) {
  PyObject* self = method_args(args, kwargs, "O:copy", {""});
  return items_dict(bytes_kind(self));
}

// environ({'KEY': 'value', ...}), whichever the kind.
py::object py_repr(PyObject* args, PyObject* kwargs) {
  PyObject* self = method_args(args, kwargs, "O:__repr__", {""});
  bool bytes = bytes_kind(self);
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

py::object py_clear(PyObject* args, PyObject* kwargs) {
  method_args(args, kwargs, "O:clear", {""});
  os::environ.clear();
  return py::none();
}

py::object py_popitem(PyObject* args, PyObject* kwargs) {
  PyObject* self = method_args(args, kwargs, "O:popitem", {""});
  bool bytes = bytes_kind(self);
  std::optional<os::environ_map::value_type> item;
  try {
    item = os::environ.popitem();
  } catch (const std::out_of_range&) {
    raise_key_error(nullptr);
  }
  return py::make_tuple(wrap(item->first, bytes), wrap(item->second, bytes));
}

// The methods above, as the class's own: PyMethodDefs must outlive it.
PyMethodDef method_defs[] = {
    {"__getitem__", nullptr, 0, "x.__getitem__(y) <==> x[y]"},
    {"__setitem__", nullptr, 0, "Set self[key] to value."},
    {"__delitem__", nullptr, 0, "Delete self[key]."},
    {"__contains__", nullptr, 0, "True if the mapping has the key."},
    {"get", nullptr, 0,
     "D.get(k[,d]) -> D[k] if k in D, else d.  d defaults to None."},
    {"__len__", nullptr, 0, "Return len(self)."},
    {"__iter__", nullptr, 0, "Implement iter(self)."},
    {"copy", nullptr, 0, "A dict holding the environment's items."},
    {"__repr__", nullptr, 0, "Return repr(self)."},
    {"clear", nullptr, 0, "Unset every variable of the mapping."},
    {"popitem", nullptr, 0,
     "Remove and return the oldest (key, value) pair; KeyError if empty."},
};
constexpr py_function method_impls[] = {
    &py_getitem, &py_setitem, &py_delitem, &py_contains, &py_get,    &py_len,
    &py_iter,    &py_copy,    &py_repr,    &py_clear,    &py_popitem};

template <std::size_t... I>
void fill_methods(std::index_sequence<I...>) {
  ((method_defs[I].ml_meth = reinterpret_cast<PyCFunction>(
        reinterpret_cast<void (*)()>(&trampoline<method_impls[I]>)),
    method_defs[I].ml_flags = METH_VARARGS | METH_KEYWORDS),
   ...);
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

py::object getenv_impl(const arguments& a, PyObject* mapping, PyObject* ours,
                       bool bytes) {
  PyObject* key = nullptr;
  PyObject* default_ = Py_None;
  a.parse(&object_converter, &key, &object_converter, &default_);
  py::object env = module_attr(mapping);
  if (env.ptr() != ours)  // replaced: Python's getenv reads whatever it is
    return env.attr("get")(py::handle(key), py::handle(default_));
  py::object value = lookup(key, bytes);
  if (!value) return py::reinterpret_borrow<py::object>(default_);
  return value;
}

py::object py_getenv(const arguments& a) {
  return getenv_impl(a, g_environ_name, g_environ, false);
}

py::object py_getenvb(const arguments& a) {
  return getenv_impl(a, g_environb_name, g_environb, true);
}

// Python's unicode_fs_encoded parameter: str, bytes or PathLike, no NUL.
py::object fs_encoded(PyObject* o) {
  PyObject* b = nullptr;
  if (!PyUnicode_FSConverter(o, &b)) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(b);
}

std::string_view bytes_view(const py::object& b) {
  return {PyBytes_AS_STRING(b.ptr()),
          static_cast<std::size_t>(PyBytes_GET_SIZE(b.ptr()))};
}

py::object py_putenv(const arguments& a) {
  py::object name = fs_encoded(a[0]);
  py::object value = fs_encoded(a[1]);
  unwrap(os::nothrow::putenv(bytes_view(name), bytes_view(value)));
  return py::none();
}

py::object py_unsetenv(const arguments& a) {
  py::object name = fs_encoded(a[0]);
  unwrap(os::nothrow::unsetenv(bytes_view(name)));
  return py::none();
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
  fill_methods(std::make_index_sequence<std::size(method_impls)>());
  py::dict methods;
  py::object module_name = m.attr("__name__");
  for (PyMethodDef& def : method_defs) {
    PyObject* f = PyCFunction_NewEx(&def, nullptr, module_name.ptr());
    if (f == nullptr) throw py::error_already_set();
    // A builtin does not bind to instances; an instancemethod makes it a
    // method, so environ[k] calls it with (environ, k).
    PyObject* method = PyInstanceMethod_New(f);
    Py_DECREF(f);
    if (method == nullptr) throw py::error_already_set();
    methods[def.ml_name] = py::reinterpret_steal<py::object>(method);
  }

  py::dict scope;
  scope["__name__"] = module_name;
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

  def_python<&py_getenv>(
      m, "getenv(key, default=None)",
      "Get an environment variable, return None if it doesn't "
      "exist.\nThe optional second argument can specify an "
      "alternate default.\nkey, default and the result are str.");
  def_python<&py_getenvb>(
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

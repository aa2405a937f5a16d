#include "convert.hpp"

#include <fcntl.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <new>
#include <stdexcept>
#include <vector>

namespace oscpp_py {

// ---------------------------------------------------------------- functions

namespace {
std::vector<binder>& binders() {
  static std::vector<binder> all;
  return all;
}
}  // namespace

void translate_current_exception() noexcept {
  try {
    throw;
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::builtin_exception& e) {
    e.set_error();
  } catch (const os::OSError& e) {
    // Names from C++ without a Python object: str, fsdecoded.
    py::gil_scoped_acquire gil;
    PyObject* f1 = nullptr;
    PyObject* f2 = nullptr;
    if (e.filename())
      f1 = PyUnicode_DecodeFSDefaultAndSize(e.filename()->data(),
                                            e.filename()->size());
    if (e.filename2())
      f2 = PyUnicode_DecodeFSDefaultAndSize(e.filename2()->data(),
                                            e.filename2()->size());
    errno = e.code().value();
    PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, f1, f2);
    Py_XDECREF(f1);
    Py_XDECREF(f2);
  } catch (const std::invalid_argument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::overflow_error& e) {
    PyErr_SetString(PyExc_OverflowError, e.what());
  } catch (const std::out_of_range& e) {
    PyErr_SetString(PyExc_KeyError, e.what());
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_SystemError, e.what());
  } catch (...) {
    PyErr_SetString(PyExc_SystemError, "unknown C++ exception");
  }
}

bool register_binder(binder b) {
  binders().push_back(b);
  return true;
}

void run_binders(py::module_& m) {
  for (binder b : binders()) b(m);
}

// ---------------------------------------------------------------- paths

py::object path_t::wrap(std::string_view s) const {
  return is_bytes ? py::object(to_bytes(s)) : decode(s);
}

py::object decode(std::string_view s) {
  PyObject* o = PyUnicode_DecodeFSDefaultAndSize(
      s.data(), static_cast<Py_ssize_t>(s.size()));
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::bytes to_bytes(std::string_view s) { return py::bytes(s.data(), s.size()); }

namespace {

// __fspath__ looked up on the type and bound as Python's special method
// lookup does (a plain non-descriptor value is used as is, so a
// non-callable one fails when called); null if the type has none.
py::object fspath_method(PyObject* o) {
  PyObject* attr = _PyType_Lookup(Py_TYPE(o), py::str("__fspath__").ptr());
#if PY_VERSION_HEX >= 0x030D0000
  // Since 3.13 __fspath__ = None means "not path-like".
  if (attr == Py_None) attr = nullptr;
#endif
  if (attr == nullptr) return py::object();
  py::object method = py::reinterpret_borrow<py::object>(attr);
  descrgetfunc get = Py_TYPE(attr)->tp_descr_get;
  if (get == nullptr) return method;
  PyObject* bound = get(attr, o, reinterpret_cast<PyObject*>(Py_TYPE(o)));
  if (bound == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(bound);
}

// Calls __fspath__ and checks that it gave str or bytes.
py::object call_fspath(PyObject* o, const py::object& method) {
  PyObject* result = PyObject_CallObject(method.ptr(), nullptr);
  if (result == nullptr) throw py::error_already_set();
  if (!PyUnicode_Check(result) && !PyBytes_Check(result)) {
    PyErr_Format(PyExc_TypeError,
                 "expected %.200s.__fspath__() to return str or bytes, "
                 "not %.200s",
                 Py_TYPE(o)->tp_name, Py_TYPE(result)->tp_name);
    Py_DECREF(result);
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::object>(result);
}

}  // namespace

py::object fspath(py::handle o) {
  if (PyUnicode_Check(o.ptr()) || PyBytes_Check(o.ptr()))
    return py::reinterpret_borrow<py::object>(o);
  py::object method = fspath_method(o.ptr());
  if (!method) {
    PyErr_Format(PyExc_TypeError,
                 "expected str, bytes or os.PathLike object, not %.200s",
                 Py_TYPE(o.ptr())->tp_name);
    throw py::error_already_set();
  }
  return call_fspath(o.ptr(), method);
}

namespace {

// Python's "fd" conversion: an index that fits an int.
bool index_to_int(PyObject* o, int* out) {
  PyObject* index = PyNumber_Index(o);
  if (index == nullptr) return false;
  int overflow = 0;
  long v = PyLong_AsLongAndOverflow(index, &overflow);
  Py_DECREF(index);
  if (v == -1 && PyErr_Occurred()) return false;
  if (overflow > 0 || v > INT_MAX) {
    PyErr_SetString(PyExc_OverflowError, "fd is greater than maximum");
    return false;
  }
  if (overflow < 0 || v < INT_MIN) {
    PyErr_SetString(PyExc_OverflowError, "fd is less than minimum");
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

// "stat: path should be string, bytes, os.PathLike or integer, not list"
std::string path_type_message(const path_t& p, PyObject* o) {
  const char* allowed = p.allow_fd && p.nullable
                            ? "string, bytes, os.PathLike, integer or None"
                        : p.allow_fd ? "string, bytes, os.PathLike or integer"
                        : p.nullable ? "string, bytes, os.PathLike or None"
                                     : "string, bytes or os.PathLike";
  std::string msg = p.function ? std::string(p.function) + ": " : "";
  return msg + (p.argument ? p.argument : "path") + " should be " + allowed +
         ", not " + Py_TYPE(o)->tp_name;
}

bool path_type_error(const path_t& p, PyObject* o) {
  PyErr_SetString(PyExc_TypeError, path_type_message(p, o).c_str());
  return false;
}

}  // namespace

namespace {

// Since 3.13 a bool taken as a file descriptor is warned about.
bool warn_bool_fd(PyObject* o) {
#if PY_VERSION_HEX >= 0x030D0000
  if (PyBool_Check(o) &&
      PyErr_WarnEx(PyExc_RuntimeWarning, "bool is used as a file descriptor",
                   1) < 0)
    return false;
#else
  (void)o;
#endif
  return true;
}

}  // namespace

int path_converter(PyObject* o, void* out) {
  auto& p = *static_cast<path_t*>(out);
  p.object = py::reinterpret_borrow<py::object>(o);
  if (o == Py_None && p.nullable) {
    p.is_none = true;
    p.bytes = ".";
    return 1;
  }
  py::object value = py::reinterpret_borrow<py::object>(o);
  // An index is an fd only where one is allowed; else it is looked at as
  // any other object (an int has no __fspath__).
  bool is_index = p.allow_fd && PyIndex_Check(o);
#if PY_VERSION_HEX < 0x030C0000
  // Until 3.12 any buffer (bytearray, memoryview ...) is a bytes path.
  bool is_buffer = PyObject_CheckBuffer(o) && !PyBytes_Check(o);
#else
  bool is_buffer = false;
#endif
  if (!is_index && !is_buffer && !PyUnicode_Check(o) && !PyBytes_Check(o)) {
    try {
      py::object method = fspath_method(o);
      if (!method) return path_type_error(p, o);
      value = call_fspath(o, method);
      // Python's errors name what __fspath__ returned, not the object.
      p.object = value;
    } catch (py::error_already_set& e) {
      e.restore();
      return 0;
    }
  } else if (is_buffer) {
    // Accepted with a warning, as Python does.
    std::string msg = path_type_message(p, o);
    if (PyErr_WarnEx(PyExc_DeprecationWarning, msg.c_str(), 1) < 0) return 0;
    PyObject* b = PyBytes_FromObject(o);
    if (b == nullptr) return 0;
    value = py::reinterpret_steal<py::object>(b);
  } else if (is_index) {
    if (!warn_bool_fd(o) || !index_to_int(o, &p.fd)) return 0;
    p.is_fd = true;
    return 1;
  }
  if (PyUnicode_Check(value.ptr())) {
    PyObject* b = PyUnicode_EncodeFSDefault(value.ptr());
    if (b == nullptr) return 0;
    p.bytes.assign(PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b));
    Py_DECREF(b);
    if (p.bytes.find('\0') != std::string::npos) {
#if PY_VERSION_HEX >= 0x030D0000
      // Since 3.13 a str names the function and argument, as bytes do.
      PyErr_Format(PyExc_ValueError, "%s%sembedded null character in %s",
                   p.function ? p.function : "", p.function ? ": " : "",
                   p.argument ? p.argument : "path");
#else
      PyErr_SetString(PyExc_ValueError, "embedded null byte");
#endif
      return 0;
    }
    p.is_bytes = false;
  } else {
    p.bytes.assign(PyBytes_AS_STRING(value.ptr()),
                   PyBytes_GET_SIZE(value.ptr()));
    if (p.bytes.find('\0') != std::string::npos) {
      PyErr_Format(PyExc_ValueError, "%s%sembedded null character in %s",
                   p.function ? p.function : "", p.function ? ": " : "",
                   p.argument ? p.argument : "path");
      return 0;
    }
    p.is_bytes = true;
  }
  return 1;
}

int fildes_converter(PyObject* o, void* out) {
  int fd = PyObject_AsFileDescriptor(o);
  if (fd == -1 && PyErr_Occurred()) return 0;
  *static_cast<int*>(out) = fd;
  return 1;
}

int dir_fd_converter(PyObject* o, void* out) {
  if (o == Py_None) {
    *static_cast<int*>(out) = AT_FDCWD;
    return 1;
  }
  if (!PyIndex_Check(o)) {
    PyErr_Format(PyExc_TypeError,
                 "argument should be integer or None, not %.200s",
                 Py_TYPE(o)->tp_name);
    return 0;
  }
  return warn_bool_fd(o) && index_to_int(o, static_cast<int*>(out)) ? 1 : 0;
}

int optional_offset_converter(PyObject* o, void* out) {
  auto& offset = *static_cast<std::optional<off_t>*>(out);
  if (o == Py_None) {
    offset.reset();
    return 1;
  }
  off_t v = 0;
  if (!offset_converter(o, &v)) return 0;
  offset = v;
  return 1;
}

int offset_converter(PyObject* o, void* out) {
  static_assert(sizeof(off_t) == sizeof(long), "Py_off_t is a C long here");
  // PyLong_AsLong, as Python's: its __index__ call and overflow message.
  long v = PyLong_AsLong(o);
  if (v == -1 && PyErr_Occurred()) return 0;
  *static_cast<off_t*>(out) = static_cast<off_t>(v);
  return 1;
}

namespace {

// Python's uid_t / gid_t conversion: -1 leaves the id unchanged; otherwise
// the value must fit the unsigned id type. Which OverflowError message
// Python gives depends on whether the value fits a C long.
template <class Id>
int id_converter(PyObject* o, Id* out, const char* what) {
  PyObject* index = PyNumber_Index(o);
  if (index == nullptr) {
    const char* name = Py_TYPE(o)->tp_name;
    const char* dot = std::strrchr(name, '.');
    PyErr_Format(PyExc_TypeError, "%s should be integer, not %.200s", what,
                 dot ? dot + 1 : name);
    return 0;
  }
  int overflow = 0;
  long v = PyLong_AsLongAndOverflow(index, &overflow);
  Py_DECREF(index);
  if (v == -1 && PyErr_Occurred()) return 0;
  constexpr long max = static_cast<long>(static_cast<Id>(-1));
  if (overflow > 0) {
    PyErr_Format(PyExc_OverflowError, "%s is greater than maximum", what);
    return 0;
  }
  if (overflow < 0 || (v != -1 && (v < 0 || v > max))) {
    PyErr_Format(PyExc_OverflowError, "%s is less than minimum", what);
    return 0;
  }
  *out = static_cast<Id>(v);
  return 1;
}

}  // namespace

int uid_converter(PyObject* o, void* uid) {
  return id_converter(o, static_cast<uid_t*>(uid), "uid");
}

int gid_converter(PyObject* o, void* gid) {
  return id_converter(o, static_cast<gid_t*>(gid), "gid");
}

namespace {

// _PyLong_AsInt: a C int with "Python int too large to convert to C int".
int long_as_int(PyObject* o, int* out) {
  int overflow = 0;
  long v = PyLong_AsLongAndOverflow(o, &overflow);
  if (v == -1 && PyErr_Occurred()) return 0;
  if (overflow != 0 || v > INT_MAX || v < INT_MIN) {
    PyErr_SetString(PyExc_OverflowError,
                    "Python int too large to convert to C int");
    return 0;
  }
  *out = static_cast<int>(v);
  return 1;
}

}  // namespace

int int_converter(PyObject* o, void* out) {
#if PY_VERSION_HEX < 0x03080000
  // 3.7 parses every C int argument as "i" (a C long's overflow first).
  return c_int_converter(o, out);
#else
#if PY_VERSION_HEX < 0x030A0000
  // Until 3.9 Python's C int converter refuses a float by name (the C API
  // below would take it through __int__).
  if (PyFloat_Check(o)) {
    PyErr_SetString(PyExc_TypeError, "integer argument expected, got float");
    return 0;
  }
#endif
  return long_as_int(o, static_cast<int*>(out));
#endif
}

int conf_name(PyObject* o, int* out,
              const std::map<std::string, int, std::less<>>& names) {
  if (PyLong_Check(o)) return long_as_int(o, out);
  if (!PyUnicode_Check(o)) {
    PyErr_SetString(PyExc_TypeError,
                    "configuration names must be strings or integers");
    return 0;
  }
  Py_ssize_t size = 0;
  const char* text = PyUnicode_AsUTF8AndSize(o, &size);
  if (text == nullptr) return 0;
  auto it = names.find(std::string_view(text, static_cast<std::size_t>(size)));
  if (it == names.end()) {
    PyErr_SetString(PyExc_ValueError, "unrecognized configuration name");
    return 0;
  }
  *out = it->second;
  return 1;
}

py::object fs_bytes(PyObject* o) {
  PyObject* b = nullptr;
  if (!PyUnicode_FSConverter(o, &b)) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(b);
}

int pathconf_name_converter(PyObject* o, void* out) {
  return conf_name(o, static_cast<int*>(out), os::pathconf_names);
}

bool not_negative(PyObject* o) {
  if (!PyLong_Check(o)) return true;
  int overflow = 0;
  long v = PyLong_AsLongAndOverflow(o, &overflow);
  if (v == -1 && PyErr_Occurred()) return false;
  if (overflow < 0 || (overflow == 0 && v < 0)) {
    PyErr_SetString(PyExc_ValueError, "value must be positive");
    return false;
  }
  return true;
}

int unsigned_int_converter(PyObject* o, void* out) {
  if (!not_negative(o)) return 0;
  // Not PyNumber_Index: Python's converter takes ints only.
  unsigned long v = PyLong_AsUnsignedLong(o);
  if (v == static_cast<unsigned long>(-1) && PyErr_Occurred()) return 0;
  if (v > UINT_MAX) {
    PyErr_SetString(PyExc_OverflowError,
                    "Python int too large for C unsigned int");
    return 0;
  }
  *static_cast<unsigned int*>(out) = static_cast<unsigned int>(v);
  return 1;
}

// ---------------------------------------------------------------- errors

void raise_error(const os::error_info& e, py::handle filename,
                 py::handle filename2) {
  if (e.value() == EINTR && PyErr_Occurred()) throw py::error_already_set();
  PyObject* f1 = e.filename() && filename ? filename.ptr() : nullptr;
  PyObject* f2 = e.filename2() && filename2 ? filename2.ptr() : nullptr;
  py::object owned1, owned2;
  // A name the C++ error carries but the caller gave no object for.
  if (e.filename() && f1 == nullptr) {
    owned1 = decode(*e.filename());
    f1 = owned1.ptr();
  }
  if (e.filename2() && f2 == nullptr) {
    owned2 = decode(*e.filename2());
    f2 = owned2.ptr();
  }
  errno = e.value();
  PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, f1, f2);
  throw py::error_already_set();
}

namespace {
bool is_null_path(const path_t& path, bool any_negative) {
  return path.is_fd && (any_negative ? path.fd < 0 : path.fd == -1);
}
}  // namespace

void check_null_path(const path_t& path, bool any_negative) {
  if (is_null_path(path, any_negative))
    raise_error(os::error_info(EFAULT, "-1"), path.object);
}

void null_path_as_cwd(path_t& path, bool any_negative) {
  if (!is_null_path(path, any_negative)) return;
  path.is_fd = false;
  path.bytes = ".";
}

// ---------------------------------------------------------------- results

py::object make_stat_result(const os::stat_result& st) {
  // The 10 sequence fields (with whole-second times), then the float
  // times, the nanosecond times, st_blksize, st_blocks and st_rdev.
  auto seconds = [](std::int64_t ns) {
    std::int64_t s = ns / 1000000000;
    return py::int_(ns % 1000000000 < 0 ? s - 1 : s);
  };
  py::tuple fields = py::make_tuple(
      st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid,
      st.st_size, seconds(st.st_atime_ns), seconds(st.st_mtime_ns),
      seconds(st.st_ctime_ns), st.atime(), st.mtime(), st.ctime(),
      st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns, st.st_blksize,
      st.st_blocks, st.st_rdev);
  return stat_result_type()(fields);
}

py::object make_statvfs_result(const os::statvfs_result& st) {
  // The 10 sequence fields, then f_fsid (attribute only).
  py::tuple fields = py::make_tuple(
      st.f_bsize, st.f_frsize, st.f_blocks, st.f_bfree, st.f_bavail, st.f_files,
      st.f_ffree, st.f_favail, st.f_flag, st.f_namemax, st.f_fsid);
  return statvfs_result_type()(fields);
}

bool run_signal_handlers() noexcept {
  PyGILState_STATE state = PyGILState_Ensure();
  bool again = PyErr_CheckSignals() == 0;
  PyGILState_Release(state);
  return again;
}

}  // namespace oscpp_py

// The binding's one place for conversions: argument converters with Python's
// own rules and messages, path arguments (str / bytes / PathLike / fd), the
// results back (str for str, bytes for bytes), and errors (OSError with the
// caller's own objects as filenames).
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "argspec.hpp"
#include "oscpp/error.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/path_arg.hpp"

namespace oscpp_py {

namespace py = pybind11;

// ---------------------------------------------------------------- functions

// Registers a function that binds part of the module; module.cpp runs them
// all. Use OSCPP_BINDINGS(family) { ... m ... } once per bind_*.cpp file.
using binder = void (*)(py::module_& m);
bool register_binder(binder b);
void run_binders(py::module_& m);

#define OSCPP_BINDINGS(family)                                        \
  static void oscpp_bind_##family(::pybind11::module_& m);            \
  [[maybe_unused]] static const bool oscpp_bind_registered_##family = \
      ::oscpp_py::register_binder(&oscpp_bind_##family);              \
  static void oscpp_bind_##family([[maybe_unused]] ::pybind11::module_& m)

// ---------------------------------------------------------------- paths

// A path argument, converted as Python's os converts one: str (encoded with
// the filesystem encoding), bytes, os.PathLike, and where allowed an int fd
// or None. Parsed by arguments::parse() with &path_converter.
struct path_t {
  path_t(const char* function, const char* argument, bool nullable = false,
         bool allow_fd = false)
      : function(function),
        argument(argument),
        nullable(nullable),
        allow_fd(allow_fd) {}

  const char* function;
  const char* argument;
  bool nullable;
  bool allow_fd;

  py::object object = py::none();  // the caller's own object
  std::string bytes;               // the path as bytes
  bool is_bytes = false;           // results come back as bytes
  bool is_fd = false;
  bool is_none = false;
  int fd = -1;

  // The path for the C++ call (NULs were rejected during conversion).
  os::path_arg arg() const { return os::path_arg(bytes); }
  // s as str or bytes, following the argument's type.
  py::object wrap(std::string_view s) const;
};
int path_converter(PyObject* o, void* path);

// fd as Python's fildes converter: an int, or an object with fileno().
int fildes_converter(PyObject* o, void* fd);
// dir_fd=None -> AT_FDCWD, else an int fd.
int dir_fd_converter(PyObject* o, void* fd);
// An optional off_t (None -> nullopt), as for sendfile / copy_file_range.
int optional_offset_converter(PyObject* o, void* offset);
// An off_t as Python's Py_off_t converter reads one (an index; "Python int
// too large to convert to C long" beyond 64 bits), for lseek, ftruncate ...
int offset_converter(PyObject* o, void* offset);
// uid_t / gid_t as Python's converters: -1 (unchanged) or 0 .. 2**32-1, with
// Python's TypeError / OverflowError messages ("uid is less than minimum").
int uid_converter(PyObject* o, void* uid);
int gid_converter(PyObject* o, void* gid);
// Python's unsigned_int parameters (splice flags, eventfd initval): negative
// is ValueError "value must be positive", above UINT_MAX OverflowError.
int unsigned_int_converter(PyObject* o, void* value);
// The unsigned converters' first check: false, with ValueError "value must
// be positive", for a negative int.
bool not_negative(PyObject* o);
// A C int as Python's own functions convert one (mode, flags ...): like "i"
// but with their OverflowError, "Python int too large to convert to C int".
int int_converter(PyObject* o, void* value);
// The converters above with their C++ types, for call().
using int_arg = as<&int_converter, int>;
using c_int_arg = as<&c_int_converter, int>;
using fildes_arg = as<&fildes_converter, int>;
using offset_arg = as<&offset_converter, off_t>;
using uid_arg = as<&uid_converter, uid_t>;
using gid_arg = as<&gid_converter, gid_t>;

// Python's configuration-name conversion (pathconf, confstr, sysconf): an
// int (as int_converter), or a key of names (else ValueError "unrecognized
// configuration name"); anything else is TypeError.
int conf_name(PyObject* o, int* out,
              const std::map<std::string, int, std::less<>>& names);
// conf_name over os.pathconf_names, for pathconf and fpathconf.
int pathconf_name_converter(PyObject* o, void* name);
// Python's os.fspath(): str/bytes unchanged, else __fspath__(); throws
// TypeError as Python does.
py::object fspath(py::handle o);

// PyUnicode_FSConverter's bytes of o (Python's unicode_fs_encoded: str,
// bytes or PathLike, no NUL).
py::object fs_bytes(PyObject* o);
// The contents of a bytes object.
inline std::string_view bytes_view(py::handle b) {
  return {PyBytes_AS_STRING(b.ptr()),
          static_cast<std::size_t>(PyBytes_GET_SIZE(b.ptr()))};
}

// The filesystem-encoded bytes of a str, or the bytes themselves.
py::object decode(std::string_view s);  // bytes -> str (fs encoding)
py::bytes to_bytes(std::string_view s);

// ---------------------------------------------------------------- errors

// Raises the Python OSError subclass for e, with the caller's objects as
// filename/filename2 where the error carries names. If a signal handler
// already raised (EINTR with an exception pending), that exception wins.
[[noreturn]] void raise_error(const os::error_info& e, py::handle filename = {},
                              py::handle filename2 = {});

// The value of r, or raise_error(r.error(), filename, filename2).
template <class T>
T unwrap(os::result<T>&& r, py::handle filename = {},
         py::handle filename2 = {}) {
  if (!r) raise_error(r.error(), filename, filename2);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

// CPython's path converter takes fd -1 for "no descriptor" and the
// function then calls the path form with a null path: stat(-1),
// chmod(-1, ...), chdir(-1) ... fail with EFAULT naming the -1 (the *xattr
// functions take every negative fd so: pass any_negative). The library's
// descriptor forms rightly say EBADF; the binding keeps Python's answer.
void check_null_path(const path_t& path, bool any_negative = false);
// The same null path where the function reads it as "." (listdir(-1),
// scandir(-1), listxattr(-2)): path becomes ".", results str.
void null_path_as_cwd(path_t& path, bool any_negative = false);

// The filename object of a path argument, for raise_error: the caller's
// object, or the fd for a path given as a descriptor.
inline py::handle filename_of(const path_t& p) { return p.object; }

// sys.audit(event, ...) as PySys_Audit raises it; throws if a hook raised.
// Python 3.7 has no audit hooks: nothing happens there.
template <class... Args>
void audit(const char* event, const char* format, Args... args) {
#if PY_VERSION_HEX >= 0x03080000
  if (PySys_Audit(event, format, args...) < 0) throw py::error_already_set();
#else
  (void)event, (void)format, ((void)args, ...);
#endif
}

// Runs f with the GIL released; f must not touch Python objects.
template <class F>
auto without_gil(F&& f) {
  py::gil_scoped_release release;
  return f();
}

// The descriptor as a Python int, which owns it only once the int exists.
inline py::object fd_result(os::unique_fd fd) {
  py::int_ result(fd.get());
  static_cast<void>(fd.release());
  return result;
}

// r's value as Python's (None for void, bool, int, a descriptor, str for a
// string, fs-decoded), or
// raise_error(r.error(), filename, filename2).
template <class T>
py::object python_value(os::result<T>&& r, py::handle filename = {},
                        py::handle filename2 = {}) {
  if (!r) raise_error(r.error(), filename, filename2);
  if constexpr (std::is_void_v<T>)
    return py::none();
  else if constexpr (std::is_same_v<T, os::unique_fd>)
    return fd_result(std::move(*r));
  else if constexpr (std::is_same_v<T, std::string>)
    return decode(*r);
  else if constexpr (std::is_same_v<T, bool>)
    return py::bool_(*r);
  else
    return py::int_(*r);
}

// A plain integer result as a Python int.
template <class T>
requires std::is_integral_v<T> py::object python_value(T value) {
  return py::int_(value);
}

// python_value() of what f returns, f called with the GIL released.
template <class F>
py::object released(F&& f, py::handle filename = {},
                    py::handle filename2 = {}) {
  return python_value(without_gil(std::forward<F>(f)), filename, filename2);
}

// A bound function that converts its arguments with As (as<> types) and
// returns python_value(Fn(arguments...)):
//   def<&call<&os::nothrow::setuid, uid_arg>>(m, "setuid(uid, /)", "...");
// Only for functions whose optional parameters default to 0.
template <auto Fn, class... As>
py::object call(const arguments& a) {
  return python_value(std::apply(Fn, a.values<As...>()));
}

// call() with the GIL released around Fn.
template <auto Fn, class... As>
py::object call_released(const arguments& a) {
  auto values = a.values<As...>();
  return released([&] { return std::apply(Fn, values); });
}

// The interruption hook: runs Python's signal handlers on EINTR.
bool run_signal_handlers() noexcept;

// ---------------------------------------------------------------- results

// Python's result types, reused from CPython (DESIGN.md allows it).
py::object stat_result_type();
py::object statvfs_result_type();
py::object terminal_size_type();

// An os.stat_result built from the C++ one, field for field as CPython does.
py::object make_stat_result(const os::stat_result& st);
// An os.statvfs_result (f_fsid included) built from the C++ one.
py::object make_statvfs_result(const os::statvfs_result& st);

}  // namespace oscpp_py

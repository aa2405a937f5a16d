// oscpp.path: the functions that read the file system, the current
// directory, the environment or the password database.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "bind_path.hpp"
#include "oscpp/files.hpp"
#include "oscpp/path.hpp"

namespace oscpp_py::path {

namespace {

constexpr bool py38 = PY_VERSION_HEX >= 0x03080000;
constexpr bool py310 = PY_VERSION_HEX >= 0x030A0000;
constexpr bool py313 = PY_VERSION_HEX >= 0x030D0000;

// ---------------------------------------------------------------- predicates

// A path for os.stat / os.lstat as the predicates take it: false if the
// conversion failed with a ValueError (NUL, unencodable) and the version
// swallows those (3.8+); other errors (TypeError ...) propagate.
bool convert_or_false(PyObject* o, path_t& p, bool swallow_value_error) {
  if (path_converter(o, &p)) return true;
  if (swallow_value_error && PyErr_ExceptionMatches(PyExc_ValueError)) {
    PyErr_Clear();
    return false;
  }
  throw py::error_already_set();
}

// exists, isfile, isdir: os.stat(path) (a descriptor too) and its mode.
template <bool (*ByPath)(os::path::path_ref) noexcept,
          bool (*ByFd)(os::borrowed_fd) noexcept>
py::object stat_predicate(const arguments& a) {
  path_t p("stat", "path", false, true);
  if (!convert_or_false(a[0], p, py38)) return py::bool_(false);
  bool r = without_gil(
      [&] { return p.is_fd ? ByFd(os::borrowed_fd(p.fd)) : ByPath(p.bytes); });
  return py::bool_(r);
}

// islink, lexists: os.lstat(path) and its mode.
template <bool (*ByPath)(os::path::path_ref) noexcept>
py::object lstat_predicate(const arguments& a) {
  path_t p("lstat", "path");
  if (!convert_or_false(a[0], p, py38)) return py::bool_(false);
  return py::bool_(without_gil([&] { return ByPath(p.bytes); }));
}

// ismount with oscpp.lstat patched: the same steps, through the patch.
py::object ismount_patched(PyObject* path) {
  py::object lstat =
      py::reinterpret_borrow<py::object>(os_module()).attr("lstat");
  py::object s1;
  try {
    s1 = lstat(py::handle(path));
  } catch (py::error_already_set& e) {
    if (e.matches(PyExc_OSError) || (py38 && e.matches(PyExc_ValueError)))
      return py::bool_(false);
    throw;
  }
  if (S_ISLNK(s1.attr("st_mode").cast<long>())) return py::bool_(false);
  text p = fspath_text(path);
  py::object parent =
      p.wrap(os::path::detail::join_list({p.view(), os::path::pardir}));
  py::object realpath = py::reinterpret_borrow<py::object>(os_module())
                            .attr("path")
                            .attr("realpath");
  py::object s2;
  auto second = [&]() -> bool {
    try {
      s2 = lstat(parent);
      return true;
    } catch (py::error_already_set& e) {
      if (e.matches(PyExc_OSError) || (py38 && e.matches(PyExc_ValueError)))
        return false;
      throw;
    }
  };
  if (py313) {
    // 3.13: lstat(path/..) first, realpath only if that fails.
    if (!second()) {
      parent = realpath(parent);
      if (!second()) return py::bool_(false);
    }
  } else {
    parent = realpath(parent);
    if (!second()) return py::bool_(false);
  }
  if (!s1.attr("st_dev").equal(s2.attr("st_dev"))) return py::bool_(true);
  return py::bool_(s1.attr("st_ino").equal(s2.attr("st_ino")));
}

py::object py_ismount(const arguments& a) {
  if (is_patched("lstat")) return ismount_patched(a[0]);
  path_t p("lstat", "path");
  if (!convert_or_false(a[0], p, py38)) return py::bool_(false);
  if (py310 && !PyUnicode_Check(p.object.ptr()) &&
      !PyBytes_Check(p.object.ptr()))
    fspath(a[0]);  // (a buffer path: os.fspath's TypeError, as 3.10+)
  return py::bool_(without_gil([&] { return os::path::ismount(p.bytes); }));
}

// ---------------------------------------------------------------- stat based

// os.stat(o) as Python calls it (fd allowed); OSError names o.
os::stat_result stat_of(PyObject* o) {
  path_t p("stat", "path", false, true);
  if (!path_converter(o, &p)) throw py::error_already_set();
  auto r = without_gil([&] {
    return p.is_fd ? os::nothrow::stat(os::borrowed_fd(p.fd))
                   : os::nothrow::stat(p.arg());
  });
  return unwrap(std::move(r), filename_of(p));
}

// getsize(filename) and the like: a field of os.stat(filename).
py::object py_getsize(const arguments& a) {
  return py::int_(stat_of(a[0]).st_size);
}
py::object py_getmtime(const arguments& a) {
  return py::float_(stat_of(a[0]).mtime());
}
py::object py_getatime(const arguments& a) {
  return py::float_(stat_of(a[0]).atime());
}
py::object py_getctime(const arguments& a) {
  return py::float_(stat_of(a[0]).ctime());
}

py::object py_samefile(const arguments& a) {
  os::stat_result s1 = stat_of(a[0]);
  os::stat_result s2 = stat_of(a[1]);
  return py::bool_(os::path::samestat(s1, s2));
}

py::object py_sameopenfile(const arguments& a) {
  os::stat_result st[2];
  for (std::size_t i = 0; i < 2; ++i) {
    int fd = -1;
    if (!int_converter(a[i], &fd)) throw py::error_already_set();
    st[i] = unwrap(without_gil([fd] { return os::nothrow::fstat(fd); }));
  }
  return py::bool_(os::path::samestat(st[0], st[1]));
}

py::object py_samestat(const arguments& a) {
  py::handle s1(a[0]), s2(a[1]);
  // `s1.st_ino == s2.st_ino and s1.st_dev == s2.st_dev`, Python's `and`.
  py::object same_ino = py::reinterpret_steal<py::object>(PyObject_RichCompare(
      s1.attr("st_ino").ptr(), s2.attr("st_ino").ptr(), Py_EQ));
  if (!same_ino) throw py::error_already_set();
  int truth = PyObject_IsTrue(same_ino.ptr());
  if (truth < 0) throw py::error_already_set();
  if (!truth) return same_ino;
  py::object same_dev = py::reinterpret_steal<py::object>(PyObject_RichCompare(
      s1.attr("st_dev").ptr(), s2.attr("st_dev").ptr(), Py_EQ));
  if (!same_dev) throw py::error_already_set();
  return same_dev;
}

// ------------------------------------------------- current directory based

// The current directory in p's encoding when the binding must get it itself:
// oscpp.getcwd/getcwdb patched (called, as posixpath calls os.getcwd), or p
// a str with lone surrogates (the cwd's bytes re-encoded the same way).
// nullopt: os::path may fetch it.
std::optional<std::string> own_cwd(const text& p) {
  const char* name = p.is_bytes() ? "getcwdb" : "getcwd";
  bool patched = is_patched(name);
  if (!patched && p.what() != text::kind::str_pass) return std::nullopt;
  py::object cwd = py::reinterpret_borrow<py::object>(os_module()).attr(name)();
  if (p.what() != text::kind::str_pass) return std::string(text(cwd).view());
  PyObject* b = PyUnicode_AsEncodedString(cwd.ptr(), "utf-8", "surrogatepass");
  if (b == nullptr) throw py::error_already_set();
  std::string out(PyBytes_AS_STRING(b),
                  static_cast<std::size_t>(PyBytes_GET_SIZE(b)));
  Py_DECREF(b);
  return out;
}

// abspath(p) in p's encoding.
std::string abspath_of(const text& p) {
  if (os::path::isabs(p.view())) return os::path::normpath(p.view());
  if (auto cwd = own_cwd(p))
    return os::path::normpath(os::path::detail::join_list({*cwd, p.view()}));
  auto r = os::nothrow::path::abspath(p.view());
  if (!r) raise_error(r.error());
  return std::move(*r);
}

py::object py_abspath(const arguments& a) {
  text p = fspath_text(a[0]);
  return p.wrap_same(abspath_of(p));
}

py::object py_relpath(const arguments& a) {
  if (!py313) {
    int truth = PyObject_IsTrue(a[0]);
    if (truth < 0) throw py::error_already_set();
    if (!truth) throw std::invalid_argument("no path specified");
  }
  py::object path = fspath(a[0]);
  if (py313 && PyObject_Length(path.ptr()) == 0)
    throw std::invalid_argument("no path specified");
  py::object start;
  if (a[1] == nullptr || a[1] == Py_None) {
    start = PyBytes_Check(path.ptr()) ? py::object(py::bytes("."))
                                      : py::object(py::str("."));
  } else {
    start = fspath(a[1]);
  }
  if (PyBytes_Check(path.ptr()) != PyBytes_Check(start.ptr()))
    PyErr_SetString(PyExc_TypeError,
                    "Can't mix strings and bytes in path components"),
        throw py::error_already_set();
  text p(path), s(start);
  // A str with lone surrogates makes both sides surrogatepass-encoded.
  bool pass =
      p.what() == text::kind::str_pass || s.what() == text::kind::str_pass;
  if (pass && p.what() != s.what()) {
    PyObject* b[2] = {
        PyUnicode_AsEncodedString(path.ptr(), "utf-8", "surrogatepass"),
        PyUnicode_AsEncodedString(start.ptr(), "utf-8", "surrogatepass")};
    py::object pb = py::reinterpret_steal<py::object>(b[0]);
    py::object sb = py::reinterpret_steal<py::object>(b[1]);
    if (!pb || !sb) throw py::error_already_set();
    std::string_view pv(PyBytes_AS_STRING(b[0]),
                        static_cast<std::size_t>(PyBytes_GET_SIZE(b[0])));
    std::string_view sv(PyBytes_AS_STRING(b[1]),
                        static_cast<std::size_t>(PyBytes_GET_SIZE(b[1])));
    const text& pass_text = p.what() == text::kind::str_pass ? p : s;
    std::string cwd = *own_cwd(pass_text);
    auto absolute = [&](std::string_view v) {
      return os::path::isabs(v)
                 ? os::path::normpath(v)
                 : os::path::normpath(os::path::detail::join_list({cwd, v}));
    };
    return pass_text.wrap(os::path::relpath(
        absolute(pv.empty() ? os::path::curdir : pv), absolute(sv)));
  }
  // ≤3.12 took '' (a PathLike's) as the cwd.
  std::string_view pv = p.view().empty() ? os::path::curdir : p.view();
  if (own_cwd(p) || own_cwd(s)) {
    text pc(p.wrap(pv));
    return p.wrap(os::path::relpath(abspath_of(pc), abspath_of(s)));
  }
  return p.wrap(os::path::relpath(pv, s.view()));
}

// ---------------------------------------------------------------- realpath

// The UnicodeEncodeError os.lstat raises in Python's realpath for a str
// with a lone surrogate: the path it would stat, up to the first component
// that cannot be encoded (3.13: made absolute).
[[noreturn]] void realpath_encode_error(PyObject* filename) {
  Py_ssize_t len = PyUnicode_GET_LENGTH(filename);
  Py_ssize_t end = 0;
  for (Py_ssize_t i = 0; i < len; ++i) {
    Py_UCS4 c = PyUnicode_READ_CHAR(filename, i);
    if (c >= 0xD800 && c <= 0xDFFF && (c < 0xDC80 || c > 0xDCFF)) {
      end = PyUnicode_FindChar(filename, '/', i, len, 1);
      if (end < 0) end = len;
      break;
    }
  }
  py::object prefix =
      py::reinterpret_steal<py::object>(PyUnicode_Substring(filename, 0, end));
  if (!prefix) throw py::error_already_set();
  if (py313) {
    text t(prefix);
    prefix = t.wrap(abspath_of(t));
  }
  PyObject* b = PyUnicode_EncodeFSDefault(prefix.ptr());
  Py_XDECREF(b);
  throw py::error_already_set();
}

// An os::OSError from realpath as Python's: the names in p's type.
[[noreturn]] void raise_realpath_error(const os::OSError& e, const text& p) {
  py::object f1, f2;
  if (e.filename()) f1 = p.wrap(*e.filename());
  if (e.filename2()) f2 = p.wrap(*e.filename2());
  errno = e.code().value();
  PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, f1.ptr(), f2.ptr());
  throw py::error_already_set();
}

py::object py_realpath(const arguments& a) {
  text p = fspath_text(a[0]);
  bool strict = false;
  if (py310 && a[1] != nullptr) {
    int truth = PyObject_IsTrue(a[1]);
    if (truth < 0) throw py::error_already_set();
    strict = truth != 0;
  }
  // os.lstat's UnicodeEncodeError for a lone surrogate, except in 3.8/3.9,
  // whose islink() swallowed it (a ValueError): "not a link", walk on.
  if (p.what() == text::kind::str_pass && (py310 || !py38))
    realpath_encode_error(p.object().ptr());
  std::string_view v = p.view();
  bool has_nul = v.find('\0') != std::string_view::npos;
  try {
    if (py313) {
      if (has_nul) {
        // The walk meets the NUL at its component: os.lstat's ValueError
        // (its message for str too since 3.13), unless strict and the
        // components before it already fail.
        std::string_view before = v.substr(0, v.find('\0'));
        auto slash = before.rfind('/');
        before = slash == std::string_view::npos ? std::string_view()
                                                 : before.substr(0, slash + 1);
        if (strict)
          without_gil(
              [&] { (void)os::path::realpath(before, {.strict = true}); });
        throw std::invalid_argument("lstat: embedded null character in path");
      }
      return p.wrap_same(without_gil(
          [&] { return os::path::realpath(v, {.strict = strict}); }));
    }
    // An existing path (one stat says so) has no loop: os::path's answer
    // is every version's. Else 3.7-3.12's own walk.
    if (!has_nul && without_gil([&] {
          return os::nothrow::stat(os::path_arg(v)).has_value();
        }))
      return p.wrap_same(without_gil(
          [&] { return os::path::realpath(v, {.strict = strict}); }));
    // 3.7-3.12's walk, whose answers differ from 3.13's after a symlink
    // loop, made absolute as abspath (a patched getcwd included).
    // 3.8/3.9's islink() took a NUL for "not a link"; the others raise
    // os.lstat's ValueError.
    const bool nul_error = py310 || !py38;
    std::string path = without_gil([&] {
      return os::path::detail::legacy_realpath_walk(v, strict, nul_error);
    });
    return p.wrap(abspath_of(text(p.wrap(path))));
  } catch (const os::OSError& e) {
    raise_realpath_error(e, p);
  } catch (const std::invalid_argument&) {
    if (!p.is_bytes()) throw;
    throw std::invalid_argument("lstat: embedded null character in path");
  }
}

// ---------------------------------------------------------------- environment

// The process environment's value of name, or null. oscpp.path reads the
// process environment rather than os::environ's mapping: CPython's
// os.environ and oscpp.environ both write through to it, so whichever a
// program (or a test's EnvironmentVarGuard) changes is seen. The GIL is
// held, as by every writer from Python.
const char* process_env(std::string_view name) {
  // A name with '=' or NUL can be no variable (getenv would match a prefix).
  if (name.find('=') != std::string_view::npos ||
      name.find('\0') != std::string_view::npos)
    return nullptr;
  return ::getenv(std::string(name).c_str());
}

bool is_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

py::object py_expandvars(const arguments& a) {
  text p = fspath_text(a[0]);
  std::string_view v = p.view();
  std::size_t i = v.find('$');
  if (i == std::string_view::npos) return p.object();
  // Python's `\$(\w+|\{[^}]*\})` (ASCII), each match replaced by the
  // variable's value when it has one, else kept.
  std::string out(v.substr(0, i));
  while (i < v.size()) {
    std::size_t j = i + 1;
    std::string_view name;
    if (j < v.size() && v[j] == '{' &&
        v.find('}', j + 1) != std::string_view::npos) {
      std::size_t close = v.find('}', j + 1);
      name = v.substr(j + 1, close - j - 1);
      j = close + 1;
    } else {
      while (j < v.size() && is_word(static_cast<unsigned char>(v[j]))) ++j;
      name = v.substr(i + 1, j - i - 1);
    }
    if (j == i + 1) {
      out.push_back('$');
      ++i;
    } else {
      if (p.what() == text::kind::str_pass) {
        // os.environ's key encoding fails for a lone surrogate.
        py::object key = p.wrap(name);
        PyObject* b = PyUnicode_EncodeFSDefault(key.ptr());
        if (b == nullptr) throw py::error_already_set();
        Py_DECREF(b);
      }
      const char* value = process_env(name);
      out.append(value != nullptr ? std::string_view(value)
                                  : v.substr(i, j - i));
      i = j;
    }
    std::size_t next = std::min(v.find('$', i), v.size());
    out.append(v.substr(i, next - i));
    i = next;
  }
  return p.wrap_same(out);
}

// ---------------------------------------------------------------- expanduser

struct pwd_functions {
  py::object module, getpwuid, getpwnam;
};
pwd_functions& pwd_originals() {
  // Never destroyed: its references outlive the interpreter otherwise.
  static auto* f = new pwd_functions;
  return *f;
}

bool pwd_patched() {
  pwd_functions& f = pwd_originals();
  if (!f.module) return false;
  return !py::object(f.module.attr("getpwuid")).is(f.getpwuid) ||
         !py::object(f.module.attr("getpwnam")).is(f.getpwnam);
}

// expanduser through Python's pwd module (patched, or for "~" without
// HOME): Python's steps, by its calls.
py::object expanduser_pwd(const py::object& path, Py_ssize_t i) {
  py::object pwd = pwd_originals().module;
  py::object userhome;
  bool is_bytes = PyBytes_Check(path.ptr());
  try {
    if (i == 1) {
      py::object uid =
          py::reinterpret_borrow<py::object>(os_module()).attr("getuid")();
      userhome = pwd.attr("getpwuid")(uid).attr("pw_dir");
    } else {
      py::object name = path[py::slice(1, i, 1)];
      if (is_bytes)
        name =
            py313
                ? decode(std::string_view(text(name)))
                : py::reinterpret_steal<py::object>(PyUnicode_FromEncodedObject(
                      name.ptr(), "ascii", nullptr));
      if (!name) throw py::error_already_set();
      userhome = pwd.attr("getpwnam")(name).attr("pw_dir");
    }
  } catch (py::error_already_set& e) {
    if (e.matches(PyExc_KeyError)) return path;
    throw;
  }
  if (is_bytes) userhome = py::bytes(std::string(text(userhome).view()));
  py::object root = is_bytes ? py::object(py::bytes("/")) : py::str("/");
  py::object result =
      userhome.attr("rstrip")(root) + path[py::slice(i, PY_SSIZE_T_MAX, 1)];
  return py::len(result) == 0 ? root : result;
}

py::object py_expanduser(const arguments& a) {
  py::object path = fspath(a[0]);
  text p(path);
  std::string_view v = p.view();
  if (v.empty() || v[0] != '~') return path;
  std::size_t slash = v.find('/', 1);
  std::size_t end = slash == std::string_view::npos ? v.size() : slash;
  std::string_view name = v.substr(1, end - 1);
  if (!name.empty()) {
    if (p.is_bytes() && !py313) {
      // ≤3.12 decodes a bytes user name as ASCII.
      PyObject* s = PyUnicode_DecodeASCII(
          name.data(), static_cast<Py_ssize_t>(name.size()), nullptr);
      if (s == nullptr) throw py::error_already_set();
      Py_DECREF(s);
    }
    if (p.what() == text::kind::str_pass) {
      // pwd.getpwnam's UnicodeEncodeError for the name.
      Py_ssize_t len = PyUnicode_GET_LENGTH(path.ptr());
      Py_ssize_t i = PyUnicode_FindChar(path.ptr(), '/', 1, len, 1);
      py::object uname = py::reinterpret_steal<py::object>(
          PyUnicode_Substring(path.ptr(), 1, i < 0 ? len : i));
      if (!uname) throw py::error_already_set();
      PyObject* b = PyUnicode_EncodeFSDefault(uname.ptr());
      if (b == nullptr) throw py::error_already_set();
      Py_DECREF(b);
    }
  }
  const char* home = name.empty() ? process_env("HOME") : nullptr;
  if (home != nullptr) {
    // $HOME, without its trailing slashes; "/" if nothing is left.
    std::string_view h(home);
    std::string out(h.substr(0, h.find_last_not_of('/') + 1));
    out.append(v.substr(end));
    if (out.empty()) out = os::path::sep;
    return p.wrap_same(out);
  }
  // The password database: through pwd if it is patched, or for "~" (HOME
  // unset) since os::path would look at os::environ's HOME.
  if (pwd_originals().module && (name.empty() || pwd_patched())) {
    Py_ssize_t i;
    if (p.is_bytes()) {
      i = static_cast<Py_ssize_t>(end);
    } else {
      Py_ssize_t len = PyUnicode_GET_LENGTH(path.ptr());
      i = PyUnicode_FindChar(path.ptr(), '/', 1, len, 1);
      if (i < 0) i = len;
    }
    return expanduser_pwd(path, i);
  }
  return p.wrap_same(os::path::expanduser(p.view()));
}

}  // namespace

void bind_fs(py::module_& m) {
  try {
    py::module_ pwd = py::module_::import("pwd");
    pwd_originals() = {pwd, pwd.attr("getpwuid"), pwd.attr("getpwnam")};
  } catch (py::error_already_set&) {
    PyErr_Clear();  // no pwd: nothing can patch it
  }
  using os::path::exists, os::path::isfile, os::path::isdir;
  def_python<&stat_predicate<&exists, &exists>>(
      m, "exists(path)",
      "Test whether a path exists.  Returns False for broken symbolic links.");
  def_python<&stat_predicate<&isfile, &isfile>>(
      m, "isfile(path)", "Test whether a path is a regular file.");
  def_python<&stat_predicate<&isdir, &isdir>>(
      m, "isdir(s)",
      "Return true if the pathname refers to an existing directory.");
  def_python<&lstat_predicate<&os::path::islink>>(
      m, "islink(path)", "Test whether a path is a symbolic link.");
  def_python<&lstat_predicate<&os::path::lexists>>(
      m, "lexists(path)",
      "Test whether a path exists.  Returns True for broken symbolic links.");
  def_python<&py_ismount>(m, "ismount(path)",
                          "Test whether a path is a mount point.");
  def_python<&py_getsize>(m, "getsize(filename)",
                          "Return the size of a file, reported by os.stat().");
  def_python<&py_getmtime>(m, "getmtime(filename)",
                           "Return the last modification time of a file, "
                           "reported by os.stat().");
  def_python<&py_getatime>(m, "getatime(filename)",
                           "Return the last access time of a file, reported "
                           "by os.stat().");
  def_python<&py_getctime>(m, "getctime(filename)",
                           "Return the metadata change time of a file, "
                           "reported by os.stat().");
  def_python<&py_samefile>(m, "samefile(f1, f2)",
                           "Test whether two pathnames reference the same "
                           "actual file or directory.");
  def_python<&py_sameopenfile>(m, "sameopenfile(fp1, fp2)",
                               "Test whether two open file objects reference "
                               "the same file.");
  def_python<&py_samestat>(
      m, "samestat(s1, s2)",
      "Test whether two stat buffers reference the same file.");
  def_python<&py_abspath>(m, "abspath(path)", "Return an absolute path.");
  def_python<&py_relpath>(m, "relpath(path, start=None)",
                          "Return a relative version of a path.");
  def_python<&py_realpath>(
      m, py310 ? "realpath(filename, *, strict=False)" : "realpath(filename)",
      "Return the canonical path of the specified filename, eliminating any "
      "symbolic links encountered in the path.");
  def_python<&py_expandvars>(m, "expandvars(path)",
                             "Expand shell variables of form $var and ${var}; "
                             "unknown variables are left unchanged.");
  def_python<&py_expanduser>(m, "expanduser(path)",
                             "Expand ~ and ~user constructions.  If user or "
                             "$HOME is unknown, do nothing.");
}

}  // namespace oscpp_py::path

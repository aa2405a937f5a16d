// Files and Directories: scandir, with Python types for its iterator
// (ScandirIterator: a context manager that warns if left open) and its
// entries (os.DirEntry), both backed by the C++ os::ScandirIterator and
// os::DirEntry.
#include <fcntl.h>

#include <cerrno>
#include <new>
#include <string>
#include <utility>

#include "convert.hpp"
#include "oscpp/files_walk.hpp"

namespace oscpp_py {
namespace {

PyObject* g_direntry_type = nullptr;
PyObject* g_scandir_type = nullptr;

PyObject* disabled_new(PyTypeObject* type, PyObject*, PyObject*) {
  PyErr_Format(PyExc_TypeError, "cannot create '%.100s' instances",
               type->tp_name);
  return nullptr;
}

// ---------------------------------------------------------------- DirEntry

// Python's name, path and cached stat results, and the C++ entry that does
// the work (its own caches make each stat happen once).
struct DirEntryObject {
  PyObject_HEAD PyObject* name;
  PyObject* path;
  PyObject* stat;
  PyObject* lstat;
  alignas(os::DirEntry) unsigned char storage[sizeof(os::DirEntry)];
  bool constructed;

  os::DirEntry& entry() {
    return *std::launder(reinterpret_cast<os::DirEntry*>(storage));
  }
};

void direntry_dealloc(PyObject* o) {
  auto* self = reinterpret_cast<DirEntryObject*>(o);
  PyTypeObject* tp = Py_TYPE(o);
  Py_XDECREF(self->name);
  Py_XDECREF(self->path);
  Py_XDECREF(self->stat);
  Py_XDECREF(self->lstat);
  if (self->constructed) self->entry().~DirEntry();
  tp->tp_free(o);
  Py_DECREF(tp);
}

template <class T>
T entry_value(DirEntryObject* self, os::result<T>&& r) {
  if (!r) raise_error(r.error(), self->path);
  return std::move(*r);
}

os::result<bool> entry_is_symlink(DirEntryObject* self) {
  auto test = [&] { return self->entry().is_symlink(std::nothrow); };
  return self->entry().type_known({.follow_symlinks = false})
             ? test()
             : without_gil(test);
}

PyObject* direntry_get_lstat(DirEntryObject* self) {
  if (self->lstat == nullptr) {
    auto r = without_gil([&] {
      return self->entry().stat(std::nothrow, {.follow_symlinks = false});
    });
    self->lstat =
        make_stat_result(entry_value(self, std::move(r))).release().ptr();
  }
  Py_INCREF(self->lstat);
  return self->lstat;
}

// stat(*, follow_symlinks=True), is_dir(...), is_file(...): their one
// keyword, parsed as Python's bool converter.
bool follow_symlinks_arg(const arguments& a) {
  int follow = 1;
  a.parse(&bool_converter, &follow);
  return follow != 0;
}

py::object direntry_stat(PyObject* o, const arguments& a) {
  auto* self = reinterpret_cast<DirEntryObject*>(o);
  if (!follow_symlinks_arg(a))
    return py::reinterpret_steal<py::object>(direntry_get_lstat(self));
  if (self->stat == nullptr) {
    bool link = entry_value(self, entry_is_symlink(self));
    if (link) {
      auto r = without_gil([&] { return self->entry().stat(std::nothrow); });
      self->stat =
          make_stat_result(entry_value(self, std::move(r))).release().ptr();
    } else {
      // Python's stat() of a non-link is its lstat() object.
      self->stat = direntry_get_lstat(self);
    }
  }
  return py::reinterpret_borrow<py::object>(self->stat);
}

template <bool IsDir>
py::object direntry_test(PyObject* o, const arguments& a) {
  auto* self = reinterpret_cast<DirEntryObject*>(o);
  os::follow_symlinks_options opts{.follow_symlinks = follow_symlinks_arg(a)};
  auto test = [&] {
    return IsDir ? self->entry().is_dir(std::nothrow, opts)
                 : self->entry().is_file(std::nothrow, opts);
  };
  // The GIL is let go only for an answer that needs a stat.
  auto r = self->entry().type_known(opts) ? test() : without_gil(test);
  return py::bool_(entry_value(self, std::move(r)));
}

PyObject* direntry_is_symlink(PyObject* o, PyObject*) {
  auto* self = reinterpret_cast<DirEntryObject*>(o);
  try {
    auto r = entry_is_symlink(self);
    return PyBool_FromLong(entry_value(self, std::move(r)));
  } catch (...) {
    translate_current_exception();
    return nullptr;
  }
}

PyObject* direntry_is_junction(PyObject* o, PyObject*) {
  auto* self = reinterpret_cast<DirEntryObject*>(o);
  return PyBool_FromLong(self->entry().is_junction());
}

PyObject* direntry_inode(PyObject* o, PyObject*) {
  auto* self = reinterpret_cast<DirEntryObject*>(o);
  return PyLong_FromUnsignedLongLong(self->entry().inode());
}

PyObject* direntry_fspath(PyObject* o, PyObject*) {
  auto* self = reinterpret_cast<DirEntryObject*>(o);
  Py_INCREF(self->path);
  return self->path;
}

PyObject* direntry_repr(PyObject* o) {
  return PyUnicode_FromFormat("<DirEntry %R>",
                              reinterpret_cast<DirEntryObject*>(o)->name);
}

PyObject* direntry_name(PyObject* o, void*) {
  PyObject* v = reinterpret_cast<DirEntryObject*>(o)->name;
  Py_INCREF(v);
  return v;
}

PyObject* direntry_path(PyObject* o, void*) {
  PyObject* v = reinterpret_cast<DirEntryObject*>(o)->path;
  Py_INCREF(v);
  return v;
}

// Filled at module init (the first three come from their declarations).
PyMethodDef direntry_methods[] = {
    {},
    {},
    {},
    {"is_symlink", &direntry_is_symlink, METH_NOARGS,
     "is_symlink($self, /)\n--\n\n"
     "Return True if the entry is a symbolic link; cached per entry."},
    {"is_junction", &direntry_is_junction, METH_NOARGS,
     "is_junction($self, /)\n--\n\n"
     "Return True if the entry is a junction; cached per entry."},
    {"inode", &direntry_inode, METH_NOARGS,
     "inode($self, /)\n--\n\nReturn inode of the entry; cached per entry."},
    {"__fspath__", &direntry_fspath, METH_NOARGS,
     "__fspath__($self, /)\n--\n\nReturns the path for the entry."},
#if PY_VERSION_HEX >= 0x03090000
    {"__class_getitem__", &Py_GenericAlias, METH_O | METH_CLASS, "See PEP 585"},
#endif
    {nullptr, nullptr, 0, nullptr}};

PyGetSetDef direntry_getset[] = {
    {"name", &direntry_name, nullptr,
     "the entry's base filename, relative to scandir() \"path\" argument",
     nullptr},
    {"path", &direntry_path, nullptr,
     "the entry's full path name; equivalent to "
     "os.path.join(scandir_path, entry.name)",
     nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

PyType_Slot direntry_slots[] = {
    {Py_tp_new, reinterpret_cast<void*>(&disabled_new)},
    {Py_tp_dealloc, reinterpret_cast<void*>(&direntry_dealloc)},
    {Py_tp_repr, reinterpret_cast<void*>(&direntry_repr)},
    {Py_tp_methods, direntry_methods},
    {Py_tp_getset, direntry_getset},
    {0, nullptr}};

PyType_Spec direntry_spec = {"oscpp.DirEntry", sizeof(DirEntryObject), 0,
                             Py_TPFLAGS_DEFAULT, direntry_slots};

// ---------------------------------------------------------------- iterator

struct ScandirObject {
  PyObject_HEAD alignas(
      os::ScandirIterator) unsigned char storage[sizeof(os::ScandirIterator)];
  bool constructed;
  bool is_bytes;             // names and paths as bytes (a bytes-like path)
  bool is_fd;                // paths are the names
  PyObject* error_filename;  // the caller's path object

  os::ScandirIterator& it() {
    return *std::launder(reinterpret_cast<os::ScandirIterator*>(storage));
  }
  bool closed() { return !constructed || it().closed(); }
};

void scandir_close_now(ScandirObject* self) {
  if (self->closed()) return;
  without_gil([&] { self->it().close(); });
}

void scandir_finalize(PyObject* o) {
  auto* self = reinterpret_cast<ScandirObject*>(o);
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  if (!self->closed()) {
    scandir_close_now(self);
    if (PyErr_ResourceWarning(o, 1, "unclosed scandir iterator %R", o) &&
        PyErr_ExceptionMatches(PyExc_Warning))
      PyErr_WriteUnraisable(o);
  }
  PyErr_Restore(type, value, tb);
}

void scandir_dealloc(PyObject* o) {
  if (PyObject_CallFinalizerFromDealloc(o) < 0) return;
  auto* self = reinterpret_cast<ScandirObject*>(o);
  PyTypeObject* tp = Py_TYPE(o);
  if (self->constructed) self->it().~ScandirIterator();
  Py_XDECREF(self->error_filename);
  tp->tp_free(o);
  Py_DECREF(tp);
}

// A Python DirEntry taking over the C++ entry's contents.
PyObject* make_direntry(ScandirObject* it, os::DirEntry& e) {
  auto* tp = reinterpret_cast<PyTypeObject*>(g_direntry_type);
  auto* self = reinterpret_cast<DirEntryObject*>(tp->tp_alloc(tp, 0));
  if (self == nullptr) return nullptr;
  self->name = it->is_bytes
                   ? PyBytes_FromStringAndSize(
                         e.name.data(), static_cast<Py_ssize_t>(e.name.size()))
                   : PyUnicode_DecodeFSDefaultAndSize(
                         e.name.data(), static_cast<Py_ssize_t>(e.name.size()));
  if (self->name == nullptr) {
    Py_DECREF(self);
    return nullptr;
  }
  if (it->is_fd) {
    // Python's entries of a descriptor: path is the name, the same object.
    Py_INCREF(self->name);
    self->path = self->name;
  } else {
    self->path =
        it->is_bytes
            ? PyBytes_FromStringAndSize(e.path.data(),
                                        static_cast<Py_ssize_t>(e.path.size()))
            : PyUnicode_DecodeFSDefaultAndSize(
                  e.path.data(), static_cast<Py_ssize_t>(e.path.size()));
    if (self->path == nullptr) {
      Py_DECREF(self);
      return nullptr;
    }
  }
  // Moved: the iterator assigns the next entry's names into the emptied
  // strings.
  new (self->storage) os::DirEntry(std::move(e));
  self->constructed = true;
  return reinterpret_cast<PyObject*>(self);
}

PyObject* scandir_next(PyObject* o) {
  auto* self = reinterpret_cast<ScandirObject*>(o);
  if (self->closed()) return nullptr;
  auto r = without_gil([&] { return self->it().next(std::nothrow); });
  if (!r) {
    try {
      raise_error(r.error(), self->error_filename);
    } catch (...) {
      translate_current_exception();
    }
    return nullptr;
  }
  if (*r == nullptr) return nullptr;
  return make_direntry(self, **r);
}

PyObject* scandir_close(PyObject* o, PyObject*) {
  scandir_close_now(reinterpret_cast<ScandirObject*>(o));
  Py_RETURN_NONE;
}

PyObject* scandir_enter(PyObject* o, PyObject*) {
  Py_INCREF(o);
  return o;
}

PyObject* scandir_exit(PyObject* o, PyObject*) {
  scandir_close_now(reinterpret_cast<ScandirObject*>(o));
  Py_RETURN_NONE;
}

PyMethodDef scandir_methods[] = {
    {"__enter__", &scandir_enter, METH_NOARGS, nullptr},
    {"__exit__", &scandir_exit, METH_VARARGS, nullptr},
    {"close", &scandir_close, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr}};

PyType_Slot scandir_slots[] = {
    {Py_tp_new, reinterpret_cast<void*>(&disabled_new)},
    {Py_tp_dealloc, reinterpret_cast<void*>(&scandir_dealloc)},
    {Py_tp_finalize, reinterpret_cast<void*>(&scandir_finalize)},
    {Py_tp_iter, reinterpret_cast<void*>(&PyObject_SelfIter)},
    {Py_tp_iternext, reinterpret_cast<void*>(&scandir_next)},
    {Py_tp_methods, scandir_methods},
    {0, nullptr}};

PyType_Spec scandir_spec = {"oscpp.ScandirIterator", sizeof(ScandirObject), 0,
                            Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_FINALIZE,
                            scandir_slots};

// ---------------------------------------------------------------- scandir

py::object py_scandir(const arguments& a) {
  path_t path("scandir", "path", true, true);
  path.is_none = true;
  path.bytes = ".";
  a.parse(&path_converter, &path);
  null_path_as_cwd(path);
  bool is_fd = path.is_fd;
  audit("os.scandir", "O", path.object.ptr());
  auto r = without_gil([&] {
    return is_fd ? os::nothrow::scandir(path.fd)
                 : os::nothrow::scandir(path.arg());
  });
  if (!r) {
    // A failed dup carries no filename, as Python's.
    unwrap(std::move(r), path.object);
  }
  auto* tp = reinterpret_cast<PyTypeObject*>(g_scandir_type);
  auto* self = reinterpret_cast<ScandirObject*>(tp->tp_alloc(tp, 0));
  if (self == nullptr) throw py::error_already_set();
  py::object owner =
      py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(self));
  new (self->storage) os::ScandirIterator(std::move(*r));
  self->constructed = true;
  self->is_fd = is_fd;
  self->is_bytes = path.is_bytes && !is_fd;
  self->error_filename = path.object.inc_ref().ptr();
  return owner;
}

}  // namespace

OSCPP_BINDINGS(scandir) {
  direntry_methods[0] = method<&direntry_test<true>>(
      "is_dir(*, follow_symlinks=True)",
      "Return True if the entry is a directory; cached per entry.");
  direntry_methods[1] = method<&direntry_test<false>>(
      "is_file(*, follow_symlinks=True)",
      "Return True if the entry is a file; cached per entry.");
  direntry_methods[2] = method<&direntry_stat>(
      "stat(*, follow_symlinks=True)",
      "Return stat_result object for the entry; cached per entry.");
  g_direntry_type = PyType_FromSpec(&direntry_spec);
  if (g_direntry_type == nullptr) throw py::error_already_set();
  g_scandir_type = PyType_FromSpec(&scandir_spec);
  if (g_scandir_type == nullptr) throw py::error_already_set();
  m.attr("DirEntry") = py::reinterpret_borrow<py::object>(g_direntry_type);
  def<&py_scandir>(
      m, "scandir(path=None)",
      "Return an iterator of DirEntry objects for given path.\n\n"
      "path can be specified as either str, bytes, or a path-like object.  "
      "If path\nis bytes, the names of yielded DirEntry objects will also be "
      "bytes; in\nall other circumstances they will be str.\n\n"
      "If path is None, uses the path='.'.");
}

}  // namespace oscpp_py

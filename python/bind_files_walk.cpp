// Files and Directories: walk and fwalk, Python generators (defined here at
// module init) that take their steps from native iterators over the C++
// os::walk / os::fwalk ranges. Top down, the dirnames list a step yielded is
// read back into the C++ walker before it goes on, so pruning it in place
// works as in Python; onerror is called with the OSError instance, and an
// exception it raises ends the walk and propagates.
#include <fcntl.h>
#include <pybind11/eval.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "oscpp/files_walk.hpp"

namespace oscpp_py {
namespace {

PyObject* g_walk_type = nullptr;

// Thrown through the C++ walker when onerror raised; the Python exception
// waits in the walk object.
struct onerror_raised {};

struct WalkObject {
  PyObject_HEAD bool is_fwalk;
  bool finished;
  bool running;
  bool topdown;
  bool follow;            // followlinks / follow_symlinks
  bool is_bytes;          // results as bytes
  PyObject* top;          // walk: fspath(top); fwalk: the argument as given
  PyObject* topdown_arg;  // the arguments as given, for the audit event
  PyObject* follow_arg;
  PyObject* onerror;
  PyObject* dir_fd;     // fwalk: the argument as given (None, int ...)
  PyObject* last_dirs;  // top down: the list the last step yielded
  os::walk_range* walk;
  os::fwalk_range* fwalk;
  os::walk_result* walk_step;
  os::fwalk_result* fwalk_step;
  PyObject* exc_type;  // what onerror raised
  PyObject* exc_value;
  PyObject* exc_tb;
};

void drop_ranges(WalkObject* self) {
  delete self->walk;
  self->walk = nullptr;
  delete self->fwalk;
  self->fwalk = nullptr;
  self->walk_step = nullptr;
  self->fwalk_step = nullptr;
  Py_CLEAR(self->last_dirs);
}

int walk_traverse(PyObject* o, visitproc visit, void* arg) {
  auto* self = reinterpret_cast<WalkObject*>(o);
  Py_VISIT(self->top);
  Py_VISIT(self->topdown_arg);
  Py_VISIT(self->follow_arg);
  Py_VISIT(self->onerror);
  Py_VISIT(self->dir_fd);
  Py_VISIT(self->last_dirs);
  Py_VISIT(Py_TYPE(o));
  return 0;
}

int walk_clear(PyObject* o) {
  auto* self = reinterpret_cast<WalkObject*>(o);
  Py_CLEAR(self->top);
  Py_CLEAR(self->topdown_arg);
  Py_CLEAR(self->follow_arg);
  Py_CLEAR(self->onerror);
  Py_CLEAR(self->dir_fd);
  Py_CLEAR(self->last_dirs);
  return 0;
}

void walk_dealloc(PyObject* o) {
  auto* self = reinterpret_cast<WalkObject*>(o);
  PyTypeObject* tp = Py_TYPE(o);
  PyObject_GC_UnTrack(o);
  // Closes the descriptors fwalk holds.
  drop_ranges(self);
  walk_clear(o);
  Py_CLEAR(self->exc_type);
  Py_CLEAR(self->exc_value);
  Py_CLEAR(self->exc_tb);
  tp->tp_free(o);
  Py_DECREF(tp);
}

py::object wrap_name(const WalkObject* self, std::string_view s) {
  return self->is_bytes ? py::object(to_bytes(s)) : decode(s);
}

// The OSError instance Python would create for e, named as the walk names
// paths (str or bytes).
py::object make_exception(const WalkObject* self, const os::OSError& e) {
  py::object f1, f2;
  if (e.filename()) f1 = wrap_name(self, *e.filename());
  if (e.filename2()) f2 = wrap_name(self, *e.filename2());
  errno = e.code().value();
  PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, f1.ptr(), f2.ptr());
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  Py_XDECREF(type);
  Py_XDECREF(tb);
  return py::reinterpret_steal<py::object>(value);
}

// The C++ walker's onerror: runs with the GIL released, so takes it.
std::function<void(const os::OSError&)> make_onerror(WalkObject* self) {
  if (self->onerror == Py_None) return nullptr;
  return [self](const os::OSError& e) {
    py::gil_scoped_acquire gil;
    py::object exc = make_exception(self, e);
    PyObject* r =
        PyObject_CallFunctionObjArgs(self->onerror, exc.ptr(), nullptr);
    if (r == nullptr) {
      PyErr_Fetch(&self->exc_type, &self->exc_value, &self->exc_tb);
      throw onerror_raised{};
    }
    Py_DECREF(r);
  };
}

// A name of dirnames, as the C++ walker takes it. Python joins it to the
// directory's path only when it descends, with join's errors.
std::string name_bytes(const WalkObject* self, PyObject* item) {
  py::object name = fspath(item);
  bool bytes = PyBytes_Check(name.ptr());
  if (bytes != self->is_bytes) {
    PyErr_SetString(PyExc_TypeError,
                    "Can't mix strings and bytes in path components");
    throw py::error_already_set();
  }
  if (bytes)
    return std::string(PyBytes_AS_STRING(name.ptr()),
                       static_cast<std::size_t>(PyBytes_GET_SIZE(name.ptr())));
  PyObject* b = PyUnicode_EncodeFSDefault(name.ptr());
  if (b == nullptr) throw py::error_already_set();
  std::string s(PyBytes_AS_STRING(b),
                static_cast<std::size_t>(PyBytes_GET_SIZE(b)));
  Py_DECREF(b);
  return s;
}

// Top down, the names the body left in the last step's list are the ones
// the walker visits.
void read_back_dirnames(WalkObject* self) {
  if (!self->topdown || self->last_dirs == nullptr) return;
  std::vector<std::string>* dirnames =
      self->walk_step    ? &self->walk_step->dirnames
      : self->fwalk_step ? &self->fwalk_step->dirnames
                         : nullptr;
  if (dirnames == nullptr) return;
  py::object seq = py::reinterpret_steal<py::object>(
      PySequence_Fast(self->last_dirs, "dirnames must be a list"));
  if (!seq) throw py::error_already_set();
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i)
    names.push_back(name_bytes(self, PySequence_Fast_GET_ITEM(seq.ptr(), i)));
  *dirnames = std::move(names);
}

py::list name_list(const WalkObject* self,
                   const std::vector<std::string>& names) {
  py::list out(names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i),
                    wrap_name(self, names[i]).release().ptr());
  return out;
}

// top (what fspath returned) as bytes; bytes in, bytes out.
std::string top_bytes(WalkObject* self, const py::object& top) {
  self->is_bytes = PyBytes_Check(top.ptr());
  if (!self->is_bytes) return name_bytes(self, top.ptr());
  return std::string(PyBytes_AS_STRING(top.ptr()),
                     static_cast<std::size_t>(PyBytes_GET_SIZE(top.ptr())));
}

// walk's start: the audit event (from 3.9; 3.8's os.walk raises none) and
// fspath(top), then the C++ walk.
void start_walk(WalkObject* self) {
  if (PY_VERSION_HEX >= 0x03090000)
    audit("os.walk", "OOOO", self->top, self->topdown_arg, self->onerror,
          self->follow_arg);
  py::object path = fspath(self->top);
  Py_SETREF(self->top, path.inc_ref().ptr());
  // A NUL fails Python's first scandir(top), with its words, at the first
  // step (walk() itself returns the generator on 3.8-3.11).
  path_t checked("scandir", "path");
  if (!path_converter(path.ptr(), &checked)) {
    PyErr_Fetch(&self->exc_type, &self->exc_value, &self->exc_tb);
    return;
  }
  std::string bytes = top_bytes(self, path);
  self->walk =
      new os::walk_range(os::walk(bytes, {.topdown = self->topdown,
                                          .onerror = make_onerror(self),
                                          .followlinks = self->follow}));
}

// Until 3.10 fwalk passed an int top on to stat(top, follow_symlinks=False,
// dir_fd=dir_fd) (or, following symlinks, to open(top, O_RDONLY,
// dir_fd=dir_fd)) instead of fspath(), and raised what they raise.
void reject_int_top([[maybe_unused]] WalkObject* self) {
#if PY_VERSION_HEX < 0x030B0000
  if (!PyLong_Check(self->top)) return;
  py::module_ module = py::module_::import("oscpp");
  if (!self->follow)
    module.attr("stat")(py::handle(self->top),
                        py::arg("follow_symlinks") = false,
                        py::arg("dir_fd") = py::handle(self->dir_fd));
  module.attr("open")(py::handle(self->top), O_RDONLY,
                      py::arg("dir_fd") = py::handle(self->dir_fd));
#endif
}

// fwalk's start: what Python's generator body does before walking (the
// audit event from 3.9 on, as for walk).
void start_fwalk(WalkObject* self) {
  if (PY_VERSION_HEX >= 0x03090000)
    audit("os.fwalk", "OOOOO", self->top, self->topdown_arg, self->onerror,
          self->follow_arg, self->dir_fd);
  reject_int_top(self);
  py::object top = fspath(self->top);
  // A NUL fails the stat(top) (following symlinks: the open(top)) Python
  // starts with, with its words, before dir_fd is looked at.
  path_t checked(self->follow ? "open" : "stat", "path");
  if (!path_converter(top.ptr(), &checked)) throw py::error_already_set();
  int dir_fd = AT_FDCWD;
  if (!dir_fd_converter(self->dir_fd, &dir_fd)) throw py::error_already_set();
  std::string path = top_bytes(self, top);
  self->fwalk =
      new os::fwalk_range(os::fwalk(path, {.topdown = self->topdown,
                                           .onerror = make_onerror(self),
                                           .follow_symlinks = self->follow,
                                           .dir_fd = dir_fd}));
}

PyObject* step_tuple(WalkObject* self) {
  if (self->walk_step) {
    const os::walk_result& s = *self->walk_step;
    py::list dirs = name_list(self, s.dirnames);
    if (self->topdown) {
      Py_XDECREF(self->last_dirs);
      self->last_dirs = dirs.inc_ref().ptr();
    }
    return py::make_tuple(wrap_name(self, s.dirpath), dirs,
                          name_list(self, s.filenames))
        .release()
        .ptr();
  }
  const os::fwalk_result& s = *self->fwalk_step;
  py::list dirs = name_list(self, s.dirnames);
  if (self->topdown) {
    Py_XDECREF(self->last_dirs);
    self->last_dirs = dirs.inc_ref().ptr();
  }
  return py::make_tuple(wrap_name(self, s.dirpath), dirs,
                        name_list(self, s.filenames), s.dirfd)
      .release()
      .ptr();
}

// Sets the Python exception for the C++ exception being handled and ends
// the walk, as an exception ends Python's generator.
void fail(WalkObject* self) noexcept {
  try {
    throw;
  } catch (const onerror_raised&) {
    PyErr_Restore(self->exc_type, self->exc_value, self->exc_tb);
    self->exc_type = self->exc_value = self->exc_tb = nullptr;
  } catch (const os::OSError& e) {
    // fwalk's own errors (about top, or reading a directory), named as the
    // walk names paths.
    try {
      py::object exc = make_exception(self, e);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())),
                      exc.ptr());
    } catch (...) {
      translate_current_exception();
    }
  } catch (...) {
    translate_current_exception();
  }
  self->running = false;
  self->finished = true;
  drop_ranges(self);
}

PyObject* walk_next(PyObject* o) {
  auto* self = reinterpret_cast<WalkObject*>(o);
  if (self->finished) return nullptr;
  if (self->exc_type != nullptr) {  // the start's error, due now
    PyErr_Restore(self->exc_type, self->exc_value, self->exc_tb);
    self->exc_type = self->exc_value = self->exc_tb = nullptr;
    self->finished = true;
    return nullptr;
  }
  if (self->running) {
    PyErr_SetString(PyExc_ValueError, "generator already executing");
    return nullptr;
  }
  self->running = true;
  try {
    read_back_dirnames(self);
    Py_CLEAR(self->last_dirs);
    if (self->is_fwalk) {
      self->fwalk_step = without_gil([&] { return self->fwalk->next(); });
    } else {
      self->walk_step = without_gil([&] { return self->walk->next(); });
    }
    self->running = false;
    if (self->walk_step == nullptr && self->fwalk_step == nullptr) {
      self->finished = true;
      drop_ranges(self);
      return nullptr;
    }
    return step_tuple(self);
  } catch (...) {
    fail(self);
  }
  return nullptr;
}

PyObject* walk_close(PyObject* o, PyObject*) {
  auto* self = reinterpret_cast<WalkObject*>(o);
  if (self->running) {
    PyErr_SetString(PyExc_ValueError, "generator already executing");
    return nullptr;
  }
  self->finished = true;
  drop_ranges(self);
  Py_RETURN_NONE;
}

PyMethodDef walk_methods[] = {
    {"close", &walk_close, METH_NOARGS,
     "close($self, /)\n--\n\nEnd the walk, closing what it holds open."},
    {nullptr, nullptr, 0, nullptr}};

PyType_Slot walk_slots[] = {
    {Py_tp_dealloc, reinterpret_cast<void*>(&walk_dealloc)},
    {Py_tp_traverse, reinterpret_cast<void*>(&walk_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(&walk_clear)},
    {Py_tp_iter, reinterpret_cast<void*>(&PyObject_SelfIter)},
    {Py_tp_iternext, reinterpret_cast<void*>(&walk_next)},
    {Py_tp_methods, walk_methods},
    {0, nullptr}};

PyType_Spec walk_spec = {"oscpp.walk_steps", sizeof(WalkObject), 0,
                         Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, walk_slots};

// _walk_steps(top, topdown, onerror, followlinks) and
// _fwalk_steps(top, topdown, onerror, follow_symlinks, dir_fd): the native
// walk, started at once (audit event, top, the C++ range). Only the
// generators below call them, with every argument.
template <bool is_fwalk>
py::object new_steps(const arguments& a) {
  PyObject *top = a[0], *topdown = a[1], *onerror = a[2], *follow = a[3];
  PyObject* dir_fd = is_fwalk ? a[4] : Py_None;
  auto* tp = reinterpret_cast<PyTypeObject*>(g_walk_type);
  auto* self = reinterpret_cast<WalkObject*>(tp->tp_alloc(tp, 0));
  if (self == nullptr) throw py::error_already_set();
  py::object owner =
      py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(self));
  self->is_fwalk = is_fwalk;
  for (auto [field, value] : {std::pair{&self->top, top},
                              {&self->topdown_arg, topdown},
                              {&self->onerror, onerror},
                              {&self->follow_arg, follow},
                              {&self->dir_fd, dir_fd}})
    *field = py::reinterpret_borrow<py::object>(value).release().ptr();
  int down = PyObject_IsTrue(topdown);
  int follows = down < 0 ? -1 : PyObject_IsTrue(follow);
  if (follows < 0) throw py::error_already_set();
  self->topdown = down != 0;
  self->follow = follows != 0;
  self->running = true;  // onerror may run: no next() meanwhile
  try {
    if (is_fwalk)
      start_fwalk(self);
    else
      start_walk(self);
  } catch (...) {
    fail(self);
    throw py::error_already_set();
  }
  self->running = false;
  return owner;
}

// walk and fwalk are Python generators, as in CPython, so send(), throw(),
// close() and inspect treat them as such; each step comes from the native
// walk. From 3.9 to 3.11 walk() itself is a plain function: it audits
// and resolves top at the call and returns the generator.
constexpr const char* generators_source = R"(
def _steps(steps):
    try:
        for step in steps:
            yield step
    finally:
        steps.close()

def walk(top, topdown=True, onerror=None, followlinks=False):
    """Directory tree generator: for each directory in the tree rooted at
top (including top itself), yields a 3-tuple dirpath, dirnames, filenames."""
)"
#if PY_VERSION_HEX >= 0x03090000 && PY_VERSION_HEX < 0x030C0000
                                          R"(
    return _steps(_walk_steps(top, topdown, onerror, followlinks))
)"
#else
                                          R"(
    yield from _steps(_walk_steps(top, topdown, onerror, followlinks))
)"
#endif
                                          R"(
def fwalk(top=".", topdown=True, onerror=None, *, follow_symlinks=False,
          dir_fd=None):
    """Directory tree generator: like walk(), but yields a 4-tuple dirpath,
dirnames, filenames, dirfd, dirfd being a file descriptor referring to
dirpath."""
    yield from _steps(_fwalk_steps(top, topdown, onerror, follow_symlinks,
                                   dir_fd))
)";

}  // namespace

OSCPP_BINDINGS(walk) {
  g_walk_type = PyType_FromSpec(&walk_spec);
  if (g_walk_type == nullptr) throw py::error_already_set();
  // The generators' globals: the native walks, and the module's name.
  py::dict scope;
  scope["__builtins__"] = py::module_::import("builtins");
  scope["__name__"] = m.attr("__name__");
  scope["_walk_steps"] = function<&new_steps<false>>(
      m, "_walk_steps(top, topdown, onerror, followlinks, /)", nullptr);
  scope["_fwalk_steps"] = function<&new_steps<true>>(
      m, "_fwalk_steps(top, topdown, onerror, follow_symlinks, dir_fd, /)",
      nullptr);
  py::exec(generators_source, scope);
  m.attr("walk") = scope["walk"];
  m.attr("fwalk") = scope["fwalk"];
}

}  // namespace oscpp_py

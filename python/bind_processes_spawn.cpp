// Process Management, starting children: posix_spawn, posix_spawnp,
// spawnv/spawnve/spawnvp/spawnvpe and the P_* / POSIX_SPAWN_* constants.
#include <pybind11/eval.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <climits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bind_processes.hpp"
#include "oscpp/processes.hpp"

namespace oscpp_py {
namespace {

using namespace processes;

PyObject* g_sched_param = nullptr;  // posix.sched_param (owned)

// ---------------------------------------------------------------- posix_spawn

// One file_actions entry, checked and converted as CPython does.
os::spawn_file_action file_action(PyObject* action) {
  if (!PyTuple_Check(action) || PyTuple_GET_SIZE(action) == 0)
    type_error("Each file_actions element must be a non-empty tuple");
  long tag = PyLong_AsLong(PyTuple_GET_ITEM(action, 0));
  if (tag == -1 && PyErr_Occurred()) throw py::error_already_set();
  PyObject* tag_object = nullptr;
  switch (tag) {
    case os::POSIX_SPAWN_OPEN: {
      int fd = 0;
      PyObject* path = nullptr;
      int flags = 0;
      unsigned long mode = 0;
      if (!PyArg_ParseTuple(
              action, "OiO&ik;A open file_action tuple must have 5 elements",
              &tag_object, &fd, PyUnicode_FSConverter, &path, &flags, &mode))
        throw py::error_already_set();
      py::object owned = py::reinterpret_steal<py::object>(path);
      return os::spawn_open{fd, std::string(bytes_view(owned)), flags,
                            static_cast<mode_t>(mode)};
    }
    case os::POSIX_SPAWN_CLOSE: {
      int fd = 0;
      if (!PyArg_ParseTuple(action,
                            "Oi;A close file_action tuple must have 2 elements",
                            &tag_object, &fd))
        throw py::error_already_set();
      return os::spawn_close{fd};
    }
    case os::POSIX_SPAWN_DUP2: {
      int fd = 0;
      int new_fd = 0;
      if (!PyArg_ParseTuple(action,
                            "Oii;A dup2 file_action tuple must have 3 elements",
                            &tag_object, &fd, &new_fd))
        throw py::error_already_set();
      return os::spawn_dup2{fd, new_fd};
    }
#if OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP
    // Python 3.13's closefrom action, offered on every version.
    case os::POSIX_SPAWN_CLOSEFROM: {
      int fd = 0;
      if (!PyArg_ParseTuple(
              action, "Oi;A closefrom file_action tuple must have 2 elements",
              &tag_object, &fd))
        throw py::error_already_set();
      return os::spawn_closefrom{fd};
    }
#endif
    default:
      type_error("Unknown file_actions identifier");
  }
}

std::vector<os::spawn_file_action> file_actions(PyObject* actions) {
  std::vector<os::spawn_file_action> out;
  if (actions == nullptr || actions == Py_None) return out;
  PyObject* raw =
      PySequence_Fast(actions, "file_actions must be a sequence or None");
  if (raw == nullptr) throw py::error_already_set();
  py::object seq = py::reinterpret_steal<py::object>(raw);
  Py_ssize_t n = PySequence_Fast_GET_SIZE(raw);
  for (Py_ssize_t i = 0; i < n; ++i)
    out.push_back(file_action(PySequence_Fast_GET_ITEM(raw, i)));
  return out;
}

// setsigmask / setsigdef: an iterable of signal numbers in [1; NSIG-1].
std::vector<int> signal_set(PyObject* o) {
  PyObject* raw = PyObject_GetIter(o);
  if (raw == nullptr) throw py::error_already_set();
  py::object it = py::reinterpret_steal<py::object>(raw);
  std::vector<int> out;
  while (PyObject* item = PyIter_Next(raw)) {
    int overflow = 0;
    long signum = PyLong_AsLongAndOverflow(item, &overflow);
    Py_DECREF(item);
    if (signum <= 0 || signum >= NSIG) {
      if (overflow || signum != -1 || !PyErr_Occurred()) {
#if PY_VERSION_HEX >= 0x030B0000
        PyErr_Format(PyExc_ValueError, "signal number %ld out of range [1; %d]",
                     signum, NSIG - 1);
#else
        // The range came into the message in 3.11.
        PyErr_Format(PyExc_ValueError, "signal number %ld out of range",
                     signum);
#endif
      }
      throw py::error_already_set();
    }
    out.push_back(static_cast<int>(signum));
  }
  if (PyErr_Occurred()) throw py::error_already_set();
  return out;
}

// scheduler=(policy, sched_param): policy None sets only the parameters.
os::spawn_scheduler scheduler(PyObject* o) {
  PyObject* policy = nullptr;
  PyObject* param = nullptr;
  if (!PyArg_ParseTuple(o, "OO;A scheduler tuple must have two elements",
                        &policy, &param))
    throw py::error_already_set();
  if (Py_TYPE(param) != reinterpret_cast<PyTypeObject*>(g_sched_param))
    type_error("must have a sched_param object");
  long priority = PyLong_AsLong(PyTuple_GET_ITEM(param, 0));
  if (priority == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (priority > INT_MAX || priority < INT_MIN) {
    PyErr_SetString(PyExc_OverflowError, "sched_priority out of range");
    throw py::error_already_set();
  }
  os::spawn_scheduler out;
  out.param.sched_priority = static_cast<int>(priority);
  if (policy != Py_None) {
    int value = 0;
    if (!int_converter(policy, &value)) throw py::error_already_set();
    out.policy = value;
  }
  return out;
}

// resetids / setsid: an int until 3.11, any object's truth since 3.12.
bool flag(PyObject* o) {
  if (o == nullptr) return false;
#if PY_VERSION_HEX >= 0x030C0000
  int truth = PyObject_IsTrue(o);
  if (truth < 0) throw py::error_already_set();
  return truth != 0;
#else
  int value = 0;
  if (!int_converter(o, &value)) throw py::error_already_set();
  return value != 0;
#endif
}

template <bool search>
py::object py_posix_spawn(const arguments& a) {
  const char* name = a.function().name.c_str();
  path_t path(name, "path");
  PyObject *argv = nullptr, *env = nullptr, *actions = nullptr;
  PyObject *setpgroup = nullptr, *resetids = nullptr, *setsid = nullptr;
  PyObject *setsigmask = nullptr, *setsigdef = nullptr, *sched = nullptr;
  a.parse(&path_converter, &path, &object_converter, &argv, &object_converter,
          &env, &object_converter, &actions, &object_converter, &setpgroup,
          &object_converter, &resetids, &object_converter, &setsid,
          &object_converter, &setsigmask, &object_converter, &setsigdef,
          &object_converter, &sched);
  os::posix_spawn_options opts;
  opts.resetids = flag(resetids);
  opts.setsid = flag(setsid);

  std::string prefix = std::string(name) + ": ";
  check_argv(argv, (prefix + "argv must be a tuple or list").c_str(),
             (prefix + "argv must not be empty").c_str());
  bool inherit_env = false;
#if PY_VERSION_HEX >= 0x030D0000
  inherit_env = env == Py_None;  // since 3.13: the current environment
#endif
  if (!inherit_env)
    check_env(env, (prefix + "environment must be a mapping object").c_str());
  os::arg_list list = to_arg_list(argv);
  check_first(list, (prefix + "argv first element cannot be empty").c_str());
  os::env_list envs;
  if (!inherit_env) envs = to_env_list(env);

  opts.file_actions = file_actions(actions);
  if (setpgroup != nullptr) {
    // As Python: a C long, then pid_t.
    long pgid = PyLong_AsLong(setpgroup);
    if (pgid == -1 && PyErr_Occurred()) throw py::error_already_set();
    opts.setpgroup = static_cast<pid_t>(pgid);
  }
  if (setsigmask != nullptr) opts.setsigmask = signal_set(setsigmask);
  if (setsigdef != nullptr) opts.setsigdef = signal_set(setsigdef);
  if (sched != nullptr) opts.scheduler = scheduler(sched);

  audit("os.posix_spawn", "OOO", path.object.ptr(), argv,
        inherit_env ? Py_None : env);
  os::path_arg where = path.arg();
  auto r = without_gil([&] {
    if (inherit_env)
      return search ? os::nothrow::posix_spawnp(where, list, opts)
                    : os::nothrow::posix_spawn(where, list, opts);
    return search ? os::nothrow::posix_spawnp(where, list, envs, opts)
                  : os::nothrow::posix_spawn(where, list, envs, opts);
  });
  // The spawn's own failure names the path, as Python's; a failed
  // attribute does not.
  return py::int_(unwrap(std::move(r), path.object));
}

// The parameters of posix_spawn and posix_spawnp, which CPython shares.
#define POSIX_SPAWN_PARAMETERS                                            \
  "path, argv, env, /, *, file_actions=(), setpgroup=<unrepresentable>, " \
  "resetids=False, setsid=False, setsigmask=(), setsigdef=(), "           \
  "scheduler=<unrepresentable>"

// ---------------------------------------------------------------- spawn*

// os.py's spawn*(mode, file, args[, env]): argv checked first as os.py
// does; P_NOWAIT (by equality, as os.py compares) returns the pid, any
// other mode waits. Unlike os.py, a program that cannot run raises OSError
// here (errno, filename) instead of returning 127 from the child.
py::object spawn_impl(PyObject* mode, PyObject* file, PyObject* argv,
                      PyObject* env, bool search) {
  if (!PyList_Check(argv) && !PyTuple_Check(argv))
    type_error("argv must be a tuple or a list");
  if (PySequence_Size(argv) < 1)
    value_error("argv first element cannot be empty");
  int nowait =
      PyObject_RichCompareBool(mode, py::int_(os::P_NOWAIT).ptr(), Py_EQ);
  if (nowait < 0) throw py::error_already_set();
  int how = nowait ? os::P_NOWAIT : os::P_WAIT;
  bool bytes_file = false;
  py::object name_bytes = fs_bytes(file);
  {
    py::object path = fspath(file);
    bytes_file = PyBytes_Check(path.ptr());
  }
  os::arg_list list = to_arg_list(argv);
  check_first(list, "argv first element cannot be empty");
  std::optional<os::env_list> envs;
  if (env != nullptr) envs = to_env_list(env);
  audit("os.spawn", "iOOO", how, file, argv, env ? env : Py_None);
  std::string name(bytes_view(name_bytes));
  os::path_arg where(name);  // views name
  auto r = without_gil([&] {
    if (search)
      return envs ? os::nothrow::spawnvpe(how, where, list, *envs)
                  : os::nothrow::spawnvp(how, where, list);
    return envs ? os::nothrow::spawnve(how, where, list, *envs)
                : os::nothrow::spawnv(how, where, list);
  });
  if (!r && r.error().filename()) {
    // The candidate that failed, in the type of the caller's file.
    const std::string& tried = *r.error().filename();
    if (tried == where.view()) raise_error(r.error(), file);
    raise_error(r.error(),
                bytes_file ? py::object(to_bytes(tried)) : decode(tried));
  }
  return py::int_(unwrap(std::move(r)));
}

py::object py_spawnv(const arguments& a) {
  PyObject *mode, *file, *argv;
  a.parse(&object_converter, &mode, &object_converter, &file, &object_converter,
          &argv);
  return spawn_impl(mode, file, argv, nullptr, false);
}

py::object py_spawnve(const arguments& a) {
  PyObject *mode, *file, *argv, *env;
  a.parse(&object_converter, &mode, &object_converter, &file, &object_converter,
          &argv, &object_converter, &env);
  return spawn_impl(mode, file, argv, env, false);
}

py::object py_spawnvp(const arguments& a) {
  PyObject *mode, *file, *argv;
  a.parse(&object_converter, &mode, &object_converter, &file, &object_converter,
          &argv);
  return spawn_impl(mode, file, argv, nullptr, true);
}

py::object py_spawnvpe(const arguments& a) {
  PyObject *mode, *file, *argv, *env;
  a.parse(&object_converter, &mode, &object_converter, &file, &object_converter,
          &argv, &object_converter, &env);
  return spawn_impl(mode, file, argv, env, true);
}

// os.py's list forms as argument shaping over the functions above, looked
// up in the module at call time as os.py's are.
constexpr const char* spawn_glue = R"(
def spawnl(mode, file, *args):
    """Execute file with arguments from args in a subprocess."""
    return spawnv(mode, file, args)

def spawnle(mode, file, *args):
    """Execute file with arguments from args in a subprocess with the
    supplied environment (the last argument)."""
    return spawnve(mode, file, args[:-1], args[-1])

def spawnlp(mode, file, *args):
    """Execute file (searched for along $PATH) with arguments from args in a
    subprocess."""
    return spawnvp(mode, file, args)

def spawnlpe(mode, file, *args):
    """Execute file (searched for along $PATH) with arguments from args in a
    subprocess with the supplied environment (the last argument)."""
    return spawnvpe(mode, file, args[:-1], args[-1])
)";

}  // namespace

OSCPP_BINDINGS(processes_spawn) {
  g_sched_param = py::object(py::module_::import("posix").attr("sched_param"))
                      .release()
                      .ptr();
  m.attr("P_WAIT") = os::P_WAIT;
  m.attr("P_NOWAIT") = os::P_NOWAIT;
  m.attr("P_NOWAITO") = os::P_NOWAITO;
  m.attr("POSIX_SPAWN_OPEN") = os::POSIX_SPAWN_OPEN;
  m.attr("POSIX_SPAWN_CLOSE") = os::POSIX_SPAWN_CLOSE;
  m.attr("POSIX_SPAWN_DUP2") = os::POSIX_SPAWN_DUP2;
#if OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP
  m.attr("POSIX_SPAWN_CLOSEFROM") = os::POSIX_SPAWN_CLOSEFROM;
#endif

  // Parsed as CPython's, with a format string: clinic_format's wording.
  def<&py_posix_spawn<false>>(m, "posix_spawn(" POSIX_SPAWN_PARAMETERS ")",
                              "Execute the program specified by path in a new "
                              "process.",
                              wording::clinic_format);
  def<&py_posix_spawn<true>>(m, "posix_spawnp(" POSIX_SPAWN_PARAMETERS ")",
                             "Execute the program specified by path in a new "
                             "process, searching PATH.",
                             wording::clinic_format);
  def_python<&py_spawnv>(m, "spawnv(mode, file, args)",
                         "Execute file with arguments from args in a "
                         "subprocess.");
  def_python<&py_spawnve>(m, "spawnve(mode, file, args, env)",
                          "Execute file with arguments from args in a "
                          "subprocess with the specified environment.");
  def_python<&py_spawnvp>(m, "spawnvp(mode, file, args)",
                          "Execute file (searched for along $PATH) "
                          "with arguments from args in a subprocess.");
  def_python<&py_spawnvpe>(m, "spawnvpe(mode, file, args, env)",
                           "Execute file (searched for along $PATH) "
                           "with arguments from args in a subprocess "
                           "with the supplied environment.");

  py::exec(spawn_glue, m.attr("__dict__"));
}

}  // namespace oscpp_py

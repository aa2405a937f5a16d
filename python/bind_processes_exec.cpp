// Process Management, replacing or ending the process: execv, execve,
// os.py's execvp, execvpe and _execvpe, _exit, abort.
#include <pybind11/eval.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "bind_processes.hpp"
#include "oscpp/processes.hpp"

namespace oscpp_py {
namespace {

using namespace processes;

PyObject* g_module = nullptr;  // oscpp (borrowed: lives forever)

// ---------------------------------------------------------------- exec

// execv's argv, checked and converted with its messages.
os::arg_list execv_args(PyObject* argv) {
  check_argv(argv, "execv() arg 2 must be a tuple or list",
             "execv() arg 2 must not be empty");
  os::arg_list list = to_arg_list(argv);
  check_first(list, "execv() arg 2 first element cannot be empty");
  return list;
}

// execve's argv and env, checked and converted in CPython's order with its
// messages.
struct execve_lists {
  os::arg_list args;
  os::env_list env;
};
execve_lists execve_args(PyObject* argv, PyObject* env) {
  check_argv(argv, "execve: argv must be a tuple or list",
             "execve: argv must not be empty");
  check_env(env, "execve: environment must be a mapping object");
  os::arg_list list = to_arg_list(argv);
  check_first(list, "execve: argv first element cannot be empty");
  return {std::move(list), to_env_list(env)};
}

py::object py_execv(const arguments& a) {
  path_t path("execv", "path");
  PyObject* argv = nullptr;
  a.parse(&path_converter, &path, &object_converter, &argv);
  os::arg_list list = execv_args(argv);
  audit("os.exec", "OOO", path.object.ptr(), argv, Py_None);
  auto r = os::nothrow::execv(path.arg(), list);
  raise_without_filename(r.error());  // Python's execv names no file
}

py::object py_execve(const arguments& a) {
  path_t path("execve", "path", false, true);
  PyObject* argv = nullptr;
  PyObject* env = nullptr;
  a.parse(&path_converter, &path, &object_converter, &argv, &object_converter,
          &env);
  auto [list, envs] = execve_args(argv, env);
  audit("os.exec", "OOO", path.object.ptr(), argv, env);
  auto r = path.is_fd ? os::nothrow::execve(path.fd, list, envs)
                      : os::nothrow::execve(path.arg(), list, envs);
  raise_with_filename(r.error(), path.object);
}

// The (file, args[, env]) of execvp, execvpe and _execvpe, parsed alike. An
// absent env reads as None: execvp declares none, and _execvpe's defaults
// to None.
struct search_args {
  PyObject* file = nullptr;
  PyObject* argv = nullptr;
  PyObject* env = Py_None;
};
search_args parse_search_args(const arguments& a) {
  search_args s;
  if (a.function().parameters.size() < 3)
    a.parse(&object_converter, &s.file, &object_converter, &s.argv);
  else
    a.parse(&object_converter, &s.file, &object_converter, &s.argv,
            &object_converter, &s.env);
  return s;
}

// os.py's execvp(file, args) and execvpe(file, args, env): the PATH search
// of the C++ library. As in Python, the errors are execv's (no filename)
// or, with an environment, execve's (the candidate tried, as bytes, or the
// caller's file when it holds a '/').
py::object exec_search(const arguments& a) {
  auto [file, argv, env] = parse_search_args(a);
  py::object given = fspath(file);
  py::object file_bytes = given;
  if (PyUnicode_Check(given.ptr())) {
    file_bytes = py::reinterpret_steal<py::object>(
        PyUnicode_EncodeFSDefault(given.ptr()));
    if (!file_bytes) throw py::error_already_set();
  }
  std::string_view name = bytes_view(file_bytes);
  bool searched = name.find('/') == std::string_view::npos;
  // As os.py, a searched name reads the environment's PATH first (with
  // get_exec_path's errors for an env without get()).
  if (searched && env != Py_None)
    py::handle(g_module).attr("get_exec_path")(py::handle(env));
  // A NUL fails os.py's first execv/execve call, worded by its path
  // converter: a searched name reaches it encoded (bytes), else as given.
  path_t checked(env == Py_None ? "execv" : "execve", "path");
  if (!path_converter(searched ? file_bytes.ptr() : given.ptr(), &checked))
    throw py::error_already_set();
  if (env == Py_None) {
    auto r = os::nothrow::execvp(os::path_arg(name), execv_args(argv));
    raise_without_filename(r.error());
  }
  auto [list, envs] = execve_args(argv, env);
  auto r = os::nothrow::execvpe(os::path_arg(name), list, envs);
  if (!searched) raise_with_filename(r.error(), file);
  if (r.error().filename())
    raise_error(r.error(), to_bytes(*r.error().filename()));
  raise_without_filename(r.error());
}

// Two functions: each bound function keeps its own signature.
py::object py_execvp(const arguments& a) { return exec_search(a); }
py::object py_execvpe(const arguments& a) { return exec_search(a); }

// os._execvpe(file, args, env=None): the PATH search done through the
// module's own execv/execve, path joining and get_exec_path, looked up at
// call time, so that a program (or CPython's test suite) that replaces them
// sees each attempt. oscpp's public execvp/execvpe search in C++ instead.
py::object py__execvpe(const arguments& a) {
  auto [file, argv, env] = parse_search_args(a);
  py::handle module(g_module);
  py::object exec_func;
  py::tuple rest;
  py::object search_env;
  if (env != Py_None) {
    exec_func = module.attr("execve");
    rest = py::make_tuple(py::handle(argv), py::handle(env));
    search_env = py::reinterpret_borrow<py::object>(env);
  } else {
    exec_func = module.attr("execv");
    rest = py::make_tuple(py::handle(argv));
    search_env = module.attr("environ");
  }
  py::module_ posixpath = py::module_::import("posixpath");
  auto call = [&](py::handle path) {
    py::list all;
    all.append(path);
    for (py::handle a : rest) all.append(a);
    exec_func(*py::tuple(all));
  };
  if (py::bool_(posixpath.attr("dirname")(py::handle(file)))) {
    call(file);
    return py::none();
  }
  // PATH of the environment, else the module's defpath (which may have
  // been replaced, as os.defpath can be).
  auto has_key = [&](py::object key) {
    try {
      return bool(py::bool_(search_env.attr("__contains__")(key)));
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_TypeError)) throw;
      return false;
    }
  };
  py::object dirs =
      has_key(py::str("PATH")) || has_key(py::bytes("PATH"))
          ? module.attr("get_exec_path")(search_env)
          : module.attr("defpath").attr("split")(module.attr("pathsep"));
  py::object fsencode = module.attr("fsencode");
  py::object name = fsencode(py::handle(file));
  py::object saved, last;
  for (py::handle dir : dirs) {
    py::object full = posixpath.attr("join")(fsencode(dir), name);
    try {
      call(full);
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_OSError)) throw;
      if (!e.matches(PyExc_FileNotFoundError) &&
          !e.matches(PyExc_NotADirectoryError) && !saved)
        saved = e.value();
      last = e.value();
    }
  }
  py::object error = saved ? saved : last;
  if (!error) {
    errno = ENOENT;
    PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, file);
    throw py::error_already_set();
  }
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())),
                  error.ptr());
  throw py::error_already_set();
}

// ---------------------------------------------------------------- exit

py::object py__exit(const arguments& a) {
  int status = 0;
  a.parse(&int_converter, &status);
  os::_exit(status);
}

py::object py_abort(const arguments&) { os::abort(); }

// os.py's list forms as argument shaping over the functions above, looked
// up in the module at call time as os.py's are.
constexpr const char* exec_glue = R"(
def execl(file, *args):
    """Execute the executable file with argument list args, replacing the
    current process."""
    execv(file, args)

def execle(file, *args):
    """Execute the executable file with argument list args and environment
    env (the last argument), replacing the current process."""
    execve(file, args[:-1], args[-1])

def execlp(file, *args):
    """Execute the executable file (searched for along $PATH) with argument
    list args, replacing the current process."""
    execvp(file, args)

def execlpe(file, *args):
    """Execute the executable file (searched for along $PATH) with argument
    list args and environment env (the last argument), replacing the current
    process."""
    execvpe(file, args[:-1], args[-1])
)";

}  // namespace

OSCPP_BINDINGS(processes_exec) {
  g_module = m.ptr();
  def<&py_execv>(m, "execv(path, argv, /)",
                 "Execute an executable path with arguments, "
                 "replacing current process.");
  def<&py_execve>(m, "execve(path, argv, env)",
                  "Execute an executable path with arguments, "
                  "replacing current process.");
  def_python<&py_execvp>(m, "execvp(file, args)",
                         "Execute the executable file (which is "
                         "searched for along $PATH) with argument "
                         "list args, replacing the current process.");
  def_python<&py_execvpe>(m, "execvpe(file, args, env)",
                          "Execute the executable file (which is "
                          "searched for along $PATH) with argument "
                          "list args and environment env, replacing "
                          "the current process.");
  def_python<&py__execvpe>(m, "_execvpe(file, args, env=None)", nullptr);
  def<&py__exit>(m, "_exit(status)",
                 "Exit to the system with specified status, "
                 "without normal exit processing.");
  def<&py_abort>(m, "abort()", "Abort the interpreter immediately.");

  py::exec(exec_glue, m.attr("__dict__"));
}

}  // namespace oscpp_py

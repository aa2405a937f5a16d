// Process Management, the argument and environment lists of exec* and
// spawn*: argv and env converted with CPython's rules and messages (shared
// by the exec, spawn and popen bindings through bind_processes.hpp).
#include <string>
#include <utility>

#include "bind_processes.hpp"
#include "oscpp/processes.hpp"

namespace oscpp_py {

namespace processes {

void value_error(const char* message) {
  PyErr_SetString(PyExc_ValueError, message);
  throw py::error_already_set();
}

void type_error(const char* message) {
  PyErr_SetString(PyExc_TypeError, message);
  throw py::error_already_set();
}

void check_argv(PyObject* argv, const char* type_message,
                const char* empty_message) {
  if (!PyList_Check(argv) && !PyTuple_Check(argv)) type_error(type_message);
  if (PySequence_Size(argv) < 1) value_error(empty_message);
}

os::arg_list to_arg_list(PyObject* argv) {
  os::arg_list args;
  Py_ssize_t n = PySequence_Size(argv);
  if (n < 0) throw py::error_already_set();
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* item = PySequence_GetItem(argv, i);
    if (item == nullptr) throw py::error_already_set();
    py::object owned = py::reinterpret_steal<py::object>(item);
    args.push_back(bytes_view(fs_bytes(item)));
  }
  return args;
}

void check_first(const os::arg_list& args, const char* message) {
  if (args.empty() || args[0].empty()) value_error(message);
}

void check_env(PyObject* env, const char* message) {
  if (!PyMapping_Check(env)) type_error(message);
}

os::env_list to_env_list(PyObject* env) {
  Py_ssize_t n = PyMapping_Size(env);
  if (n < 0) throw py::error_already_set();
  PyObject* raw_keys = PyMapping_Keys(env);
  if (raw_keys == nullptr) throw py::error_already_set();
  py::object keys = py::reinterpret_steal<py::object>(raw_keys);
  PyObject* raw_values = PyMapping_Values(env);
  if (raw_values == nullptr) throw py::error_already_set();
  py::object values = py::reinterpret_steal<py::object>(raw_values);
  if (!PyList_Check(keys.ptr()) || !PyList_Check(values.ptr()))
    type_error("env.keys() or env.values() is not a list");
  os::env_list out;
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* key = PyList_GetItem(keys.ptr(), i);
    PyObject* value = PyList_GetItem(values.ptr(), i);
    if (key == nullptr || value == nullptr) throw py::error_already_set();
    py::object k = fs_bytes(key);
    py::object v = fs_bytes(value);
    out.add(bytes_view(k), bytes_view(v));  // ValueError for an illegal name
  }
  return out;
}

void raise_with_filename(const os::error_info& e, py::handle filename) {
  raise_error(os::error_info(e.value(), "-"), filename);
}

void raise_without_filename(const os::error_info& e) {
  raise_error(os::error_info(e.value()));
}

}  // namespace processes

}  // namespace oscpp_py

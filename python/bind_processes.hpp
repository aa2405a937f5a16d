// What the Process Management bindings (bind_processes_*.cpp) share: argv
// and env conversion with CPython's rules and messages
// (bind_processes_args.cpp).
#pragma once

#include "convert.hpp"
#include "oscpp/processes.hpp"

namespace oscpp_py::processes {

// Raises ValueError(message).
[[noreturn]] void value_error(const char* message);
// Raises TypeError(message).
[[noreturn]] void type_error(const char* message);

// CPython's first checks of an argv: a list or tuple (else TypeError
// type_message), not empty (else ValueError empty_message).
void check_argv(PyObject* argv, const char* type_message,
                const char* empty_message);
// Each element of argv (a list or tuple) as PyUnicode_FSConverter converts
// it: str, bytes or os.PathLike, no NUL.
os::arg_list to_arg_list(PyObject* argv);
// ValueError(message) if the first argument is "".
void check_first(const os::arg_list& args, const char* message);

// CPython's execve/posix_spawn environment check: TypeError message unless
// env is a mapping.
void check_env(PyObject* env, const char* message);
// env's keys() and values(), converted as CPython's parse_envlist does.
os::env_list to_env_list(PyObject* env);

// Raises e with filename as the OSError's filename, whether or not the
// C++ error carries one (CPython's posix_path_error).
[[noreturn]] void raise_with_filename(const os::error_info& e,
                                      py::handle filename);
// Raises e without any filename (CPython's posix_error).
[[noreturn]] void raise_without_filename(const os::error_info& e);

}  // namespace oscpp_py::processes

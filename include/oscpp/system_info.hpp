// Miscellaneous System Information: the module's path and line constants,
// confstr / sysconf and their names, cpu_count, getloadavg. The _CS_* and
// _SC_* numbers come from <unistd.h>.
#pragma once

#include <dlfcn.h>  // RTLD_* (Python's os.RTLD_*)
#include <unistd.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "oscpp/error.hpp"

namespace os {

inline constexpr std::string_view name = "posix";
inline constexpr std::string_view curdir = ".";
inline constexpr std::string_view pardir = "..";
inline constexpr std::string_view sep = "/";
inline constexpr const char* altsep = nullptr;  // None on POSIX
inline constexpr std::string_view extsep = ".";
inline constexpr std::string_view pathsep = ":";
inline constexpr std::string_view defpath = "/bin:/usr/bin";
inline constexpr std::string_view linesep = "\n";
inline constexpr std::string_view devnull = "/dev/null";

// Python's os.confstr_names / os.sysconf_names: "CS_PATH" -> _CS_PATH ...,
// the names this system defines.
extern const std::map<std::string, int, std::less<>> confstr_names;
extern const std::map<std::string, int, std::less<>> sysconf_names;

// ---------------------------------------------------------------- nothrow
namespace nothrow {

// nullopt (Python's None) where the name is valid but has no value.
result<std::optional<std::string>> confstr(int name) noexcept;
// -1 where the system has no limit (errno untouched), as in Python.
result<long> sysconf(int name) noexcept;
// By name (a key of confstr_names / sysconf_names): a name this system
// lacks is EINVAL here, std::invalid_argument from the throwing forms.
result<std::optional<std::string>> confstr(std::string_view name) noexcept;
result<long> sysconf(std::string_view name) noexcept;
// The 1, 5 and 15 minute load averages.
result<std::array<double, 3>> getloadavg() noexcept;

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

inline std::optional<std::string> confstr(int name) {
  return nothrow::confstr(name).value();
}
// name is a key of confstr_names; an unknown one throws std::invalid_argument
// ("unrecognized configuration name"), Python's ValueError.
std::optional<std::string> confstr(std::string_view name);
inline long sysconf(int name) { return nothrow::sysconf(name).value(); }
// name is a key of sysconf_names (unknown: std::invalid_argument).
long sysconf(std::string_view name);
// auto [one, five, fifteen] = os::getloadavg();
inline std::array<double, 3> getloadavg() {
  return nothrow::getloadavg().value();
}
// The number of CPUs online, nullopt (None) if unknown.
std::optional<int> cpu_count() noexcept;
// Python 3.13: the number of CPUs this thread may run on (its affinity
// mask); cpu_count() if that cannot be read.
std::optional<int> process_cpu_count() noexcept;

}  // namespace os

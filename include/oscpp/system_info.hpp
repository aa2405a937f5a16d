// Miscellaneous System Information: the module's path and line constants.
#pragma once

#include <string_view>

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

}  // namespace os

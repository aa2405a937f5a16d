// The configuration names of sysconf, confstr and (f)pathconf
// (sysconf_names ...): one lookup for the throwing and the nothrow forms.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace os::detail {

using conf_names = std::map<std::string, int, std::less<>>;

// The number of name in names, or nullopt if this system lacks it.
inline std::optional<int> conf_number(const conf_names& names,
                                      std::string_view name) noexcept {
  auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

// The same; an unknown name is Python's ValueError.
inline int conf_number_or_throw(const conf_names& names,
                                std::string_view name) {
  if (auto n = conf_number(names, name)) return *n;
  throw std::invalid_argument("unrecognized configuration name");
}

}  // namespace os::detail

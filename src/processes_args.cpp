// Process Management: the argument and environment lists of exec*, spawn*
// and posix_spawn, checked and laid out before any process is started.
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "oscpp/processes.hpp"

namespace os {

arg_list::arg_list(std::initializer_list<path_arg> args) {
  for (const path_arg& a : args) push_back(a.view());
}

arg_list::arg_list(const arg_list& other)
    : chars_(other.chars_), offsets_(other.offsets_) {
  ptrs_.resize(offsets_.size() + 1);
  repoint();
}

arg_list& arg_list::operator=(const arg_list& other) {
  if (this != &other) {
    arg_list copy(other);
    *this = std::move(copy);
  }
  return *this;
}

// A moved std::string may change its buffer (small strings): repoint.
arg_list::arg_list(arg_list&& other) noexcept
    : chars_(std::move(other.chars_)),
      offsets_(std::move(other.offsets_)),
      ptrs_(std::move(other.ptrs_)) {
  repoint();
}

arg_list& arg_list::operator=(arg_list&& other) noexcept {
  chars_ = std::move(other.chars_);
  offsets_ = std::move(other.offsets_);
  ptrs_ = std::move(other.ptrs_);
  repoint();
  return *this;
}

void arg_list::push_back(std::string_view arg) {
  if (arg.find('\0') != std::string_view::npos)
    throw std::invalid_argument("embedded null byte");
  const char* before = chars_.data();
  offsets_.push_back(chars_.size());
  chars_.append(arg);
  chars_.push_back('\0');
  ptrs_.push_back(nullptr);
  if (chars_.data() != before) {
    repoint();
  } else {
    ptrs_[offsets_.size() - 1] = chars_.data() + offsets_.back();
  }
}

void arg_list::repoint() noexcept {
  if (ptrs_.size() != offsets_.size() + 1) return;  // moved-from
  for (std::size_t i = 0; i < offsets_.size(); ++i)
    ptrs_[i] = chars_.data() + offsets_[i];
  ptrs_[offsets_.size()] = nullptr;
}

std::string_view arg_list::operator[](std::size_t i) const noexcept {
  return std::string_view(chars_.data() + offsets_[i]);
}

env_list::env_list(
    std::initializer_list<std::pair<std::string_view, std::string_view>>
        items) {
  for (const auto& [key, value] : items) add(key, value);
}

void env_list::add(std::string_view key, std::string_view value) {
  if (key.find('\0') != std::string_view::npos ||
      value.find('\0') != std::string_view::npos)
    throw std::invalid_argument("embedded null byte");
  // As Python: a leading '=' is allowed (Windows' per-drive variables).
  if (key.empty() || key.find('=', 1) != std::string_view::npos)
    throw std::invalid_argument("illegal environment variable name");
  std::string entry;
  entry.reserve(key.size() + 1 + value.size());
  entry.append(key).push_back('=');
  entry.append(value);
  strings_.push_back(entry);
}

std::optional<std::string_view> env_list::find(std::string_view key) const {
  for (std::size_t i = 0; i < strings_.size(); ++i) {
    std::string_view s = strings_[i];
    if (s.size() > key.size() && s[key.size()] == '=' &&
        s.substr(0, key.size()) == key)
      return s.substr(key.size() + 1);
  }
  return std::nullopt;
}

}  // namespace os

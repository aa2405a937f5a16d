// os::path, the lexical functions: posixpath's string operations on bytes.
#include "oscpp/path.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "oscpp/environ.hpp"

namespace os::path {

namespace {

// The index just past the last '/', 0 if none: where split's tail starts.
std::size_t tail_start(std::string_view p) noexcept {
  auto i = p.rfind('/');
  return i == std::string_view::npos ? 0 : i + 1;
}

// split's head: p[:i] without trailing slashes unless it is all slashes.
std::string_view head_of(std::string_view p, std::size_t i) noexcept {
  std::string_view head = p.substr(0, i);
  auto last = head.find_last_not_of('/');
  if (last == std::string_view::npos) return head;  // "" or all slashes
  return head.substr(0, last + 1);
}

}  // namespace

namespace detail {

std::size_t ext_start(std::string_view p) noexcept {
  auto dot = p.rfind('.');
  if (dot == std::string_view::npos) return p.size();
  auto slash = p.rfind('/');
  std::size_t name = slash == std::string_view::npos ? 0 : slash + 1;
  if (slash != std::string_view::npos && slash > dot) return p.size();
  // Leading dots of the last component never start an extension.
  for (std::size_t i = name; i < dot; ++i)
    if (p[i] != '.') return dot;
  return p.size();
}

std::string join_views(const std::string_view* parts, std::size_t n) {
  // Everything before the last absolute part (after the first) is dropped.
  std::size_t from = 0;
  for (std::size_t k = 1; k < n; ++k)
    if (!parts[k].empty() && parts[k][0] == '/') from = k;
  std::size_t size = 0;
  for (std::size_t k = from; k < n; ++k) size += parts[k].size() + 1;
  std::string out;
  out.reserve(size);
  out.append(parts[from]);
  for (std::size_t k = from + 1; k < n; ++k) {
    if (!out.empty() && out.back() != '/') out.push_back('/');
    out.append(parts[k]);
  }
  return out;
}

void commonpath_state::add(std::string_view p) {
  bool abs = !p.empty() && p[0] == '/';
  if (count_++ == 0) {
    absolute_ = abs;
    first_.assign(p);
    std::string_view f = first_;
    for (std::size_t i = 0; i <= f.size();) {
      auto j = std::min(f.find('/', i), f.size());
      auto c = f.substr(i, j - i);
      if (!c.empty() && c != ".") common_.push_back(c);
      i = j + 1;
    }
    return;
  }
  if (abs != absolute_) mixed_ = true;
  std::size_t k = 0;  // components of p matched so far
  for (std::size_t i = 0; i <= p.size() && k < common_.size();) {
    auto j = std::min(p.find('/', i), p.size());
    auto c = p.substr(i, j - i);
    i = j + 1;
    if (c.empty() || c == ".") continue;
    if (c != common_[k]) break;
    ++k;
  }
  common_.resize(k);
}

std::string commonpath_state::result() const {
  if (count_ == 0)
    throw std::invalid_argument("commonpath() arg is an empty sequence");
  if (mixed_)
    throw std::invalid_argument("Can't mix absolute and relative paths");
  std::size_t size = absolute_ ? 1 : 0;
  for (auto c : common_) size += c.size() + 1;
  std::string out;
  out.reserve(size);
  if (absolute_) out.push_back('/');
  for (std::size_t k = 0; k < common_.size(); ++k) {
    if (k) out.push_back('/');
    out.append(common_[k]);
  }
  return out;
}

}  // namespace detail

std::pair<std::string, std::string> split(path_ref path) {
  std::string_view p = path;
  auto i = tail_start(p);
  return {std::string(head_of(p, i)), std::string(p.substr(i))};
}

std::pair<std::string, std::string> splitext(path_ref path) {
  std::string_view p = path;
  auto i = detail::ext_start(p);
  return {std::string(p.substr(0, i)), std::string(p.substr(i))};
}

std::pair<std::string, std::string> splitdrive(path_ref p) {
  return {std::string(), std::string(p.view())};
}

std::tuple<std::string, std::string, std::string> splitroot(path_ref path) {
  std::string_view p = path;
  if (p.empty() || p[0] != '/') return {"", "", std::string(p)};
  if (p.size() < 2 || p[1] != '/' || (p.size() > 2 && p[2] == '/'))
    return {"", "/", std::string(p.substr(1))};
  return {"", "//", std::string(p.substr(2))};
}

std::string basename(path_ref path) {
  std::string_view p = path;
  return std::string(p.substr(tail_start(p)));
}

std::string dirname(path_ref path) {
  std::string_view p = path;
  return std::string(head_of(p, tail_start(p)));
}

namespace {

// 0x80 in each byte of v that is zero, exactly (no borrow between bytes).
constexpr std::uint64_t zero_bytes(std::uint64_t v) {
  constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
  return ~(((v & low7) + low7) | v | low7);
}

}  // namespace

namespace detail {

std::size_t normpath_into(std::string_view p, char* out) noexcept {
  if (p.empty()) {
    out[0] = '.';
    return 1;
  }
  std::size_t slashes = 0;
  if (p[0] == '/') {
    slashes = 1;
    if (p.size() > 1 && p[1] == '/' && (p.size() == 2 || p[2] != '/'))
      slashes = 2;
  }
  for (std::size_t k = 0; k < slashes; ++k) out[k] = '/';
  // out[0, size) is the root, then `dotdots` leading ".." components (only
  // in a relative path), then names, separated by '/'; names are there when
  // size passes the prefix of root and "..".
  std::size_t size = slashes, dotdots = 0;
  const char* i = p.data();
  const char* const end = i + p.size();
  for (;;) {
    while (i < end && *i == '/') ++i;
    if (i == end) break;
    char* o = out + size + (size > slashes ? 1 : 0);
    if (*i != '.') {
      // A run of names: up to an empty component (two '/' or a trailing
      // one) or one that starts with '.', copied in one loop.
      if (size > slashes) out[size] = '/';
      // Eight bytes at a time while nine remain: each word is copied whole
      // (the output stays behind the input, so within p.size() bytes);
      // the first '/' whose next byte is '/' or '.' ends the run.
      if constexpr (std::endian::native == std::endian::little) {
        while (end - i >= 9) {
          std::uint64_t word, next;
          std::memcpy(&word, i, 8);
          std::memcpy(&next, i + 1, 8);
          std::memcpy(o, &word, 8);
          const std::uint64_t stop = zero_bytes(word ^ 0x2f2f2f2f2f2f2f2fULL) &
                                     (zero_bytes(next ^ 0x2f2f2f2f2f2f2f2fULL) |
                                      zero_bytes(next ^ 0x2e2e2e2e2e2e2e2eULL));
          if (stop != 0) {
            const auto n = static_cast<std::size_t>(std::countr_zero(stop)) / 8;
            i += n;
            o += n;
            break;
          }
          i += 8;
          o += 8;
        }
      }
      for (; i < end; ++i) {
        const char c = *i;
        if (c == '/' && (i + 1 == end || i[1] == '/' || i[1] == '.')) break;
        *o++ = c;
      }
      size = static_cast<std::size_t>(o - out);
      continue;
    }
    const char* c = i;
    while (i < end && *i != '/') ++i;
    const std::size_t len = static_cast<std::size_t>(i - c);
    if (len == 1) continue;  // "."
    const std::size_t prefix = dotdots != 0 ? 3 * dotdots - 1 : slashes;
    if (len == 2 && c[1] == '.') {
      if (size > prefix) {
        // Drop the last name and the '/' before it (if not the root's).
        while (size > prefix && out[size - 1] != '/') --size;
        if (size > slashes) --size;
        continue;
      }
      if (slashes) continue;  // ".." above the root is the root
      ++dotdots;
    }
    if (size > slashes) out[size] = '/';
    std::memcpy(o, c, len);
    size = static_cast<std::size_t>(o - out) + len;
  }
  if (size == 0) out[size++] = '.';
  return size;
}

}  // namespace detail

std::string normpath(path_ref path) {
  std::string_view p = path;
  std::string out(std::max<std::size_t>(p.size(), 1), '\0');
  out.resize(detail::normpath_into(p, out.data()));
  return out;
}

std::string normcase(path_ref s) { return std::string(s.view()); }

std::string expandvars(path_ref path) {
  std::string_view p = path;
  auto dollar = p.find('$');
  if (dollar == std::string_view::npos) return std::string(p);
  auto is_word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
  };
  std::string out;
  out.reserve(p.size());
  std::size_t copied = 0;  // p[..copied) is in out
  for (std::size_t i = dollar; i < p.size();
       i = p.find('$', i), i = i == std::string_view::npos ? p.size() : i) {
    std::size_t j = i + 1;
    std::string_view name;
    if (j < p.size() && p[j] == '{') {
      auto close = p.find('}', j + 1);
      if (close == std::string_view::npos) {
        ++i;
        continue;
      }
      name = p.substr(j + 1, close - j - 1);
      j = close + 1;
    } else {
      while (j < p.size() && is_word(static_cast<unsigned char>(p[j]))) ++j;
      if (j == i + 1) {
        ++i;
        continue;
      }
      name = p.substr(i + 1, j - i - 1);
    }
    // A name with '=' or NUL can be no environment variable.
    std::optional<std::string> value;
    if (name.find('=') == std::string_view::npos &&
        name.find('\0') == std::string_view::npos)
      value = os::environ.get(name);
    if (value) {
      out.append(p.substr(copied, i - copied));
      out.append(*value);
      copied = j;
    }
    i = j;
  }
  out.append(p.substr(copied));
  return out;
}

}  // namespace os::path

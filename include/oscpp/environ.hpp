// Process Parameters, the environment: os::environ (and os::environb, the
// same object), getenv/getenvb, putenv/unsetenv, get_exec_path.
//
// os::environ behaves as Python's os.environ: a mapping taken from the
// process environment when the library is loaded (or at first use, if that
// comes earlier), kept in sync with it by its own writes (::setenv,
// ::unsetenv), which children inherit. As in Python, changes made behind its
// back (os::putenv, os::unsetenv, or C code calling ::setenv) are passed to
// the process environment but not seen by os::environ.
//
// Thread safety: every member of os::environ may be called from many threads
// at once. Writers take its own lock; readers take none: each thread reads
// an immutable version of the mapping and checks with one atomic load that
// it is still current, so a lookup costs less than ::getenv's scan (the
// thread's last-read version is kept until its next read or its exit).
// C code that calls ::getenv (or reads ::environ) while another thread
// writes through os::environ, os::putenv or os::unsetenv stays unsafe, as
// with ::setenv itself: the C library gives no way to make that safe.
//
// Note: inside namespace os, an unqualified `environ` names os::environ;
// write ::environ for the C library's array.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "oscpp/error.hpp"

namespace os {

// Python's os.supports_bytes_environ.
inline constexpr bool supports_bytes_environ = true;

// The type of os::environ, Python's os._Environ: a mapping from names to
// values (both bytes, as std::string). Keys stay in insertion order, as in
// Python's dict. Invalid arguments throw before anything changes: a NUL in a
// key or value std::invalid_argument ("embedded null byte"), an '=' in the
// key of a write std::invalid_argument ("illegal environment variable
// name"); an empty key fails in the C library with OSError (EINVAL), as in
// Python.
class environ_map {
 public:
  using key_type = std::string;
  using mapped_type = std::string;
  using value_type = std::pair<std::string, std::string>;
  using size_type = std::size_t;

  class item_proxy;
  class iterator;

  constexpr environ_map() noexcept = default;
  environ_map(const environ_map&) = delete;
  environ_map& operator=(const environ_map&) = delete;

  // environ[key]: the value, or std::out_of_range (KeyError) if missing.
  std::string operator[](std::string_view key) const;
  // The same lookup on the mutable object, as a proxy that can also be
  // assigned: os::environ["K"] = "v"; std::string v = os::environ["K"].
  item_proxy operator[](std::string_view key);
  // environ.get(key) / environ.get(key, default).
  std::optional<std::string> get(std::string_view key) const;
  std::string get(std::string_view key, std::string_view default_) const;
  // Calls f(std::string_view value) with key's value, without copying it,
  // and returns true; returns false without calling f if key is missing.
  // The view is valid until f returns (f may use os::environ meanwhile).
  template <class F>
  bool visit(std::string_view key, F&& f) const {
    return visit_value(
        key,
        [](void* fn, std::string_view value) {
          (*static_cast<std::remove_reference_t<F>*>(fn))(value);
        },
        const_cast<void*>(static_cast<const void*>(std::addressof(f))));
  }
  // key in environ.
  bool contains(std::string_view key) const;
  // len(environ).
  size_type size() const;
  bool empty() const { return size() == 0; }

  // environ[key] = value: ::setenv, then the mapping.
  void set(std::string_view key, std::string_view value);
  // del environ[key]: ::unsetenv, then std::out_of_range (KeyError) if the
  // mapping had no such key, as in Python.
  void erase(std::string_view key);
  // environ.pop(key): the value, removed; std::out_of_range if missing.
  std::string pop(std::string_view key);
  // environ.pop(key, default): the value removed, or default if missing.
  std::string pop(std::string_view key, std::string_view default_);
  // environ.popitem(): removes the oldest entry; std::out_of_range if empty.
  value_type popitem();
  // environ.setdefault(key, value): the value, set to value if missing.
  std::string setdefault(std::string_view key, std::string_view value);
  // environ.clear(): unsets every variable the mapping holds.
  void clear();
  // environ.update(items): every pair is checked before the first is set,
  // so invalid arguments change nothing.
  void update(
      std::initializer_list<std::pair<std::string_view, std::string_view>>
          items);
  // environ.update(m) for any range of pairs of strings (std::map, a vector
  // of pairs, another snapshot ...).
  template <class Range>
  requires requires(const Range& r) {
    std::string_view(std::begin(r)->first);
    std::string_view(std::begin(r)->second);
  }
  void update(const Range& items) {
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    for (const auto& [key, value] : items)
      pairs.emplace_back(std::string_view(key), std::string_view(value));
    update_pairs(pairs);
  }

  // environ.copy(): a snapshot, as a std::map (Python's is a dict).
  std::map<std::string, std::string> copy() const;
  // Snapshots of list(environ.items()), keys(), values(), in order.
  std::vector<value_type> items() const;
  std::vector<std::string> keys() const;
  std::vector<std::string> values() const;

  // Iteration yields the (key, value) pairs of a snapshot taken by begin(),
  // so concurrent writers neither invalidate nor disturb it:
  //   for (const auto& [key, value] : os::environ) ...
  iterator begin() const;
  iterator end() const noexcept;

 private:
  using visitor = void (*)(void* context, std::string_view value);
  bool visit_value(std::string_view key, visitor fn, void* context) const;
  void update_pairs(
      const std::vector<std::pair<std::string_view, std::string_view>>& pairs);
};

// What os::environ[key] returns: reads as the value, assigns through set().
// It holds its own copy of the key, so it may be named: `auto home =
// os::environ["HOME"]` is a live view of that variable, read again at each
// use; `std::string home = os::environ["HOME"]` takes the value once, as
// Python's `home = os.environ["HOME"]` does. Reading a missing key throws
// std::out_of_range (KeyError).
class environ_map::item_proxy {
 public:
  item_proxy(const item_proxy&) = default;
  // environ["A"] = environ["B"] copies the value, not the proxy.
  item_proxy& operator=(const item_proxy& other) {
    return *this = std::string_view(other.str());
  }

  // The value; std::out_of_range if the key is missing.
  operator std::string() const { return str(); }
  std::string str() const { return std::as_const(*environ_)[key_]; }
  item_proxy& operator=(std::string_view value) {
    environ_->set(key_, value);
    return *this;
  }
  friend bool operator==(const item_proxy& a, std::string_view b) {
    return a.str() == b;
  }
  // os::environ["HOME"] + "/bin", as with a std::string.
  friend std::string operator+(const item_proxy& a, std::string_view b) {
    return a.str().append(b);
  }
  friend std::string operator+(std::string_view a, const item_proxy& b) {
    return std::string(a).append(b.str());
  }
  friend std::ostream& operator<<(std::ostream& out, const item_proxy& item);

 private:
  friend class environ_map;
  item_proxy(environ_map& map, std::string_view key)
      : environ_(&map), key_(key) {}
  environ_map* environ_;
  std::string key_;
};

// A forward iterator over a snapshot of the environment.
class environ_map::iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = environ_map::value_type;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  iterator() noexcept = default;
  reference operator*() const noexcept { return (*items_)[index_]; }
  pointer operator->() const noexcept { return &(*items_)[index_]; }
  iterator& operator++() noexcept {
    ++index_;
    return *this;
  }
  iterator operator++(int) noexcept {
    iterator old = *this;
    ++index_;
    return old;
  }
  friend bool operator==(const iterator& a, const iterator& b) noexcept {
    if (a.at_end() || b.at_end()) return a.at_end() == b.at_end();
    return a.items_ == b.items_ && a.index_ == b.index_;
  }

 private:
  friend class environ_map;
  explicit iterator(std::shared_ptr<const std::vector<value_type>> items)
      : items_(std::move(items)) {}
  bool at_end() const noexcept { return !items_ || index_ >= items_->size(); }
  std::shared_ptr<const std::vector<value_type>> items_;
  std::size_t index_ = 0;
};

// Python's os.environ. constinit: usable from any static initializer.
inline constinit environ_map environ;
// Python's os.environb: C++ strings are already bytes, so the same object.
inline constinit environ_map& environb = environ;

// Python's os.getenv(key) / getenv(key, default): os::environ.get(...).
inline std::optional<std::string> getenv(std::string_view key) {
  return environ.get(key);
}
inline std::string getenv(std::string_view key, std::string_view default_) {
  return environ.get(key, default_);
}
// Python's os.getenvb: the same as getenv.
inline std::optional<std::string> getenvb(std::string_view key) {
  return environ.get(key);
}
inline std::string getenvb(std::string_view key, std::string_view default_) {
  return environ.get(key, default_);
}

namespace detail {
// path split at ':' (a missing PATH, nullptr, gives os::defpath's parts).
std::vector<std::string> split_exec_path(const std::string_view* path);
}  // namespace detail

// Python's os.get_exec_path(): the directories PATH of os::environ lists
// (os::defpath's if it has none); "" gives {""}, as in Python.
std::vector<std::string> get_exec_path();
// Python's os.get_exec_path(os.environ).
std::vector<std::string> get_exec_path(const environ_map& env);
// Python's os.get_exec_path(env), for any mapping with find("PATH").
template <class Env>
requires requires(const Env& env) {
  std::string_view(env.find(std::string("PATH"))->second);
  env.find(std::string("PATH")) == env.end();
}
std::vector<std::string> get_exec_path(const Env& env) {
  auto it = env.find(std::string("PATH"));
  if (it == env.end()) return detail::split_exec_path(nullptr);
  std::string_view path(it->second);
  return detail::split_exec_path(&path);
}

namespace nothrow {

// Python's os.putenv: ::setenv(key, value, 1). Does not update os::environ,
// as in Python. A NUL or an '=' in key, or a NUL in value, throws
// std::invalid_argument before the call; an empty key fails with EINVAL.
result<void> putenv(std::string_view key, std::string_view value);
// Python's os.unsetenv: ::unsetenv(key). Does not update os::environ. A NUL
// in key throws std::invalid_argument; an empty key or one with '=' fails
// with EINVAL.
result<void> unsetenv(std::string_view key);

}  // namespace nothrow

inline void putenv(std::string_view key, std::string_view value) {
  nothrow::putenv(key, value).value();
}
inline void unsetenv(std::string_view key) { nothrow::unsetenv(key).value(); }

}  // namespace os

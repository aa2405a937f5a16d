// Process Parameters, the environment: os::environ and friends.
#include "oscpp/environ.hpp"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <ostream>
#include <shared_mutex>
#include <stdexcept>

#include "detail/environ_lock.hpp"
#include "detail/process_environ.hpp"
#include "detail/syscall.hpp"
#include "oscpp/system_info.hpp"

namespace os {
namespace {

using item = environ_map::value_type;

// ---------------------------------------------------------------- tables

// One immutable version of the mapping: the items in insertion order (the
// order of Python's dict) and an open-addressing hash index over them.
// Writers never change a published table; they publish a new one.
class table {
 public:
  table(std::uint64_t version, std::vector<item> items)
      : version_(version), items_(std::move(items)) {
    std::size_t capacity = 8;
    while (capacity < 2 * items_.size()) capacity *= 2;
    slots_.assign(capacity, slot{});
    mask_ = capacity - 1;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      std::uint64_t h = hash(items_[i].first);
      std::size_t pos = h & mask_;
      while (slots_[pos].index != 0) pos = (pos + 1) & mask_;
      slots_[pos] = {tag(h), static_cast<std::uint32_t>(i + 1)};
    }
  }

  std::uint64_t version() const noexcept { return version_; }
  const std::vector<item>& items() const noexcept { return items_; }

  // The item named key, or nullptr.
  const item* find(std::string_view key) const noexcept {
    std::uint64_t h = hash(key);
    for (std::size_t pos = h & mask_;; pos = (pos + 1) & mask_) {
      const slot& s = slots_[pos];
      if (s.index == 0) return nullptr;
      if (s.tag == tag(h) && items_[s.index - 1].first == key)
        return &items_[s.index - 1];
    }
  }

 private:
  struct slot {
    std::uint32_t tag = 0;    // high bits of the hash: most misses skip ==
    std::uint32_t index = 0;  // 1 + position in items_; 0 is empty
  };
  // Inline and a word at a time, with fixed-size (overlapping) loads for
  // the tail: names are short, and std::hash's out-of-line call, or a
  // byte-wise tail read back as a word, alone cost a third of a ::getenv.
  static std::uint64_t load64(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static std::uint64_t load32(const char* p) noexcept {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  }
  static std::uint64_t hash(std::string_view s) noexcept {
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    if (n > 8) {
      for (std::size_t left = n; left > 8; left -= 8, p += 8) {
        h = (h ^ load64(p)) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
      }
      h ^= load64(s.data() + n - 8);
    } else if (n >= 4) {
      h ^= load32(p) | load32(p + n - 4) << 32;
    } else if (n > 0) {
      h ^= static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) |
           static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2]))
               << 8 |
           static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1]))
               << 16;
    }
    // murmur3's finaliser: every input bit reaches the low (slot) and high
    // (tag) bits.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
  }
  static std::uint32_t tag(std::uint64_t h) noexcept {
    return static_cast<std::uint32_t>(h >> 32);
  }

  std::uint64_t version_;
  std::vector<item> items_;
  std::vector<slot> slots_;
  std::size_t mask_ = 0;
};

// Position of key in items, or end(): writers' lookups, O(size) like the
// copy each write makes anyway.
std::vector<item>::iterator find_in(std::vector<item>& items,
                                    std::string_view key) {
  auto it = items.begin();
  while (it != items.end() && it->first != key) ++it;
  return it;
}

// A writer's copy of the items; published as the next table if changed.
struct draft {
  std::vector<item> items;
  bool changed = false;
};

// ---------------------------------------------------------------- the state

// Reads must cost no more than ::getenv and take no lock shared with other
// threads. Each thread keeps the table it last read (t_view, and t_keep
// holding it alive); a read checks it is still current with one acquire load
// of the version, and only after a write takes the mutex to fetch the new
// table. Writers serialise on the mutex, call the C library, and publish a
// new table: O(size) per write, which the environment's size and the rarity
// of writes make cheap.
thread_local const table* t_view = nullptr;
// The version of the published table (0 until the first is published).
constinit std::atomic<std::uint64_t> g_version{0};

// Holds this thread's table; destroyed when the thread exits. While a
// visit() callback runs (t_pins > 0) the table it reads is pinned: a
// refresh meanwhile keeps the old table in `pinned` until the visit ends.
struct keeper {
  std::shared_ptr<const table> held;
  std::vector<std::shared_ptr<const table>> pinned;
  ~keeper() { t_view = nullptr; }
};
thread_local keeper t_keep;
thread_local int t_pins = 0;
thread_local bool t_has_pinned = false;

class state {
 public:
  // Never destroyed: static destructors and exiting threads may still read.
  static state& instance() {
    static state& s = *new state;
    return s;
  }

  // The current table, as this thread sees it; valid until this thread's
  // next call into the state. The fast path touches no shared state but
  // the version.
  static const table& view() {
    const table* t = t_view;
    if (t == nullptr ||
        t->version() != g_version.load(std::memory_order_acquire))
      t = instance().refresh();
    return *t;
  }

  // The current table, owned: for snapshots that outlive the call.
  std::shared_ptr<const table> hold() {
    view();
    return t_keep.held;
  }

  // Runs f(draft) on a copy of the current items under the write lock,
  // then publishes the copy if f changed it, even when f throws midway
  // (clear() may have unset some variables before failing, as Python's
  // would).
  template <class F>
  auto write(F&& f) {
    std::lock_guard lock(mu_);
    draft d{current_->items()};
    struct publisher {
      state& s;
      draft& d;
      ~publisher() {
        if (d.changed) s.publish(std::move(d.items));
      }
    } publish_at_end{*this, d};
    return f(d);
  }

 private:
  state() {
    std::vector<item> items;
    for (char** e = detail::process_environ(); e != nullptr && *e != nullptr;
         ++e) {
      const char* eq = std::strchr(*e, '=');
      if (eq == nullptr) continue;  // not name=value: Python skips it too
      std::string_view key(*e, static_cast<std::size_t>(eq - *e));
      // The first of duplicated names wins, as with ::getenv and Python.
      if (find_in(items, key) == items.end()) items.emplace_back(key, eq + 1);
    }
    current_ = std::make_shared<const table>(1, std::move(items));
    g_version.store(1, std::memory_order_release);
    // A fork() while another thread holds a lock would leave the child's
    // copy locked forever: hold both across fork() (in the writers' order).
    // The child, alone, gets fresh ones (only the owner may unlock one).
    ::pthread_atfork(
        [] {
          instance().mu_.lock();
          instance().array_mu_.lock();
        },
        [] {
          instance().array_mu_.unlock();
          instance().mu_.unlock();
        },
        [] {
          new (&instance().mu_) std::mutex();
          new (&instance().array_mu_) std::shared_mutex();
        });
  }

 public:
  // Guards the C library's environment array: ::setenv/::unsetenv may
  // reallocate it (freeing the old one), so they hold it exclusively, and
  // whoever hands ::environ to a new process holds it shared until the
  // child has exec'd (taken after mu_ by writers).
  std::shared_mutex array_mu_;

 private:
  const table* refresh() {
    std::shared_ptr<const table> fresh;
    {
      std::lock_guard lock(mu_);
      fresh = current_;
    }
    // The previous table is released here, outside the lock, unless a
    // visit() on this thread still reads it.
    std::shared_ptr<const table> old = std::exchange(t_keep.held, fresh);
    if (t_pins > 0 && old) {
      t_keep.pinned.push_back(std::move(old));
      t_has_pinned = true;
    }
    t_view = fresh.get();
    return t_view;
  }

  // Under mu_.
  void publish(std::vector<item>&& items) {
    std::uint64_t next = current_->version() + 1;
    current_ = std::make_shared<const table>(next, std::move(items));
    g_version.store(next, std::memory_order_release);
  }

  std::mutex mu_;
  std::shared_ptr<const table> current_;  // guarded by mu_
};

// Python takes its snapshot when os is imported; the nearest C++ moment is
// when the library is loaded.
[[maybe_unused]] const state& loaded = state::instance();

state& the_state() { return state::instance(); }

// ---------------------------------------------------------------- checks

void check_no_nul(std::string_view s) {
  if (s.find('\0') != std::string_view::npos)
    throw std::invalid_argument("embedded null byte");
}

// Python's putenv: NULs first (while converting both arguments), then '='.
void check_putenv_args(std::string_view key, std::string_view value) {
  check_no_nul(key);
  check_no_nul(value);
  if (key.find('=') != std::string_view::npos)
    throw std::invalid_argument("illegal environment variable name");
}

[[noreturn]] void raise_key_error(std::string_view key) {
  throw std::out_of_range(python_repr(key));
}

// The C library's calls; neither can be interrupted, so call() never
// retries them.
result<void> c_setenv(const std::string& key, const std::string& value) {
  std::unique_lock lock(the_state().array_mu_);
  return detail::call_void(
      [&] { return ::setenv(key.c_str(), value.c_str(), 1); });
}
result<void> c_unsetenv(const std::string& key) {
  std::unique_lock lock(the_state().array_mu_);
  return detail::call_void([&] { return ::unsetenv(key.c_str()); });
}

// ::setenv, then the draft: an update keeps its place, as in a dict.
void set_in(draft& d, std::string key, std::string value) {
  c_setenv(key, value).value();
  d.changed = true;
  auto it = find_in(d.items, key);
  if (it != d.items.end())
    it->second = std::move(value);
  else
    d.items.emplace_back(std::move(key), std::move(value));
}

// ::unsetenv, then the draft (it points at key's item, or is end()).
void unset_in(draft& d, std::vector<item>::iterator it,
              const std::string& key) {
  c_unsetenv(key).value();
  if (it == d.items.end()) return;
  d.items.erase(it);
  d.changed = true;
}

}  // namespace

// ---------------------------------------------------------------- environ_map

std::string environ_map::operator[](std::string_view key) const {
  const item* i = state::view().find(key);
  if (i == nullptr) raise_key_error(key);
  return i->second;
}

environ_map::item_proxy environ_map::operator[](std::string_view key) {
  return item_proxy(*this, key);
}

std::optional<std::string> environ_map::get(std::string_view key) const {
  const item* i = state::view().find(key);
  if (i == nullptr) return std::nullopt;
  return i->second;
}

std::string environ_map::get(std::string_view key,
                             std::string_view default_) const {
  const item* i = state::view().find(key);
  return i != nullptr ? i->second : std::string(default_);
}

bool environ_map::visit_value(std::string_view key, visitor fn,
                              void* context) const {
  struct pin {
    pin() noexcept { ++t_pins; }
    ~pin() {
      if (--t_pins == 0 && t_has_pinned) {
        t_has_pinned = false;
        t_keep.pinned.clear();
      }
    }
  } pinned;
  const item* i = state::view().find(key);
  if (i == nullptr) return false;
  fn(context, i->second);
  return true;
}

bool environ_map::contains(std::string_view key) const {
  return state::view().find(key) != nullptr;
}

environ_map::size_type environ_map::size() const {
  return state::view().items().size();
}

void environ_map::set(std::string_view key, std::string_view value) {
  check_putenv_args(key, value);
  the_state().write(
      [&](draft& d) { set_in(d, std::string(key), std::string(value)); });
}

void environ_map::erase(std::string_view key) {
  check_no_nul(key);
  // Python unsets the variable first, then finds the mapping lacks it.
  bool found = the_state().write([&](draft& d) {
    auto it = find_in(d.items, key);
    bool present = it != d.items.end();
    unset_in(d, it, std::string(key));
    return present;
  });
  if (!found) raise_key_error(key);
}

// pop and setdefault look the key up first, as Python's do: a key that
// cannot be set cannot be there either, so it is just missing.
std::string environ_map::pop(std::string_view key) {
  std::optional<std::string> value =
      the_state().write([&](draft& d) -> std::optional<std::string> {
        auto it = find_in(d.items, key);
        if (it == d.items.end()) return std::nullopt;
        std::string old = it->second;
        unset_in(d, it, std::string(key));
        return old;
      });
  if (!value) raise_key_error(key);
  return std::move(*value);
}

std::string environ_map::pop(std::string_view key, std::string_view default_) {
  return the_state().write([&](draft& d) {
    auto it = find_in(d.items, key);
    if (it == d.items.end()) return std::string(default_);
    std::string old = it->second;
    unset_in(d, it, std::string(key));
    return old;
  });
}

environ_map::value_type environ_map::popitem() {
  std::optional<value_type> first =
      the_state().write([&](draft& d) -> std::optional<value_type> {
        if (d.items.empty()) return std::nullopt;
        value_type oldest = d.items.front();
        unset_in(d, d.items.begin(), oldest.first);
        return oldest;
      });
  // Python's KeyError() without arguments: str() is empty.
  if (!first) throw std::out_of_range("");
  return std::move(*first);
}

std::string environ_map::setdefault(std::string_view key,
                                    std::string_view value) {
  return the_state().write([&](draft& d) {
    auto it = find_in(d.items, key);
    if (it != d.items.end()) return it->second;
    check_putenv_args(key, value);
    set_in(d, std::string(key), std::string(value));
    return std::string(value);
  });
}

void environ_map::clear() {
  the_state().write([&](draft& d) {
    // Oldest first, as Python's popitem() loop; a failure keeps the rest.
    std::size_t done = 0;
    struct trim {
      draft& d;
      std::size_t& done;
      ~trim() {
        d.items.erase(d.items.begin(),
                      d.items.begin() + static_cast<std::ptrdiff_t>(done));
        d.changed = d.changed || done > 0;
      }
    } trim_at_end{d, done};
    for (; done < d.items.size(); ++done)
      c_unsetenv(d.items[done].first).value();
  });
}

void environ_map::update(
    std::initializer_list<std::pair<std::string_view, std::string_view>>
        items) {
  update_pairs({items.begin(), items.end()});
}

void environ_map::update_pairs(
    const std::vector<std::pair<std::string_view, std::string_view>>& pairs) {
  for (const auto& [key, value] : pairs) {
    check_putenv_args(key, value);
    // ::setenv would refuse it after earlier pairs were set.
    if (key.empty()) raise_os_error(EINVAL);
  }
  the_state().write([&](draft& d) {
    for (const auto& [key, value] : pairs)
      set_in(d, std::string(key), std::string(value));
  });
}

std::map<std::string, std::string> environ_map::copy() const {
  const std::vector<item>& items = state::view().items();
  return std::map<std::string, std::string>(items.begin(), items.end());
}

std::vector<environ_map::value_type> environ_map::items() const {
  return state::view().items();
}

std::vector<std::string> environ_map::keys() const {
  const std::vector<item>& items = state::view().items();
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const item& i : items) out.push_back(i.first);
  return out;
}

std::vector<std::string> environ_map::values() const {
  const std::vector<item>& items = state::view().items();
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const item& i : items) out.push_back(i.second);
  return out;
}

environ_map::iterator environ_map::begin() const {
  // The table itself is the snapshot: nothing is copied.
  std::shared_ptr<const table> t = the_state().hold();
  const std::vector<item>* items = &t->items();
  return iterator(
      std::shared_ptr<const std::vector<item>>(std::move(t), items));
}

environ_map::iterator environ_map::end() const noexcept { return iterator(); }

std::ostream& operator<<(std::ostream& out,
                         const environ_map::item_proxy& item) {
  return out << item.str();
}

// ---------------------------------------------------------------- functions

namespace detail {

std::shared_lock<std::shared_mutex> share_process_environ() {
  return std::shared_lock(the_state().array_mu_);
}

std::vector<std::string> split_exec_path(const std::string_view* path) {
  std::string_view p = path != nullptr ? *path : os::defpath;
  std::vector<std::string> dirs;
  for (;;) {
    std::size_t colon = p.find(pathsep[0]);
    dirs.emplace_back(p.substr(0, colon));
    if (colon == std::string_view::npos) return dirs;
    p.remove_prefix(colon + 1);
  }
}

}  // namespace detail

std::vector<std::string> get_exec_path() {
  const item* path = state::view().find("PATH");
  if (path == nullptr) return detail::split_exec_path(nullptr);
  std::string_view p(path->second);
  return detail::split_exec_path(&p);
}

// Every environ_map reads the one process mapping.
std::vector<std::string> get_exec_path(const environ_map&) {
  return get_exec_path();
}

namespace nothrow {

result<void> putenv(std::string_view key, std::string_view value) {
  check_putenv_args(key, value);
  return c_setenv(std::string(key), std::string(value));
}

result<void> unsetenv(std::string_view key) {
  check_no_nul(key);
  return c_unsetenv(std::string(key));
}

}  // namespace nothrow
}  // namespace os

// File Descriptor Operations, the special descriptors (memfd, eventfd,
// timerfd), fpathconf, and fdopen's stdio streams.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "detail/conf_names.hpp"
#include "detail/syscall.hpp"
#include "oscpp/platform.hpp"
#if OSCPP_HAVE_EVENTFD
#include <sys/eventfd.h>
#endif
#if OSCPP_HAVE_TIMERFD
#include <sys/timerfd.h>
#endif
#include "oscpp/file_descriptors.hpp"

namespace os {

// The names Python's os.pathconf_names has on Linux, with glibc's values.
const std::map<std::string, int, std::less<>> pathconf_names = {
#ifdef _PC_ALLOC_SIZE_MIN
    {"PC_ALLOC_SIZE_MIN", _PC_ALLOC_SIZE_MIN},
#endif
#ifdef _PC_ASYNC_IO
    {"PC_ASYNC_IO", _PC_ASYNC_IO},
#endif
#ifdef _PC_CHOWN_RESTRICTED
    {"PC_CHOWN_RESTRICTED", _PC_CHOWN_RESTRICTED},
#endif
#ifdef _PC_FILESIZEBITS
    {"PC_FILESIZEBITS", _PC_FILESIZEBITS},
#endif
#ifdef _PC_LINK_MAX
    {"PC_LINK_MAX", _PC_LINK_MAX},
#endif
#ifdef _PC_MAX_CANON
    {"PC_MAX_CANON", _PC_MAX_CANON},
#endif
#ifdef _PC_MAX_INPUT
    {"PC_MAX_INPUT", _PC_MAX_INPUT},
#endif
#ifdef _PC_NAME_MAX
    {"PC_NAME_MAX", _PC_NAME_MAX},
#endif
#ifdef _PC_NO_TRUNC
    {"PC_NO_TRUNC", _PC_NO_TRUNC},
#endif
#ifdef _PC_PATH_MAX
    {"PC_PATH_MAX", _PC_PATH_MAX},
#endif
#ifdef _PC_PIPE_BUF
    {"PC_PIPE_BUF", _PC_PIPE_BUF},
#endif
#ifdef _PC_PRIO_IO
    {"PC_PRIO_IO", _PC_PRIO_IO},
#endif
#ifdef _PC_REC_INCR_XFER_SIZE
    {"PC_REC_INCR_XFER_SIZE", _PC_REC_INCR_XFER_SIZE},
#endif
#ifdef _PC_REC_MAX_XFER_SIZE
    {"PC_REC_MAX_XFER_SIZE", _PC_REC_MAX_XFER_SIZE},
#endif
#ifdef _PC_REC_MIN_XFER_SIZE
    {"PC_REC_MIN_XFER_SIZE", _PC_REC_MIN_XFER_SIZE},
#endif
#ifdef _PC_REC_XFER_ALIGN
    {"PC_REC_XFER_ALIGN", _PC_REC_XFER_ALIGN},
#endif
#ifdef _PC_SOCK_MAXBUF
    {"PC_SOCK_MAXBUF", _PC_SOCK_MAXBUF},
#endif
#ifdef _PC_SYMLINK_MAX
    {"PC_SYMLINK_MAX", _PC_SYMLINK_MAX},
#endif
#ifdef _PC_SYNC_IO
    {"PC_SYNC_IO", _PC_SYNC_IO},
#endif
#ifdef _PC_VDISABLE
    {"PC_VDISABLE", _PC_VDISABLE},
#endif
};

long fpathconf(borrowed_fd fd, std::string_view name) {
  return nothrow::fpathconf(fd,
                            detail::conf_number_or_throw(pathconf_names, name))
      .value();
}

namespace nothrow {

result<long> fpathconf(borrowed_fd fd, std::string_view name) noexcept {
  auto n = detail::conf_number(pathconf_names, name);
  if (!n) return detail::fail(EINVAL);
  return nothrow::fpathconf(fd, *n);
}

}  // namespace nothrow

namespace {

#if OSCPP_HAVE_TIMERFD
// Python's conversion of float seconds to nanoseconds for timerfd_settime:
// multiply, round towards minus infinity, and reject what an int64 cannot
// hold (NaN included) with OverflowError.
std::int64_t seconds_to_ns(double seconds) {
  // volatile: keep the multiplication in double precision, as Python does.
  volatile double ns = seconds * 1e9;
  double floored = std::floor(ns);
  constexpr double limit = 9223372036854775808.0;  // 2**63
  if (!(-limit <= floored && floored < limit))
    throw std::overflow_error("timestamp out of range for platform time_t");
  return static_cast<std::int64_t>(floored);
}

struct ::timespec ns_to_timespec(std::int64_t ns) noexcept {
  std::int64_t sec = ns / 1000000000;
  std::int64_t nsec = ns % 1000000000;
  if (nsec < 0) {
    nsec += 1000000000;
    sec -= 1;
  }
  return {static_cast<time_t>(sec), static_cast<long>(nsec)};
}

std::int64_t timespec_to_ns(const struct ::timespec& ts) noexcept {
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Python builds the float as tv_sec + tv_nsec * 1e-9 (not ns / 1e9).
double timespec_to_seconds(const struct ::timespec& ts) noexcept {
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

timerfd_times to_seconds(const struct ::itimerspec& its) noexcept {
  return {timespec_to_seconds(its.it_value),
          timespec_to_seconds(its.it_interval)};
}

timerfd_times_ns to_ns(const struct ::itimerspec& its) noexcept {
  return {timespec_to_ns(its.it_value), timespec_to_ns(its.it_interval)};
}

result<struct ::itimerspec> settime(int fd, int flags, std::int64_t initial,
                                    std::int64_t interval) noexcept {
  struct ::itimerspec new_value {};
  struct ::itimerspec old_value {};
  new_value.it_value = ns_to_timespec(initial);
  new_value.it_interval = ns_to_timespec(interval);
  auto r = detail::call_void(
      [&] { return ::timerfd_settime(fd, flags, &new_value, &old_value); });
  if (!r) return std::move(r).error();
  return old_value;
}

result<struct ::itimerspec> gettime(int fd) noexcept {
  struct ::itimerspec value {};
  auto r = detail::call_void([&] { return ::timerfd_gettime(fd, &value); });
  if (!r) return std::move(r).error();
  return value;
}
#endif

// Buffers that fdopen gave a stream (buffering > 1), freed by file_closer
// after fclose: stdio never frees a buffer it did not allocate.
std::mutex g_buffers_mutex;
std::map<std::FILE*, std::unique_ptr<char[]>> g_buffers;

// The parts of a Python open() mode that matter here.
struct parsed_mode {
  bool reading = false;
  bool writing = false;
  bool appending = false;
  bool binary = false;
};

// Python's open() rules: only "rwxabt+", no character twice, not both b and
// t, exactly one of r/w/x/a. The checks and messages come in Python's order.
parsed_mode parse_mode(std::string_view mode) {
  bool creating = false, reading = false, writing = false, appending = false,
       updating = false, text = false, binary = false;
  for (std::size_t i = 0; i < mode.size(); ++i) {
    char c = mode[i];
    bool* flag = nullptr;
    switch (c) {
      case 'x':
        flag = &creating;
        break;
      case 'r':
        flag = &reading;
        break;
      case 'w':
        flag = &writing;
        break;
      case 'a':
        flag = &appending;
        break;
      case '+':
        flag = &updating;
        break;
      case 't':
        flag = &text;
        break;
      case 'b':
        flag = &binary;
        break;
      default:
        break;
    }
    if (flag == nullptr || mode.find(c, i + 1) != std::string_view::npos)
      throw std::invalid_argument("invalid mode: '" + std::string(mode) + "'");
    *flag = true;
  }
  if (text && binary)
    throw std::invalid_argument("can't have text and binary mode at once");
  int kinds = creating + reading + writing + appending;
  if (kinds > 1)
    throw std::invalid_argument(
        "must have exactly one of create/read/write/append mode");
  if (kinds == 0)
    throw std::invalid_argument(
        "Must have exactly one of create/read/write/append mode and at most "
        "one plus");
  return {reading || updating, writing || creating || appending || updating,
          appending, binary};
}

}  // namespace

void file_closer::operator()(std::FILE* f) const noexcept {
  if (f == nullptr) return;
  // The buffer leaves the table before fclose: once f is closed, another
  // thread's fdopen may get the same address.
  std::unique_ptr<char[]> buffer;
  {
    std::lock_guard lock(g_buffers_mutex);
    if (auto it = g_buffers.find(f); it != g_buffers.end()) {
      buffer = std::move(it->second);
      g_buffers.erase(it);
    }
  }
  // Errors are lost here, as in unique_fd's destructor.
  ::fclose(f);
}

namespace nothrow {

result<long> fpathconf(borrowed_fd fd, int name) noexcept {
  // -1 with errno untouched means "no limit", so errno is cleared first.
  long r = detail::retry([&] {
    errno = 0;
    return ::fpathconf(fd.get(), name);
  });
  if (r == -1 && errno != 0) return detail::fail(errno);
  return r;
}

#if OSCPP_HAVE_MEMFD_CREATE
result<unique_fd> memfd_create(const path_arg& name,
                               unsigned int flags) noexcept {
  auto fd = detail::call([&] { return ::memfd_create(name.c_str(), flags); });
  if (!fd) return std::move(fd).error();
  return unique_fd(*fd);
}
#endif

#if OSCPP_HAVE_EVENTFD
result<unique_fd> eventfd(unsigned int initval, int flags) noexcept {
  auto fd = detail::call([&] { return ::eventfd(initval, flags); });
  if (!fd) return std::move(fd).error();
  return unique_fd(*fd);
}

result<std::uint64_t> eventfd_read(borrowed_fd fd) noexcept {
  std::uint64_t value = 0;
  auto n = detail::call([&] { return ::read(fd.get(), &value, sizeof value); });
  if (!n) return std::move(n).error();
  // A short read means fd is no eventfd (glibc's eventfd_read would report a
  // stale errno); EINVAL is what an eventfd says to a wrong-sized read.
  if (*n != sizeof value) return detail::fail(EINVAL);
  return value;
}

result<void> eventfd_write(borrowed_fd fd, std::uint64_t value) noexcept {
  auto n =
      detail::call([&] { return ::write(fd.get(), &value, sizeof value); });
  if (!n) return std::move(n).error();
  if (*n != sizeof value) return detail::fail(EINVAL);
  return {};
}
#endif

#if OSCPP_HAVE_TIMERFD
result<unique_fd> timerfd_create(int clockid, int flags) noexcept {
  auto fd = detail::call(
      [&] { return ::timerfd_create(clockid, flags | TFD_CLOEXEC); });
  if (!fd) return std::move(fd).error();
  return unique_fd(*fd);
}

result<timerfd_times> timerfd_settime(borrowed_fd fd,
                                      timerfd_settime_options opts) {
  std::int64_t initial = seconds_to_ns(opts.initial);
  std::int64_t interval = seconds_to_ns(opts.interval);
  auto old = settime(fd.get(), opts.flags, initial, interval);
  if (!old) return std::move(old).error();
  return to_seconds(*old);
}

result<timerfd_times_ns> timerfd_settime_ns(
    borrowed_fd fd, timerfd_settime_ns_options opts) noexcept {
  auto old = settime(fd.get(), opts.flags, opts.initial, opts.interval);
  if (!old) return std::move(old).error();
  return to_ns(*old);
}

result<timerfd_times> timerfd_gettime(borrowed_fd fd) noexcept {
  auto value = gettime(fd.get());
  if (!value) return std::move(value).error();
  return to_seconds(*value);
}

result<timerfd_times_ns> timerfd_gettime_ns(borrowed_fd fd) noexcept {
  auto value = gettime(fd.get());
  if (!value) return std::move(value).error();
  return to_ns(*value);
}
#endif

result<file_ptr> fdopen(unique_fd&& fd, std::string_view mode,
                        fdopen_options opts) {
  parsed_mode m = parse_mode(mode);
  if (opts.buffering == 0 && !m.binary)
    throw std::invalid_argument("can't have unbuffered text I/O");

  // Python's FileIO refuses a directory, naming the descriptor.
  struct ::stat st;
  if (auto r = detail::call_void([&] { return ::fstat(fd.get(), &st); }); !r)
    return std::move(r).error();
  if (S_ISDIR(st.st_mode))
    return detail::fail(EISDIR, std::to_string(fd.get()));
  // Python's 'a' seeks to the end once (a pipe cannot seek, and need not);
  // fdopen(3)'s "a" would set O_APPEND on the shared file description.
  if (m.appending) {
    if (auto r = detail::call([&] { return ::lseek(fd.get(), 0, SEEK_END); });
        !r && r.error().value() != ESPIPE)
      return std::move(r).error();
  }

  int vbuf_mode = _IOFBF;
  std::size_t size = 0;
  std::unique_ptr<char[]> buffer;
  std::map<std::FILE*, std::unique_ptr<char[]>> node_holder;
  if (opts.buffering == 0) {
    vbuf_mode = _IONBF;
  } else if (opts.buffering > 1) {
    size = static_cast<std::size_t>(opts.buffering);
    buffer.reset(new char[size]);
    // The table's node is made now, so nothing can fail once fd is taken.
    node_holder.emplace(nullptr, std::move(buffer));
  } else if (!m.binary && (opts.buffering == 1 || isatty(fd))) {
    // Python line-buffers text for buffering=1, and by default on a terminal;
    // binary streams are fully buffered even there.
    vbuf_mode = _IOLBF;
  }

  const char* cmode = m.reading && m.writing ? "r+" : m.writing ? "w" : "r";
  std::FILE* f = ::fdopen(fd.get(), cmode);
  if (f == nullptr) return detail::fail(errno);
  (void)fd.release();
  char* buf = node_holder.empty() ? nullptr : node_holder.begin()->second.get();
  // setvbuf on a stream nobody has used yet cannot fail.
  ::setvbuf(f, buf, vbuf_mode, size);
  if (!node_holder.empty()) {
    auto node = node_holder.extract(node_holder.begin());
    node.key() = f;
    std::lock_guard lock(g_buffers_mutex);
    g_buffers.insert(std::move(node));
  }
  return file_ptr(f);
}

}  // namespace nothrow
}  // namespace os

// File Descriptor Operations, the special topic: descriptors that are no
// file (memfd_create, eventfd, timerfd_*).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

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

}  // namespace

namespace nothrow {

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

}  // namespace nothrow
}  // namespace os

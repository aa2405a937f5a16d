// Interface to the scheduler. None of these calls blocks (sched_yield only
// gives up the CPU), so none can fail with EINTR; they still go through the
// one helper.
#include "oscpp/scheduler.hpp"

#include <sched.h>
#include <time.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <new>
#include <stdexcept>
#include <vector>

#include "detail/syscall.hpp"

namespace os::nothrow {

#if OSCPP_HAVE_SCHED_SETAFFINITY
namespace {

// A CPU mask as the kernel reads one: an array of unsigned longs, bit n of
// the whole array standing for CPU n (the layout of cpu_set_t).
class cpu_mask {
 public:
  static constexpr std::size_t bits = sizeof(unsigned long) * CHAR_BIT;

  explicit cpu_mask(std::size_t words) : words_(words, 0) {}

  void set(int cpu) {
    auto n = static_cast<std::size_t>(cpu);
    if (n / bits >= words_.size()) {
      // Doubling keeps a long ascending list from reallocating every time.
      std::size_t size = words_.size();
      while (size <= n / bits) size *= 2;
      words_.resize(size, 0);
    }
    words_[n / bits] |= 1UL << (n % bits);
  }
  bool test(std::size_t n) const noexcept {
    return (words_[n / bits] >> (n % bits)) & 1UL;
  }
  std::size_t cpus() const noexcept { return words_.size() * bits; }
  std::size_t bytes() const noexcept {
    return words_.size() * sizeof(unsigned long);
  }
  ::cpu_set_t* data() noexcept {
    return reinterpret_cast<::cpu_set_t*>(words_.data());
  }

 private:
  std::vector<unsigned long> words_;
};

void check_cpu(int cpu) {
  if (cpu < 0) throw std::invalid_argument("negative CPU number");
  // Python's limit: the set must be able to hold cpu + 1 CPUs in an int.
  if (cpu > INT_MAX - 1) throw std::overflow_error("CPU number too large");
}

template <class Cpus>
result<void> set_affinity(pid_t pid, const Cpus& cpus) {
  cpu_mask mask(1);
  for (int cpu : cpus) {
    check_cpu(cpu);
    mask.set(cpu);
  }
  return detail::call_void(
      [&] { return ::sched_setaffinity(pid, mask.bytes(), mask.data()); });
}

}  // namespace
#endif

result<int> sched_get_priority_min(int policy) noexcept {
  return detail::call([&] { return ::sched_get_priority_min(policy); });
}

result<int> sched_get_priority_max(int policy) noexcept {
  return detail::call([&] { return ::sched_get_priority_max(policy); });
}

#if OSCPP_HAVE_SCHED_SETSCHEDULER
result<int> sched_getscheduler(pid_t pid) noexcept {
  return detail::call([&] { return ::sched_getscheduler(pid); });
}

result<void> sched_setscheduler(pid_t pid, int policy,
                                sched_param param) noexcept {
  struct ::sched_param p {};
  p.sched_priority = param.sched_priority;
  return detail::call_void(
      [&] { return ::sched_setscheduler(pid, policy, &p); });
}

result<sched_param> sched_getparam(pid_t pid) noexcept {
  struct ::sched_param p {};
  auto r = detail::call_void([&] { return ::sched_getparam(pid, &p); });
  if (!r) return std::move(r).error();
  return sched_param{p.sched_priority};
}

result<void> sched_setparam(pid_t pid, sched_param param) noexcept {
  struct ::sched_param p {};
  p.sched_priority = param.sched_priority;
  return detail::call_void([&] { return ::sched_setparam(pid, &p); });
}

result<double> sched_rr_get_interval(pid_t pid) noexcept {
  struct ::timespec interval {};
  auto r = detail::call_void(
      [&] { return ::sched_rr_get_interval(pid, &interval); });
  if (!r) return std::move(r).error();
  return static_cast<double>(interval.tv_sec) +
         static_cast<double>(interval.tv_nsec) * 1e-9;
}
#endif

result<void> sched_yield() noexcept {
  return detail::call_void([] { return ::sched_yield(); });
}

#if OSCPP_HAVE_SCHED_SETAFFINITY
result<void> sched_setaffinity(pid_t pid, std::span<const int> mask) try {
  return set_affinity(pid, mask);
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

result<void> sched_setaffinity(pid_t pid, const std::set<int>& mask) try {
  return set_affinity(pid, mask);
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

result<std::set<int>> sched_getaffinity(pid_t pid) noexcept try {
  // 1024 CPUs (glibc's cpu_set_t) first; the kernel says EINVAL while the
  // mask is smaller than its own, so grow until it fits.
  std::size_t words = 1024 / cpu_mask::bits;
  for (;;) {
    cpu_mask mask(words);
    int rc = detail::retry(
        [&] { return ::sched_getaffinity(pid, mask.bytes(), mask.data()); });
    if (rc == 0) {
      std::set<int> cpus;
      for (std::size_t cpu = 0; cpu < mask.cpus(); ++cpu)
        if (mask.test(cpu)) cpus.insert(static_cast<int>(cpu));
      return cpus;
    }
    if (errno != EINVAL || mask.cpus() > static_cast<std::size_t>(INT_MAX) / 2)
      return detail::fail(errno);
    words *= 2;
  }
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}
#endif

}  // namespace os::nothrow

// Interface to the scheduler: policies and priorities (SCHED_* come from
// <sched.h>), yielding, and CPU affinity. Every os::<name> throws OSError as
// Python does; os::nothrow::<name> returns the error as a value instead.
// pid 0 is the calling process (its calling thread, for affinity).
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <initializer_list>
#include <set>
#include <span>

#include "oscpp/error.hpp"
#include "oscpp/platform.hpp"

namespace os {

// Python's os.sched_param (not the C struct ::sched_param).
struct sched_param {
  int sched_priority = 0;
};

// ---------------------------------------------------------------- nothrow
namespace nothrow {

result<int> sched_get_priority_min(int policy) noexcept;
result<int> sched_get_priority_max(int policy) noexcept;
#if OSCPP_HAVE_SCHED_SETSCHEDULER
result<int> sched_getscheduler(pid_t pid) noexcept;
result<void> sched_setscheduler(pid_t pid, int policy,
                                sched_param param) noexcept;
result<sched_param> sched_getparam(pid_t pid) noexcept;
result<void> sched_setparam(pid_t pid, sched_param param) noexcept;
result<double> sched_rr_get_interval(pid_t pid) noexcept;
#endif
result<void> sched_yield() noexcept;
#if OSCPP_HAVE_SCHED_SETAFFINITY
// Not noexcept: a negative CPU throws std::invalid_argument ("negative CPU
// number"), INT_MAX std::overflow_error ("CPU number too large"), both
// before the call, as Python's ValueError / OverflowError.
result<void> sched_setaffinity(pid_t pid, std::span<const int> mask);
result<void> sched_setaffinity(pid_t pid, const std::set<int>& mask);
result<std::set<int>> sched_getaffinity(pid_t pid) noexcept;
#endif

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

inline int sched_get_priority_min(int policy) {
  return nothrow::sched_get_priority_min(policy).value();
}
inline int sched_get_priority_max(int policy) {
  return nothrow::sched_get_priority_max(policy).value();
}
#if OSCPP_HAVE_SCHED_SETSCHEDULER
inline int sched_getscheduler(pid_t pid) {
  return nothrow::sched_getscheduler(pid).value();
}
// policy may carry SCHED_RESET_ON_FORK.
inline void sched_setscheduler(pid_t pid, int policy, sched_param param) {
  nothrow::sched_setscheduler(pid, policy, param).value();
}
inline sched_param sched_getparam(pid_t pid) {
  return nothrow::sched_getparam(pid).value();
}
inline void sched_setparam(pid_t pid, sched_param param) {
  nothrow::sched_setparam(pid, param).value();
}
// The SCHED_RR quantum in seconds (0.0 for other policies on Linux).
inline double sched_rr_get_interval(pid_t pid) {
  return nothrow::sched_rr_get_interval(pid).value();
}
#endif
inline void sched_yield() { nothrow::sched_yield().value(); }
#if OSCPP_HAVE_SCHED_SETAFFINITY
// The CPUs pid may run on: any numbers (sized to the kernel's mask); an
// empty mask is EINVAL from the kernel, as in Python.
inline void sched_setaffinity(pid_t pid, std::span<const int> mask) {
  nothrow::sched_setaffinity(pid, mask).value();
}
inline void sched_setaffinity(pid_t pid, const std::set<int>& mask) {
  nothrow::sched_setaffinity(pid, mask).value();
}
inline void sched_setaffinity(pid_t pid, std::initializer_list<int> mask) {
  nothrow::sched_setaffinity(pid,
                             std::span<const int>(mask.begin(), mask.size()))
      .value();
}
inline std::set<int> sched_getaffinity(pid_t pid) {
  return nothrow::sched_getaffinity(pid).value();
}
#endif

}  // namespace os

// Process Management: wait*, times, kill, killpg, nice, pidfd_open.
#include <signal.h>
#include <sys/resource.h>
#if __has_include(<sys/syscall.h>)
#include <sys/syscall.h>  // SYS_pidfd_open
#endif
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "detail/syscall.hpp"
#include "oscpp/processes.hpp"

namespace os::nothrow {

result<wait_result> wait() noexcept {
  int status = 0;
  auto pid = detail::call([&] { return ::wait(&status); });
  if (!pid) return std::move(pid).error();
  return wait_result{*pid, status};
}

result<wait_result> waitpid(pid_t pid, int options) noexcept {
  int status = 0;
  auto r = detail::call([&] { return ::waitpid(pid, &status, options); });
  if (!r) return std::move(r).error();
  return wait_result{*r, status};
}

result<wait_rusage_result> wait3(int options) noexcept {
  wait_rusage_result out;
  auto r =
      detail::call([&] { return ::wait3(&out.status, options, &out.rusage); });
  if (!r) return std::move(r).error();
  out.pid = *r;
  return out;
}

result<wait_rusage_result> wait4(pid_t pid, int options) noexcept {
  wait_rusage_result out;
  auto r = detail::call(
      [&] { return ::wait4(pid, &out.status, options, &out.rusage); });
  if (!r) return std::move(r).error();
  out.pid = *r;
  return out;
}

#if OSCPP_HAVE_WAITID
result<std::optional<waitid_result>> waitid(idtype_t idtype, id_t id,
                                            int options) noexcept {
  siginfo_t info{};
  // With WNOHANG and nothing to report, the kernel leaves si_pid 0.
  info.si_pid = 0;
  auto r = detail::call([&] { return ::waitid(idtype, id, &info, options); });
  if (!r) return std::move(r).error();
  if (info.si_pid == 0) return std::optional<waitid_result>();
  return std::optional<waitid_result>(waitid_result{
      info.si_pid, info.si_uid, info.si_signo, info.si_status, info.si_code});
}
#endif

result<times_result> times() noexcept {
  struct ::tms t {};
  clock_t c = ::times(&t);
  if (c == static_cast<clock_t>(-1)) return detail::fail(errno);
  double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return times_result{static_cast<double>(t.tms_utime) / ticks,
                      static_cast<double>(t.tms_stime) / ticks,
                      static_cast<double>(t.tms_cutime) / ticks,
                      static_cast<double>(t.tms_cstime) / ticks,
                      static_cast<double>(c) / ticks};
}

result<void> kill(pid_t pid, int sig) noexcept {
  return detail::call_void([&] { return ::kill(pid, sig); });
}

result<void> killpg(pid_t pgid, int sig) noexcept {
  return detail::call_void([&] { return ::killpg(pgid, sig); });
}

result<int> nice(int increment) noexcept {
  // -1 is also a valid niceness: only errno tells a failure.
  errno = 0;
  int value = ::nice(increment);
  if (value == -1 && errno != 0) return detail::fail(errno);
  return value;
}

#if OSCPP_HAVE_PIDFD_OPEN
result<unique_fd> pidfd_open(pid_t pid, unsigned int flags) noexcept {
  // pidfds are always close-on-exec.
  auto fd = detail::call(
      [&] { return static_cast<int>(::syscall(SYS_pidfd_open, pid, flags)); });
  if (!fd) return std::move(fd).error();
  return unique_fd(*fd);
}
#endif

}  // namespace os::nothrow

// Process Parameters: ids, groups, process groups and sessions, priorities,
// the login name, ctermid and uname. None of these calls blocks, so none can
// fail with EINTR; they still go through the one helper, which retries only
// on EINTR.
#include "oscpp/process_parameters.hpp"

#include <grp.h>
#include <signal.h>
#include <stdio.h>  // ctermid, L_ctermid
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <new>

#include "detail/syscall.hpp"

namespace os {

void ignore_sigpipe() noexcept {
  struct ::sigaction sa = {};
  sa.sa_handler = SIG_IGN;
  // Cannot fail: SIGPIPE may be caught or ignored.
  ::sigaction(SIGPIPE, &sa, nullptr);
}

}  // namespace os

namespace os::nothrow {

#if OSCPP_HAVE_GETRESUID
result<resuid_result> getresuid() noexcept {
  resuid_result ids;
  auto r = detail::call_void(
      [&] { return ::getresuid(&ids.ruid, &ids.euid, &ids.suid); });
  if (!r) return std::move(r).error();
  return ids;
}

result<resgid_result> getresgid() noexcept {
  resgid_result ids;
  auto r = detail::call_void(
      [&] { return ::getresgid(&ids.rgid, &ids.egid, &ids.sgid); });
  if (!r) return std::move(r).error();
  return ids;
}
#endif

result<void> setuid(uid_t uid) noexcept {
  return detail::call_void([&] { return ::setuid(uid); });
}

result<void> seteuid(uid_t euid) noexcept {
  return detail::call_void([&] { return ::seteuid(euid); });
}

result<void> setgid(gid_t gid) noexcept {
  return detail::call_void([&] { return ::setgid(gid); });
}

result<void> setegid(gid_t egid) noexcept {
  return detail::call_void([&] { return ::setegid(egid); });
}

result<void> setreuid(uid_t ruid, uid_t euid) noexcept {
  return detail::call_void([&] { return ::setreuid(ruid, euid); });
}

result<void> setregid(gid_t rgid, gid_t egid) noexcept {
  return detail::call_void([&] { return ::setregid(rgid, egid); });
}

#if OSCPP_HAVE_GETRESUID
result<void> setresuid(uid_t ruid, uid_t euid, uid_t suid) noexcept {
  return detail::call_void([&] { return ::setresuid(ruid, euid, suid); });
}

result<void> setresgid(gid_t rgid, gid_t egid, gid_t sgid) noexcept {
  return detail::call_void([&] { return ::setresgid(rgid, egid, sgid); });
}
#endif

result<std::vector<gid_t>> getgroups() noexcept try {
  std::vector<gid_t> groups;
  for (;;) {
    auto count = detail::call([] { return ::getgroups(0, nullptr); });
    if (!count) return std::move(count).error();
    groups.resize(static_cast<std::size_t>(*count));
    if (groups.empty()) return groups;
    int n = detail::retry([&] { return ::getgroups(*count, groups.data()); });
    if (n >= 0) {
      groups.resize(static_cast<std::size_t>(n));
      return groups;
    }
    // EINVAL: another thread added groups between the two calls; ask again.
    if (errno != EINVAL) return detail::fail(errno);
  }
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

result<void> setgroups(std::span<const gid_t> groups) noexcept {
  return detail::call_void(
      [&] { return ::setgroups(groups.size(), groups.data()); });
}

result<std::vector<gid_t>> getgrouplist(const path_arg& user,
                                        gid_t group) noexcept try {
  // Most users have few groups; glibc reports how many it needs when the
  // array is too small.
  std::vector<gid_t> groups(32);
  for (;;) {
    int n = static_cast<int>(groups.size());
#if defined(__APPLE__)
    // macOS declares the groups as int (BSD's older signature); CPython
    // passes its gid array the same way there.
    static_assert(sizeof(int) == sizeof(gid_t));
    int found = ::getgrouplist(user.c_str(), static_cast<int>(group),
                               reinterpret_cast<int*>(groups.data()), &n);
#else
    int found = ::getgrouplist(user.c_str(), group, groups.data(), &n);
#endif
    if (found != -1) {
      groups.resize(static_cast<std::size_t>(n));
      return groups;
    }
    std::size_t want = static_cast<std::size_t>(n) > groups.size()
                           ? static_cast<std::size_t>(n)
                           : groups.size() * 2;
    if (want > static_cast<std::size_t>(INT_MAX)) return detail::fail(EINVAL);
    groups.resize(want);
  }
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

result<void> initgroups(const path_arg& username, gid_t gid) noexcept {
  return detail::call_void([&] { return ::initgroups(username.c_str(), gid); });
}

result<std::string> getlogin() noexcept try {
  // getlogin_r, not getlogin: no shared static buffer between threads.
#ifdef LOGIN_NAME_MAX
  std::string name(LOGIN_NAME_MAX + 1, '\0');
#else
  // No LOGIN_NAME_MAX (macOS): MAXLOGNAME's size; ERANGE grows it anyway.
  std::string name(256, '\0');
#endif
  for (;;) {
    int e = ::getlogin_r(name.data(), name.size());
    if (e == 0) break;
    if (e != ERANGE) return detail::fail(e);
    name.resize(name.size() * 2);
  }
  name.resize(name.find('\0'));
  return name;
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

result<pid_t> getpgid(pid_t pid) noexcept {
  return detail::call([&] { return ::getpgid(pid); });
}

result<void> setpgrp() noexcept {
  return detail::call_void([] { return ::setpgid(0, 0); });
}

result<void> setpgid(pid_t pid, pid_t pgrp) noexcept {
  return detail::call_void([&] { return ::setpgid(pid, pgrp); });
}

result<pid_t> getsid(pid_t pid) noexcept {
  return detail::call([&] { return ::getsid(pid); });
}

result<void> setsid() noexcept {
  return detail::call_void([] { return ::setsid(); });
}

result<int> getpriority(int which, int who) noexcept {
  // -1 is also a nice value: only errno tells a failure apart.
  errno = 0;
  int value = ::getpriority(which, static_cast<id_t>(who));
  if (value == -1 && errno != 0) return detail::fail(errno);
  return value;
}

result<void> setpriority(int which, int who, int priority) noexcept {
  return detail::call_void(
      [&] { return ::setpriority(which, static_cast<id_t>(who), priority); });
}

result<std::string> ctermid() noexcept try {
  char buf[L_ctermid];
  if (::ctermid(buf) == nullptr) return detail::fail(errno);
  return std::string(buf);
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

result<uname_result> uname() noexcept try {
  struct ::utsname u;
  auto r = detail::call_void([&] { return ::uname(&u); });
  if (!r) return std::move(r).error();
  return uname_result{u.sysname, u.nodename, u.release, u.version, u.machine};
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

}  // namespace os::nothrow

namespace os::nothrow {

#if OSCPP_HAVE_SETNS
result<void> setns(int fd, int nstype) noexcept {
  return detail::call_void([&] { return ::setns(fd, nstype); });
}

result<void> unshare(int flags) noexcept {
  return detail::call_void([&] { return ::unshare(flags); });
}
#endif

}  // namespace os::nothrow

// Process Parameters: user and group ids, supplementary groups, process
// groups and sessions, priorities, umask, uname, the login name. Every
// os::<name> throws OSError as Python does; os::nothrow::<name> returns the
// error as a value instead. The environment (environ, getenv, putenv ...)
// lives in environ.hpp.
//
// A uid or gid of -1 ((uid_t)-1, which `-1` converts to) means "leave this
// id unchanged" where the C call says so (setreuid, setresuid ...), as in
// Python.
#pragma once

#include <limits.h>        // NGROUPS_MAX
#include <sched.h>         // CLONE_*
#include <sys/resource.h>  // PRIO_PROCESS, PRIO_PGRP, PRIO_USER
#include <sys/stat.h>      // umask
#include <sys/types.h>
#include <unistd.h>

#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/path_arg.hpp"
#include "oscpp/platform.hpp"

namespace os {

// ---------------------------------------------------------------- results

// Python's os.uname_result: auto [sysname, nodename, release, version,
// machine] = os::uname();
struct uname_result {
  std::string sysname;
  std::string nodename;
  std::string release;
  std::string version;
  std::string machine;
};

#if OSCPP_HAVE_GETRESUID
// What getresuid() returns: auto [ruid, euid, suid] = os::getresuid();
struct resuid_result {
  uid_t ruid = 0;
  uid_t euid = 0;
  uid_t suid = 0;
};

// What getresgid() returns: auto [rgid, egid, sgid] = os::getresgid();
struct resgid_result {
  gid_t rgid = 0;
  gid_t egid = 0;
  gid_t sgid = 0;
};
#endif

// ---------------------------------------------------------------- never fail

inline uid_t getuid() noexcept { return ::getuid(); }
inline uid_t geteuid() noexcept { return ::geteuid(); }
inline gid_t getgid() noexcept { return ::getgid(); }
inline gid_t getegid() noexcept { return ::getegid(); }
inline pid_t getpid() noexcept { return ::getpid(); }
inline pid_t getppid() noexcept { return ::getppid(); }
inline pid_t getpgrp() noexcept { return ::getpgrp(); }
// Sets the umask and returns the previous one. Only the permission bits
// count: umask(-1) (Python's too) sets 0777.
inline mode_t umask(mode_t mask) noexcept { return ::umask(mask); }

// Python ignores SIGPIPE at startup, so a write to a pipe or socket with no
// reader raises BrokenPipeError; a C++ program gets C's default, and the
// signal ends it. oscpp changes no signal disposition behind your back:
// call this first thing in main to get Python's behaviour. As with Python's
// os.exec* and os.posix_spawn, programs started afterwards inherit the
// ignored SIGPIPE unless the spawn resets it (posix_spawn's setsigdef).
void ignore_sigpipe() noexcept;

// ---------------------------------------------------------------- nothrow
namespace nothrow {

#if OSCPP_HAVE_GETRESUID
result<resuid_result> getresuid() noexcept;
result<resgid_result> getresgid() noexcept;
#endif
result<void> setuid(uid_t uid) noexcept;
result<void> seteuid(uid_t euid) noexcept;
result<void> setgid(gid_t gid) noexcept;
result<void> setegid(gid_t egid) noexcept;
result<void> setreuid(uid_t ruid, uid_t euid) noexcept;
result<void> setregid(gid_t rgid, gid_t egid) noexcept;
#if OSCPP_HAVE_GETRESUID
result<void> setresuid(uid_t ruid, uid_t euid, uid_t suid) noexcept;
result<void> setresgid(gid_t rgid, gid_t egid, gid_t sgid) noexcept;
#endif
result<std::vector<gid_t>> getgroups() noexcept;
result<void> setgroups(std::span<const gid_t> groups) noexcept;
result<std::vector<gid_t>> getgrouplist(const path_arg& user,
                                        gid_t group) noexcept;
result<void> initgroups(const path_arg& username, gid_t gid) noexcept;
result<std::string> getlogin() noexcept;
result<pid_t> getpgid(pid_t pid) noexcept;
result<void> setpgrp() noexcept;
result<void> setpgid(pid_t pid, pid_t pgrp) noexcept;
result<pid_t> getsid(pid_t pid) noexcept;
result<void> setsid() noexcept;
result<int> getpriority(int which, int who) noexcept;
result<void> setpriority(int which, int who, int priority) noexcept;
result<std::string> ctermid() noexcept;
result<uname_result> uname() noexcept;
#if OSCPP_HAVE_SETNS
result<void> setns(int fd, int nstype = 0) noexcept;
result<void> unshare(int flags) noexcept;
#endif

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

#if OSCPP_HAVE_GETRESUID
inline resuid_result getresuid() { return nothrow::getresuid().value(); }
inline resgid_result getresgid() { return nothrow::getresgid().value(); }
#endif
inline void setuid(uid_t uid) { nothrow::setuid(uid).value(); }
inline void seteuid(uid_t euid) { nothrow::seteuid(euid).value(); }
inline void setgid(gid_t gid) { nothrow::setgid(gid).value(); }
inline void setegid(gid_t egid) { nothrow::setegid(egid).value(); }
inline void setreuid(uid_t ruid, uid_t euid) {
  nothrow::setreuid(ruid, euid).value();
}
inline void setregid(gid_t rgid, gid_t egid) {
  nothrow::setregid(rgid, egid).value();
}
#if OSCPP_HAVE_GETRESUID
inline void setresuid(uid_t ruid, uid_t euid, uid_t suid) {
  nothrow::setresuid(ruid, euid, suid).value();
}
inline void setresgid(gid_t rgid, gid_t egid, gid_t sgid) {
  nothrow::setresgid(rgid, egid, sgid).value();
}
#endif
// The supplementary group ids (the effective gid is not added).
inline std::vector<gid_t> getgroups() { return nothrow::getgroups().value(); }
// More than NGROUPS_MAX groups is EINVAL from the kernel here (Python raises
// ValueError "too many groups" before the call).
inline void setgroups(std::span<const gid_t> groups) {
  nothrow::setgroups(groups).value();
}
inline void setgroups(std::initializer_list<gid_t> groups) {
  nothrow::setgroups(std::span<const gid_t>(groups.begin(), groups.size()))
      .value();
}
// The groups user belongs to, group first. An unknown user gives [group].
// User names are taken as path_arg (any string; an embedded NUL throws
// std::invalid_argument before the lookup).
inline std::vector<gid_t> getgrouplist(const path_arg& user, gid_t group) {
  return nothrow::getgrouplist(user, group).value();
}
inline void initgroups(const path_arg& username, gid_t gid) {
  nothrow::initgroups(username, gid).value();
}
// The name of the user logged in on the controlling terminal (ENXIO when
// there is none: no login uid and no utmp entry).
inline std::string getlogin() { return nothrow::getlogin().value(); }
// pid 0 is the calling process.
inline pid_t getpgid(pid_t pid) { return nothrow::getpgid(pid).value(); }
inline void setpgrp() { nothrow::setpgrp().value(); }
inline void setpgid(pid_t pid, pid_t pgrp) {
  nothrow::setpgid(pid, pgrp).value();
}
inline pid_t getsid(pid_t pid) { return nothrow::getsid(pid).value(); }
inline void setsid() { nothrow::setsid().value(); }
// The nice value (-20..19) of the PRIO_PROCESS / PRIO_PGRP / PRIO_USER who
// (0: the caller); -1 is a valid result, not an error.
inline int getpriority(int which, int who) {
  return nothrow::getpriority(which, who).value();
}
inline void setpriority(int which, int who, int priority) {
  nothrow::setpriority(which, who, priority).value();
}
// The path of the controlling terminal ("/dev/tty" on Linux).
inline std::string ctermid() { return nothrow::ctermid().value(); }
inline uname_result uname() { return nothrow::uname().value(); }
#if OSCPP_HAVE_SETNS
// Python 3.12's os.setns: moves the calling thread into the namespace fd
// refers to (nstype 0: any type; else one CLONE_NEW* the fd must match).
inline void setns(int fd, int nstype = 0) {
  nothrow::setns(fd, nstype).value();
}
// Python 3.12's os.unshare: gives the process new namespaces (CLONE_* flags).
inline void unshare(int flags) { nothrow::unshare(flags).value(); }
#endif

}  // namespace os

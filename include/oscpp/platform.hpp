// Which optional calls this platform's C library has: one probe per name,
// in one place, as CPython's HAVE_* configure results. A name the platform
// lacks is absent from oscpp there too (as from Python's os); the probes
// only look at the headers' own macros, so they hold for any compiler.
#pragma once

#include <sys/types.h>  // brings in the C library's version macros
#include <unistd.h>

#include <version>  // the C++ library's __cpp_lib_* macros

// glibc's getdents64 / musl's getdents: reading a directory descriptor
// without a DIR. Elsewhere readdir over fdopendir, as CPython everywhere.
#if defined(__linux__)
#define OSCPP_HAVE_GETDENTS64 1
#endif

// preadv2/pwritev2 (and so the RWF_* flags): glibc 2.26 on; not musl.
#if defined(__GLIBC__)
#define OSCPP_HAVE_PREADV2 1
#endif

// posix_spawn_file_actions_addclosefrom_np (POSIX_SPAWN_CLOSEFROM):
// glibc 2.34 on.
#if defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP 1
#endif

// strerror_r returns the message (GNU) rather than 0 (POSIX).
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
#define OSCPP_HAVE_GNU_STRERROR_R 1
#endif

// Headers that only some platforms ship.
#if __has_include(<sys/eventfd.h>)
#define OSCPP_HAVE_EVENTFD 1
#endif
#if __has_include(<sys/timerfd.h>)
#define OSCPP_HAVE_TIMERFD 1
#endif
#if __has_include(<sys/sysmacros.h>)
#define OSCPP_HAVE_SYS_SYSMACROS_H 1
#endif
// login_tty: <utmp.h> on Linux, <util.h> on macOS (which Zig's macOS SDK
// lacks). openpty needs neither: posix_openpt everywhere.
#if defined(__linux__) || __has_include(<util.h>)
#define OSCPP_HAVE_LOGIN_TTY 1
#endif

// Calls that glibc and musl both have and macOS lacks (or has with another
// signature: sendfile, the xattr calls), as CPython's configure finds them.
#if defined(__linux__)
#define OSCPP_HAVE_PIPE2 1
#define OSCPP_HAVE_DUP3 1
#define OSCPP_HAVE_MEMFD_CREATE 1
#define OSCPP_HAVE_SPLICE 1
#define OSCPP_HAVE_COPY_FILE_RANGE 1
#define OSCPP_HAVE_LINUX_SENDFILE 1
#define OSCPP_HAVE_XATTR 1
#define OSCPP_HAVE_GETRANDOM 1
#define OSCPP_HAVE_SETNS 1  // and unshare
#define OSCPP_HAVE_SCHED_SETAFFINITY 1
#define OSCPP_HAVE_SCHED_SETSCHEDULER 1  // and the other sched_*param calls
#define OSCPP_HAVE_GETRESUID 1           // and getresgid, setres[ug]id
#define OSCPP_HAVE_POSIX_FALLOCATE 1
#define OSCPP_HAVE_POSIX_FADVISE 1
#define OSCPP_HAVE_FDATASYNC 1
#define OSCPP_HAVE_PIDFD_OPEN 1
#define OSCPP_HAVE_FEXECVE 1
#define OSCPP_HAVE_MKNODAT 1  // and mkfifoat
#endif

// std::stop_token (<stop_token>, with std::jthread): libc++ before 17 lacks
// it (Zig 0.11's), as does libc++ 17 and 18 without -fexperimental-library.
// Where it is missing, the stop option of parallel_walk is absent.
#if defined(__cpp_lib_jthread)
#define OSCPP_HAVE_STOP_TOKEN 1
#endif

// waitid: CPython leaves os.waitid (and waitid_result) out on macOS
// (posixmodule.c: HAVE_WAITID && !__APPLE__); so does oscpp (the P_* id
// types remain, as C macros).
#if !defined(__APPLE__)
#define OSCPP_HAVE_WAITID 1
#endif

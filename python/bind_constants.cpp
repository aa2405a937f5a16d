// The module's integer constants, from one table. Their values are the C
// headers' (the same as Python's on Linux); the Python-only ones (P_WAIT,
// POSIX_SPAWN_OPEN ...) live with the functions that take them.
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/limits.h>
#include <linux/memfd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <sysexits.h>
#include <unistd.h>

#include "convert.hpp"

namespace {

struct constant {
  const char* name;
  long long value;
};

// A macro that is not defined on this system is left out, as Python does.
constexpr constant constants[] = {
#ifdef CLD_CONTINUED
    {"CLD_CONTINUED", CLD_CONTINUED},
#endif
#ifdef CLD_DUMPED
    {"CLD_DUMPED", CLD_DUMPED},
#endif
#ifdef CLD_EXITED
    {"CLD_EXITED", CLD_EXITED},
#endif
#ifdef CLD_KILLED
    {"CLD_KILLED", CLD_KILLED},
#endif
#ifdef CLD_STOPPED
    {"CLD_STOPPED", CLD_STOPPED},
#endif
#ifdef CLD_TRAPPED
    {"CLD_TRAPPED", CLD_TRAPPED},
#endif
#ifdef CLONE_FILES
    {"CLONE_FILES", CLONE_FILES},
#endif
#ifdef CLONE_FS
    {"CLONE_FS", CLONE_FS},
#endif
#ifdef CLONE_NEWCGROUP
    {"CLONE_NEWCGROUP", CLONE_NEWCGROUP},
#endif
#ifdef CLONE_NEWIPC
    {"CLONE_NEWIPC", CLONE_NEWIPC},
#endif
#ifdef CLONE_NEWNET
    {"CLONE_NEWNET", CLONE_NEWNET},
#endif
#ifdef CLONE_NEWNS
    {"CLONE_NEWNS", CLONE_NEWNS},
#endif
#ifdef CLONE_NEWPID
    {"CLONE_NEWPID", CLONE_NEWPID},
#endif
#ifdef CLONE_NEWTIME
    {"CLONE_NEWTIME", CLONE_NEWTIME},
#endif
#ifdef CLONE_NEWUSER
    {"CLONE_NEWUSER", CLONE_NEWUSER},
#endif
#ifdef CLONE_NEWUTS
    {"CLONE_NEWUTS", CLONE_NEWUTS},
#endif
#ifdef CLONE_SIGHAND
    {"CLONE_SIGHAND", CLONE_SIGHAND},
#endif
#ifdef CLONE_SYSVSEM
    {"CLONE_SYSVSEM", CLONE_SYSVSEM},
#endif
#ifdef CLONE_THREAD
    {"CLONE_THREAD", CLONE_THREAD},
#endif
#ifdef CLONE_VM
    {"CLONE_VM", CLONE_VM},
#endif
#ifdef EFD_CLOEXEC
    {"EFD_CLOEXEC", EFD_CLOEXEC},
#endif
#ifdef EFD_NONBLOCK
    {"EFD_NONBLOCK", EFD_NONBLOCK},
#endif
#ifdef EFD_SEMAPHORE
    {"EFD_SEMAPHORE", EFD_SEMAPHORE},
#endif
#ifdef EX_CANTCREAT
    {"EX_CANTCREAT", EX_CANTCREAT},
#endif
#ifdef EX_CONFIG
    {"EX_CONFIG", EX_CONFIG},
#endif
#ifdef EX_DATAERR
    {"EX_DATAERR", EX_DATAERR},
#endif
#ifdef EX_IOERR
    {"EX_IOERR", EX_IOERR},
#endif
#ifdef EX_NOHOST
    {"EX_NOHOST", EX_NOHOST},
#endif
#ifdef EX_NOINPUT
    {"EX_NOINPUT", EX_NOINPUT},
#endif
#ifdef EX_NOPERM
    {"EX_NOPERM", EX_NOPERM},
#endif
#ifdef EX_NOUSER
    {"EX_NOUSER", EX_NOUSER},
#endif
#ifdef EX_OK
    {"EX_OK", EX_OK},
#endif
#ifdef EX_OSERR
    {"EX_OSERR", EX_OSERR},
#endif
#ifdef EX_OSFILE
    {"EX_OSFILE", EX_OSFILE},
#endif
#ifdef EX_PROTOCOL
    {"EX_PROTOCOL", EX_PROTOCOL},
#endif
#ifdef EX_SOFTWARE
    {"EX_SOFTWARE", EX_SOFTWARE},
#endif
#ifdef EX_TEMPFAIL
    {"EX_TEMPFAIL", EX_TEMPFAIL},
#endif
#ifdef EX_UNAVAILABLE
    {"EX_UNAVAILABLE", EX_UNAVAILABLE},
#endif
#ifdef EX_USAGE
    {"EX_USAGE", EX_USAGE},
#endif
#ifdef F_LOCK
    {"F_LOCK", F_LOCK},
#endif
#ifdef F_OK
    {"F_OK", F_OK},
#endif
#ifdef F_TEST
    {"F_TEST", F_TEST},
#endif
#ifdef F_TLOCK
    {"F_TLOCK", F_TLOCK},
#endif
#ifdef F_ULOCK
    {"F_ULOCK", F_ULOCK},
#endif
#ifdef GRND_NONBLOCK
    {"GRND_NONBLOCK", GRND_NONBLOCK},
#endif
#ifdef GRND_RANDOM
    {"GRND_RANDOM", GRND_RANDOM},
#endif
#ifdef MFD_ALLOW_SEALING
    {"MFD_ALLOW_SEALING", MFD_ALLOW_SEALING},
#endif
#ifdef MFD_CLOEXEC
    {"MFD_CLOEXEC", MFD_CLOEXEC},
#endif
#ifdef MFD_HUGETLB
    {"MFD_HUGETLB", MFD_HUGETLB},
#endif
#ifdef MFD_HUGE_16GB
    {"MFD_HUGE_16GB", MFD_HUGE_16GB},
#endif
#ifdef MFD_HUGE_16MB
    {"MFD_HUGE_16MB", MFD_HUGE_16MB},
#endif
#ifdef MFD_HUGE_1GB
    {"MFD_HUGE_1GB", MFD_HUGE_1GB},
#endif
#ifdef MFD_HUGE_1MB
    {"MFD_HUGE_1MB", MFD_HUGE_1MB},
#endif
#ifdef MFD_HUGE_256MB
    {"MFD_HUGE_256MB", MFD_HUGE_256MB},
#endif
#ifdef MFD_HUGE_2GB
    {"MFD_HUGE_2GB", MFD_HUGE_2GB},
#endif
#ifdef MFD_HUGE_2MB
    {"MFD_HUGE_2MB", MFD_HUGE_2MB},
#endif
#ifdef MFD_HUGE_32MB
    {"MFD_HUGE_32MB", MFD_HUGE_32MB},
#endif
#ifdef MFD_HUGE_512KB
    {"MFD_HUGE_512KB", MFD_HUGE_512KB},
#endif
#ifdef MFD_HUGE_512MB
    {"MFD_HUGE_512MB", MFD_HUGE_512MB},
#endif
#ifdef MFD_HUGE_64KB
    {"MFD_HUGE_64KB", MFD_HUGE_64KB},
#endif
#ifdef MFD_HUGE_8MB
    {"MFD_HUGE_8MB", MFD_HUGE_8MB},
#endif
#ifdef MFD_HUGE_MASK
    {"MFD_HUGE_MASK", MFD_HUGE_MASK},
#endif
#ifdef MFD_HUGE_SHIFT
    {"MFD_HUGE_SHIFT", MFD_HUGE_SHIFT},
#endif
#ifdef NGROUPS_MAX
    {"NGROUPS_MAX", NGROUPS_MAX},
#endif
#ifdef O_ACCMODE
    {"O_ACCMODE", O_ACCMODE},
#endif
#ifdef O_APPEND
    {"O_APPEND", O_APPEND},
#endif
#ifdef O_ASYNC
    {"O_ASYNC", O_ASYNC},
#endif
#ifdef O_CLOEXEC
    {"O_CLOEXEC", O_CLOEXEC},
#endif
#ifdef O_CREAT
    {"O_CREAT", O_CREAT},
#endif
#ifdef O_DIRECT
    {"O_DIRECT", O_DIRECT},
#endif
#ifdef O_DIRECTORY
    {"O_DIRECTORY", O_DIRECTORY},
#endif
#ifdef O_DSYNC
    {"O_DSYNC", O_DSYNC},
#endif
#ifdef O_EXCL
    {"O_EXCL", O_EXCL},
#endif
#ifdef O_FSYNC
    {"O_FSYNC", O_FSYNC},
#endif
#ifdef O_LARGEFILE
    {"O_LARGEFILE", O_LARGEFILE},
#endif
#ifdef O_NDELAY
    {"O_NDELAY", O_NDELAY},
#endif
#ifdef O_NOATIME
    {"O_NOATIME", O_NOATIME},
#endif
#ifdef O_NOCTTY
    {"O_NOCTTY", O_NOCTTY},
#endif
#ifdef O_NOFOLLOW
    {"O_NOFOLLOW", O_NOFOLLOW},
#endif
#ifdef O_NONBLOCK
    {"O_NONBLOCK", O_NONBLOCK},
#endif
#ifdef O_PATH
    {"O_PATH", O_PATH},
#endif
#ifdef O_RDONLY
    {"O_RDONLY", O_RDONLY},
#endif
#ifdef O_RDWR
    {"O_RDWR", O_RDWR},
#endif
#ifdef O_RSYNC
    {"O_RSYNC", O_RSYNC},
#endif
#ifdef O_SYNC
    {"O_SYNC", O_SYNC},
#endif
#ifdef O_TMPFILE
    {"O_TMPFILE", O_TMPFILE},
#endif
#ifdef O_TRUNC
    {"O_TRUNC", O_TRUNC},
#endif
#ifdef O_WRONLY
    {"O_WRONLY", O_WRONLY},
#endif
#ifdef POSIX_FADV_DONTNEED
    {"POSIX_FADV_DONTNEED", POSIX_FADV_DONTNEED},
#endif
#ifdef POSIX_FADV_NOREUSE
    {"POSIX_FADV_NOREUSE", POSIX_FADV_NOREUSE},
#endif
#ifdef POSIX_FADV_NORMAL
    {"POSIX_FADV_NORMAL", POSIX_FADV_NORMAL},
#endif
#ifdef POSIX_FADV_RANDOM
    {"POSIX_FADV_RANDOM", POSIX_FADV_RANDOM},
#endif
#ifdef POSIX_FADV_SEQUENTIAL
    {"POSIX_FADV_SEQUENTIAL", POSIX_FADV_SEQUENTIAL},
#endif
#ifdef POSIX_FADV_WILLNEED
    {"POSIX_FADV_WILLNEED", POSIX_FADV_WILLNEED},
#endif
#ifdef PRIO_PGRP
    {"PRIO_PGRP", PRIO_PGRP},
#endif
#ifdef PRIO_PROCESS
    {"PRIO_PROCESS", PRIO_PROCESS},
#endif
#ifdef PRIO_USER
    {"PRIO_USER", PRIO_USER},
#endif
    {"P_ALL", P_ALL},      // an enumerator, not a macro
    {"P_PGID", P_PGID},    // an enumerator, not a macro
    {"P_PID", P_PID},      // an enumerator, not a macro
    {"P_PIDFD", P_PIDFD},  // an enumerator, not a macro
#ifdef RTLD_DEEPBIND
    {"RTLD_DEEPBIND", RTLD_DEEPBIND},
#endif
#ifdef RTLD_GLOBAL
    {"RTLD_GLOBAL", RTLD_GLOBAL},
#endif
#ifdef RTLD_LAZY
    {"RTLD_LAZY", RTLD_LAZY},
#endif
#ifdef RTLD_LOCAL
    {"RTLD_LOCAL", RTLD_LOCAL},
#endif
#ifdef RTLD_NODELETE
    {"RTLD_NODELETE", RTLD_NODELETE},
#endif
#ifdef RTLD_NOLOAD
    {"RTLD_NOLOAD", RTLD_NOLOAD},
#endif
#ifdef RTLD_NOW
    {"RTLD_NOW", RTLD_NOW},
#endif
#ifdef RWF_APPEND
    {"RWF_APPEND", RWF_APPEND},
#endif
#ifdef RWF_DSYNC
    {"RWF_DSYNC", RWF_DSYNC},
#endif
#ifdef RWF_HIPRI
    {"RWF_HIPRI", RWF_HIPRI},
#endif
#ifdef RWF_NOWAIT
    {"RWF_NOWAIT", RWF_NOWAIT},
#endif
#ifdef RWF_SYNC
    {"RWF_SYNC", RWF_SYNC},
#endif
#ifdef R_OK
    {"R_OK", R_OK},
#endif
#ifdef SCHED_BATCH
    {"SCHED_BATCH", SCHED_BATCH},
#endif
#ifdef SCHED_FIFO
    {"SCHED_FIFO", SCHED_FIFO},
#endif
#ifdef SCHED_IDLE
    {"SCHED_IDLE", SCHED_IDLE},
#endif
#ifdef SCHED_OTHER
    {"SCHED_OTHER", SCHED_OTHER},
#endif
#ifdef SCHED_RESET_ON_FORK
    {"SCHED_RESET_ON_FORK", SCHED_RESET_ON_FORK},
#endif
#ifdef SCHED_RR
    {"SCHED_RR", SCHED_RR},
#endif
#ifdef SEEK_CUR
    {"SEEK_CUR", SEEK_CUR},
#endif
#ifdef SEEK_DATA
    {"SEEK_DATA", SEEK_DATA},
#endif
#ifdef SEEK_END
    {"SEEK_END", SEEK_END},
#endif
#ifdef SEEK_HOLE
    {"SEEK_HOLE", SEEK_HOLE},
#endif
#ifdef SEEK_SET
    {"SEEK_SET", SEEK_SET},
#endif
#ifdef SPLICE_F_MORE
    {"SPLICE_F_MORE", SPLICE_F_MORE},
#endif
#ifdef SPLICE_F_MOVE
    {"SPLICE_F_MOVE", SPLICE_F_MOVE},
#endif
#ifdef SPLICE_F_NONBLOCK
    {"SPLICE_F_NONBLOCK", SPLICE_F_NONBLOCK},
#endif
#ifdef ST_APPEND
    {"ST_APPEND", ST_APPEND},
#endif
#ifdef ST_MANDLOCK
    {"ST_MANDLOCK", ST_MANDLOCK},
#endif
#ifdef ST_NOATIME
    {"ST_NOATIME", ST_NOATIME},
#endif
#ifdef ST_NODEV
    {"ST_NODEV", ST_NODEV},
#endif
#ifdef ST_NODIRATIME
    {"ST_NODIRATIME", ST_NODIRATIME},
#endif
#ifdef ST_NOEXEC
    {"ST_NOEXEC", ST_NOEXEC},
#endif
#ifdef ST_NOSUID
    {"ST_NOSUID", ST_NOSUID},
#endif
#ifdef ST_RDONLY
    {"ST_RDONLY", ST_RDONLY},
#endif
#ifdef ST_RELATIME
    {"ST_RELATIME", ST_RELATIME},
#endif
#ifdef ST_SYNCHRONOUS
    {"ST_SYNCHRONOUS", ST_SYNCHRONOUS},
#endif
#ifdef ST_WRITE
    {"ST_WRITE", ST_WRITE},
#endif
#ifdef TFD_CLOEXEC
    {"TFD_CLOEXEC", TFD_CLOEXEC},
#endif
#ifdef TFD_NONBLOCK
    {"TFD_NONBLOCK", TFD_NONBLOCK},
#endif
#ifdef TFD_TIMER_ABSTIME
    {"TFD_TIMER_ABSTIME", TFD_TIMER_ABSTIME},
#endif
#ifdef TFD_TIMER_CANCEL_ON_SET
    {"TFD_TIMER_CANCEL_ON_SET", TFD_TIMER_CANCEL_ON_SET},
#endif
#ifdef TMP_MAX
    {"TMP_MAX", TMP_MAX},
#endif
#ifdef WCONTINUED
    {"WCONTINUED", WCONTINUED},
#endif
#ifdef WEXITED
    {"WEXITED", WEXITED},
#endif
#ifdef WNOHANG
    {"WNOHANG", WNOHANG},
#endif
#ifdef WNOWAIT
    {"WNOWAIT", WNOWAIT},
#endif
#ifdef WSTOPPED
    {"WSTOPPED", WSTOPPED},
#endif
#ifdef WUNTRACED
    {"WUNTRACED", WUNTRACED},
#endif
#ifdef W_OK
    {"W_OK", W_OK},
#endif
#ifdef XATTR_CREATE
    {"XATTR_CREATE", XATTR_CREATE},
#endif
#ifdef XATTR_REPLACE
    {"XATTR_REPLACE", XATTR_REPLACE},
#endif
#ifdef XATTR_SIZE_MAX
    {"XATTR_SIZE_MAX", XATTR_SIZE_MAX},
#endif
#ifdef X_OK
    {"X_OK", X_OK},
#endif
};

}  // namespace

OSCPP_BINDINGS(constants) {
  for (const constant& c : constants) m.attr(c.name) = c.value;
}

// Beyond Python: walk and fwalk on several threads, for indexing, backing up
// or measuring a large tree. They report the entries os::walk and os::fwalk
// report (top down), but one directory at a time to a visitor, called from
// worker threads:
//
//   os::parallel_walk("/usr", [&](os::walk_dir& d) {
//     count += d.dirs.size() + d.files.size();        // count is atomic
//     std::erase_if(d.dirs, [](auto& e) { return e.name == ".git"; });
//   });
//
// Ordering: a directory's entries come together, in one call, and a
// directory is visited before any directory below it; there is no other
// order (siblings and cousins are visited in any order, concurrently).
// Each worker goes depth first through the directories it found; an idle
// one takes, from another worker, the waiting directory found earliest
// (nearest top).
//
// The worker threads other than the caller's are named "oscpp-walk" (on
// Linux: /proc/PID/task/TID/comm, ps -L, top -H).
#pragma once

#include <fcntl.h>

#include <functional>

#include "oscpp/platform.hpp"
#if OSCPP_HAVE_STOP_TOKEN
#include <stop_token>
#endif
#include <string>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/files_walk.hpp"
#include "oscpp/path_arg.hpp"

namespace os {

// One directory of a parallel walk, as the visitor gets it.
struct walk_dir {
  // As walk's dirpath: top joined with the names below it.
  std::string dirpath;
  // The entries walk lists in dirnames (a symlink to a directory
  // included), and those it lists in filenames, as DirEntry: each one's
  // path is dirpath joined with its name; the type from the directory
  // entry and any stat taken to classify it (a symlink's, or an entry of
  // unknown type) are cached, so is_dir(), is_file() and is_symlink() make
  // no syscall for them. Their later stat() calls go by path. The lists
  // and their entries are valid for the duration of the call: the worker
  // refills them for its next directory, so copy or move out what is to be
  // kept.
  std::vector<DirEntry> dirs;
  std::vector<DirEntry> files;
  // The directory, open for the duration of the call only (for *at calls
  // on its entries). parallel_fwalk rewinds it, as fwalk does;
  // parallel_walk leaves it at the end of the listing.
  int dirfd = -1;
  // 0 for top, 1 for its subdirectories, ...
  std::size_t depth = 0;
};

// Called once per directory, from any of the worker threads, concurrently:
// it must be safe to call from several threads at once. Pruning: the walk
// descends only into the entries left in dirs when it returns (erase the
// ones to skip; do not add entries of another directory). An exception it
// throws stops the walk: no new directory is started, the workers are
// joined, and parallel_walk rethrows it (the first one, if several
// threads threw).
using walk_visitor = std::function<void(walk_dir&)>;

// walk's options, and the threads.
struct parallel_walk_options {
  // Worker threads, the calling thread among them; 0: os::process_cpu_count()
  // (os::cpu_count() if that is unknown).
  unsigned threads = 0;
  // As walk's; called for one error at a time (the calls are serialised),
  // from any worker thread. An exception it throws stops the walk as the
  // visitor's would.
  std::function<void(const OSError&)> onerror = nullptr;
  bool followlinks = false;
#if OSCPP_HAVE_STOP_TOKEN
  // Requesting a stop ends the walk early, without an error: directories
  // not yet visited are not. Absent where the C++ library has no
  // std::stop_token (OSCPP_HAVE_STOP_TOKEN: libc++ before 17); there a
  // visitor ends the walk early by throwing.
  std::stop_token stop = {};
#endif
};

// fwalk's options, and the threads.
struct parallel_fwalk_options {
  unsigned threads = 0;
  std::function<void(const OSError&)> onerror = nullptr;
  bool follow_symlinks = false;
  borrowed_fd dir_fd = AT_FDCWD;
#if OSCPP_HAVE_STOP_TOKEN
  std::stop_token stop = {};
#endif
};

// os::walk(top, {.topdown = true, ...}) on threads: the same directories
// and entries, the same errors to onerror (with the same filenames), and
// the same behaviour with followlinks, symlink loops and paths longer than
// PATH_MAX (ENAMETOOLONG). Without followlinks, subdirectories are opened
// relative to their parent's descriptor with O_NOFOLLOW (the walk holds it
// while subdirectories of it wait to be entered: at most half of
// RLIMIT_NOFILE (or 1024) less 4 per thread, beyond which a directory is
// opened by its path); with followlinks, by their path, as walk opens them.
// Memory grows with the number of directories waiting to be entered, not the
// size of the tree. Returns when every worker has stopped; no thread or
// descriptor outlives it.
void parallel_walk(const path_arg& top, const walk_visitor& visit,
                   parallel_walk_options opts = {});

// os::fwalk(top, {.topdown = true, ...}) on threads, as race-safe as
// fwalk: every directory below top is opened relative to its parent's
// descriptor with O_NOFOLLOW, after the same fstatat / fstat (st_dev,
// st_ino) checks, and a directory that is its own ancestor is reported
// as ELOOP. Errors about top itself throw, as in fwalk. Where fwalk ends
// the walk by raising (a directory that cannot be read to the end, a name
// of dirnames that is no longer a directory), this passes the error to
// onerror (naming the path, resp. the name) and goes on with the rest.
// Beyond the same descriptor budget as parallel_walk's, a directory's
// descriptor is closed and reopened when needed from its nearest open
// ancestor (or dir_fd for top), one checked openat (O_NOFOLLOW, same st_dev
// and st_ino) per level, so any depth finishes under any limit; a level
// moved meanwhile is reported to onerror as ENOENT, naming its path, and
// its subdirectories not entered. In wide and deep trees under a small
// limit those reopenings cost one openat per level per subdirectory.
void parallel_fwalk(const path_arg& top, const walk_visitor& visit,
                    parallel_fwalk_options opts = {});

}  // namespace os

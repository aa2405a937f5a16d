// parallel_walk and parallel_fwalk: each worker thread has a queue of
// directories waiting to be entered. It takes its own newest (depth first,
// which keeps the queues and the descriptors held small); an idle worker
// takes the oldest of another's (the largest subtree, nearest top, so that
// workers seldom share a parent). A worker enters a directory's first
// subdirectory itself and queues the others, so a chain of directories
// takes no lock. Each directory is read with the same core as walk and
// fwalk (detail/walk_core.hpp), into entries each worker reuses from
// directory to directory.
#include "oscpp/parallel_walk.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "detail/dir_reader.hpp"
#include "detail/syscall.hpp"
#include "detail/walk_core.hpp"
#include "detail/walk_hooks.hpp"
#include "oscpp/system_info.hpp"

namespace os {
namespace detail {

struct walk_entry_access {
  // Refills e (whatever it held) as the DirEntry a scandir of a directory
  // would give for d, prefix being that directory's path as its entries'
  // paths begin (end_with_separator), with the stats classify took cached as
  // its is_dir() would have cached them. e's strings keep their buffers: an
  // entry reused from directory to directory costs no allocation.
  static void fill(DirEntry& e, const std::string& prefix, const raw_dirent& d,
                   const stat_cache& c) {
    // resize and copy: cheaper than assign, which must allow for overlap.
    std::size_t n = d.name.size();
    e.name.resize(n);
    std::memcpy(e.name.data(), d.name.data(), n);
    std::size_t at = prefix.size();
    e.path.resize(at + n);
    std::memcpy(e.path.data(), prefix.data(), at);
    std::memcpy(e.path.data() + at, d.name.data(), n);
    e.d_ino_ = d.ino;
    e.d_type_ = d.type;
    e.dir_fd_ = AT_FDCWD;
    // Emptied, not freed: the next symlink this entry is refilled with
    // reuses it.
    if (e.stats_) {
      e.stats_->stat.reset();
      e.stats_->lstat.reset();
    }
    if (!c.have_lst && !c.have_st) return;
    // Only for a symlink or an entry of unknown type.
    if (!e.stats_) e.stats_.reset(new DirEntry::stats);
    if (c.have_lst) {
      e.stats_->lstat = stat_result::from(c.lst);
      // Not a link: its lstat is its stat.
      if (!S_ISLNK(c.lst.st_mode)) e.stats_->stat = e.stats_->lstat;
    }
    if (c.have_st) e.stats_->stat = stat_result::from(c.st);
  }
  static DirEntry blank() { return DirEntry(); }
};

// A worker's lists of entries, refilled in place from directory to
// directory: the entries (and their strings' buffers) of the last
// directory are reused, and those it had beyond this one's count wait in
// spare for a later, larger directory.
class entry_lists {
 public:
  // Starts refilling the two lists of d.
  void start(walk_dir& d) noexcept {
    dirs_ = &d.dirs;
    files_ = &d.files;
    ndirs_ = nfiles_ = 0;
  }
  // The next entry of dirs (is_dir) or files, to fill.
  DirEntry& next(bool is_dir) {
    std::vector<DirEntry>& v = is_dir ? *dirs_ : *files_;
    std::size_t& n = is_dir ? ndirs_ : nfiles_;
    if (n == v.size()) {
      if (spare_.empty()) {
        v.push_back(walk_entry_access::blank());
      } else {
        v.push_back(std::move(spare_.back()));
        spare_.pop_back();
      }
    }
    return v[n++];
  }
  // Ends the refill: what the lists hold beyond it goes to spare.
  void finish() {
    trim(*dirs_, ndirs_);
    trim(*files_, nfiles_);
  }

 private:
  void trim(std::vector<DirEntry>& v, std::size_t n) {
    // Kept only up to a bound, so that one huge directory does not pin its
    // entries' memory for the rest of the walk.
    while (v.size() > n) {
      if (spare_.size() < kMaxSpare) spare_.push_back(std::move(v.back()));
      v.pop_back();
    }
  }
  static constexpr std::size_t kMaxSpare = 4096;
  std::vector<DirEntry>* dirs_ = nullptr;
  std::vector<DirEntry>* files_ = nullptr;
  std::size_t ndirs_ = 0;
  std::size_t nfiles_ = 0;
  std::vector<DirEntry> spare_;
};

namespace {

// A directory entered, kept while directories below it wait to be entered
// (they need its descriptor, or its path, and fwalk its identity).
struct dir_node {
  std::shared_ptr<dir_node> parent;  // parallel_fwalk only
  std::string name;                  // relative to parent (top: as given)
  std::string path;
  dev_t dev = 0;
  ino_t ino = 0;
  std::size_t depth = 0;
  std::atomic<int>* held = nullptr;  // its worker's count of kept descriptors

  std::mutex m;
  int fd = -1;              // kept while subdirectories wait (budget allowing)
  int users = 0;            // threads using fd now
  std::size_t pending = 0;  // subdirectories not yet entered

  dir_node() = default;
  dir_node(const dir_node&) = delete;
  dir_node& operator=(const dir_node&) = delete;
  ~dir_node() { close_fd(); }

  // fd, marked in use, or -1.
  int acquire() {
    std::lock_guard lock(m);
    if (fd < 0) return -1;
    ++users;
    return fd;
  }
  void release() {
    std::lock_guard lock(m);
    --users;
    close_if_unused();
  }
  // One subdirectory entered (or given up); released: the caller used fd
  // (from acquire) for it.
  void child_done(bool released) {
    std::lock_guard lock(m);
    if (released) --users;
    --pending;
    close_if_unused();
  }
  // Keeps a reopened descriptor (in use by the caller); false if another
  // thread kept one first.
  bool adopt(int reopened) {
    std::lock_guard lock(m);
    if (fd >= 0) return false;
    fd = reopened;
    ++users;
    return true;
  }

 private:
  void close_if_unused() {
    if (pending == 0 && users == 0) close_fd();
  }
  void close_fd() {
    if (fd < 0) return;
    ::close(fd);
    fd = -1;
    held->fetch_sub(1, std::memory_order_relaxed);
  }
};

// A descriptor of a directory for the time of one openat: the node's own
// (released after), or a temporary one (closed after).
class lease {
 public:
  lease() = default;
  lease(dir_node* node, int fd, bool temporary) noexcept
      : node_(node), fd_(fd), temporary_(temporary) {}
  lease(lease&& o) noexcept
      : node_(std::exchange(o.node_, nullptr)),
        fd_(std::exchange(o.fd_, -1)),
        temporary_(o.temporary_) {}
  lease& operator=(lease&& o) noexcept {
    reset();
    node_ = std::exchange(o.node_, nullptr);
    fd_ = std::exchange(o.fd_, -1);
    temporary_ = o.temporary_;
    return *this;
  }
  ~lease() { reset(); }
  int fd() const noexcept { return fd_; }
  // For node's child_done(released): true if this is node's own
  // descriptor (the lease is then forgotten, node's count of users to be
  // lowered by the caller); otherwise the lease is ended.
  bool give_back(const dir_node* node) noexcept {
    if (fd_ >= 0 && !temporary_ && node_ == node) {
      node_ = nullptr;
      fd_ = -1;
      return true;
    }
    reset();
    return false;
  }
  void reset() noexcept {
    if (fd_ >= 0) {
      if (temporary_)
        ::close(fd_);
      else
        node_->release();
    }
    node_ = nullptr;
    fd_ = -1;
  }

 private:
  dir_node* node_ = nullptr;
  int fd_ = -1;
  bool temporary_ = false;
};

#if OSCPP_HAVE_STOP_TOKEN
using stop_token = std::stop_token;
#else
// Without std::stop_token the options have no stop: none is ever requested.
struct stop_token {
  bool stop_requested() const noexcept { return false; }
};
#endif

// The options' stop token, where they have one.
template <class Options>
stop_token stop_of(Options& opts) {
  if constexpr (requires { opts.stop; }) {
    return std::move(opts.stop);
  } else {
    return {};
  }
}

class parallel_walker {
 public:
  struct config {
    const walk_visitor* visit;
    onerror_fn onerror;
    stop_token stop;
    unsigned threads;
    bool fwalk;   // parallel_fwalk: race-safe descent, fwalk's lists
    bool follow;  // followlinks / follow_symlinks
    int dir_fd;   // parallel_fwalk's dir_fd, to reopen top
  };

  explicit parallel_walker(config c) : c_(std::move(c)) {
    if (c_.onerror) {
      // One call at a time, so that onerror need not be thread-safe.
      c_.onerror = [this, user = std::move(c_.onerror)](const OSError& e) {
        std::lock_guard lock(error_m_);
        user(e);
      };
    }
    struct ::rlimit rl;
    rlim_t soft = ::getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
    if (soft == RLIM_INFINITY || soft > 2048) soft = 2048;
    // Half the limit for kept descriptors, less what each worker may hold
    // at once (the directory it reads, a parent's, a reopened one), shared
    // out between the workers (each counts those its nodes keep).
    long budget = static_cast<long>(soft / 2) - 4L * c_.threads;
    budget_ = static_cast<int>(std::max(0L, budget) / c_.threads);
  }

  // Walks from the directory top (open as fd), visiting it first.
  void run(std::shared_ptr<dir_node> top, unique_fd fd) {
    held_.reset(new counter[c_.threads]);
    queues_.reset(new queue[c_.threads]);
    top->held = &held_[0].n;
    std::vector<std::thread> threads;
    try {
      for (unsigned i = 1; i < c_.threads; ++i) {
        threads.emplace_back([this, i] {
          // workers_ is known once every worker is started.
          while (!started_.load(std::memory_order_acquire))
            std::this_thread::yield();
          scratch sc;
          sc.self = i;
          work(sc, {});
        });
#ifdef __linux__
        // Named by this thread, so that the name is set before top is
        // visited; ps, top and the tests tell the workers apart by it.
        (void)::pthread_setname_np(threads.back().native_handle(),
                                   "oscpp-walk");
#endif
      }
    } catch (...) {
      stop(std::current_exception());
    }
    // Workers that could not be started are not waited for.
    workers_ = static_cast<unsigned>(threads.size()) + 1;
    started_.store(true, std::memory_order_release);
    scratch sc;
    item next;
    guarded([&] {
      sc.path = top->path;
      visit_dir(std::move(fd), 0, sc, next, [&] { return top; });
    });
    top.reset();
    work(sc, std::move(next));
    for (std::thread& t : threads) t.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  struct item {
    std::shared_ptr<dir_node> parent;
    std::string name;
  };

  // A worker's directories waiting to be entered: it takes the newest
  // (depth first, which keeps the queue and the descriptors held small),
  // an idle worker the oldest (the largest subtree, nearest top, which
  // keeps the two apart: they share no node for long).
  struct alignas(64) queue {
    std::mutex m;
    std::vector<item> items;  // those before head were taken by others
    std::size_t head = 0;
  };

  // A worker's buffers.
  struct scratch {
    unsigned self = 0;  // its queue
    dir_reader reader;
    walk_dir dir;
    entry_lists lists;
    std::vector<item> kids;
    std::string path;    // of the directory being entered (not the visitor's)
    std::string prefix;  // its entries' paths before their names
  };

  // Enters directories until the walk is over: it first (if it names one),
  // then each directory's first subdirectory, then the newest of its own
  // queue, then the oldest of another's.
  void work(scratch& sc, item it) {
    for (;;) {
      if (!it.parent && !take_own(sc.self, it) && !take_other(sc.self, it) &&
          !wait_for_work(sc.self, it))
        return;
      item cur = std::move(it);
      it = {};
      guarded([&] { enter(cur, sc, it); });
    }
  }

  bool take_own(unsigned self, item& it) {
    queue& q = queues_[self];
    std::lock_guard lock(q.m);
    if (q.items.size() == q.head) return false;
    it = std::move(q.items.back());
    q.items.pop_back();
    if (q.items.size() == q.head) {
      q.items.clear();
      q.head = 0;
    }
    return true;
  }

  bool take_other(unsigned self, item& it) {
    for (unsigned k = 1; k < workers_; ++k) {
      queue& q = queues_[(self + k) % workers_];
      std::lock_guard lock(q.m);
      if (q.items.size() == q.head) continue;
      it = std::move(q.items[q.head++]);
      if (q.items.size() == q.head) {
        q.items.clear();
        q.head = 0;
      } else if (q.head > 64 && q.head > q.items.size() / 2) {
        q.items.erase(q.items.begin(),
                      q.items.begin() + static_cast<std::ptrdiff_t>(q.head));
        q.head = 0;
      }
      return true;
    }
    return false;
  }

  // Sleeps until another worker queues a directory (true, it set) or the
  // walk is over: every worker idle with every queue empty, or stopped.
  bool wait_for_work(unsigned self, item& it) {
    std::unique_lock lock(m_);
    idle_.fetch_add(1, std::memory_order_relaxed);
    for (;;) {
      if (done_ || stopped_.load(std::memory_order_relaxed)) break;
      // Queued after this worker looked, before it was counted idle.
      if (take_other(self, it)) {
        idle_.fetch_sub(1, std::memory_order_relaxed);
        return true;
      }
      if (idle_.load(std::memory_order_relaxed) == workers_) {
        // Nobody holds a directory that could add to a queue.
        done_ = true;
        cv_.notify_all();
        break;
      }
      cv_.wait(lock);
    }
    idle_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }

  // Moves kids (the first to be taken last) to the worker's own queue,
  // waking idle workers if there are any: one per directory queued.
  void push(unsigned self, std::vector<item>& kids) {
    queue& q = queues_[self];
    std::size_t n = kids.size();
    {
      std::lock_guard lock(q.m);
      for (item& k : kids) q.items.push_back(std::move(k));
    }
    // A worker counted idle before it looked at this queue is seen here
    // (its look and this push are ordered by q.m) and woken; one that
    // looked after this push found the kids.
    if (idle_.load(std::memory_order_relaxed) != 0) {
      std::lock_guard lock(m_);
      if (n == 1)
        cv_.notify_one();
      else
        cv_.notify_all();
    }
  }

  template <class F>
  void guarded(F&& f) {
    if (stopped_.load(std::memory_order_relaxed)) return;
    if (c_.stop.stop_requested()) {
      stop(nullptr);
      return;
    }
    try {
      f();
    } catch (...) {
      stop(std::current_exception());
    }
  }

  // Ends the walk: nothing more is started; error (if any, the first) is
  // rethrown to the caller.
  void stop(std::exception_ptr error) {
    {
      std::lock_guard lock(m_);
      if (error && !error_) error_ = std::move(error);
      stopped_ = true;
      cv_.notify_all();
    }
    // What was queued is dropped (its nodes, and their descriptors, with
    // it). Workers not yet counted in workers_ have queued nothing.
    for (unsigned i = 0; i < c_.threads; ++i) {
      std::vector<item> dropped;
      {
        std::lock_guard lock(queues_[i].m);
        dropped.swap(queues_[i].items);
        queues_[i].head = 0;
      }
    }
    walk_hook_point(walk_point::stopped, -1, "");
  }

  // Opens the subdirectory it.name of it.parent and visits it; next as for
  // visit_dir.
  void enter(item& it, scratch& sc, item& next) {
    dir_node& parent = *it.parent;
    sc.path.assign(parent.path);
    join_into(sc.path, parent.path.size(), it.name);
    unique_fd fd;
    struct ::stat st;
    if (c_.fwalk) {
      if (!open_checked(parent, it.name, fd, st)) return;
    } else if (!open_walk(parent, it.name, sc.path, fd)) {
      return;
    }
    std::size_t depth = parent.depth + 1;
    visit_dir(std::move(fd), depth, sc, next, [&] {
      auto node = std::make_shared<dir_node>();
      node->held = &held_[sc.self].n;
      node->depth = depth;
      if (c_.fwalk) {
        node->parent = std::move(it.parent);
        node->name = std::move(it.name);
        node->dev = st.st_dev;
        node->ino = st.st_ino;
      }
      node->path = sc.path;
      return node;
    });
  }

  // As walk opens a subdirectory: by its path with followlinks (so the
  // kernel's limits on symlinks apply as they do to walk), otherwise
  // relative to the parent's descriptor if it was kept.
  bool open_walk(dir_node& parent, const std::string& name,
                 const std::string& path, unique_fd& out) {
    // The subdirectory counted done, and the parent's descriptor (if taken)
    // given back, under one lock of the parent, even if onerror throws.
    struct done_guard {
      dir_node& p;
      int fd = -1;
      ~done_guard() { p.child_done(fd >= 0); }
    } pl{parent};
    int fd;
    if (c_.follow) {
      fd = walk_open(AT_FDCWD, path.c_str(), path, false, c_.onerror);
    } else if (path.size() >= PATH_MAX) {
      // What walk's open of the path fails with; relative to the parent
      // it would succeed.
      report(c_.onerror, fail(ENAMETOOLONG, path));
      return false;
    } else {
      pl.fd = parent.acquire();
      if (pl.fd >= 0)
        fd = walk_open(pl.fd, name.c_str(), path, true, c_.onerror);
      else
        fd = walk_open(AT_FDCWD, path.c_str(), path, true, c_.onerror);
    }
    if (fd == -1) return false;
    out.reset(fd);
    return true;
  }

  // As fwalk enters a subdirectory (fwalker::enter): race-safely relative
  // to the parent's descriptor, reopened if it was not kept.
  bool open_checked(dir_node& parent, const std::string& name, unique_fd& out,
                    struct ::stat& now) {
    // The parent's descriptor given back and this subdirectory counted
    // done under one lock (even if onerror throws).
    struct child_done_guard {
      dir_node& p;
      lease l;
      ~child_done_guard() { p.child_done(l.give_back(&p)); }
    } done{parent, {}};
    done.l = reopen(parent);
    const lease& pl = done.l;
    if (pl.fd() < 0) return false;
    int pfd = pl.fd();
    const char* nm = name.c_str();
    fwalk_child c = fwalk_open_child(pfd, nm, c_.follow, now, [&](int flags) {
      return retry([&] { return ::openat(pfd, nm, flags); });
    });
    // Where fwalk raises (a file among dirnames), onerror.
    if (c.not_dir) c.error = ENOTDIR;
    if (c.fd == -1) {
      if (c.error != 0) report(c_.onerror, fail(c.error, name));
      return false;
    }
    out.reset(c.fd);
    for (const dir_node* a = &parent; a; a = a->parent.get()) {
      if (a->dev == now.st_dev && a->ino == now.st_ino) {
        report(c_.onerror, fail(ELOOP, name));
        return false;
      }
    }
    return true;
  }

  // A descriptor of node: its own if kept, else reopened from its nearest
  // kept ancestor (or from dir_fd for top), one checked openat per level,
  // each level kept if the budget allows. An empty lease after onerror if
  // a level is no longer the directory it was (ENOENT, naming it).
  lease reopen(dir_node& node) {
    if (int fd = node.acquire(); fd >= 0) return lease(&node, fd, false);
    lease pl;
    int dir = c_.dir_fd;
    if (node.parent) {
      pl = reopen(*node.parent);
      if (pl.fd() < 0) return {};
      dir = pl.fd();
    }
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK |
                (c_.follow ? 0 : O_NOFOLLOW);
    int fd = retry([&] { return ::openat(dir, node.name.c_str(), flags); });
    int e = errno;
    if (fd != -1) walk_hook_point(walk_point::reopened, dir, node.name.c_str());
    struct ::stat st;
    if (fd == -1 || ::fstat(fd, &st) == -1 || st.st_dev != node.dev ||
        st.st_ino != node.ino) {
      if (fd != -1) {
        e = ENOENT;
        ::close(fd);
      }
      report(c_.onerror, fail(e, node.path));
      return {};
    }
    pl.reset();
    if (node.held->fetch_add(1, std::memory_order_relaxed) < budget_) {
      if (node.adopt(fd)) return lease(&node, fd, false);
    }
    node.held->fetch_sub(1, std::memory_order_relaxed);
    return lease(nullptr, fd, true);
  }

  // Lists the directory open as fd (its path in sc.path), visits it, and
  // sets next to the first subdirectory the visitor left (entered next by
  // this thread), queueing the others. The directory's node, which its
  // subdirectories need, comes from make_node(), called only if it has
  // subdirectories to enter: most directories have none, and cost no node.
  template <class MakeNode>
  void visit_dir(unique_fd fd, std::size_t depth, scratch& sc, item& next,
                 MakeNode&& make_node) {
    // Reused from directory to directory: the lists keep their capacity.
    walk_dir& d = sc.dir;
    d.dirpath.assign(sc.path);
    d.depth = depth;
    d.dirfd = fd.get();
    sc.prefix.assign(sc.path);
    end_with_separator(sc.prefix);
    stat_cache cache;
    sc.lists.start(d);
    int err = list_dir(sc.reader, fd.get(), &cache,
                       [&](const raw_dirent& r, const entry_kind& k) {
                         if (c_.fwalk && !fwalk_lists(k)) return;
                         walk_entry_access::fill(sc.lists.next(k.is_dir),
                                                 sc.prefix, r, cache);
                       });
    sc.lists.finish();
    if (err != 0) {
      // walk gives up on a directory it cannot read to the end.
      report(c_.onerror, fail(err, sc.path));
      return;
    }
    if (c_.fwalk) (void)::lseek(fd.get(), 0, SEEK_SET);
    if (stopped_.load(std::memory_order_relaxed)) return;
    (*c_.visit)(d);
    // No syscall: a symlink's type is known (from d_type or the lstat that
    // classified it).
    auto entered = [&](const DirEntry& e) {
      return c_.follow || !*e.is_symlink(std::nothrow);
    };
    if (std::none_of(d.dirs.begin(), d.dirs.end(), entered)) return;
    std::shared_ptr<dir_node> node = make_node();
    std::vector<item>& kids = sc.kids;
    kids.clear();
    // In reverse, so that the first is taken first (from the back).
    for (auto e = d.dirs.rbegin(); e != d.dirs.rend(); ++e) {
      if (entered(*e)) kids.push_back(item{node, std::move(e->name)});
    }
    node->pending = kids.size();
    // Kept for the subdirectories' openat, unless walk opens them by path.
    if (!(c_.follow && !c_.fwalk)) {
      if (node->held->fetch_add(1, std::memory_order_relaxed) < budget_)
        node->fd = fd.release();
      else
        node->held->fetch_sub(1, std::memory_order_relaxed);
    }
    fd.reset();
    // The first is this thread's next; the others are queued.
    next = std::move(kids.back());
    kids.pop_back();
    if (!kids.empty() && !stopped_.load(std::memory_order_relaxed))
      push(sc.self, kids);
    kids.clear();
  }

  config c_;
  std::mutex error_m_;  // serialises onerror
  int budget_ = 0;      // descriptors each worker's nodes may keep
  // Descriptors kept by the nodes each worker made, on a cache line of its
  // own (any worker may close them). Outlives the queues' nodes.
  struct alignas(64) counter {
    std::atomic<int> n{0};
  };
  std::unique_ptr<counter[]> held_;

  std::unique_ptr<queue[]> queues_;  // one per worker (c_.threads)
  unsigned workers_ = 1;  // started: the calling thread and the others
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};

  alignas(64) std::mutex m_;  // guards what follows (idle workers)
  std::condition_variable cv_;
  std::atomic<unsigned> idle_{0};  // workers waiting for work
  bool done_ = false;
  std::exception_ptr error_;
};

unsigned thread_count(unsigned requested) {
  if (requested != 0) return requested;
  std::optional<int> n = process_cpu_count();
  if (!n) n = cpu_count();
  return n && *n > 0 ? static_cast<unsigned>(*n) : 1U;
}

}  // namespace
}  // namespace detail

void parallel_walk(const path_arg& top, const walk_visitor& visit,
                   parallel_walk_options opts) {
  auto node = std::make_shared<detail::dir_node>();
  node->path = top.str();
  // Opened as Python's scandir(top) opens it: following a symlink.
  int fd = detail::walk_open(AT_FDCWD, node->path.c_str(), node->path, false,
                             opts.onerror);
  if (fd == -1) return;
  unique_fd dir(fd);
  detail::parallel_walker w(
      {&visit, std::move(opts.onerror), detail::stop_of(opts),
       detail::thread_count(opts.threads), false, opts.followlinks, AT_FDCWD});
  w.run(std::move(node), std::move(dir));
}

void parallel_fwalk(const path_arg& top, const walk_visitor& visit,
                    parallel_fwalk_options opts) {
  struct ::stat st;
  std::string path = top.str();
  unique_fd fd =
      detail::fwalk_open_top(path, opts.dir_fd.get(), opts.follow_symlinks, st);
  if (!fd) return;
  auto node = std::make_shared<detail::dir_node>();
  node->name = path;
  node->path = std::move(path);
  node->dev = st.st_dev;
  node->ino = st.st_ino;
  detail::parallel_walker w({&visit, std::move(opts.onerror),
                             detail::stop_of(opts),
                             detail::thread_count(opts.threads), true,
                             opts.follow_symlinks, opts.dir_fd.get()});
  w.run(std::move(node), std::move(fd));
}

}  // namespace os

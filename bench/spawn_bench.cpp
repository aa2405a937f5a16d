// Spawning /bin/true and reaping it (issue 5's speed target): a raw
// ::posix_spawn + ::waitpid loop against os::posix_spawn + os::waitpid and
// os::spawnv(P_WAIT, ...), in wall time and in the parent's CPU time
// (getrusage(RUSAGE_SELF): the children's own time is not the library's).
//
// The variants run in interleaved rounds (each round runs every variant
// once, in a rotated order, so that a machine getting busier or quieter
// moves them all alike); each figure is the median over the rounds, per
// spawn. The last lines print the ratios to the raw loop (target: <= 1.05
// in both). bench/spawn_vs_python.py runs CPython's subprocess.run and
// os.posix_spawn the same way, for reference.
//
//   cmake -B build-bench -DCMAKE_BUILD_TYPE=Release -DOSCPP_BUILD_BENCH=ON
//   ninja -C build-bench spawn_bench && build-bench/bench/spawn_bench
//   build-bench/bench/spawn_bench [ROUNDS [SPAWNS_PER_ROUND [PROGRAM [ONLY]]]]
//
// ONLY (a variant's index, 0 = raw) runs that variant alone, for strace -c
// or perf.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "oscpp/processes.hpp"

namespace {

const char* g_program = "/bin/true";

double cpu_seconds() {
  struct ::rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

[[noreturn]] void die(const char* what, int err) {
  std::fprintf(stderr, "spawn_bench: %s: %s\n", what, std::strerror(err));
  std::exit(1);
}

// ---------------------------------------------------------------- variants

// What a C programmer writes: the C library's posix_spawn, argv and envp
// made once.
void raw_posix_spawn(int n) {
  char* argv[] = {const_cast<char*>(g_program), nullptr};
  for (int i = 0; i < n; ++i) {
    pid_t pid;
    if (int e =
            ::posix_spawn(&pid, g_program, nullptr, nullptr, argv, ::environ))
      die("posix_spawn", e);
    int status;
    while (::waitpid(pid, &status, 0) == -1)
      if (errno != EINTR) die("waitpid", errno);
    if (status != 0) die("child status", 0);
  }
}

// The same with oscpp, the argument list made once.
void oscpp_posix_spawn(int n) {
  os::arg_list args{g_program};
  for (int i = 0; i < n; ++i) {
    pid_t pid = os::posix_spawn(g_program, args);
    if (os::waitpid(pid, 0).status != 0) die("child status", 0);
  }
}

// As users write it: the argument list built on every call.
void oscpp_posix_spawn_fresh_args(int n) {
  for (int i = 0; i < n; ++i) {
    pid_t pid = os::posix_spawn(g_program, {g_program});
    if (os::waitpid(pid, 0).status != 0) die("child status", 0);
  }
}

void oscpp_spawnv_wait(int n) {
  os::arg_list args{g_program};
  for (int i = 0; i < n; ++i)
    if (os::spawnv(os::P_WAIT, g_program, args) != 0) die("child status", 0);
}

struct variant {
  const char* name;
  std::function<void(int)> run;
  std::vector<double> wall, cpu;  // per spawn, one per round
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 21;
  int per_round = argc > 2 ? std::atoi(argv[2]) : 500;
  if (argc > 3) g_program = argv[3];
  int only = argc > 4 ? std::atoi(argv[4]) : -1;
  if (rounds < 1 || per_round < 1) {
    std::fprintf(stderr,
                 "usage: %s [ROUNDS [SPAWNS_PER_ROUND [PROGRAM [ONLY]]]]\n",
                 argv[0]);
    return 2;
  }

  std::vector<variant> variants = {
      {"raw posix_spawn + waitpid", raw_posix_spawn, {}, {}},
      {"os::posix_spawn + os::waitpid", oscpp_posix_spawn, {}, {}},
      {"os::posix_spawn({...}) + waitpid",
       oscpp_posix_spawn_fresh_args,
       {},
       {}},
      {"os::spawnv(P_WAIT)", oscpp_spawnv_wait, {}, {}},
  };
  if (only >= 0) {
    if (only >= static_cast<int>(variants.size())) return 2;
    variants[static_cast<std::size_t>(only)].run(rounds * per_round);
    return 0;
  }
  for (auto& v : variants) v.run(std::max(per_round / 10, 1));  // warm up

  for (int r = 0; r < rounds; ++r) {
    for (std::size_t k = 0; k < variants.size(); ++k) {
      variant& v =
          variants[(k + static_cast<std::size_t>(r)) % variants.size()];
      double cpu0 = cpu_seconds();
      auto wall0 = std::chrono::steady_clock::now();
      v.run(per_round);
      std::chrono::duration<double> wall =
          std::chrono::steady_clock::now() - wall0;
      double cpu = cpu_seconds() - cpu0;
      v.wall.push_back(wall.count() / per_round);
      v.cpu.push_back(cpu / per_round);
    }
  }

  std::printf("%s: %d rounds of %d spawns per variant, medians per spawn\n\n",
              g_program, rounds, per_round);
  std::printf("%-34s %12s %14s\n", "variant", "wall (us)", "parent CPU (us)");
  for (const auto& v : variants)
    std::printf("%-34s %12.1f %14.1f\n", v.name, median(v.wall) * 1e6,
                median(v.cpu) * 1e6);
  const variant& raw = variants[0];
  std::printf("\nratios to the raw loop (target <= 1.05x)\n");
  for (std::size_t k = 1; k < variants.size(); ++k) {
    const variant& v = variants[k];
    std::printf("%-34s wall %.3fx   parent CPU %.3fx\n", v.name,
                median(v.wall) / median(raw.wall),
                median(v.cpu) / median(raw.cpu));
  }
  return 0;
}

#!/usr/bin/env python3
"""Issue 11's table: os::parallel_walk and os::parallel_fwalk against the
single-threaded raw loops, fd and bfs, in one run, in wall time.

    python3 bench/walk_vs_fd_bfs.py --bench BUILD/bench/files_bench

fd and bfs come from Debian (benchmark set-up only, not the library):

    apt-get install -y fd-find bfs

Each round runs files_bench's walk benchmarks once (the parallel walks with
1, 2 and 4 threads, the raw loops, walk and fwalk), then `fdfind -u . DIR`
and `bfs DIR` (stdout to /dev/null) on the same trees; rounds interleave so
that a change of load hits every variant alike. Each figure is the fastest
wall time over the rounds (warm cache: every tree is walked before the
first round). Prints the comparison table, then the scaling table (1, 2
and 4 threads), the machine's own scaling (two whole raw loops at once, as
threads and as processes), the single-threaded walk and fwalk against
their like-for-like raw loops (CPU time), then the load average sampled
before and after each round: what docs/performance.md takes. The trees are files_bench's: the synthetic
one (200,310 entries, in /dev/shm unless OSCPP_BENCH_DIR says otherwise)
and /usr. The entry counts of fd, bfs and the parallel walks are checked to match.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

TARGET_RAW = 0.65
TARGET_PEER = 0.60


def base_dir():
    if os.environ.get("OSCPP_BENCH_DIR"):
        return os.environ["OSCPP_BENCH_DIR"]
    return "/dev/shm/oscpp-bench" if os.path.isdir("/dev/shm") \
        else "/tmp/oscpp-bench"


TREES = {"synthetic": (0, os.path.join(base_dir(), "tree-200k")),
         "/usr": (1, os.environ.get("OSCPP_BENCH_USR", "/usr"))}
FILTER = ("BM_walk_raw_names/|BM_walk_raw_like_walk/|"
          "BM_walk_raw_like_walk_by_path/|BM_walk_raw_like_fwalk/|"
          "BM_walk_raw_names_twice/|BM_walk_oscpp/|BM_fwalk_oscpp/|"
          "BM_parallel_")
TARGET_WALK = 1.10
TARGET_FWALK = 1.20


def bench_round(bench):
    """One run of the walk benchmarks: name -> (wall s, entries, CPU s)."""
    out = subprocess.run(
        [bench, "--benchmark_format=json", "--benchmark_filter=" + FILTER,
         "--benchmark_min_time=0.05"],
        check=True, capture_output=True, text=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        name = b["run_name"].replace("/process_time", "").replace(
            "/real_time", "")
        res[name] = (b["real_time"] * unit, int(b.get("entries", 0)),
                     b["cpu_time"] * unit)
    return res


def wall(cmd):
    """(wall s, CPU s of every thread) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    t = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return t, (after.ru_utime - before.ru_utime) + (
        after.ru_stime - before.ru_stime)


def count(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True).stdout
    return out.count(b"\n")


def peers(tree):
    return {"fd": ["fdfind", "-u", ".", tree], "bfs": ["bfs", tree]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True, help="files_bench binary")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    # Warm-up (and the synthetic tree made, if it is not there yet).
    first = bench_round(args.bench)
    for label, (arg, tree) in TREES.items():
        for cmd in peers(tree).values():
            wall(cmd)
    # Same entries: fd lists everything below the tree (-u: hidden and
    # ignored files too), bfs the tree itself as well.
    for label, (arg, tree) in TREES.items():
        ours = {first["BM_parallel_walk/%d/%d" % (arg, t)][1]
                for t in (1, 2, 4)}
        ours |= {first["BM_parallel_fwalk/%d/%d" % (arg, t)][1]
                 for t in (1, 2, 4)}
        for raw in ("like_walk", "like_walk_by_path", "like_fwalk"):
            ours.add(first["BM_walk_raw_%s/%d" % (raw, arg)][1])
        fd_n = count(peers(tree)["fd"])
        bfs_n = count(peers(tree)["bfs"]) - 1
        print("%s: entries: oscpp %s, fd %d, bfs %d" % (
            label, sorted(ours), fd_n, bfs_n))
        if len(ours) != 1 or fd_n not in ours or bfs_n not in ours:
            sys.exit("entry counts differ on %s" % label)

    best = {}  # fastest wall time
    cpu = {}   # fastest CPU time (every thread; the main thread's only
    # for the single-threaded loops, which have no other)
    loads = []

    def keep(name, t, c):
        best[name] = min(best.get(name, t), t)
        cpu[name] = min(cpu.get(name, c), c)

    for _ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for name, (t, _n, c) in bench_round(args.bench).items():
            keep(name, t, c)
        for label, (arg, tree) in TREES.items():
            for peer, cmd in peers(tree).items():
                keep("%s/%d" % (peer, arg), *wall(cmd))
        loads.append(os.getloadavg()[0])

    lines = ["| tree | variant | wall | x raw loop | x raw like walk "
             "| x fd | x bfs | CPU (all threads) | CPU x raw loop |",
             "|---|---|---|---|---|---|---|---|---|"]
    for label, (arg, tree) in TREES.items():
        raw = best["BM_walk_raw_names/%d" % arg]
        like = best["BM_walk_raw_like_walk/%d" % arg]
        fd = best["fd/%d" % arg]
        bfs = best["bfs/%d" % arg]
        rows = [("raw loop (1 thread)", "BM_walk_raw_names/%d" % arg),
                ("raw loop like walk (1 thread)",
                 "BM_walk_raw_like_walk/%d" % arg),
                ("raw loop like walk, opening by path (1 thread)",
                 "BM_walk_raw_like_walk_by_path/%d" % arg),
                ("raw loop like fwalk (1 thread)",
                 "BM_walk_raw_like_fwalk/%d" % arg),
                ("os::walk (1 thread)", "BM_walk_oscpp/%d" % arg),
                ("os::fwalk (1 thread)", "BM_fwalk_oscpp/%d" % arg)]
        for t in (1, 2, 4):
            rows.append(("os::parallel_walk, %d threads" % t,
                         "BM_parallel_walk/%d/%d" % (arg, t)))
        for t in (1, 2, 4):
            rows.append(("os::parallel_fwalk, %d threads" % t,
                         "BM_parallel_fwalk/%d/%d" % (arg, t)))
        rows += [("`fdfind -u . DIR` (2 threads)", "fd/%d" % arg),
                 ("`bfs DIR`", "bfs/%d" % arg)]
        raw_cpu = cpu["BM_walk_raw_names/%d" % arg]
        for name, key in rows:
            t = best[key]
            lines.append("| %s | %s | %.1f ms | %.2f | %.2f | %.2f | %.2f "
                         "| %.1f ms | %.2f |" % (
                             label, name, t * 1e3, t / raw, t / like, t / fd,
                             t / bfs, cpu[key] * 1e3, cpu[key] / raw_cpu))
    print("\n".join(lines))
    print()
    # The scaling table: wall time, then CPU time of all threads, each as a
    # ratio to the single-threaded raw loop's.
    print("| tree | walk | 1 thread | 2 threads | 4 threads |")
    print("|---|---|---|---|---|")
    for label, (arg, tree) in TREES.items():
        raw = best["BM_walk_raw_names/%d" % arg]
        raw_cpu = cpu["BM_walk_raw_names/%d" % arg]
        for walk in ("parallel_walk", "parallel_fwalk"):
            cells = []
            for t in (1, 2, 4):
                key = "BM_%s/%d/%d" % (walk, arg, t)
                cells.append("%.1f ms (%.2fx), CPU %.1f ms (%.2fx)" % (
                    best[key] * 1e3, best[key] / raw, cpu[key] * 1e3,
                    cpu[key] / raw_cpu))
            print("| %s | `os::%s` | %s |" % (label, walk, " | ".join(cells)))
    print()
    # The machine's own scaling: two whole raw loops at once, each figure
    # the wall time of both as a ratio to one loop's (1.00: perfect).
    print("| tree | two raw loops at once, as threads | as processes |")
    print("|---|---|---|")
    for label, (arg, tree) in TREES.items():
        raw = best["BM_walk_raw_names/%d" % arg]
        print("| %s | %.2fx | %.2fx |" % (
            label, best["BM_walk_raw_names_twice/%d/1" % arg] / raw,
            best["BM_walk_raw_names_twice/%d/2" % arg] / raw))
    print()
    # The single-threaded walks against their like-for-like raw loops
    # (CPU time): the plain one, and the one doing the rest of what
    # Python's walk (opening by path) or fwalk (fstat, rewind) must do.
    print("| tree | walk | x raw like walk | x raw like walk by path "
          "| fwalk | x raw like walk | x raw like fwalk |")
    print("|---|---|---|---|---|---|---|")
    for label, (arg, tree) in TREES.items():
        like = cpu["BM_walk_raw_like_walk/%d" % arg]
        w = cpu["BM_walk_oscpp/%d" % arg]
        f = cpu["BM_fwalk_oscpp/%d" % arg]
        print("| %s | %.1f ms | %.2f | %.2f | %.1f ms | %.2f | %.2f |" % (
            label, w * 1e3, w / like,
            w / cpu["BM_walk_raw_like_walk_by_path/%d" % arg], f * 1e3,
            f / like, f / cpu["BM_walk_raw_like_fwalk/%d" % arg]))
    print()
    print("load average (1 min) during the rounds: %s" %
          ", ".join("%.2f" % x for x in loads))
    print("targets: 2 threads <= %.2fx the raw loop, <= %.2fx fd and bfs; "
          "walk <= %.2fx, fwalk <= %.2fx their raw loops" % (
              TARGET_RAW, TARGET_PEER, TARGET_WALK, TARGET_FWALK))


if __name__ == "__main__":
    main()

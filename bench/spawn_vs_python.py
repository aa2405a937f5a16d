#!/usr/bin/env python3
"""CPython's ways of spawning /bin/true and reaping it, for reference next to
bench/spawn_bench.cpp: os.posix_spawn + os.waitpid, subprocess.run, and (when
--module-dir points at a build of the binding) oscpp.posix_spawn.

Same method as spawn_bench: interleaved rounds, medians per spawn, wall time
and the parent's CPU time (getrusage(RUSAGE_SELF)). With --bench, runs
spawn_bench first and prints CPython's figures as ratios to its raw loop.

    python3 bench/spawn_vs_python.py --bench build-bench/bench/spawn_bench
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time

PROGRAM = "/bin/true"


def cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def os_posix_spawn(mod, n):
    argv, env = [PROGRAM], os.environ
    for _ in range(n):
        pid = mod.posix_spawn(PROGRAM, argv, env)
        _, status = mod.waitpid(pid, 0)
        assert status == 0


def subprocess_run(n):
    for _ in range(n):
        subprocess.run([PROGRAM], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--per-round", type=int, default=300)
    parser.add_argument("--bench", help="path of spawn_bench, run first")
    parser.add_argument("--module-dir", help="directory holding oscpp*.so")
    args = parser.parse_args()

    variants = [
        ("os.posix_spawn + os.waitpid", lambda n: os_posix_spawn(os, n)),
        ("subprocess.run([...])", subprocess_run),
    ]
    if args.module_dir:
        sys.path.insert(0, args.module_dir)
        import oscpp  # noqa: E402

        variants.append(("oscpp.posix_spawn + oscpp.waitpid",
                         lambda n: os_posix_spawn(oscpp, n)))

    raw = None
    if args.bench:
        out = subprocess.run(
            [args.bench, str(args.rounds), str(args.per_round)],
            check=True, capture_output=True, text=True).stdout
        print(out)
        m = re.search(r"raw posix_spawn \+ waitpid\s+([\d.]+)\s+([\d.]+)",
                      out)
        if m:
            raw = (float(m.group(1)), float(m.group(2)))

    for _, run in variants:
        run(max(args.per_round // 10, 1))  # warm up
    samples = {name: ([], []) for name, _ in variants}
    for r in range(args.rounds):
        for k in range(len(variants)):
            name, run = variants[(k + r) % len(variants)]
            cpu0, wall0 = cpu_seconds(), time.perf_counter()
            run(args.per_round)
            wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
            samples[name][0].append(wall / args.per_round)
            samples[name][1].append(cpu / args.per_round)

    print("Python %s: %d rounds of %d spawns per variant, medians per spawn\n"
          % (sys.version.split()[0], args.rounds, args.per_round))
    print("%-34s %12s %14s" % ("variant", "wall (us)", "parent CPU (us)"))
    medians = {}
    for name, _ in variants:
        wall = statistics.median(samples[name][0]) * 1e6
        cpu = statistics.median(samples[name][1]) * 1e6
        medians[name] = (wall, cpu)
        print("%-34s %12.1f %14.1f" % (name, wall, cpu))
    if raw:
        print("\nratios to spawn_bench's raw loop (run just before)")
        for name, (wall, cpu) in medians.items():
            print("%-34s wall %.3fx   parent CPU %.3fx"
                  % (name, wall / raw[0], cpu / raw[1]))


if __name__ == "__main__":
    main()

// os::environ from many threads at once: 8 threads, each doing mixed
// operations on keys of its own, so that any lost or torn write shows up in
// the thread's own bookkeeping; afterwards os::environ and the process
// environment must agree exactly. Run it under the tsan preset too.
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "detail/process_environ.hpp"
#include "oscpp/environ.hpp"

namespace {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define OSCPP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define OSCPP_SANITIZED 1
#endif
#endif

constexpr int kThreads = 8;
constexpr int kKeysPerThread = 8;
#ifdef OSCPP_SANITIZED
// The sanitizers slow every operation ~10x: fewer rounds, same mix.
constexpr int kOpsPerThread = 10'000;
#else
constexpr int kOpsPerThread = 100'000;
#endif

std::string key_of(int thread, int k) {
  return "OSCPP_TT_" + std::to_string(thread) + "_" + std::to_string(k);
}

// The process environment as the C library has it (first of duplicates).
std::map<std::string, std::string> c_environment() {
  std::map<std::string, std::string> env;
  for (char** e = os::detail::process_environ(); *e != nullptr; ++e) {
    std::string entry(*e);
    std::size_t eq = entry.find('=');
    if (eq != std::string::npos)
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

// One thread's work; returns the number of inconsistencies it saw and
// leaves its keys' final values in expected.
int worker(int t, std::vector<std::optional<std::string>>& expected) {
  std::minstd_rand rng(static_cast<unsigned>(t + 1));
  std::vector<std::string> keys;
  for (int k = 0; k < kKeysPerThread; ++k) keys.push_back(key_of(t, k));
  const std::string prefix = "OSCPP_TT_" + std::to_string(t) + "_";
  int errors = 0;
  auto check = [&](bool ok) { errors += ok ? 0 : 1; };

  for (int i = 0; i < kOpsPerThread; ++i) {
    int k = static_cast<int>(rng() % kKeysPerThread);
    const std::string& key = keys[k];
    std::optional<std::string>& want = expected[k];
    switch (rng() % 10) {
      case 0:
      case 1:
      case 2: {  // set, then read our own write back
        // Values from a small set: the C library keeps every distinct
        // "name=value" string it ever made.
        std::string value = std::to_string(rng() % 64);
        os::environ.set(key, value);
        want = value;
        check(os::environ.get(key) == want);
        break;
      }
      case 3: {  // erase: KeyError exactly when we removed it before
        try {
          os::environ.erase(key);
          check(want.has_value());
        } catch (const std::out_of_range&) {
          check(!want.has_value());
        }
        want.reset();
        check(!os::environ.contains(key));
        break;
      }
      case 4:
      case 5:
      case 6:  // lookups, through every reading member
        check(os::environ.get(key) == want);
        check(os::environ.contains(key) == want.has_value());
        check(os::environ.get(key, "-") == want.value_or("-"));
        break;
      case 7: {  // iterate: our keys appear exactly as we left them
        int seen = 0;
        for (const auto& [name, value] : os::environ) {
          if (name.rfind(prefix, 0) != 0) continue;
          for (int j = 0; j < kKeysPerThread; ++j)
            if (name == keys[j]) {
              ++seen;
              check(expected[j] == value);
            }
        }
        int present = 0;
        for (const auto& w : expected) present += w.has_value() ? 1 : 0;
        check(seen == present);
        break;
      }
      case 8: {  // copy
        std::map<std::string, std::string> copy = os::environ.copy();
        for (int j = 0; j < kKeysPerThread; ++j) {
          auto it = copy.find(keys[j]);
          check(expected[j] == (it == copy.end()
                                    ? std::nullopt
                                    : std::optional<std::string>(it->second)));
        }
        break;
      }
      case 9: {  // the compound writes: pop, setdefault, update
        std::string old = os::environ.pop(key, "-");
        check(old == want.value_or("-"));
        std::string value = std::to_string(rng() % 64);
        check(os::environ.setdefault(key, value) == value);
        os::environ.update({{key, value + "u"}});
        want = value + "u";
        check(os::environ.get(key) == want);
        break;
      }
    }
  }
  return errors;
}

TEST(EnvironThreads, ManyThreadsLoseNoWrite) {
  std::vector<std::vector<std::optional<std::string>>> expected(
      kThreads, std::vector<std::optional<std::string>>(kKeysPerThread));
  std::vector<int> errors(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] { errors[t] = worker(t, expected[t]); });
  for (auto& th : threads) th.join();

  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], 0) << "thread " << t;
    for (int k = 0; k < kKeysPerThread; ++k) {
      std::string key = key_of(t, k);
      EXPECT_EQ(os::environ.get(key), expected[t][k]) << key;
      const char* c = ::getenv(key.c_str());
      EXPECT_EQ(c ? std::optional<std::string>(c) : std::nullopt,
                expected[t][k])
          << key;
    }
  }
  // Nothing else wrote the environment: the mapping and the C library's
  // array hold exactly the same variables.
  EXPECT_EQ(os::environ.copy(), c_environment());
  EXPECT_EQ(os::environ.size(), c_environment().size());
}

}  // namespace

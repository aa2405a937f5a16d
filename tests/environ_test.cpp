// os::environ and the environment functions, checked against what python3
// does for the same operations.
#include "oscpp/environ.hpp"

#include <gtest/gtest.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <thread>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "support/support.hpp"

namespace {

using item = std::pair<std::string, std::string>;
using items = std::vector<item>;

// The C library's view of key, for checking what os::environ wrote.
std::optional<std::string> c_getenv(const char* key) {
  const char* v = ::getenv(key);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

// Every test works on variables named OSCPP_T_*; they are removed from both
// os::environ and the process environment afterwards.
class Environ : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& key : os::environ.keys())
      if (key.rfind("OSCPP_T_", 0) == 0) os::environ.erase(key);
    for (const char* key : {"OSCPP_T_A", "OSCPP_T_B", "OSCPP_T_C",
                            "OSCPP_T_PUT", "OSCPP_T_CHILD"})
      ::unsetenv(key);
  }
};

// Checks that f throws exactly E, whose what() is message.
template <class E, class F>
void expect_throw_what(F&& f, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no exception, expected " << typeid(E).name();
  } catch (const E& e) {
    EXPECT_EQ(typeid(e), typeid(E));
    EXPECT_EQ(std::string(e.what()), message);
  }
}

// Checks that f throws os::OSError itself (Python's OSError) with EINVAL and
// no filename, as Python's putenv/unsetenv do for a name setenv refuses.
template <class F>
void expect_einval(F&& f) {
  try {
    f();
    ADD_FAILURE() << "no exception, expected OSError(EINVAL)";
  } catch (const os::OSError& e) {
    EXPECT_EQ(typeid(e), typeid(os::OSError));
    EXPECT_EQ(e.code().value(), EINVAL);
    EXPECT_FALSE(e.filename().has_value());
    EXPECT_STREQ(e.what(), "[Errno 22] Invalid argument");
  }
}

// ---------------------------------------------------------------- snapshot

// Runs this binary as a child mode with exactly the environment envp.
int run_with_env(const char* mode, std::vector<std::string> envp) {
  std::string self = oscpp_test::self_exe();
  std::string flag = "--oscpp-child";
  std::string name = mode;
  char* argv[] = {self.data(), flag.data(), name.data(), nullptr};
  std::vector<char*> env;
  for (auto& e : envp) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawn(&pid, argv[0], nullptr, nullptr, argv, env.data());
  EXPECT_EQ(rc, 0) << std::strerror(rc);
  if (rc != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  return status;
}

OSCPP_CHILD_MODE(environ_snapshot) {
  // Set before the first use of os::environ, but after the library was
  // loaded: Python's os.environ would not see it either.
  ::setenv("LATE", "1", 1);
  items expected = {{"A", "1"}, {"", "empty"}, {"B", "x=y"}, {"C", ""}};
  if (os::environ.items() != expected) return 1;
  if (os::environ.contains("LATE")) return 2;
  return 0;
}

TEST_F(Environ, SnapshotOfTheEnvironmentAtLoad) {
  // Python's os.environ: the first of duplicated names, no entries without
  // '=', "=empty" is the empty name, the value goes to the end.
  int status = run_with_env("environ_snapshot",
                            {"A=1", "A=2", "NOEQ", "=empty", "B=x=y", "C="});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(Environ, HoldsWhatTheProcessWasGiven) {
  // ctest and shells always pass PATH; whatever the C library has for names
  // nobody wrote, os::environ has too.
  std::optional<std::string> path = os::environ.get("PATH");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path, c_getenv("PATH"));
}

// ---------------------------------------------------------------- lookup

TEST_F(Environ, LookupOfAnExistingKey) {
  os::environ.set("OSCPP_T_A", "value");
  EXPECT_EQ(std::as_const(os::environ)["OSCPP_T_A"], "value");
  std::string via_proxy = os::environ["OSCPP_T_A"];
  EXPECT_EQ(via_proxy, "value");
  EXPECT_TRUE(os::environ["OSCPP_T_A"] == "value");
  EXPECT_EQ(os::environ["OSCPP_T_A"].str(), "value");
  EXPECT_TRUE("value" == os::environ["OSCPP_T_A"]);
  std::ostringstream out;
  out << os::environ["OSCPP_T_A"];
  EXPECT_EQ(out.str(), "value");
}

// The proxy holds its own key, so it can be named and converted later.
using proxy = os::environ_map::item_proxy;
static_assert(std::is_convertible_v<proxy&&, std::string>);
static_assert(std::is_convertible_v<proxy&, std::string>);
static_assert(std::is_convertible_v<const proxy&, std::string>);
static_assert(std::is_assignable_v<proxy&, std::string_view>);

// The ports of `home = os.environ["HOME"]`, `os.environ["HOME"] + "/bin"`
// and `os.get_exec_path(os.environ)`, in the shape Python has them.
TEST_F(Environ, ProxyReadsLikeAString) {
  os::environ["OSCPP_T_A"] = "/home/x";
  auto home = os::environ[std::string("OSCPP_T_A")];  // the key outlives
  std::string s = home;                               // its temporary
  EXPECT_EQ(s, "/home/x");
  EXPECT_EQ(os::environ["OSCPP_T_A"] + "/bin", "/home/x/bin");
  EXPECT_EQ("dir:" + home, "dir:/home/x");
  EXPECT_EQ(home + std::string("/y"), "/home/x/y");
  // A named proxy is live: it sees a later write.
  os::environ["OSCPP_T_A"] = "/other";
  EXPECT_EQ(std::string(home), "/other");
  EXPECT_EQ(s, "/home/x");
  home = "/via/proxy";
  EXPECT_EQ(os::environ.get("OSCPP_T_A"), "/via/proxy");
  os::environ["OSCPP_T_B"] = os::environ["OSCPP_T_A"];
  EXPECT_EQ(os::environ.get("OSCPP_T_B"), "/via/proxy");
  os::environ.erase("OSCPP_T_A");
  EXPECT_THROW((void)home.str(), std::out_of_range);
}

TEST_F(Environ, GetExecPathOfTheEnvironObject) {
  std::optional<std::string> saved = os::environ.get("PATH");
  os::environ["PATH"] = "/a:/b";
  EXPECT_EQ(os::get_exec_path(os::environ),
            (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(os::get_exec_path(os::environ), os::get_exec_path());
  if (saved) os::environ["PATH"] = *saved;
}

TEST_F(Environ, LookupOfAMissingKeyIsKeyError) {
  // KeyError('OSCPP_T_A'): str() is the key's repr.
  expect_throw_what<std::out_of_range>(
      [] { (void)std::as_const(os::environ)["OSCPP_T_A"]; }, "'OSCPP_T_A'");
  expect_throw_what<std::out_of_range>(
      [] { std::string v = os::environ["OSCPP_T_A"]; }, "'OSCPP_T_A'");
  // A key that could never be set is just missing, as in Python.
  expect_throw_what<std::out_of_range>(
      [] { (void)std::as_const(os::environ)[std::string_view("a\0b", 3)]; },
      "'a\\x00b'");
}

TEST_F(Environ, VisitSeesTheValueWithoutACopy) {
  os::environ.set("OSCPP_T_A", "a value longer than the SSO buffer");
  std::string seen;
  EXPECT_TRUE(os::environ.visit(
      "OSCPP_T_A", [&](std::string_view v) { seen = std::string(v); }));
  EXPECT_EQ(seen, "a value longer than the SSO buffer");
  int calls = 0;
  EXPECT_FALSE(
      os::environ.visit("OSCPP_T_B", [&](std::string_view) { ++calls; }));
  EXPECT_EQ(calls, 0);
}

TEST_F(Environ, VisitKeepsItsViewAcrossNestedWrites) {
  // The callback writes, then reads (which moves this thread to the new
  // table): the view it was given must stay readable (ASan checks it).
  os::environ.set("OSCPP_T_A", "a value longer than the SSO buffer");
  std::string after;
  os::environ.visit("OSCPP_T_A", [&](std::string_view v) {
    os::environ.set("OSCPP_T_A", "replaced");
    os::environ.erase("OSCPP_T_A");
    EXPECT_FALSE(os::environ.contains("OSCPP_T_A"));
    os::environ.visit("OSCPP_T_B", [](std::string_view) {});
    after = std::string(v);
  });
  EXPECT_EQ(after, "a value longer than the SSO buffer");
}

TEST_F(Environ, GetContainsSize) {
  std::size_t before = os::environ.size();
  EXPECT_FALSE(os::environ.contains("OSCPP_T_A"));
  EXPECT_EQ(os::environ.get("OSCPP_T_A"), std::nullopt);
  EXPECT_EQ(os::environ.get("OSCPP_T_A", "dflt"), "dflt");
  os::environ.set("OSCPP_T_A", "");
  EXPECT_TRUE(os::environ.contains("OSCPP_T_A"));
  EXPECT_EQ(os::environ.get("OSCPP_T_A"), "");
  EXPECT_EQ(os::environ.get("OSCPP_T_A", "dflt"), "");
  EXPECT_EQ(os::environ.size(), before + 1);
  EXPECT_FALSE(os::environ.empty());
}

// ---------------------------------------------------------------- writes

TEST_F(Environ, SetWritesTheProcessEnvironment) {
  os::environ.set("OSCPP_T_A", "1");
  EXPECT_EQ(c_getenv("OSCPP_T_A"), "1");
  os::environ["OSCPP_T_A"] = "2";
  EXPECT_EQ(c_getenv("OSCPP_T_A"), "2");
  EXPECT_EQ(os::environ.get("OSCPP_T_A"), "2");
  os::environ["OSCPP_T_B"] = os::environ["OSCPP_T_A"];
  EXPECT_EQ(c_getenv("OSCPP_T_B"), "2");
  // Bytes, not text: any byte but NUL goes through.
  os::environ.set("OSCPP_T_C", "\xff\x01 \xe2\x82\xac");
  EXPECT_EQ(c_getenv("OSCPP_T_C"), "\xff\x01 \xe2\x82\xac");
}

TEST_F(Environ, ChildrenInheritWrites) {
  os::environ.set("OSCPP_T_CHILD", "inherited");
  int status = oscpp_test::run_child_mode("environ_expect", {"inherited"});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  os::environ.erase("OSCPP_T_CHILD");
  status = oscpp_test::run_child_mode("environ_expect", {});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

OSCPP_CHILD_MODE(environ_expect) {
  std::optional<std::string> want;
  if (argc > 0) want = argv[0];
  return os::environ.get("OSCPP_T_CHILD") == want &&
                 c_getenv("OSCPP_T_CHILD") == want
             ? 0
             : 1;
}

TEST_F(Environ, OrderIsInsertionOrderAsInADict) {
  os::environ.set("OSCPP_T_A", "1");
  os::environ.set("OSCPP_T_B", "2");
  os::environ.set("OSCPP_T_A", "3");  // an update keeps its place
  os::environ.set("OSCPP_T_C", "4");
  items all = os::environ.items();
  ASSERT_GE(all.size(), 3u);
  items last(all.end() - 3, all.end());
  EXPECT_EQ(
      last,
      (items{{"OSCPP_T_A", "3"}, {"OSCPP_T_B", "2"}, {"OSCPP_T_C", "4"}}));
  os::environ.erase("OSCPP_T_A");
  os::environ.set("OSCPP_T_A", "5");  // re-added at the end
  EXPECT_EQ(os::environ.keys().back(), "OSCPP_T_A");
  EXPECT_EQ(os::environ.values().back(), "5");
}

TEST_F(Environ, SetRejectsWhatPythonRejects) {
  std::size_t before = os::environ.size();
  // os.environ['a=b'] = '1' -> ValueError: illegal environment variable name
  expect_throw_what<std::invalid_argument>(
      [] { os::environ.set("OSCPP_T_A=b", "1"); },
      "illegal environment variable name");
  // os.environ['a\0'] = '1' and os.environ['a'] = '1\0' -> ValueError
  expect_throw_what<std::invalid_argument>(
      [] { os::environ.set(std::string_view("OSCPP_T_A\0", 10), "1"); },
      "embedded null byte");
  expect_throw_what<std::invalid_argument>(
      [] { os::environ["OSCPP_T_A"] = std::string_view("1\0", 2); },
      "embedded null byte");
  // NUL is checked before '=', as Python converts both arguments first.
  expect_throw_what<std::invalid_argument>(
      [] { os::environ.set("OSCPP_T_A=", std::string_view("\0", 1)); },
      "embedded null byte");
  // os.environ[''] = '1' -> OSError: [Errno 22] Invalid argument
  expect_einval([] { os::environ.set("", "1"); });
  EXPECT_EQ(os::environ.size(), before);
  EXPECT_FALSE(os::environ.contains(""));
  EXPECT_FALSE(os::environ.contains("OSCPP_T_A"));
  EXPECT_EQ(c_getenv("OSCPP_T_A"), std::nullopt);
}

TEST_F(Environ, EraseUnsetsTheVariable) {
  os::environ.set("OSCPP_T_A", "1");
  os::environ.erase("OSCPP_T_A");
  EXPECT_FALSE(os::environ.contains("OSCPP_T_A"));
  EXPECT_EQ(c_getenv("OSCPP_T_A"), std::nullopt);
}

TEST_F(Environ, EraseOfAMissingKeyIsKeyErrorAfterUnsetenv) {
  // Python's del os.environ[k] calls unsetenv(k) first, then raises
  // KeyError(k) if the mapping had no k: a putenv'd variable goes away.
  os::putenv("OSCPP_T_PUT", "1");
  expect_throw_what<std::out_of_range>([] { os::environ.erase("OSCPP_T_PUT"); },
                                       "'OSCPP_T_PUT'");
  EXPECT_EQ(c_getenv("OSCPP_T_PUT"), std::nullopt);
}

TEST_F(Environ, EraseRejectsWhatPythonRejects) {
  // del os.environ['a=b'] / [''] -> OSError EINVAL (from unsetenv);
  // del os.environ['a\0'] -> ValueError.
  expect_einval([] { os::environ.erase("OSCPP_T_A=b"); });
  expect_einval([] { os::environ.erase(""); });
  expect_throw_what<std::invalid_argument>(
      [] { os::environ.erase(std::string_view("OSCPP_T_A\0", 10)); },
      "embedded null byte");
}

TEST_F(Environ, Pop) {
  os::environ.set("OSCPP_T_A", "1");
  EXPECT_EQ(os::environ.pop("OSCPP_T_A"), "1");
  EXPECT_FALSE(os::environ.contains("OSCPP_T_A"));
  EXPECT_EQ(c_getenv("OSCPP_T_A"), std::nullopt);
  expect_throw_what<std::out_of_range>([] { os::environ.pop("OSCPP_T_A"); },
                                       "'OSCPP_T_A'");
  EXPECT_EQ(os::environ.pop("OSCPP_T_A", "dflt"), "dflt");
  os::environ.set("OSCPP_T_A", "2");
  EXPECT_EQ(os::environ.pop("OSCPP_T_A", "dflt"), "2");
  EXPECT_EQ(c_getenv("OSCPP_T_A"), std::nullopt);
}

TEST_F(Environ, Setdefault) {
  EXPECT_EQ(os::environ.setdefault("OSCPP_T_A", "1"), "1");
  EXPECT_EQ(c_getenv("OSCPP_T_A"), "1");
  EXPECT_EQ(os::environ.setdefault("OSCPP_T_A", "2"), "1");
  EXPECT_EQ(c_getenv("OSCPP_T_A"), "1");
  // The value is only checked when it would be set, as in Python.
  EXPECT_EQ(os::environ.setdefault("OSCPP_T_A", std::string_view("\0", 1)),
            "1");
  expect_throw_what<std::invalid_argument>(
      [] { os::environ.setdefault("OSCPP_T_B=", "1"); },
      "illegal environment variable name");
  expect_einval([] { os::environ.setdefault("", "1"); });
}

TEST_F(Environ, UpdateChecksEveryPairFirst) {
  os::environ.update({{"OSCPP_T_A", "1"}, {"OSCPP_T_B", "2"}});
  EXPECT_EQ(c_getenv("OSCPP_T_A"), "1");
  EXPECT_EQ(c_getenv("OSCPP_T_B"), "2");
  std::map<std::string, std::string> m = {{"OSCPP_T_A", "3"},
                                          {"OSCPP_T_C", "4"}};
  os::environ.update(m);
  EXPECT_EQ(os::environ.get("OSCPP_T_A"), "3");
  EXPECT_EQ(c_getenv("OSCPP_T_C"), "4");
  items pairs = {{"OSCPP_T_C", "5"}};
  os::environ.update(pairs);
  EXPECT_EQ(c_getenv("OSCPP_T_C"), "5");

  // A bad pair anywhere: nothing changes.
  expect_throw_what<std::invalid_argument>(
      [] {
        os::environ.update({{"OSCPP_T_A", "9"}, {"OSCPP_T_B=", "9"}});
      },
      "illegal environment variable name");
  expect_einval([] { os::environ.update({{"OSCPP_T_A", "9"}, {"", "9"}}); });
  EXPECT_EQ(os::environ.get("OSCPP_T_A"), "3");
  EXPECT_EQ(c_getenv("OSCPP_T_A"), "3");
}

// clear() and popitem() empty the whole environment: they run in a child.
OSCPP_CHILD_MODE(environ_clear) {
  os::putenv("OSCPP_T_PUT", "kept");  // not in the mapping: clear keeps it
  os::environ.set("OSCPP_T_A", "1");
  auto first = os::environ.items().front();
  if (os::environ.popitem() != first) return 1;
  if (os::environ.contains(first.first) || ::getenv(first.first.c_str()))
    return 2;
  os::environ.clear();
  if (!os::environ.empty() || !os::environ.items().empty()) return 3;
  if (::getenv("OSCPP_T_A") != nullptr || ::getenv("PATH") != nullptr) return 4;
  if (c_getenv("OSCPP_T_PUT") != "kept") return 5;
  try {
    os::environ.popitem();
    return 6;
  } catch (const std::out_of_range& e) {
    // Python: KeyError() with no arguments, whose str() is ''.
    if (std::string(e.what()) != "") return 7;
  }
  return 0;
}

TEST_F(Environ, ClearAndPopitem) {
  int status = oscpp_test::run_child_mode("environ_clear");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// ---------------------------------------------------------------- snapshots

TEST_F(Environ, CopyItemsKeysValues) {
  os::environ.set("OSCPP_T_A", "1");
  std::map<std::string, std::string> copy = os::environ.copy();
  EXPECT_EQ(copy.at("OSCPP_T_A"), "1");
  EXPECT_EQ(copy.size(), os::environ.size());
  items all = os::environ.items();
  std::vector<std::string> keys = os::environ.keys();
  std::vector<std::string> values = os::environ.values();
  ASSERT_EQ(all.size(), keys.size());
  ASSERT_EQ(all.size(), values.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].first, keys[i]);
    EXPECT_EQ(all[i].second, values[i]);
    EXPECT_EQ(copy.at(keys[i]), values[i]);
  }
  // A copy is a copy.
  os::environ.set("OSCPP_T_A", "2");
  EXPECT_EQ(copy.at("OSCPP_T_A"), "1");
}

TEST_F(Environ, IterationWalksASnapshot) {
  os::environ.set("OSCPP_T_A", "1");
  items seen;
  for (const auto& [key, value] : os::environ) {
    if (seen.empty()) {
      // Writes during the loop neither disturb nor invalidate it.
      os::environ.set("OSCPP_T_B", "new");
      os::environ.erase("OSCPP_T_A");
    }
    seen.emplace_back(key, value);
  }
  EXPECT_NE(std::find(seen.begin(), seen.end(), item{"OSCPP_T_A", "1"}),
            seen.end());
  EXPECT_EQ(std::find_if(seen.begin(), seen.end(),
                         [](const item& i) { return i.first == "OSCPP_T_B"; }),
            seen.end());
  EXPECT_EQ(seen.size(), os::environ.size());
  // Classic iterator use: begin() == begin() of the same snapshot only.
  auto it = os::environ.begin();
  auto copy = it;
  EXPECT_EQ(it, copy);
  EXPECT_NE(it, os::environ.end());
  ++copy;
  EXPECT_NE(it, copy);
  EXPECT_EQ(it->first, os::environ.keys().front());
  EXPECT_EQ(std::distance(os::environ.begin(), os::environ.end()),
            static_cast<std::ptrdiff_t>(os::environ.size()));
}

TEST_F(Environ, EnvironbIsTheSameObject) {
  EXPECT_EQ(&os::environb, &os::environ);
  static_assert(os::supports_bytes_environ);
}

// ---------------------------------------------------------------- functions

TEST_F(Environ, Getenv) {
  os::environ.set("OSCPP_T_A", "1");
  EXPECT_EQ(os::getenv("OSCPP_T_A"), "1");
  EXPECT_EQ(os::getenv("OSCPP_T_A", "d"), "1");
  EXPECT_EQ(os::getenvb("OSCPP_T_A"), "1");
  EXPECT_EQ(os::getenvb("OSCPP_T_A", "d"), "1");
  EXPECT_EQ(os::getenv("OSCPP_T_B"), std::nullopt);
  EXPECT_EQ(os::getenv("OSCPP_T_B", "d"), "d");
  EXPECT_EQ(os::getenvb("OSCPP_T_B"), std::nullopt);
  EXPECT_EQ(os::getenvb("OSCPP_T_B", "d"), "d");
  // Python's getenv reads os.environ, so it misses putenv'd variables.
  os::putenv("OSCPP_T_PUT", "1");
  EXPECT_EQ(os::getenv("OSCPP_T_PUT"), std::nullopt);
}

TEST_F(Environ, PutenvAndUnsetenvBypassTheMapping) {
  // Python: "calls to putenv() don't update os.environ".
  os::putenv("OSCPP_T_PUT", "1");
  EXPECT_EQ(c_getenv("OSCPP_T_PUT"), "1");
  EXPECT_FALSE(os::environ.contains("OSCPP_T_PUT"));
  os::environ.set("OSCPP_T_A", "1");
  os::unsetenv("OSCPP_T_A");
  EXPECT_EQ(c_getenv("OSCPP_T_A"), std::nullopt);
  EXPECT_EQ(os::environ.get("OSCPP_T_A"), "1");
  os::unsetenv("OSCPP_T_NEVER_SET");  // not an error, as in Python
  ASSERT_TRUE(os::nothrow::putenv("OSCPP_T_PUT", "2").has_value());
  EXPECT_EQ(c_getenv("OSCPP_T_PUT"), "2");
  ASSERT_TRUE(os::nothrow::unsetenv("OSCPP_T_PUT").has_value());
  EXPECT_EQ(c_getenv("OSCPP_T_PUT"), std::nullopt);
}

TEST_F(Environ, PutenvErrors) {
  // test_os.EnvironTests.test_putenv_unsetenv_error, with Python's types.
  expect_einval([] { os::putenv("", "value"); });
  for (const char* name : {"=name", "na=me", "name="})
    expect_throw_what<std::invalid_argument>(
        [name] { os::putenv(name, "value"); },
        "illegal environment variable name");
  expect_throw_what<std::invalid_argument>(
      [] { os::putenv(std::string_view("na\0me", 6), "value"); },
      "embedded null byte");
  expect_throw_what<std::invalid_argument>(
      [] { os::putenv("OSCPP_T_PUT", std::string_view("v\0", 2)); },
      "embedded null byte");
  EXPECT_EQ(c_getenv("OSCPP_T_PUT"), std::nullopt);
  os::result<void> r = os::nothrow::putenv("", "value");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().value(), EINVAL);
  EXPECT_FALSE(r.error().filename().has_value());
}

TEST_F(Environ, UnsetenvErrors) {
  for (const char* name : {"", "=name", "na=me", "name="})
    expect_einval([name] { os::unsetenv(name); });
  expect_throw_what<std::invalid_argument>(
      [] { os::unsetenv(std::string_view("name\0", 5)); },
      "embedded null byte");
  os::result<void> r = os::nothrow::unsetenv("na=me");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().value(), EINVAL);
  EXPECT_FALSE(r.error().filename().has_value());
}

TEST_F(Environ, GetExecPathOfAMapping) {
  // test_os.EnvironTests.test_get_exec_path
  using env = std::map<std::string, std::string>;
  EXPECT_EQ(
      os::get_exec_path(env{{"PATH", "/monty:/python::/flying/circus"}}),
      (std::vector<std::string>{"/monty", "/python", "", "/flying/circus"}));
  EXPECT_EQ(os::get_exec_path(env{}),
            (std::vector<std::string>{"/bin", "/usr/bin"}));
  EXPECT_EQ(os::get_exec_path(env{{"PATH", ""}}),
            (std::vector<std::string>{""}));
  EXPECT_EQ(os::get_exec_path(env{{"PATH", ":"}}),
            (std::vector<std::string>{"", ""}));
  std::unordered_map<std::string, std::string> u = {{"PATH", "/a"}};
  EXPECT_EQ(os::get_exec_path(u), (std::vector<std::string>{"/a"}));
}

OSCPP_CHILD_MODE(environ_exec_path) {
  os::environ.set("PATH", "/x:/y");
  if (os::get_exec_path() != std::vector<std::string>{"/x", "/y"}) return 1;
  os::environ.erase("PATH");
  if (os::get_exec_path() != std::vector<std::string>{"/bin", "/usr/bin"})
    return 2;
  return 0;
}

TEST_F(Environ, GetExecPathOfEnviron) {
  // Changes PATH, so in a child: the rest of the run keeps its own.
  int status = oscpp_test::run_child_mode("environ_exec_path");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// ---------------------------------------------------------------- fork

TEST_F(Environ, ForkWhileAnotherThreadWrites) {
  // The lock is held across fork(), so a child never inherits it locked
  // by a thread that does not exist there (it would hang below).
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i)
      os::environ.set("OSCPP_T_A", std::to_string(i % 100));
  });
  for (int i = 0; i < 50; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      os::environ.set("OSCPP_T_B", "child");
      ::_exit(os::environ.get("OSCPP_T_B") == "child" ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    int status = 0;
    while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
    }
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  stop = true;
  writer.join();
}

}  // namespace

#include "oscpp/path_arg.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

#include "oscpp/files.hpp"
#include "support/support.hpp"

namespace {

using oscpp_test::TempDirTest;
using namespace std::string_literals;

// A PathLike type, as Python's os.PathLike: anything with fspath().
struct my_path {
  std::string p;
  std::string fspath() const { return p; }
};
struct c_str_path {
  const char* p;
  const char* fspath() const { return p; }
};

static_assert(os::PathLike<my_path>);
static_assert(os::PathLike<c_str_path>);
static_assert(!os::PathLike<std::string>);
// A literal 0 (an fd elsewhere) and other integers are not paths.
static_assert(!std::is_constructible_v<os::path_arg, int>);
static_assert(!std::is_constructible_v<os::path_arg, long>);
static_assert(std::is_constructible_v<os::path_arg, const char*>);
static_assert(std::is_constructible_v<os::path_arg, std::string_view>);
static_assert(std::is_constructible_v<os::path_arg, my_path>);

// True if name exists in the file system (lstat, not through oscpp).
bool exists(const std::string& name) {
  struct ::stat st;
  return ::lstat(name.c_str(), &st) == 0;
}

TEST(PathArg, FromCString) {
  const char* s = "some/path";
  os::path_arg p(s);
  EXPECT_EQ(p.c_str(), s);  // borrowed, not copied
  EXPECT_EQ(p.view(), "some/path");
  EXPECT_EQ(p.str(), "some/path");
  EXPECT_FALSE(p.empty());
  EXPECT_TRUE(os::path_arg("").empty());
}

TEST(PathArg, FromStdString) {
  std::string s = "dir/file";
  os::path_arg p(s);
  EXPECT_EQ(p.c_str(), s.c_str());  // borrowed, not copied
  EXPECT_EQ(p.view(), "dir/file");
  EXPECT_EQ(p.view().size(), 8u);
}

TEST(PathArg, FromStringViewSliceIsNulTerminated) {
  std::string whole = "abcdef";
  std::string_view slice(whole.data(), 3);
  os::path_arg p(slice);
  EXPECT_STREQ(p.c_str(), "abc");
  EXPECT_EQ(p.view(), "abc");
  EXPECT_NE(p.c_str(), whole.data());
}

TEST_F(TempDirTest, StringViewSliceReachesTheSyscallAlone) {
  std::string whole = path("abcdef");
  std::string_view slice(whole.data(), whole.size() - 3);
  os::mkdir(slice);
  EXPECT_TRUE(exists(path("abc")));
  EXPECT_FALSE(exists(path("abcdef")));
}

TEST(PathArg, FromFilesystemPath) {
  std::filesystem::path fp = "a/b/c";
  os::path_arg p(fp);
  EXPECT_EQ(p.c_str(), fp.c_str());
  EXPECT_EQ(p.view(), "a/b/c");
}

TEST(PathArg, FromPathLike) {
  os::path_arg p(my_path{"x/y"});
  EXPECT_EQ(p.view(), "x/y");
  EXPECT_STREQ(p.c_str(), "x/y");
  os::path_arg q(c_str_path{"z"});
  EXPECT_EQ(q.view(), "z");
}

TEST(PathArg, FunctionsAcceptEveryPathType) {
  EXPECT_TRUE(os::access("/", F_OK));
  EXPECT_TRUE(os::access(std::string("/"), F_OK));
  EXPECT_TRUE(os::access(std::string_view("/"), F_OK));
  EXPECT_TRUE(os::access(std::filesystem::path("/"), F_OK));
  EXPECT_TRUE(os::access(my_path{"/"}, F_OK));
}

// os.mkdir("caf\u00e9"): a str path is its UTF-8 bytes; so is a char8_t one.
TEST_F(TempDirTest, Char8PathsAreTheirUtf8Bytes) {
  os::path_arg lit(u8"caf\u00e9");
  EXPECT_EQ(lit.view(), "caf\xc3\xa9");
  std::u8string owned = u8"d\u00e9j\u00e0";
  os::path_arg from_string(owned);
  EXPECT_EQ(static_cast<const void*>(from_string.c_str()),
            static_cast<const void*>(owned.c_str()));  // borrowed
  EXPECT_EQ(os::path_arg(std::u8string_view(owned).substr(0, 3)).view(),
            "d\xc3\xa9");
  os::mkdir(dir() + "/" + lit.str());
  EXPECT_TRUE(exists(path("caf\xc3\xa9")));
  EXPECT_TRUE(os::access(std::u8string(u8"/"), F_OK));
  EXPECT_THROW(os::path_arg(std::u8string(u8"a\0b", 3)), std::invalid_argument);
}

template <class F>
void expect_embedded_null(F&& f) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(typeid(e), typeid(std::invalid_argument));
    EXPECT_STREQ(e.what(), "embedded null byte");
  }
}

TEST(PathArg, EmbeddedNulThrowsInvalidArgument) {
  std::string s = "a\0b"s;
  expect_embedded_null([&] { os::path_arg p{s}; });
  expect_embedded_null([&] { os::path_arg p{std::string_view(s)}; });
  expect_embedded_null([&] { os::path_arg p{std::filesystem::path(s)}; });
  expect_embedded_null([&] { os::path_arg p{my_path{s}}; });
  expect_embedded_null([&] { os::path_arg p{"\0"s}; });
}

TEST_F(TempDirTest, EmbeddedNulCreatesNothing) {
  std::string bad = path("made") + "\0tail"s;
  expect_embedded_null([&] { os::mkdir(bad); });
  expect_embedded_null([&] { (void)os::nothrow::mkdir(bad); });
  expect_embedded_null([&] { os::symlink("target", bad); });
  oscpp_test::write_file(path("src"), "x");
  expect_embedded_null([&] { os::rename(path("src"), bad); });
  EXPECT_FALSE(exists(path("made")));
  EXPECT_EQ(os::listdir(dir()), std::vector<std::string>{"src"});
}

TEST(Fspath, ReturnsThePathBytes) {
  EXPECT_EQ(os::fspath("a/b"), "a/b");
  EXPECT_EQ(os::fspath(std::string("\xff\xfe")), "\xff\xfe");
  EXPECT_EQ(os::fspath(std::filesystem::path("/tmp")), "/tmp");
  EXPECT_EQ(os::fspath(my_path{"p"}), "p");
  EXPECT_EQ(os::fspath(""), "");
  EXPECT_THROW(os::fspath("a\0"s), std::invalid_argument);
}

// Expected values from python3: [hex(ord(c)) for c in os.fsdecode(b)].
struct vector_case {
  std::string bytes;
  std::u32string text;
};

const vector_case kVectors[] = {
    {"", U""},
    {"plain/ascii", U"plain/ascii"},
    {"caf\xc3\xa9", U"caf\u00e9"},
    {"\xc2\x80", U"\u0080"},
    {"\xdf\xbf", U"\u07ff"},
    {"\xe0\xa0\x80", U"\u0800"},
    {"\xed\x9f\xbf", U"\ud7ff"},
    {"\xee\x80\x80", U"\ue000"},
    {"\xef\xbf\xbf", U"\uffff"},
    {"\xf0\x90\x80\x80", U"\U00010000"},
    {"\xf0\x9f\x98\x80", U"\U0001f600"},
    {"\xf4\x8f\xbf\xbf", U"\U0010ffff"},
    // Undecodable bytes become U+DC80..U+DCFF, one per byte.
    {"\xff", U"\xdcff"},
    {"\x80", U"\xdc80"},
    {"\xc2", U"\xdcc2"},
    {"\xfe\xff", U"\xdcfe\xdcff"},
    {"\xc3\x28", U"\xdcc3("},
    // Overlong forms.
    {"\xc0\xaf", U"\xdcc0\xdcaf"},
    {"\xc1\xbf", U"\xdcc1\xdcbf"},
    {"\xe0\x80\x80", U"\xdce0\xdc80\xdc80"},
    {"\xe0\x9f\xbf", U"\xdce0\xdc9f\xdcbf"},
    {"\xf0\x80\x80\x80", U"\xdcf0\xdc80\xdc80\xdc80"},
    {"\xf0\x8f\xbf\xbf", U"\xdcf0\xdc8f\xdcbf\xdcbf"},
    // Surrogates encoded in UTF-8.
    {"\xed\xa0\x80", U"\xdced\xdca0\xdc80"},
    {"\xed\xbf\xbf", U"\xdced\xdcbf\xdcbf"},
    // Beyond U+10FFFF, and the 5-byte form.
    {"\xf4\x90\x80\x80", U"\xdcf4\xdc90\xdc80\xdc80"},
    {"\xf5\x80\x80\x80", U"\xdcf5\xdc80\xdc80\xdc80"},
    {"\xf8\x88\x80\x80\x80", U"\xdcf8\xdc88\xdc80\xdc80\xdc80"},
    // Truncated sequences.
    {"\xe2\x82", U"\xdce2\xdc82"},
    {"\xe2\x82"
     "a",
     U"\xdce2\xdc82"
     "a"},
    {"a\xf0\x9f\x98", U"a\xdcf0\xdc9f\xdc98"},
};

TEST(Fsdecode, MatchesPythonVectors) {
  for (const auto& v : kVectors) {
    EXPECT_EQ(os::fsdecode(v.bytes), v.text) << os::python_repr(v.bytes);
  }
}

TEST(Fsencode, MatchesPythonVectors) {
  for (const auto& v : kVectors) {
    EXPECT_EQ(os::fsencode(v.text), v.bytes) << os::python_repr(v.bytes);
  }
  // Bytes pass through unchanged.
  EXPECT_EQ(os::fsencode(std::string_view("\xff\x00z", 3)), "\xff\x00z"s);
}

TEST(Fsencode, LoneSurrogateOutsideEscapeRangeThrows) {
  // python3: os.fsencode('\ud800') raises UnicodeEncodeError, and so on.
  for (char32_t c :
       {U'\xd800', U'\xdbff', U'\xdc00', U'\xdc7f', U'\xdd00', U'\xdfff'}) {
    std::u32string s = U"ok";
    s += c;
    EXPECT_THROW((void)os::fsencode(s), std::invalid_argument)
        << std::hex << static_cast<unsigned>(c);
  }
  // A surrogate pair is not a character either.
  EXPECT_THROW((void)os::fsencode(std::u32string(U"\xdbff\xdc00")),
               std::invalid_argument);
  EXPECT_THROW((void)os::fsencode(std::u32string(1, char32_t{0x110000})),
               std::invalid_argument);
  // The escape range itself is fine: '\udc80' -> b'\x80'.
  EXPECT_EQ(os::fsencode(std::u32string(U"\xdc80\xdcff")), "\x80\xff");
}

TEST(Fsencode, RoundTripsRandomBytes) {
  std::mt19937 gen(20240607);
  std::uniform_int_distribution<int> length(0, 64);
  std::uniform_int_distribution<int> high(0x80, 0xff);
  std::uniform_int_distribution<int> any(0, 0xff);
  std::bernoulli_distribution pick_high(0.7);
  // Well-formed sequences, spliced in so that valid multi-byte characters
  // and near-misses both occur often.
  const std::string pieces[] = {"\xc3\xa9",         "\xe2\x82\xac",
                                "\xf0\x9f\x98\x80", "\xed\xa0\x80",
                                "\xf4\x8f\xbf\xbf", "\xef\xbf\xbf"};
  std::uniform_int_distribution<int> piece(0, 5);
  std::bernoulli_distribution splice(0.1);
  for (int i = 0; i < 100000; ++i) {
    std::string b;
    int n = length(gen);
    while (static_cast<int>(b.size()) < n) {
      if (splice(gen))
        b += pieces[piece(gen)];
      else
        b += static_cast<char>(pick_high(gen) ? high(gen) : any(gen));
    }
    std::u32string text = os::fsdecode(b);
    for (char32_t c : text) {
      // Never a surrogate outside the escapes, never beyond U+10FFFF.
      ASSERT_TRUE(c <= 0x10ffff && !(c >= 0xd800 && c < 0xdc80) &&
                  !(c > 0xdcff && c <= 0xdfff))
          << os::python_repr(b);
    }
    ASSERT_EQ(os::fsencode(text), b) << os::python_repr(b);
  }
}

}  // namespace

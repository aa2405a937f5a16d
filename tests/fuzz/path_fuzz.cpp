// libFuzzer harness over os::path's lexical functions: no crash, no
// sanitizer report, and the invariants Python's posixpath guarantees.
// Input: the first byte picks where the data splits into two paths a, b.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "oscpp/path.hpp"

namespace {

namespace P = os::path;

void check(bool ok) {
  if (!ok) std::abort();
}

bool all_slashes(std::string_view s) {
  return s.find_first_not_of('/') == std::string_view::npos;
}

void one_path(std::string_view p) {
  // normpath: idempotent, never empty, no "." or empty component inside,
  // no trailing '/' unless it is the root, exactly two leading slashes
  // only if the input had exactly two, absoluteness kept.
  std::string n = P::normpath(p);
  check(!n.empty());
  check(P::normpath(n) == n);
  check(P::isabs(n) == P::isabs(p));
  std::size_t lead = n.find_first_not_of('/');
  if (lead == std::string::npos) lead = n.size();
  check(lead <= 2);
  check((lead == 2) == (p.size() >= 2 && p[0] == '/' && p[1] == '/' &&
                        (p.size() == 2 || p[2] != '/')));
  std::string_view body = std::string_view(n).substr(lead);
  check(body.find("//") == std::string_view::npos);
  check(body.empty() || body.back() != '/');
  check(body != "." || lead == 0);
  check(("/" + std::string(body) + "/").find("/./") == std::string::npos ||
        body == ".");
  // No ".." component right under the root.
  if (lead) check(body != ".." && !body.starts_with("../"));

  // split: head + tail rebuilds p up to the slashes between them;
  // basename/dirname are its parts.
  auto [head, tail] = P::split(p);
  check(P::basename(p) == tail);
  check(P::dirname(p) == head);
  check(tail.find('/') == std::string::npos);
  check(p.starts_with(head) && p.ends_with(tail));
  check(all_slashes(head) || head.back() != '/');
  std::string joined = P::join(head, tail);
  check(P::normpath(joined) == n);
  if (head.empty() || all_slashes(head)) check(joined == p);

  // splitext: the parts concatenate back; ext is "" or a dot and no '/'.
  auto [root, ext] = P::splitext(p);
  check(root + ext == p);
  check(ext.empty() || (ext[0] == '.' && ext.find('/') == std::string::npos));
  if (!ext.empty()) {
    // Some non-dot byte precedes the ext in the last component.
    std::string b = P::basename(root);
    check(b.find_first_not_of('.') != std::string::npos);
  }

  // splitroot: the three parts concatenate back.
  auto [drive, sroot, stail] = P::splitroot(p);
  check(drive.empty() && drive + sroot + stail == p);
  check(sroot.empty() || sroot == "/" || sroot == "//");

  // No '$': expandvars changes nothing. No '~' first: nor expanduser.
  if (p.find('$') == std::string_view::npos) check(P::expandvars(p) == p);
  if (p.empty() || p[0] != '~') check(P::expanduser(p) == p);
  // An absolute path: abspath is normpath.
  if (P::isabs(p)) check(P::abspath(p) == n);
}

void two_paths(std::string_view a, std::string_view b) {
  std::string c = P::commonprefix({a, b});
  check(a.starts_with(c) && b.starts_with(c));
  check(c.size() == a.size() || c.size() == b.size() ||
        a[c.size()] != b[c.size()]);

  std::string j = P::join(a, b);
  if (P::isabs(b))
    check(j == b);
  else
    check(j.ends_with(b) && j.starts_with(a));

  if (P::isabs(a) == P::isabs(b)) {
    std::string cp = P::commonpath({a, b});
    check(P::isabs(cp) == P::isabs(a));
    // Its components lead both paths' (after dropping "" and ".").
    auto comps = [](std::string_view s) {
      std::string out;
      for (std::size_t i = 0; i <= s.size();) {
        auto e = std::min(s.find('/', i), s.size());
        auto part = s.substr(i, e - i);
        if (!part.empty() && part != ".") out.append(part).push_back('/');
        i = e + 1;
      }
      return out;
    };
    std::string cc = comps(cp), ca = comps(a), cb = comps(b);
    check(ca.starts_with(cc) && cb.starts_with(cc));
  } else {
    bool threw = false;
    try {
      (void)P::commonpath({a, b});
    } catch (const std::invalid_argument&) {
      threw = true;
    }
    check(threw);
  }
  // relpath between absolute paths needs no cwd: following it from b
  // lexically leads to a (up to the number of leading slashes).
  if (P::isabs(a) && P::isabs(b)) {
    auto strip = [](std::string s) {
      return s.substr(s.find_first_not_of('/') == std::string::npos
                          ? s.size()
                          : s.find_first_not_of('/'));
    };
    check(strip(P::normpath(P::join(b, P::relpath(a, b)))) ==
          strip(P::normpath(a)));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0) return 0;
  std::string_view all(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t cut = size > 1 ? data[0] % size : 0;
  if (cut > all.size()) cut = all.size();
  std::string_view a = all.substr(0, cut), b = all.substr(cut);
  one_path(a);
  one_path(b);
  two_paths(a, b);
  return 0;
}

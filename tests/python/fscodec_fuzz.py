"""Fuzzes oscpp's filesystem codec and OSError's filename repr against
CPython's: random bytes and random code points (lone surrogates, non-BMP,
NUL, quotes and backslashes) give

  - oscpp.fsencode / oscpp.fsdecode the same result as os.fsencode /
    os.fsdecode, or the same exception (type and message);
  - the C++ os::fsdecode / os::fsencode (through fscodec_oracle) the same
    code points / bytes, or std::invalid_argument where CPython raises;
  - the C++ os::OSError(ENOENT, name[, name2]).what() the same text as
    str(OSError(ENOENT, os.strerror(ENOENT), fsdecode(name)[, None,
    fsdecode(name2)])).

The C++ repr follows the Unicode tables of src/detail/unicode_printable.hpp.
On an interpreter with another Unicode version, names holding a code point
unassigned in the interpreter's tables are left out of the repr comparison
(counted in the summary).

ctest runs 10**5 cases; the benchmark-size run is
    python3 tests/python/fscodec_fuzz.py --module-dir build/default/python \\
        --oracle build/default/tests/fscodec_oracle --cases 1000000
"""

import argparse
import errno
import os
import random
import re
import subprocess
import sys
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def table_version():
    path = os.path.join(HERE, "..", "..", "src", "detail",
                        "unicode_printable.hpp")
    with open(path) as f:
        return re.search(r'printable_unicode_version = "([^"]+)"',
                         f.read()).group(1)


# Code points the cases are drawn from, with weights.
def random_code_point(rng):
    pick = rng.random()
    if pick < 0.25:
        return rng.choice("aZ09 ./'\"\\\t\n\r\x00\x7f")
    if pick < 0.35:
        return chr(rng.randrange(0x20))
    if pick < 0.50:
        return chr(rng.randrange(0xD800, 0xE000))  # lone surrogates
    if pick < 0.70:
        return chr(rng.randrange(0x80, 0x10000))
    return chr(rng.randrange(0x10000, 0x110000))


def random_bytes(rng):
    n = rng.randrange(0, 13)
    pick = rng.random()
    if pick < 0.3:
        return bytes(rng.randrange(256) for _ in range(n))
    if pick < 0.5:
        return bytes(rng.choice(b"a'\"\\\x00\n\x80\xc3\xa9\xed\xa0\xf0\x9f\xff")
                     for _ in range(n))
    # UTF-8 of random code points (surrogates through surrogatepass),
    # sometimes cut or with a stray byte.
    text = "".join(random_code_point(rng) for _ in range(n // 2 + 1))
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.3 and data:
        data = data[:rng.randrange(len(data))]
    if rng.random() < 0.2:
        data += bytes([rng.randrange(0x80, 0x100)])
    return data


def outcome(f, arg):
    try:
        return ("ok", f(arg))
    except Exception as e:
        return (type(e).__name__, str(e))


def run(oscpp, oracle, cases, seed):
    rng = random.Random(seed)
    same_version = table_version() == unicodedata.unidata_version
    message = os.strerror(errno.ENOENT)
    differences = []
    skipped = 0
    byte_cases = []
    text_cases = []
    for _ in range(cases // 2):
        byte_cases.append(random_bytes(rng))
        text_cases.append("".join(random_code_point(rng)
                                  for _ in range(rng.randrange(0, 8))))
    # Encodable texts are names too.
    for text in text_cases:
        try:
            byte_cases.append(os.fsencode(text))
        except UnicodeEncodeError:
            pass
    requests = ["d %s" % (b.hex() or "-") for b in byte_cases]
    requests += ["e %s" % ("".join("%08x" % ord(c) for c in t) or "-")
                 for t in text_cases]
    answers = subprocess.run([oracle], input="\n".join(requests) + "\n",
                             capture_output=True, text=True,
                             check=True).stdout.split("\n")

    def unhex(h):
        return b"" if h == "-" else bytes.fromhex(h)

    def unhex32(h):
        return "" if h == "-" else "".join(
            chr(int(h[i:i + 8], 16)) for i in range(0, len(h), 8))

    for data, answer in zip(byte_cases, answers):
        expected = outcome(os.fsdecode, data)
        got = outcome(oscpp.fsdecode, data)
        if got != expected:
            differences.append(("oscpp.fsdecode", data, expected, got))
        decoded, what1, what2 = answer.split(" ")
        name = expected[1]
        if unhex32(decoded) != name:
            differences.append(("os::fsdecode", data, name, unhex32(decoded)))
        name2 = os.fsdecode(data[::-1])
        if not same_version and any(
                unicodedata.category(c) == "Cn" for c in name + name2):
            skipped += 1
            continue
        for got_what, exc in (
                (what1, OSError(errno.ENOENT, message, name)),
                (what2, OSError(errno.ENOENT, message, name, None, name2))):
            text = unhex(got_what).decode("utf-8", "surrogateescape")
            if text != str(exc):
                differences.append(("what()", data, str(exc), text))
    for text, answer in zip(text_cases, answers[len(byte_cases):]):
        expected = outcome(os.fsencode, text)
        got = outcome(oscpp.fsencode, text)
        if got != expected:
            differences.append(("oscpp.fsencode", text, expected, got))
        cxx = "!" if answer == "!" else unhex(answer)
        if cxx != (expected[1] if expected[0] == "ok" else "!"):
            differences.append(("os::fsencode", text, expected, cxx))
    return differences, len(byte_cases) + len(text_cases), skipped


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--module-dir", required=True)
    parser.add_argument("--oracle", required=True)
    parser.add_argument("--cases", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if sys.getfilesystemencoding() != "utf-8":
        print("SKIP: the filesystem encoding is not UTF-8")
        return 0
    sys.path.insert(0, os.path.abspath(args.module_dir))
    import oscpp
    start = time.monotonic()
    differences, total, skipped = run(oscpp, args.oracle, args.cases,
                                      args.seed)
    for where, case, expected, got in differences[:20]:
        print("%s(%r):\n    CPython: %r\n    oscpp:   %r" %
              (where, case, expected, got))
    print("%d cases (seed %d), %d differences, %d names left out of the "
          "repr comparison (Unicode %s here, %s in the C++ table); %.1f s" %
          (total, args.seed, len(differences), skipped,
           unicodedata.unidata_version, table_version(),
           time.monotonic() - start))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())

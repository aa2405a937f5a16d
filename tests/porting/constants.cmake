# Writes OUT, a C++ file that includes only <oscpp/os.hpp> and uses every
# constant that docs/porting.md (PORTING) says comes from it: each C macro
# (`NAME` or `NAME(args)` macro, `<header>`) must be defined (a NAME(args)
# may be a function instead), each enumerator
# and each Python-only `os::NAME` int must name something. It compiles only
# if the porting table tells the truth. PLATFORM (glibc, musl, macOS): only
# the rows whose platforms column lists it.
cmake_minimum_required(VERSION 3.20)
file(STRINGS ${PORTING} rows REGEX "^\\| `[A-Za-z0-9_]+` \\|")
set(checks "")
foreach(row IN LISTS rows)
  string(REPLACE "|" ";" cells "${row}")
  list(GET cells 2 type)
  list(GET cells 3 cxx)
  string(STRIP "${type}" type)
  string(STRIP "${cxx}" cxx)
  list(LENGTH cells ncells)
  if(PLATFORM AND ncells GREATER 7)
    list(GET cells 6 platforms)
    string(STRIP "${platforms}" platforms)
    string(REPLACE " " ";" platforms "${platforms}")
    if(NOT PLATFORM IN_LIST platforms)
      continue()
    endif()
  endif()
  if(cxx MATCHES "^`([A-Za-z0-9_]+)(\\([a-z, ]*\\))?` macro, `(<[^>]+>)`")
    if(CMAKE_MATCH_2)
      # Called like a function: a function will do too (macOS's C++
      # headers make major, minor and makedev inline functions).
      string(APPEND checks "#ifndef ${CMAKE_MATCH_1}\n"
             "static_assert(sizeof(&${CMAKE_MATCH_1}) > 0, "
             "\"${CMAKE_MATCH_1} (${CMAKE_MATCH_3}) is not defined\");\n"
             "#endif\n")
    else()
      string(APPEND checks "#ifndef ${CMAKE_MATCH_1}\n"
             "#error \"${CMAKE_MATCH_1} (${CMAKE_MATCH_3}) is not defined\"\n"
             "#endif\n")
    endif()
  elseif(cxx MATCHES "^`([A-Za-z0-9_]+)` enumerator")
    string(APPEND checks "static_assert(sizeof(${CMAKE_MATCH_1}) > 0);\n")
  elseif(type STREQUAL "int" AND cxx MATCHES "^`os::([A-Za-z0-9_]+)`")
    string(APPEND checks "static_assert(sizeof(os::${CMAKE_MATCH_1}) > 0);\n")
  endif()
endforeach()
file(WRITE ${OUT} "// Generated from docs/porting.md by tests/porting/constants.cmake.\n"
     "#include <oscpp/os.hpp>\n\n${checks}\nint main() { return 0; }\n")

# Smoke test of one example tool: cmake -DTOOL=du -DEXE=path/to/du
# -DWORK=scratch-dir [-DGNU_DU=path/to/du] -P smoke.cmake
# Generates a small tree in WORK, runs the tool on it and checks its output.
cmake_minimum_required(VERSION 3.20)

file(REMOVE_RECURSE ${WORK})
set(T ${WORK}/tree)
file(MAKE_DIRECTORY ${T}/a/b ${T}/empty ${WORK}/outside)
string(REPEAT "x" 100 hundred)
string(REPEAT "y" 5000 five_thousand)
file(WRITE ${T}/a/one.txt "${hundred}")
file(CREATE_LINK ${T}/a/one.txt ${T}/a/two.txt)  # a hard link
file(WRITE ${T}/a/b/deep.txt "${five_thousand}")
file(WRITE ${T}/c.txt "0123456789")
file(CREATE_LINK a ${T}/link SYMBOLIC)
file(CREATE_LINK ../outside ${T}/escape SYMBOLIC)
file(WRITE ${WORK}/outside/keep.txt "keep")

# run(<out var> <exit var> args...): runs the tool.
function(run out rc)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE o ERROR_VARIABLE e
                  RESULT_VARIABLE r)
  set(${out} "${o}" PARENT_SCOPE)
  set(${rc} "${r}" PARENT_SCOPE)
  message("$ ${ARGN}\n${o}${e}(exit ${r})")
endfunction()

function(expect what got want)
  if(NOT "${got}" STREQUAL "${want}")
    message(FATAL_ERROR "${what}: got\n[${got}]\nwanted\n[${want}]")
  endif()
endfunction()

# Sorted lines of text, to compare outputs whose order may differ.
function(sorted_lines out text)
  string(REPLACE "\n" ";" lines "${text}")
  list(REMOVE_ITEM lines "")
  list(SORT lines)
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

if(TOOL STREQUAL "du")
  if(NOT GNU_DU)
    message("smoke SKIPPED: no GNU du to compare with")
    return()
  endif()
  foreach(flags "-b" "")
    run(ours rc ${EXE} ${flags} ${T})
    expect("du ${flags} exit" "${rc}" 0)
    run(gnu gnu_rc ${GNU_DU} ${flags} ${T})
    sorted_lines(ours "${ours}")
    sorted_lines(gnu "${gnu}")
    expect("du ${flags} vs GNU du" "${ours}" "${gnu}")
  endforeach()
  run(out rc ${EXE} ${T}/missing)
  expect("du missing exit" "${rc}" 1)
elseif(TOOL STREQUAL "tree")
  run(out rc ${EXE} ${T})
  expect("tree exit" "${rc}" 0)
  expect("tree output" "${out}" "${T}
├── a
│   ├── b
│   │   └── deep.txt
│   ├── one.txt
│   └── two.txt
├── c.txt
├── empty
├── escape -> ../outside
└── link -> a

3 directories, 6 files
")
elseif(TOOL STREQUAL "which")
  file(MAKE_DIRECTORY ${WORK}/bin1/dirtool ${WORK}/bin2 ${WORK}/bin3)
  file(WRITE ${WORK}/bin1/tool "")  # not executable: skipped
  foreach(f bin2/tool bin3/tool bin2/dirtool)
    file(WRITE ${WORK}/${f} "")
    file(CHMOD ${WORK}/${f} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  endforeach()
  set(path "PATH=${WORK}/bin1:${WORK}/bin2:${WORK}/bin3")
  run(out rc ${CMAKE_COMMAND} -E env ${path} ${EXE} tool)
  expect("which tool" "${out}" "${WORK}/bin2/tool\n")
  run(out rc ${CMAKE_COMMAND} -E env ${path} ${EXE} -a tool dirtool)
  expect("which -a" "${out}"
         "${WORK}/bin2/tool\n${WORK}/bin3/tool\n${WORK}/bin2/dirtool\n")
  expect("which -a exit" "${rc}" 0)
  run(out rc ${CMAKE_COMMAND} -E env ${path} ${EXE} missing)
  expect("which missing" "${out}|${rc}" "|1")
elseif(TOOL STREQUAL "rmtree")
  file(CREATE_LINK ${WORK}/outside ${WORK}/toplink SYMBOLIC)
  run(out rc ${EXE} ${WORK}/toplink)
  expect("rmtree of a symlink exit" "${rc}" 1)
  run(out rc ${EXE} ${T})
  expect("rmtree exit" "${rc}" 0)
  if(EXISTS ${T} OR IS_SYMLINK ${T})
    message(FATAL_ERROR "rmtree left ${T}")
  endif()
  if(NOT EXISTS ${WORK}/outside/keep.txt)
    message(FATAL_ERROR "rmtree followed a symlink out of the tree")
  endif()
elseif(TOOL STREQUAL "parallel")
  run(out rc ${EXE} "echo one" "echo two >&2 && exit 3" "printf x")
  expect("parallel output" "${out}"
         "[0] echo one\none\n[3] echo two >&2 && exit 3\ntwo\n[0] printf x\nx")
  expect("parallel exit" "${rc}" 1)
elseif(TOOL STREQUAL "sysinfo")
  run(out rc ${EXE})
  expect("sysinfo exit" "${rc}" 0)
  if(NOT out MATCHES "\ncpus: [1-9][0-9]*\nload: [0-9.]+ [0-9.]+ [0-9.]+\n")
    message(FATAL_ERROR "sysinfo output unexpected")
  endif()
else()
  message(FATAL_ERROR "unknown TOOL ${TOOL}")
endif()

# Error tests of athanor-gen: each CASES/<name>.hpp is generated on its own; the run must fail
# with exit status 1, print exactly CASES/<name>.expected on stderr (paths relative to CASES),
# and write nothing (no output, no depfile, no stamp). ATHANOR_UPDATE_GOLDEN=1 in the
# environment rewrites the expected files instead.
#
#   cmake -DGENERATOR=<athanor-gen> -DCASES=<dir> -DINCLUDE=<dir> -DWORK=<dir> -P run_errors.cmake
foreach(var GENERATOR CASES INCLUDE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_errors.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(GLOB cases LIST_DIRECTORIES false "${CASES}/*.hpp")
list(SORT cases)
set(failures "")
foreach(case IN LISTS cases)
  get_filename_component(name "${case}" NAME_WLE)
  set(out "${WORK}/${name}")
  execute_process(
    COMMAND "${GENERATOR}" --output-dir "${out}/generated" --base-dir "${CASES}"
            -I "${INCLUDE}" -I "${CASES}" --depfile "${out}/deps.d" --stamp "${out}/stamp"
            "${case}"
    WORKING_DIRECTORY "${CASES}"
    RESULT_VARIABLE status
    OUTPUT_VARIABLE output
    ERROR_VARIABLE errors)
  string(REPLACE "${CASES}/" "" errors "${errors}")
  if("$ENV{ATHANOR_UPDATE_GOLDEN}" STREQUAL "1")
    file(WRITE "${CASES}/${name}.expected" "${errors}")
    message(STATUS "updated ${name}.expected")
    continue()
  endif()
  if(NOT status EQUAL 1)
    list(APPEND failures "${name}: exit status ${status}, expected 1")
  endif()
  if(EXISTS "${out}")
    list(APPEND failures "${name}: the failed run wrote files into ${out}")
  endif()
  file(READ "${CASES}/${name}.expected" expected)
  if(NOT errors STREQUAL expected)
    list(APPEND failures "${name}: the messages differ.\n--- expected\n${expected}--- actual\n${errors}")
  else()
    string(REGEX MATCHALL "error:" lines "${errors}")
    list(LENGTH lines count)
    message(STATUS "${name}: ${count} expected errors")
  endif()
endforeach()
if(failures)
  list(JOIN failures "\n" text)
  message(FATAL_ERROR "${text}")
endif()

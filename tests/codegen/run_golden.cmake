# Golden test of athanor-gen: generates the mappings of every header in MODELS (one step, as the
# build does) into WORK and compares each output with EXPECTED/<name>.athanor.hpp and
# EXPECTED/<name>.athanor.cpp byte for byte.
# With ATHANOR_UPDATE_GOLDEN=1 in the environment it rewrites the expected files instead.
#
#   cmake -DGENERATOR=<athanor-gen> -DMODELS=<dir> -DEXPECTED=<dir> -DINCLUDE=<dir> -DWORK=<dir>
#         -P run_golden.cmake
foreach(var GENERATOR MODELS EXPECTED INCLUDE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_golden.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(GLOB headers LIST_DIRECTORIES false "${MODELS}/*.hpp")
list(SORT headers)
execute_process(
  COMMAND "${GENERATOR}" --output-dir "${WORK}" --base-dir "${MODELS}" -I "${INCLUDE}"
          -I "${MODELS}" ${headers}
  RESULT_VARIABLE status
  ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "athanor-gen failed (${status}):\n${errors}")
endif()

set(failures "")
foreach(header IN LISTS headers)
  get_filename_component(stem "${header}" NAME_WLE)
  foreach(name IN ITEMS "${stem}.athanor.hpp" "${stem}.athanor.cpp")
    set(actual "${WORK}/${name}")
    set(expected "${EXPECTED}/${name}")
    if(NOT EXISTS "${actual}")
      list(APPEND failures "${name}: no output written")
      continue()
    endif()
    if("$ENV{ATHANOR_UPDATE_GOLDEN}" STREQUAL "1")
      file(COPY_FILE "${actual}" "${expected}")
      message(STATUS "updated ${expected}")
      continue()
    endif()
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${actual}" "${expected}"
                    RESULT_VARIABLE different)
    if(different)
      execute_process(COMMAND diff -u "${expected}" "${actual}" OUTPUT_VARIABLE diff)
      list(APPEND failures "${name} differs from the expected file:\n${diff}")
    else()
      message(STATUS "${name} matches")
    endif()
  endforeach()
endforeach()
if(failures)
  list(JOIN failures "\n" text)
  message(FATAL_ERROR "${text}\n(Run with ATHANOR_UPDATE_GOLDEN=1 to accept a deliberate change.)")
endif()

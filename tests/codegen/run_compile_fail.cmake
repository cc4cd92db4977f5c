# Compile-fail tests: compiles SOURCE once per case (-DATHANOR_COMPILE_FAIL_CASE=n). Case 0 is the
# control: it must compile without any warning under -Wall -Wextra -Wpedantic -Werror. Every other
# case must be rejected for the expected reason (by default the typed column constraints: a
# deleted operator or an unsatisfied constraint), not by some unrelated error.
#
#   cmake -DCOMPILER=<c++> -DSOURCE=<file> -DINCLUDES=<dir;dir> [-DEXPECT=<regex>]
#         [-DMAX_ERROR_BYTES=<n>] -P run_compile_fail.cmake
#
# EXPECT is what the compiler output of a rejected case must match; MAX_ERROR_BYTES, when given,
# bounds the length of that output (an error a user reads must stay short).
foreach(var COMPILER SOURCE INCLUDES)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_compile_fail.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT DEFINED EXPECT)
  set(EXPECT "use of deleted function|constraints not satisfied")
endif()

set(flags -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror)
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags "-I${dir}")
endforeach()

file(STRINGS "${SOURCE}" case_lines REGEX "^#elif ATHANOR_COMPILE_FAIL_CASE == [0-9]+")
set(cases 0)
foreach(line IN LISTS case_lines)
  string(REGEX REPLACE ".*== ([0-9]+).*" "\\1" n "${line}")
  list(APPEND cases ${n})
endforeach()

set(failures "")
foreach(n IN LISTS cases)
  execute_process(COMMAND "${COMPILER}" ${flags} -DATHANOR_COMPILE_FAIL_CASE=${n} "${SOURCE}"
                  RESULT_VARIABLE status ERROR_VARIABLE errors OUTPUT_QUIET)
  if(n EQUAL 0)
    if(NOT status EQUAL 0)
      list(APPEND failures "control case 0 does not compile cleanly:\n${errors}")
    else()
      message(STATUS "case 0 (control) compiles")
    endif()
  elseif(status EQUAL 0)
    list(APPEND failures "case ${n} compiled but must not")
  elseif(NOT errors MATCHES "${EXPECT}")
    list(APPEND failures "case ${n} failed for another reason:\n${errors}")
  elseif(DEFINED MAX_ERROR_BYTES)
    string(LENGTH "${errors}" size)
    if(size GREATER MAX_ERROR_BYTES)
      list(APPEND failures
           "case ${n}: ${size} bytes of errors, more than ${MAX_ERROR_BYTES}:\n${errors}")
    else()
      message(STATUS "case ${n} is rejected (${size} bytes of errors)")
    endif()
  else()
    message(STATUS "case ${n} is rejected")
  endif()
endforeach()
if(failures)
  list(JOIN failures "\n" text)
  message(FATAL_ERROR "${text}")
endif()

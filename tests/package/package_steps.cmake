# Shared by the package tests' scripts (run_downstream.cmake, run_sqlite_only.cmake).
#
# require_variables(<script> <var>...): stops when a -D<var>= the script needs was not given.
# run(<step> <command>...): runs the command, stops with its output when it fails, and leaves its
# standard output in `output`.
function(require_variables script)
  foreach(var ${ARGN})
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${script}: ${var} is not set")
    endif()
  endforeach()
endfunction()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${step} failed (${status}):\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

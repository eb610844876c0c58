# SPDX-License-Identifier: Apache-2.0
# paygen_add_test(NAME source.c...): a CUnit test program run by ctest with
# the build tree's plugins and the source tree's profiles.
function(paygen_add_test name)
  if(NOT BUILD_TESTING)
    return()
  endif()
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE paygen_test_support)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    ENVIRONMENT "PAYGEN_TEST_PLUGIN_DIR=${PAYGEN_PLUGIN_BUILD_DIR};PAYGEN_SOURCE_DIR=${PROJECT_SOURCE_DIR};PAYGEN_BINARY_DIR=${CMAKE_BINARY_DIR}")
endfunction()

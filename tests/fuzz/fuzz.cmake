# Fuzz targets (tests/fuzz/fuzz_*.c). Every build makes fuzz_<name>_replay,
# the target linked with replay.c, and registers fuzz.replay.<name>: the
# saved crashers of tests/fuzz/crashers/<name>/ and the seeds run through it. With
# -DCPROF_FUZZ=ON (clang) fuzz_<name> is also linked with libFuzzer
# (tests/fuzz/run.sh builds and runs those).
file(GLOB FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/fuzz_*.c)
foreach(src ${FUZZ_SOURCES})
  get_filename_component(target ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" name ${target})
  add_executable(${target}_replay ${src} ${CMAKE_CURRENT_LIST_DIR}/replay.c)
  target_compile_options(${target}_replay PRIVATE ${CPROF_WARNINGS})
  target_link_libraries(${target}_replay PRIVATE cprofcore)
  add_test(NAME fuzz.replay.${name}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/replay.sh ${name} $<TARGET_FILE:${target}_replay>)
  set_tests_properties(fuzz.replay.${name} PROPERTIES TIMEOUT 300 LABELS fuzz)
  if(CPROF_FUZZ)
    add_executable(${target} ${src})
    target_link_libraries(${target} PRIVATE cprofcore)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()

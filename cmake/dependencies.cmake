# Every third-party library Rapport builds against; all come from Debian packages installed by
# scripts/deps. Targets are wrapped in rapport::deps_* so the folders' CMakeLists stay short.
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS json url)
find_package(yaml-cpp REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(doctest REQUIRED)
find_package(Threads REQUIRED)
find_package(benchmark QUIET)
include(doctest)

find_library(SODIUM_LIBRARY sodium REQUIRED)
find_path(SODIUM_INCLUDE_DIR sodium.h REQUIRED)
add_library(rapport_deps_sodium INTERFACE)
target_link_libraries(rapport_deps_sodium INTERFACE ${SODIUM_LIBRARY})
target_include_directories(rapport_deps_sodium SYSTEM INTERFACE ${SODIUM_INCLUDE_DIR})

# libphonenumber: headers unpacked into .deps/ by scripts/deps (see there why), runtime from Debian.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h
  HINTS ${PROJECT_SOURCE_DIR}/.deps/phonenumber/usr/include REQUIRED)
find_library(PHONENUMBER_LIBRARY NAMES phonenumber libphonenumber.so.8 REQUIRED)
add_library(rapport_deps_phonenumber INTERFACE)
target_link_libraries(rapport_deps_phonenumber INTERFACE ${PHONENUMBER_LIBRARY})
target_include_directories(rapport_deps_phonenumber SYSTEM INTERFACE ${PHONENUMBER_INCLUDE_DIR})

# Declares a library for one top-level folder: sources under src/, public headers under include/.
function(rapport_folder_library name)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                     PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
endfunction()

# Declares a doctest executable from every .cpp under DIRECTORY (default: the current folder),
# registered with CTest one test per case, labelled with the executable's name (so a preset can
# run one suite: the tsan preset runs rapport_engine_tests).
# doctest's main() and implementation are compiled once for all the suites.
function(rapport_test_suite name)
  cmake_parse_arguments(arg "" "DIRECTORY" "LIBRARIES" ${ARGN})
  if(NOT TARGET rapport_doctest_main)
    add_library(rapport_doctest_main STATIC ${PROJECT_SOURCE_DIR}/tests/doctest_main.cpp)
    target_link_libraries(rapport_doctest_main PUBLIC doctest::doctest)
  endif()
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${arg_DIRECTORY}/*.cpp)
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${arg_LIBRARIES} rapport_doctest_main)
  target_compile_definitions(${name} PRIVATE
    RAPPORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  doctest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} PROPERTIES LABELS ${name})
endfunction()

# Embeds every file under `root` into `target` as <namespace>::<function>(): path → contents.
function(rapport_embed target namespace function root)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS ${root}/*)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${function}.cpp)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DNAMESPACE=${namespace} -DFUNCTION=${function}
            -DROOT=${root} "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${root}" VERBATIM)
  target_sources(${target} PRIVATE ${output})
endfunction()

# The imported target Xapian::Xapian.
#
# By default Debian's libxapian-dev, the shared library: its
# xapian-config.cmake sets XAPIAN_LIBRARIES and XAPIAN_INCLUDE_DIR but no
# target; they are wrapped here (the end of this file).
#
# With -DLIPSTEETH_STATIC_XAPIAN=ON, a static build of the same version made
# from Debian's source package (scripts/xapian-static.sh, run here at
# configure time, once: about 2 minutes), or the one LIPSTEETH_XAPIAN_STATIC_DIR
# names (include/, lib/libxapian.a). The binaries then link it and the C++
# runtime statically, and the C library too when its archives are there
# (below). A search is a short process: with Xapian and libstdc++ as shared
# libraries, resolving their symbols at every start takes about 1.5 ms, more
# than a search of a small index itself (BENCHMARKS.md, "Start-up"). Not
# under the sanitizers, whose runtime wants the shared C++ runtime.
option(LIPSTEETH_STATIC_XAPIAN "Link a static Xapian built from Debian's source package (scripts/xapian-static.sh)" OFF)
set(LIPSTEETH_XAPIAN_STATIC_DIR "" CACHE PATH
    "With LIPSTEETH_STATIC_XAPIAN: a static build of Xapian to link (include/, lib/libxapian.a) instead of building one")
set(_xapian_static_dir "")
if(LIPSTEETH_STATIC_XAPIAN AND LIPSTEETH_SANITIZE)
  message(STATUS "Xapian: LIPSTEETH_STATIC_XAPIAN is ignored under the sanitizers")
elseif(LIPSTEETH_STATIC_XAPIAN AND LIPSTEETH_XAPIAN_STATIC_DIR)
  set(_xapian_static_dir "${LIPSTEETH_XAPIAN_STATIC_DIR}")
elseif(LIPSTEETH_STATIC_XAPIAN)
  execute_process(COMMAND "${PROJECT_SOURCE_DIR}/scripts/xapian-static.sh"
                  OUTPUT_VARIABLE _xapian_static_dir OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _xapian_static_rc)
  if(NOT _xapian_static_rc EQUAL 0)
    message(FATAL_ERROR "LIPSTEETH_STATIC_XAPIAN=ON, but scripts/xapian-static.sh could not build a static "
                        "Xapian (its message is above); configure without it to link Debian's shared libxapian")
  endif()
endif()
set(LIPSTEETH_XAPIAN_LINKAGE "shared libxapian")
add_library(lipsteeth_zlib INTERFACE)  # zlib, as the binaries link it (Xapian's, bench/)
if(_xapian_static_dir)
  if(EXISTS "${_xapian_static_dir}/lib/libxapian.a" AND EXISTS "${_xapian_static_dir}/include/xapian.h")
    # With the archives of everything else (Debian's -dev packages ship
    # them), the binaries are wholly static: loading the C library and
    # resolving its symbols took another 0.5 ms of each search. Else the
    # C library stays shared.
    find_library(LIPSTEETH_UUID_A NAMES libuuid.a)
    find_library(LIPSTEETH_ZLIB_A NAMES libz.a)
    find_library(LIPSTEETH_ICUI18N_A NAMES libicui18n.a)
    add_library(Xapian::Xapian STATIC IMPORTED)
    set_target_properties(Xapian::Xapian PROPERTIES
      IMPORTED_LOCATION "${_xapian_static_dir}/lib/libxapian.a"
      INTERFACE_INCLUDE_DIRECTORIES "${_xapian_static_dir}/include")
    # A dependency with no archive (LIPSTEETH_SHARED_ONLY_DEPS: poppler-cpp)
    # brings the shared libc and C++ runtime: the last branch below.
    if(LIPSTEETH_STATIC_DEPS AND NOT LIPSTEETH_SHARED_ONLY_DEPS AND LIPSTEETH_UUID_A AND LIPSTEETH_ZLIB_A AND
       LIPSTEETH_ICUI18N_A AND LIPSTEETH_ICUUC_A AND LIPSTEETH_ICUDATA_A AND LIPSTEETH_ZSTD_A)
      target_link_libraries(lipsteeth_zlib INTERFACE ${LIPSTEETH_ZLIB_A})
      set_property(TARGET Xapian::Xapian PROPERTY
        INTERFACE_LINK_LIBRARIES "${LIPSTEETH_UUID_A};lipsteeth_zlib;Threads::Threads")
      # The price: a -static binary registers its unwind tables at start
      # (crtbeginT.o), and the first exception a process throws sorts all
      # of them, about 7 ms once (`--version`, an error such as an unknown
      # actor: 9-14 ms instead of 2-4); a search that finds what it looks
      # for throws none. A static PIE would find them without the sort, but
      # relocates ICU's pointer tables at every start (the executable is
      # position-dependent for that reason: cli/CMakeLists.txt).
      # The lipsteeth binary only (cli/CMakeLists.txt): the document reader
      # and the tests link poppler-cpp, which has no archive.
      set(LIPSTEETH_MAIN_LINK_OPTIONS -static)
      set(LIPSTEETH_XAPIAN_LINKAGE "static")
      message(STATUS "Xapian: static (${_xapian_static_dir}); the binaries are wholly static")
    else()
      find_library(LIPSTEETH_UUID_LIB NAMES uuid REQUIRED)
      set_property(TARGET Xapian::Xapian PROPERTY
        INTERFACE_LINK_LIBRARIES "${LIPSTEETH_UUID_LIB};lipsteeth_zlib;Threads::Threads")
      if(LIPSTEETH_STATIC_DEPS AND NOT LIPSTEETH_SHARED_ONLY_DEPS AND LIPSTEETH_ICUUC_A AND LIPSTEETH_ICUDATA_A)
        set(LIPSTEETH_MAIN_LINK_OPTIONS -static-libstdc++ -static-libgcc)
        set(LIPSTEETH_XAPIAN_LINKAGE "static, libc shared")
        message(STATUS "Xapian: static (${_xapian_static_dir}), with the C++ runtime; libc shared")
      else()
        # A shared ICU brings the shared C++ runtime anyway: one copy of it.
        set(LIPSTEETH_XAPIAN_LINKAGE "static, C++ runtime shared")
        message(STATUS "Xapian: static (${_xapian_static_dir}); the C++ runtime and libc shared"
                       " (shared only: ${LIPSTEETH_SHARED_ONLY_DEPS})")
      endif()
    endif()
  else()
    message(FATAL_ERROR "${_xapian_static_dir} holds no lib/libxapian.a and include/xapian.h")
  endif()
endif()
if(NOT LIPSTEETH_XAPIAN_LINKAGE STREQUAL "static")  # shared zlib
  find_package(ZLIB REQUIRED)
  target_link_libraries(lipsteeth_zlib INTERFACE ZLIB::ZLIB)
endif()
if(NOT TARGET Xapian::Xapian)
  find_package(xapian 1.4 REQUIRED CONFIG)
  add_library(Xapian::Xapian INTERFACE IMPORTED)
  set_target_properties(Xapian::Xapian PROPERTIES
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}"
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}")
  message(STATUS "Xapian: shared (${XAPIAN_LIBRARIES})")
endif()

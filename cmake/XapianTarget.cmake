# Debian's libxapian-dev ships xapian-config.cmake, which sets XAPIAN_LIBRARIES and
# XAPIAN_INCLUDE_DIR but no target; wrap them in the imported target Xapian::Xapian.
find_package(xapian 1.4 REQUIRED CONFIG)
if(NOT TARGET Xapian::Xapian)
  add_library(Xapian::Xapian INTERFACE IMPORTED)
  set_target_properties(Xapian::Xapian PROPERTIES
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}"
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}")
endif()

# `cmake --install` lays lipsteeth out as a package does (docs/install.md):
#   bin/lipsteeth
#   libexec/lipsteeth/lipsteeth-read            reads PDF, DOCX, ODT, EPUB (analyzers/document_pipe.h)
#   share/lipsteeth/actors.tsv                  the default gazetteer (data/)
#   share/man/man1/lipsteeth.1                  the manual page (docs/lipsteeth.1)
#   share/bash-completion/completions/lipsteeth
#   share/zsh/site-functions/_lipsteeth
#   share/fish/vendor_completions.d/lipsteeth.fish
#   lib/systemd/user/lipsteeth-index.{service,timer}   (contrib/, naming the installed binary)
#   share/doc/lipsteeth/                        README, docs/*.md, examples/ (the rest of contrib/)
# One component, `runtime`: `cmake --install build --component runtime`.
# The binary finds share/lipsteeth/ beside its own folder (analyzers/data_files.h),
# so an installed tree may be moved; the prefix is also compiled in.
include(GNUInstallDirs)

set(_c COMPONENT runtime)
install(TARGETS lipsteeth RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} ${_c})
# The document reader, found from the binary at ../libexec/lipsteeth/.
install(TARGETS lipsteeth-read RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/lipsteeth ${_c})

# Every data file the code reads (analyzers/data_files.h): the folder data/.
file(GLOB _data CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/data/*)
install(FILES ${_data} DESTINATION ${CMAKE_INSTALL_DATADIR}/lipsteeth ${_c})

install(FILES ${PROJECT_SOURCE_DIR}/docs/lipsteeth.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 ${_c})

install(FILES ${PROJECT_SOURCE_DIR}/completions/lipsteeth.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME lipsteeth ${_c})
install(FILES ${PROJECT_SOURCE_DIR}/completions/_lipsteeth
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions ${_c})
install(FILES ${PROJECT_SOURCE_DIR}/completions/lipsteeth.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d ${_c})

file(GLOB _docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR} ${_c})

# contrib/: the systemd user units go where `systemctl --user` finds them,
# the rest (the crontab line, ...) into the documentation's examples. The
# copies name the installed binary instead of /usr/local/bin/lipsteeth.
file(GLOB _contrib CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/contrib/*)
foreach(_f ${_contrib})
  get_filename_component(_name ${_f} NAME)
  if(_name MATCHES "\\.(service|timer)$")
    set(_dest "lib/systemd/user")
  else()
    set(_dest "${CMAKE_INSTALL_DOCDIR}/examples")
  endif()
  install(CODE "
    set(_to \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${_dest}\")
    file(READ \"${_f}\" _text)
    string(REPLACE \"/usr/local/bin/lipsteeth\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/lipsteeth\" _text \"\${_text}\")
    string(REPLACE \"/usr/share/doc/lipsteeth\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}\" _text \"\${_text}\")
    file(MAKE_DIRECTORY \"\${_to}\")
    message(STATUS \"Installing: \${_to}/${_name}\")
    file(WRITE \"\${_to}/${_name}\" \"\${_text}\")
    list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${_to}/${_name}\")
  " ${_c})
endforeach()

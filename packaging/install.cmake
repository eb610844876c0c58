# SPDX-License-Identifier: Apache-2.0
# Install layout beyond the binaries: the plugin SDK's pkg-config file, the
# profiles, the AWS provider schema, documentation, man pages and bash completion. Included from the
# top-level CMakeLists.txt; components: "paygen" (runtime) and "dev".

# pkg-config: the prefix is the one of the install step, not of configure, so
# that `cmake --install build --prefix DIR` and DESTDIR/CPack both answer
# correctly. Configure fills in everything else and leaves @PAYGEN_PC_PREFIX@.
file(STRINGS ${PROJECT_SOURCE_DIR}/core/include/paygen/paygen.h pg_abi REGEX "^#define PG_ABI_(MAJOR|MINOR) ")
string(REGEX REPLACE ".*PG_ABI_MAJOR ([0-9]+).*" "\\1" PAYGEN_ABI_MAJOR "${pg_abi}")
string(REGEX REPLACE ".*PG_ABI_MINOR ([0-9]+).*" "\\1" PAYGEN_ABI_MINOR "${pg_abi}")
set(PAYGEN_PC_PREFIX "@PAYGEN_PC_PREFIX@")
# paygen.pc: the plugin interface and libpaygen; paygen-aws.pc: libs/aws.
foreach(pc paygen paygen-aws)
  configure_file(${PROJECT_SOURCE_DIR}/packaging/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc.stage @ONLY)
  install(CODE "
    set(PAYGEN_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    configure_file(\"${PROJECT_BINARY_DIR}/${pc}.pc.stage\" \"${PROJECT_BINARY_DIR}/${pc}.pc\" @ONLY)
    " COMPONENT dev)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
          COMPONENT dev)
endforeach()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/profiles/ DESTINATION ${CMAKE_INSTALL_DATADIR}/paygen/profiles
        FILES_MATCHING PATTERN "*.yaml")

# The functions plugins deploy (core/engine/package.c zips them into the
# stacks): their code only, as in the packages; their tests stay in the source.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/functions/ DESTINATION ${CMAKE_INSTALL_DATADIR}/paygen/functions
        PATTERN ".*" EXCLUDE PATTERN "tests" EXCLUDE PATTERN "__pycache__" EXCLUDE
        PATTERN "test_*.py" EXCLUDE PATTERN "*.pyc" EXCLUDE)

# The AWS provider schema paygen validate uses by default (MPL-2.0, see
# share/aws-provider-schema/README.md); core/cli/CMakeLists.txt compiles in where
# paygen looks for it.
install(FILES ${PROJECT_SOURCE_DIR}/share/aws-provider-schema/aws-5.x.schema.json.gz
              ${PROJECT_SOURCE_DIR}/share/aws-provider-schema/PROVENANCE.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/paygen)

file(GLOB pg_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md ${PROJECT_SOURCE_DIR}/docs/*.svg)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/NOTICE ${pg_docs}
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The pictures the documents show (docs/architecture.md: images/production.svg).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/images/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/images)
if(EXISTS ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
  install(FILES ${PROJECT_SOURCE_DIR}/CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        COMPONENT dev)

# Man pages compressed as distributions ship them (gzip -n: reproducible).
find_program(PAYGEN_GZIP gzip)
foreach(page paygen.1 paygen-plugin.7)
  string(REGEX REPLACE ".*\\." "" section ${page})
  set(src ${PROJECT_SOURCE_DIR}/docs/man/${page})
  if(PAYGEN_GZIP)
    set(gz ${PROJECT_BINARY_DIR}/man/${page}.gz)
    add_custom_command(OUTPUT ${gz}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND ${PAYGEN_GZIP} -9 -n -c ${src} > ${gz}
      DEPENDS ${src} VERBATIM)
    list(APPEND pg_man_outputs ${gz})
    install(FILES ${gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  else()
    install(FILES ${src} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  endif()
endforeach()
if(pg_man_outputs)
  add_custom_target(paygen_man ALL DEPENDS ${pg_man_outputs})
endif()

# Per-package copyright and changelog (Debian format; the project history is
# CHANGELOG.md), as distributions want them.
foreach(pkg paygen dev)
  set(docdir ${CMAKE_INSTALL_DATADIR}/doc/paygen)
  if(pkg STREQUAL dev)
    set(docdir ${CMAKE_INSTALL_DATADIR}/doc/paygen-dev)
  endif()
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${docdir} COMPONENT ${pkg})
  if(PAYGEN_GZIP)
    install(FILES ${PROJECT_BINARY_DIR}/changelog.gz DESTINATION ${docdir} COMPONENT ${pkg})
  endif()
endforeach()
if(PAYGEN_GZIP)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/changelog.gz
    COMMAND ${PAYGEN_GZIP} -9 -n -c ${PROJECT_SOURCE_DIR}/packaging/debian/changelog > ${PROJECT_BINARY_DIR}/changelog.gz
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/debian/changelog VERBATIM)
  add_custom_target(paygen_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/changelog.gz)
endif()
# Debian build hosts: what lintian reports on purpose (packaging/README.md).
find_program(PAYGEN_DPKG dpkg)
if(PAYGEN_DPKG)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/lintian-overrides
          DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME paygen)
endif()

install(FILES ${PROJECT_SOURCE_DIR}/packaging/bash-completion/paygen
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

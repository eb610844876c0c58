# SPDX-License-Identifier: Apache-2.0
# Distro packages: `cpack -G DEB` / `cpack -G RPM` in a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr (the plugin directory compiled into libpaygen is
# the install libdir, so the package must use the prefix the build used).
#
#   paygen      the CLI, libpaygen.so.0, the plugins, profiles, docs, man pages,
#               bash completion
#   paygen-dev  paygen.h, libpaygen.so, paygen.pc, the example plugin
set(CPACK_PACKAGE_NAME paygen)
set(CPACK_PACKAGE_VENDOR "paygen authors")
set(CPACK_PACKAGE_CONTACT "Platform team <platform-team@example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Terraform JSON for a zero-downtime multi-region PCI payment platform")
set(CPACK_PACKAGE_DESCRIPTION "paygen reads a small YAML profile (migration phase, environment, regions)
and writes the Terraform JSON (cdk.tf.json) of a two-region PCI DSS payment
platform for Terraform 1.5+ and the AWS provider 5.x, one plugin per service.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/out/")
set(CPACK_COMPONENTS_ALL paygen dev)
# The synopsis is the summary above (CPack puts it first) for both packages.
set(CPACK_COMPONENT_PAYGEN_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_COMPONENT_DEV_DESCRIPTION "This package holds the plugin SDK: the header paygen/paygen.h, the
pkg-config file paygen.pc and the development link of libpaygen, to build
paygen plugins out of tree, and an example plugin.")
set(CPACK_COMPONENT_DEV_DEPENDS paygen)

# Debian: one .deb per component, named as Debian would.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PAYGEN_PACKAGE_NAME paygen)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME paygen-dev)
set(CPACK_DEBIAN_PAYGEN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The plugin ABI major the runtime loads (PAYGEN_ABI_MAJOR, read from paygen.h
# by install.cmake): packaged plugins depend on paygen-plugin-abi-N.
if(NOT PAYGEN_ABI_MAJOR MATCHES "^[0-9]+$")
  message(FATAL_ERROR "PG_ABI_MAJOR not found in core/include/paygen/paygen.h")
endif()
set(CPACK_DEBIAN_PAYGEN_PACKAGE_PROVIDES "paygen-plugin-abi-${PAYGEN_ABI_MAJOR}")
find_program(PAYGEN_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(PAYGEN_DPKG_SHLIBDEPS)
  # Computes libc6, libyaml-0-2, libcjson1 with their minimum versions.
  set(CPACK_DEBIAN_PAYGEN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
else()
  set(CPACK_DEBIAN_PAYGEN_PACKAGE_DEPENDS "libc6, libyaml-0-2, libcjson1")
endif()
# paygen-dev needs the exact runtime it was built with, and cJSON's headers.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "paygen (= ${PROJECT_VERSION}), libcjson-dev, pkg-config | pkgconf")
set(CPACK_DEBIAN_PAYGEN_PACKAGE_RECOMMENDS "terraform")
# ldconfig through the trigger, as Debian policy asks of shared libraries.
set(CPACK_DEBIAN_PAYGEN_PACKAGE_CONTROL_EXTRA "${PROJECT_SOURCE_DIR}/packaging/debian/triggers")
# Control files 0644 whatever the checkout's umask (lintian:
# control-file-has-bad-permissions on a 0664 triggers file).
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# RPM: the same split (paygen, paygen-devel).
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_GROUP "Development/Tools")
set(CPACK_RPM_PACKAGE_RELEASE 1)
# Apache-2.0 for paygen; the shipped AWS provider schema is MPL-2.0.
set(CPACK_RPM_PACKAGE_LICENSE "Apache-2.0 AND MPL-2.0")
set(CPACK_RPM_PAYGEN_PACKAGE_NAME paygen)
set(CPACK_RPM_DEV_PACKAGE_NAME paygen-devel)
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PAYGEN_PACKAGE_REQUIRES "libyaml, cjson")
set(CPACK_RPM_PAYGEN_PACKAGE_PROVIDES "paygen-plugin-abi = ${PAYGEN_ABI_MAJOR}")
# paygen-devel needs the exact runtime it was built with (version and release).
set(CPACK_RPM_DEV_PACKAGE_REQUIRES
    "paygen = ${PROJECT_VERSION}-${CPACK_RPM_PACKAGE_RELEASE}, cjson-devel, pkgconfig")
# Directories the filesystem package owns.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/man /usr/share/man/man1 /usr/share/man/man7 /usr/share/bash-completion
    /usr/share/bash-completion/completions /usr/lib64/pkgconfig /usr/lib/pkgconfig
    /usr/share/doc /usr/include)

include(CPack)

# SPDX-License-Identifier: Apache-2.0
# Hardening every build gets, not only the distro packages (which also get it
# from dpkg-buildflags): paygen runs on shared build agents, on profiles from
# merge requests, and loads plugins.
include(CheckCCompilerFlag)
include(CheckCSourceCompiles)
include(CheckPIESupported)

# Stack canaries on functions with arrays or address-taken locals.
check_c_compiler_flag(-fstack-protector-strong PG_HAVE_STACK_PROTECTOR)
if(PG_HAVE_STACK_PROTECTOR)
  add_compile_options(-fstack-protector-strong)
endif()

# Bounds-checked libc calls where sizes are known; needs optimisation, so not
# in Debug (and the sanitizers check more anyway).
if(NOT PAYGEN_SANITIZE AND NOT PAYGEN_FUZZ)
  add_compile_definitions($<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
endif()

# Position-independent executables (ASLR for the binary too).
check_pie_supported(LANGUAGES C)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

# Relocations resolved at load, then read-only (full RELRO).
set(CMAKE_REQUIRED_LINK_OPTIONS "-Wl,-z,relro,-z,now")
check_c_source_compiles("int main(void) { return 0; }" PG_HAVE_FULL_RELRO)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(PG_HAVE_FULL_RELRO)
  add_link_options(-Wl,-z,relro,-z,now)
endif()

# CMake pads a build tree's RUNPATH with an empty entry (the current
# directory: a libcjson.so.1 there would be loaded) so that it can rewrite it
# at install; relink at install instead.
#set(CMAKE_NO_BUILTIN_CHRPATH ON)

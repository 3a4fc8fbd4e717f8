# Guest.cmake: cross-building RV32IM guest code, and embedding guest images
# in the host binary.
#
# The host project's languages stay C and ASM for the host compiler; guest
# code is compiled with riscv64-unknown-elf-gcc through add_custom_command,
# so one configure builds both. The functions:
#
#   lde_cross_executable(NAME <target> OUTPUT <file.elf> SOURCES <src>...
#       [LINKER_SCRIPT <file.ld>] [CFLAGS <flag>...] [LDFLAGS <flag>...]
#       [LIBS <lib>...] [INCLUDES <dir>...] [DEPENDS <file-or-target>...])
#     Any cross-built ELF (the guest kernel: LDFLAGS -nostdlib, LIBS -lgcc).
#
#   lde_guest_program(<name> SOURCES <src>... [CFLAGS ...] [INCLUDES ...]
#       [OUTPUT_DIR <dir>] [NO_EMBED])
#     A user program linked with guest/runtime and picolibc, built as
#     <dir>/<name>.elf (default ${CMAKE_BINARY_DIR}/guest) and, unless
#     NO_EMBED, listed in the global property LDE_GUEST_PROGRAMS (which the
#     CLI embeds as built-in programs).
#
#   lde_embed_images(<static-lib-target> IMAGES <name> <path> ...
#       [DEPENDS <target>...])
#     A host static library that holds those files (see guest/embed.h).
#
# Facts about the toolchain this relies on: shared/design/guest-toolchain.md.

include_guard(GLOBAL)

find_program(LDE_CROSS_CC riscv64-unknown-elf-gcc)
if(NOT LDE_CROSS_CC)
  message(FATAL_ERROR
    "riscv64-unknown-elf-gcc not found: guest code needs it. "
    "On Debian/Ubuntu: apt-get install gcc-riscv64-unknown-elf "
    "picolibc-riscv64-unknown-elf")
endif()

# -misa-spec=2.2 keeps csr instructions in the base ISA, so plain rv32im
# assembles them and GCC picks its rv32im/ilp32 multilib (libgcc,
# picolibc); rv32im_zicsr would fall back to the rv64 multilib.
set(LDE_CROSS_ARCH_FLAGS -march=rv32im -misa-spec=2.2 -mabi=ilp32)

# Defaults for every cross compile; CFLAGS given to a function come after,
# so they can override these (e.g. -O0).
set(LDE_CROSS_DEFAULT_CFLAGS
  -std=c17 -O2 -g -Wall -Wextra -Werror -ffunction-sections -fdata-sections)

# Paths from this file's location, not CMAKE_SOURCE_DIR, so that a scratch
# project can include this file and add_subdirectory(guest) too.
get_filename_component(LDE_SOURCE_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
set(LDE_GUEST_DIR ${LDE_SOURCE_ROOT}/guest)
# The contract headers shared by host, kernel and guest: include/lde/*.h.
set(LDE_INCLUDE_DIR ${LDE_SOURCE_ROOT}/include)
set(LDE_GUEST_BINARY_DIR ${CMAKE_BINARY_DIR}/guest)

# Compile SOURCES into objects under OBJDIR; the object paths go to
# <out_var>. .o and .a files pass through unchanged (to the link). Each
# compile writes a depfile, so an edited header rebuilds its users.
function(_lde_cross_compile out_var objdir)
  cmake_parse_arguments(PARSE_ARGV 2 A "" "" "SOURCES;CFLAGS;INCLUDES;DEPENDS")
  set(inc_flags "")
  foreach(dir IN LISTS A_INCLUDES)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND inc_flags -I${dir})
  endforeach()
  set(objects "")
  foreach(src IN LISTS A_SOURCES)
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
               NORMALIZE)
    if(src MATCHES "\\.(o|a)$")
      list(APPEND objects ${src})
      continue()
    elseif(NOT src MATCHES "\\.(c|S|s)$")
      message(FATAL_ERROR "lde: cannot cross-compile ${src} (.c, .S, .s only)")
    endif()
    # The object's name keeps the source's path below the current source
    # directory, so a.c and sub/a.c do not collide.
    cmake_path(RELATIVE_PATH src BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
               OUTPUT_VARIABLE rel)
    string(REPLACE "../" "__/" rel "${rel}")
    set(obj ${objdir}/${rel}.o)
    cmake_path(GET obj PARENT_PATH obj_dir)
    file(MAKE_DIRECTORY ${obj_dir})
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${LDE_CROSS_CC} ${LDE_CROSS_ARCH_FLAGS}
              ${LDE_CROSS_DEFAULT_CFLAGS} ${A_CFLAGS} ${inc_flags}
              -MMD -MP -MT ${obj} -MF ${obj}.d -c ${src} -o ${obj}
      DEPENDS ${src} ${A_DEPENDS}
      DEPFILE ${obj}.d
      COMMENT "Cross-compiling ${rel}"
      COMMAND_EXPAND_LISTS
      VERBATIM)
    list(APPEND objects ${obj})
  endforeach()
  set(${out_var} ${objects} PARENT_SCOPE)
endfunction()

# Remember which target builds which file, so that lde_embed_images can
# order itself after the targets that make its images.
function(_lde_record_output target path)
  set_property(GLOBAL APPEND PROPERTY LDE_CROSS_OUTPUTS ${path} ${target})
endfunction()

# lde_cross_executable: see the top of this file.
#   SOURCES   .c/.S/.s compiled with LDE_CROSS_ARCH_FLAGS, the defaults and
#             CFLAGS; .o/.a files are linked as given.
#   LDFLAGS   link flags, before the objects (-nostdlib, --specs=..., -Wl,...).
#   LIBS      after the objects (-lgcc, archives).
#   DEPENDS   extra files or targets both the compiles and the link wait for.
# The custom target <NAME> is built by `all`; its property LDE_ELF holds
# OUTPUT. A link map is written next to it as <OUTPUT>.map.
function(lde_cross_executable)
  cmake_parse_arguments(PARSE_ARGV 0 A "" "NAME;OUTPUT;LINKER_SCRIPT"
                        "SOURCES;CFLAGS;LDFLAGS;LIBS;INCLUDES;DEPENDS")
  if(NOT A_NAME OR NOT A_OUTPUT OR NOT A_SOURCES)
    message(FATAL_ERROR "lde_cross_executable: NAME, OUTPUT and SOURCES are required")
  endif()
  cmake_path(ABSOLUTE_PATH A_OUTPUT BASE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  _lde_cross_compile(objects ${CMAKE_CURRENT_BINARY_DIR}/${A_NAME}.objs
    SOURCES ${A_SOURCES} CFLAGS ${A_CFLAGS} INCLUDES ${A_INCLUDES}
    DEPENDS ${A_DEPENDS})

  set(script_flags "")
  set(script_dep "")
  if(A_LINKER_SCRIPT)
    cmake_path(ABSOLUTE_PATH A_LINKER_SCRIPT
               BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    set(script_flags -T ${A_LINKER_SCRIPT})
    set(script_dep ${A_LINKER_SCRIPT})
  endif()
  cmake_path(GET A_OUTPUT PARENT_PATH out_dir)
  file(MAKE_DIRECTORY ${out_dir})
  cmake_path(GET A_OUTPUT FILENAME out_name)
  add_custom_command(
    OUTPUT ${A_OUTPUT}
    COMMAND ${LDE_CROSS_CC} ${LDE_CROSS_ARCH_FLAGS} ${A_LDFLAGS}
            ${script_flags} -Wl,-Map=${A_OUTPUT}.map
            ${objects} ${A_LIBS} -o ${A_OUTPUT}
    DEPENDS ${objects} ${script_dep} ${A_DEPENDS}
    COMMENT "Linking guest ${out_name}"
    COMMAND_EXPAND_LISTS
    VERBATIM)
  add_custom_target(${A_NAME} ALL DEPENDS ${A_OUTPUT})
  set_target_properties(${A_NAME} PROPERTIES LDE_ELF ${A_OUTPUT})
  _lde_record_output(${A_NAME} ${A_OUTPUT})
endfunction()

# ---- User programs --------------------------------------------------------

# What every user program is built with: our crt0 and link script instead
# of picolibc's (whose script targets flash and RAM regions), picolibc for
# libc (its specs add its include path, -ftls-model=local-exec, -lc, libgcc
# and --gc-sections).
set(LDE_GUEST_RUNTIME_DIR ${LDE_GUEST_DIR}/runtime)
# -std=c17 hides POSIX names (sbrk, sched_yield, ...) in picolibc's
# headers; _DEFAULT_SOURCE shows them, as on any Unix.
# The contract headers are included as "lde/machine.h" and "lde/abi.h":
# the lde/ prefix keeps them from shadowing any libc header.
set(LDE_GUEST_CFLAGS --specs=picolibc.specs -D_DEFAULT_SOURCE)
set(LDE_GUEST_INCLUDES ${LDE_GUEST_RUNTIME_DIR} ${LDE_INCLUDE_DIR})
set(LDE_GUEST_LDFLAGS
  --specs=picolibc.specs -nostartfiles -static -Wl,-z,max-page-size=4096)
# crt0 first; the rest are linked as objects, not an archive, so that our
# sbrk wins over the one inside libc.a (picolibc's malloc would otherwise
# pull in libc's own, which ignores brk). --gc-sections drops what a
# program does not use.
set(LDE_GUEST_RUNTIME_SOURCES
  ${LDE_GUEST_RUNTIME_DIR}/crt0.S
  ${LDE_GUEST_RUNTIME_DIR}/lde.c
  ${LDE_GUEST_RUNTIME_DIR}/posix.c
  ${LDE_GUEST_RUNTIME_DIR}/process.c
  ${LDE_GUEST_RUNTIME_DIR}/stdio.c)

# The runtime is compiled once per directory that builds user programs
# (guest/, bench/), by the target guest_runtime[_<dir>], in that directory:
# a custom command's output is only buildable from its own directory, and
# every program depends on its directory's target so that parallel builds
# never compile it twice.
function(_lde_guest_runtime out_var target_var)
  string(MAKE_C_IDENTIFIER "${CMAKE_CURRENT_SOURCE_DIR}" key)
  get_property(objects GLOBAL PROPERTY LDE_GUEST_RUNTIME_OBJECTS_${key})
  get_property(target GLOBAL PROPERTY LDE_GUEST_RUNTIME_TARGET_${key})
  if(NOT objects)
    _lde_cross_compile(objects ${CMAKE_CURRENT_BINARY_DIR}/guest_runtime.objs
      SOURCES ${LDE_GUEST_RUNTIME_SOURCES}
      CFLAGS ${LDE_GUEST_CFLAGS} INCLUDES ${LDE_GUEST_INCLUDES})
    if(TARGET guest_runtime)
      cmake_path(RELATIVE_PATH CMAKE_CURRENT_SOURCE_DIR
                 BASE_DIRECTORY ${LDE_SOURCE_ROOT} OUTPUT_VARIABLE rel)
      string(MAKE_C_IDENTIFIER "${rel}" rel)
      set(target guest_runtime_${rel})
    else()
      set(target guest_runtime)
    endif()
    add_custom_target(${target} DEPENDS ${objects})
    set_property(GLOBAL PROPERTY LDE_GUEST_RUNTIME_OBJECTS_${key} ${objects})
    set_property(GLOBAL PROPERTY LDE_GUEST_RUNTIME_TARGET_${key} ${target})
  endif()
  set(${out_var} ${objects} PARENT_SCOPE)
  set(${target_var} ${target} PARENT_SCOPE)
endfunction()

function(lde_guest_program name)
  cmake_parse_arguments(PARSE_ARGV 1 A "NO_EMBED" "OUTPUT_DIR"
                        "SOURCES;CFLAGS;INCLUDES")
  if(NOT A_SOURCES)
    message(FATAL_ERROR "lde_guest_program(${name}): SOURCES is required")
  endif()
  if(NOT A_OUTPUT_DIR)
    set(A_OUTPUT_DIR ${LDE_GUEST_BINARY_DIR})
  endif()
  _lde_guest_runtime(runtime_objects runtime_target)
  set(elf ${A_OUTPUT_DIR}/${name}.elf)
  lde_cross_executable(NAME guest_${name} OUTPUT ${elf}
    SOURCES ${A_SOURCES} ${runtime_objects}
    LINKER_SCRIPT ${LDE_GUEST_RUNTIME_DIR}/user.ld
    CFLAGS ${LDE_GUEST_CFLAGS} ${A_CFLAGS}
    LDFLAGS ${LDE_GUEST_LDFLAGS}
    INCLUDES ${LDE_GUEST_INCLUDES} ${A_INCLUDES})
  add_dependencies(guest_${name} ${runtime_target})
  if(A_NO_EMBED)
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY LDE_GUEST_PROGRAMS ${name} ${elf})
  if(NOT TARGET guest_programs)
    add_custom_target(guest_programs)
  endif()
  add_dependencies(guest_programs guest_${name})
endfunction()

# ---- The runtime for `lde cc` ------------------------------------------------

# lde_stage_runtime(): copy what `lde cc` links with into
# ${CMAKE_BINARY_DIR}/share/lde (target guest_sdk, built by `all`), in the
# layout `cmake --install` puts under PREFIX/share/lde:
#   user.ld                       the link script
#   lib/crt0.o lde.o posix.o process.o stdio.o   the runtime, compiled once
#   include/lde.h include/lde/*.h      the system-call API and the contract
# lde finds the directory from its own path (src/cli/cc.c). Call it from the
# directory that calls lde_guest_program, after the first call.
set(LDE_STAGE_DIR ${CMAKE_BINARY_DIR}/share/lde)
function(lde_stage_runtime)
  string(MAKE_C_IDENTIFIER "${CMAKE_CURRENT_SOURCE_DIR}" key)
  get_property(objects GLOBAL PROPERTY LDE_GUEST_RUNTIME_OBJECTS_${key})
  get_property(runtime GLOBAL PROPERTY LDE_GUEST_RUNTIME_TARGET_${key})
  if(NOT objects)
    message(FATAL_ERROR "lde_stage_runtime: no guest program in this "
                        "directory yet")
  endif()
  set(staged "")
  foreach(obj IN LISTS objects)
    # guest_runtime.objs/runtime/crt0.S.o -> lib/crt0.o
    cmake_path(GET obj FILENAME name)
    string(REGEX REPLACE "\\.(c|S|s)\\.o$" ".o" name "${name}")
    list(APPEND staged ${LDE_STAGE_DIR}/lib/${name})
    add_custom_command(OUTPUT ${LDE_STAGE_DIR}/lib/${name}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${LDE_STAGE_DIR}/lib
      COMMAND ${CMAKE_COMMAND} -E copy ${obj} ${LDE_STAGE_DIR}/lib/${name}
      DEPENDS ${obj} VERBATIM)
  endforeach()
  file(GLOB contract ${LDE_INCLUDE_DIR}/lde/*.h)
  set(copies ${LDE_GUEST_RUNTIME_DIR}/user.ld user.ld
             ${LDE_GUEST_RUNTIME_DIR}/lde.h include/lde.h)
  foreach(h IN LISTS contract)
    cmake_path(GET h FILENAME name)
    list(APPEND copies ${h} include/lde/${name})
  endforeach()
  list(LENGTH copies n)
  math(EXPR last "${n} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET copies ${i} from)
    list(GET copies ${j} to)
    cmake_path(GET to PARENT_PATH sub)
    list(APPEND staged ${LDE_STAGE_DIR}/${to})
    add_custom_command(OUTPUT ${LDE_STAGE_DIR}/${to}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${LDE_STAGE_DIR}/${sub}
      COMMAND ${CMAKE_COMMAND} -E copy ${from} ${LDE_STAGE_DIR}/${to}
      DEPENDS ${from} VERBATIM)
  endforeach()
  add_custom_target(guest_sdk ALL DEPENDS ${staged})
  add_dependencies(guest_sdk ${runtime})
endfunction()

# ---- Embedding images in the host -----------------------------------------

# Rewrite a generated file only when its text changes, so that a
# reconfigure does not rebuild what depends on it.
function(_lde_write_if_changed path content)
  if(EXISTS ${path})
    file(READ ${path} old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE ${path} "${content}")
endfunction()

# lde_embed_images(<lib> IMAGES <name> <path> ... [FILES <name>...]
#                  [DEPENDS <target>...])
# Generates <lib>_images.S: each file is pulled in with .incbin, and the
# table lde_images[] (name, data, size, exec, exec_size) is laid out in
# assembly because the size of an .incbin blob is only known to the
# assembler; guest/embed.c adds lde_image_find. The images named in FILES
# also get their exec image (lde_exec_image: the bytes a guest's execve
# reads), each page-aligned and zero-padded to a page, one after another
# from lde_files_start to lde_files_end: the boot block maps that run into
# guest RAM in one piece (docs/isa.md §9). Paths built by
# lde_cross_executable or lde_guest_program (e.g. the kernel's OUTPUT) are
# waited for automatically, wherever and whenever they are defined; other
# generated files need their target in DEPENDS. The CLI passes
#   IMAGES ${LDE_GUEST_PROGRAMS} kernel <the kernel's OUTPUT path>
#   FILES <every program's name>.
function(lde_embed_images lib)
  cmake_parse_arguments(PARSE_ARGV 1 A "" "" "IMAGES;FILES;DEPENDS")
  list(LENGTH A_IMAGES n)
  math(EXPR odd "${n} % 2")
  if(odd)
    message(FATAL_ERROR "lde_embed_images(${lib}): IMAGES takes name/path pairs")
  endif()
  math(EXPR count "${n} / 2")

  set(blobs "")
  set(execs "")
  set(names "")
  set(table "")
  set(paths "")
  set(exec_paths "")
  set(i 0)
  while(i LESS count)
    math(EXPR k "${i} * 2")
    math(EXPR v "${k} + 1")
    list(GET A_IMAGES ${k} name)
    list(GET A_IMAGES ${v} path)
    cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
               NORMALIZE)
    # Both end up inside assembler strings: keep them plain.
    if(NOT name MATCHES "^[A-Za-z0-9_.+-]+$")
      message(FATAL_ERROR "lde_embed_images: bad image name '${name}'")
    endif()
    if(path MATCHES "[\"\\\\\n]")
      message(FATAL_ERROR "lde_embed_images: unusable path '${path}'")
    endif()
    string(APPEND blobs
      "    .balign 16\n"
      "lde_img_${i}:\n"
      "    .incbin \"${path}\"\n"
      "lde_img_${i}_end:\n")
    string(APPEND names "lde_name_${i}: .asciz \"${name}\"\n")
    if(name IN_LIST A_FILES)
      set(exec ${CMAKE_CURRENT_BINARY_DIR}/${lib}_${name}.exec)
      add_custom_command(OUTPUT ${exec}
        COMMAND lde_exec_image ${path} ${exec}
        DEPENDS lde_exec_image ${path}
        COMMENT "Exec image of ${name}"
        VERBATIM)
      list(APPEND exec_paths ${exec})
      string(APPEND execs
        "lde_exec_${i}:\n"
        "    .incbin \"${exec}\"\n"
        "lde_exec_${i}_end:\n"
        "    .balign 4096, 0\n")
      set(exec_words "lde_exec_${i}, lde_exec_${i}_end - lde_exec_${i}")
    else()
      set(exec_words "0, 0")
    endif()
    string(APPEND table
      "    .dc.a lde_name_${i}, lde_img_${i}, lde_img_${i}_end - lde_img_${i}, ${exec_words}\n")
    list(APPEND paths ${path})
    math(EXPR i "${i} + 1")
  endwhile()

  set(gen ${CMAKE_CURRENT_BINARY_DIR}/${lib}_images.S)
  _lde_write_if_changed(${gen}
"/* Generated by lde_embed_images(${lib}) in cmake/Guest.cmake: do not edit. */
    .section .rodata.lde_image_data, \"a\", @progbits
${blobs}
    /* The exec images: whole pages, so that the run can be mapped (4096:
     * BOOT_PAGE in src/loader/boot_block.h, the guest's page size). */
    .section .rodata.lde_files, \"a\", @progbits
    .balign 4096
    .globl lde_files_start
lde_files_start:
${execs}    .globl lde_files_end
lde_files_end:

    .section .rodata.lde_image_names, \"a\", @progbits
${names}
    /* struct lde_image { const char *name; const unsigned char *data;
     * unsigned long size; const unsigned char *exec; unsigned long
     * exec_size; }: five address-sized words (LP64 or ILP32).
     * .data.rel.ro: the pointers need load-time relocation in a PIE. */
    .section .data.rel.ro.lde_images, \"aw\", @progbits
    .balign 16
    .globl lde_images
    .type lde_images, @object
lde_images:
${table}
    .size lde_images, . - lde_images

    .section .rodata.lde_nimages, \"a\", @progbits
    .balign 4
    .globl lde_nimages
    .type lde_nimages, @object
lde_nimages:
    .long ${count}
    .size lde_nimages, 4

    .section .note.GNU-stack, \"\", @progbits
")

  # The exec images are sources too, so that their commands run first.
  add_library(${lib} STATIC ${gen} ${LDE_GUEST_DIR}/embed.c ${exec_paths})
  target_include_directories(${lib} PUBLIC ${LDE_GUEST_DIR})
  # .incbin is invisible to dependency scanning: name the files.
  set_source_files_properties(${gen} PROPERTIES
    OBJECT_DEPENDS "${paths};${exec_paths}")
  if(A_DEPENDS)
    add_dependencies(${lib} ${A_DEPENDS})
  endif()
  # Images may come from targets defined after this call (another
  # directory, later): resolve them at the end of the configure.
  # A deferred call expands its arguments when it runs, in the top
  # directory's scope: pass the library's name as a literal (EVAL) and
  # the paths through a global property.
  set_property(GLOBAL PROPERTY LDE_EMBED_PATHS_${lib} ${paths})
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]]
                    CALL _lde_embed_order [[${lib}]])")
endfunction()

function(_lde_embed_order lib)
  get_property(outputs GLOBAL PROPERTY LDE_CROSS_OUTPUTS)
  get_property(paths GLOBAL PROPERTY LDE_EMBED_PATHS_${lib})
  foreach(path IN LISTS paths)
    list(FIND outputs ${path} at)
    if(at GREATER_EQUAL 0)
      math(EXPR t "${at} + 1")
      list(GET outputs ${t} target)
      add_dependencies(${lib} ${target})
    endif()
  endforeach()
endfunction()

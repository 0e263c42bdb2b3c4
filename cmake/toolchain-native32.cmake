# SPDX-License-Identifier: LGPL-2.1-or-later
# Native i386 Linux (gcc -m32): the 32-bit stdcall COM ABI, tested on a 64-bit host.
# Tests run through tests/i386-run.sh (set in CMakeLists.txt): directly where the machine
# executes i386 ELF (the kernel, or a binfmt_misc handler), else under qemu-i386-static.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)
set(CMAKE_C_FLAGS_INIT -m32)
set(CMAKE_CXX_FLAGS_INIT -m32)
set(CMAKE_EXE_LINKER_FLAGS_INIT -m32)
set(CMAKE_SHARED_LINKER_FLAGS_INIT -m32)
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)

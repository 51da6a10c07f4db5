# core/rules.mk — the runtime library: core/ (portable C) and the port's folder
# (assembly and C), found by wildcard; the TLS-model shared objects.  Included by the
# top-level Makefile, which sets PORT, B and the compile rules.
#
#   $(LIBGM)   libgm.a: the runtime model and the port's transitions, all Go side
#   $(LIBTLS)  libgmtls-{ie,gd,desc}.so: one shared object per TLS access model

TLS_MODELS := ie gd desc
TLS_SO_SRC := $(TLS_MODELS:%=core/tls_so_%.c)
CORE_SRC := $(filter-out $(TLS_SO_SRC),$(sort $(wildcard core/*.c)))
PORT_ASM := $(sort $(wildcard $(PORT)/*.S))
PORT_C := $(sort $(wildcard $(PORT)/*.c))
# the side's part of the library: everything but the transitions (make pair-side
# assembles those once per layout)
CORE_OBJ := $(CORE_SRC:%.c=$(B)/obj/%.o) $(PORT_C:%.c=$(B)/obj/%.o)
LIB_OBJ := $(CORE_OBJ) $(PORT_ASM:%.S=$(B)/obj/%.o)
LIBGM := $(B)/lib/libgm.a
LIBTLS := $(TLS_MODELS:%=$(B)/lib/libgmtls-%.so)
LIBTLS_LINK := $(TLS_MODELS:%=-lgmtls-%)
TLS_SO_OBJ := $(TLS_MODELS:%=$(B)/obj/core/tls_so_%.pic.o)
# The executable exports gm_tls so libgmtls.so's IE/GD/descriptor sequences reach it.
EXE_LDFLAGS := -Wl,--export-dynamic-symbol=gm_tls -Wl,-rpath,'$$ORIGIN/../lib' -L$(B)/lib

# Go-side C: g (and m) registers reserved.
$(B)/obj/core/%.o $(B)/obj/$(PORT)/%.o: ABI := $(GOSIDE)
# the shared objects are plain C, each in its TLS dialect
$(B)/obj/core/tls_so_gd.pic.o: EXTRA := $(TLS_GD_FLAGS)
$(B)/obj/core/tls_so_desc.pic.o: EXTRA := $(TLS_DESC_FLAGS)

$(LIBGM): $(LIB_OBJ)
	$(call say,AR      $(ARCH) $@) rm -f $@ && $(AR) rcs $@ $^

# One shared object per model: in one object the linker would relax the GD and descriptor
# sequences to the IE one it already has (tests/tls/check-relocs.sh caught exactly that).
$(B)/lib/libgmtls-%.so: $(B)/obj/core/tls_so_%.pic.o
	$(call say,LD      $(ARCH) $@) $(CC) -shared -o $@ $<

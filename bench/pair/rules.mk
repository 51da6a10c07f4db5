# bench/pair/rules.mk — the parts of a paired comparison (make compare, scripts/compare.sh).
#
#   make pair-side PAIR_LAYOUTS="1 2 3"   this tree as a side: $(B)/side/side-L<k>.o, one
#                                         relocatable object per layout (the transitions
#                                         assembled with -DGM_LAYOUT=k, the rest shared)
#                                         plus the TLS-model objects; the version that
#                                         scripts/compare.sh looks for is GM_PAIR_SIDE
#   make pair-driver                      the host that holds two sides (bench/pair/gmpair.c)
# scripts/pair-link.sh renames each side's symbols and links the two into one gmpair
# binary per layout.  Included after bench/peers/rules.mk (the side holds the C peers).

GM_PAIR_SIDE := 1
PAIR_LAYOUTS ?= 1
LD := $(CROSS_COMPILE)ld
SIDE_BASE_OBJ := $(CORE_SRC:%.c=$(B)/obj/%.o) $(PORT_C:%.c=$(B)/obj/%.o) $(SIDE_OBJ) $(PEERS_OBJ)

$(B)/side/base.o: $(SIDE_BASE_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD -r   $(ARCH) $@")
	$(Q)$(LD) -r -o $@ $^

.PHONY: pair-side pair-driver
pair-side: $(B)/side/base.o $(TLS_SO_OBJ)
	$(Q)for k in $(PAIR_LAYOUTS); do \
	  mkdir -p $(B)/side/L$$k || exit 1; \
	  for s in $(PORT_ASM); do \
	    $(CC) $(CPPFLAGS) $(ARCH_CFLAGS) -DGM_LAYOUT=$$k -ffile-prefix-map=$(CURDIR)=. -c \
	      -o $(B)/side/L$$k/$$(basename $$s .S).o $$s || exit 1; \
	  done; \
	  $(LD) -r -o $(B)/side/side-L$$k.o $(B)/side/base.o $(B)/side/L$$k/*.o || exit 1; \
	done
	@echo "pair-side: $(B)/side/side-L{$(PAIR_LAYOUTS)}.o"

PAIR_DRIVER_OBJ := $(B)/obj/bench/pair/gmpair.o $(B)/obj/bench/machine.o
$(B)/obj/bench/pair/gmpair.o: bench/pair/gmpair.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $< (C side)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

pair-driver: $(PAIR_DRIVER_OBJ)

# scripts/pair-link.sh with this ARCH's tools: PAIR_OUT PAIR_K PAIR_A PAIR_B PAIR_DRIVER
.PHONY: pair-link
pair-link:
	$(Q)CC="$(CC)" CXX="$(CXX)" CROSS_COMPILE="$(CROSS_COMPILE)" ARCH_CFLAGS="$(ARCH_CFLAGS)" \
	  scripts/pair-link.sh "$(PAIR_OUT)" "$(PAIR_K)" "$(PAIR_A)" "$(PAIR_B)" "$(PAIR_DRIVER)"

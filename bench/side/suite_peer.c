/*
 * suite_peer.c — peers: what other switch libraries and the floors cost, measured by
 * the same counter, in the same process, interleaved with gmbench's own transitions
 * (make bench PEERS=1; docs/peers.md).  Registered only when GM_PEERS=1.
 *
 *   peer/switch/boost-fcontext   Boost.Context jump_fcontext, per switch
 *   peer/switch/swapcontext      glibc swapcontext, per switch (signal mask syscall inside)
 *   peer/switch/setjmp           _setjmp/_longjmp between two stacks, per switch
 *   peer/call/plain-indirect     an indirect call of an empty C function from C
 *   peer/load/plain              one load of a word from C (the floor of a TLS read)
 *
 * The peers are C libraries: their loops (bench/side/gcc_peers.c, gcc_fcontext.cc) run in C
 * on the thread's own stack, entered with one gm_cgocall per batch; N vs 2N
 * differencing cancels that cgocall, as it cancels the counter reads.
 * The real Go runtime's figures (peer/{cgocall,callback,gosched,chanpingpong}/go) come
 * from `go test -bench` in the same make invocation and are merged into bench.json by
 * gm peers (docs/tools/peers.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "peers.h"

void suite_peer(void);

struct peer_case {
	int (*run)(void *);
	struct cpeer_req req;
};

static void run_peer(void *ctx, long n)
{
	struct peer_case *c = ctx;
	c->req.n = n;
	gm_cgocall(c->run, &c->req);
}

/* Creating a switch peer starts its second context: C code, so through cgocall too. */
struct peer_new {
	struct cpeer_switch *(*mk)(char *, size_t);
	struct cpeer_switch *sw;
	char why[200];
};

static int c_peer_new(void *arg)
{
	struct peer_new *p = arg;
	p->sw = p->mk(p->why, sizeof p->why);
	return 0;
}

static void add_case(const char *transition, const char *variant, int (*run)(void *), struct cpeer_switch *sw)
{
	struct peer_case *c = calloc(1, sizeof *c);
	c->run = run;
	c->req.sw = sw;
	bench_add("peer", transition, variant, run_peer, c);
}

/* Returns 0, or -1 with the reason in why. */
static int add_switch(const char *variant, struct cpeer_switch *(*mk)(char *, size_t), int (*run)(void *),
		      char *why, size_t whylen)
{
	struct peer_new p = { .mk = mk };
	gm_cgocall(c_peer_new, &p);
	if (!p.sw) {
		snprintf(why, whylen, "%s", p.why[0] ? p.why : "cannot be created");
		bench_unavailable("peer", "switch", variant, why);
		return -1;
	}
	add_case("switch", variant, run, p.sw);
	return 0;
}

void suite_peer(void)
{
	const char *on = getenv("GM_PEERS");
	if (!on || strcmp(on, "1"))
		return;
	static char why[200], boost[240];
	if (add_switch("boost-fcontext", cpeer_fcontext_new, cpeer_fcontext_run, why, sizeof why) == 0)
		snprintf(boost, sizeof boost, "%s", cpeer_fcontext_version());
	else
		snprintf(boost, sizeof boost, "unavailable: %s", why);
	bench_add_context("gm_peer_boost", boost);
	add_switch("swapcontext", cpeer_swapcontext_new, cpeer_swapcontext_run, why, sizeof why);
	add_switch("setjmp", cpeer_setjmp_new, cpeer_setjmp_run, why, sizeof why);
	add_case("call", "plain-indirect", cpeer_plain_indirect_run, NULL);
	add_case("load", "plain", cpeer_plain_load_run, NULL);
}

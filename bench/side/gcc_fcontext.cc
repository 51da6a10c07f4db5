// gcc_fcontext.cc — the Boost.Context peer: jump_fcontext ping-pong (see peers.h).
//
// Boost.Context's fcontext is the assembly switch that Boost.Coroutine2, Boost.Fiber
// and many C++ coroutine libraries stand on: it saves the callee-saved registers
// (and the FP control words) on the stack it leaves and jumps, with no signal mask
// and no system call.  Compiled normally (C side); linked with libboost_context.a.
//
// Built with -DCPEER_NO_BOOST='"reason"' where Boost.Context is not available for the
// target: cpeer_fcontext_new then reports the reason and the row says why.
#include <cstdio>
#include <cstdlib>

#include "peers.h"

#ifndef CPEER_NO_BOOST
#include <boost/context/detail/fcontext.hpp>
#include <boost/version.hpp>

namespace bcd = boost::context::detail;

namespace {

struct fc {
	bcd::fcontext_t co;   // the second context, where it last left off
};

// The second context: parks once (back to cpeer_fcontext_new), then counts each
// resumption and jumps straight back to whoever resumed it.
void fc_entry(bcd::transfer_t t)
{
	cpeer_switch *s = static_cast<cpeer_switch *>(t.data);
	s->co_frame = __builtin_frame_address(0);
	t = bcd::jump_fcontext(t.fctx, nullptr);
	for (;;) {
		s->co_count++;
		t = bcd::jump_fcontext(t.fctx, nullptr);
	}
}

} // namespace

extern "C" cpeer_switch *cpeer_fcontext_new(char *why, size_t whylen)
{
	cpeer_switch *s = static_cast<cpeer_switch *>(std::calloc(1, sizeof *s));
	fc *st = static_cast<fc *>(std::calloc(1, sizeof(fc)));
	if (!s || !st) {
		std::snprintf(why, whylen, "out of memory");
		std::free(s);
		std::free(st);
		return nullptr;
	}
	s->name = "boost-fcontext";
	s->impl = st;
	s->stack_size = 64 * 1024;
	s->stack = cpeer_stack_alloc(s->stack_size, why, whylen);
	if (!s->stack) {
		std::free(st);
		std::free(s);
		return nullptr;
	}
	// make_fcontext takes the top of the stack (stacks grow down on every port here)
	void *top = static_cast<char *>(s->stack) + s->stack_size;
	st->co = bcd::make_fcontext(top, s->stack_size, fc_entry);
	st->co = bcd::jump_fcontext(st->co, s).fctx;	// start it: it parks at once
	return s;
}

extern "C" int cpeer_fcontext_run(void *arg)
{
	cpeer_req *r = static_cast<cpeer_req *>(arg);
	cpeer_switch *s = r->sw;
	fc *st = static_cast<fc *>(s->impl);
	for (long i = 0; i < r->n; i += 2) {
		st->co = bcd::jump_fcontext(st->co, nullptr).fctx;
		s->main_count++;
	}
	return 0;
}

extern "C" const char *cpeer_fcontext_version(void)
{
	return "Boost.Context " BOOST_LIB_VERSION " jump_fcontext (libboost_context.a, linked in)";
}

#else // CPEER_NO_BOOST

extern "C" cpeer_switch *cpeer_fcontext_new(char *why, size_t whylen)
{
	std::snprintf(why, whylen, "%s", CPEER_NO_BOOST);
	return nullptr;
}

extern "C" int cpeer_fcontext_run(void *arg)
{
	(void)arg;
	std::abort();
}

extern "C" const char *cpeer_fcontext_version(void)
{
	return "unavailable";
}

#endif

// Package gopeers holds the real Go runtime's versions of the transitions gmbench
// models, measured by `go test -bench` (see gopeers_test.go and docs/peers.md):
// a cgo call of an empty C function, a Go -> C -> Go callback, runtime.Gosched
// between two goroutines, and a goroutine ping-pong over unbuffered channels.
package gopeers

/*
#include "gopeers.h"
*/
import "C"

import "runtime"

// Callbacks counts the C -> Go callbacks that reached Go (the tests check it).
var Callbacks uint64

//export gpGoEmpty
func gpGoEmpty() {
	Callbacks++
}

// CgoCall calls an empty C function through cgo (runtime.cgocall: entersyscall,
// asmcgocall to g0, exitsyscall).
func CgoCall() {
	C.gp_empty()
}

// Callback calls C, which calls back into Go once (crosscall2, cgocallback,
// cgocallbackg) and returns.
func Callback() {
	C.gp_callback()
}

// CThreadCallbacks makes n C -> Go callbacks from a thread C created (pthread_create):
// each one goes through needm/dropm, borrowing an extra M. It returns the errno of
// pthread_create/join.
func CThreadCallbacks(n int) int {
	return int(C.gp_cthread_callbacks(C.long(n)))
}

// Yielder yields until *stop is set; it is the second goroutine of the Gosched peer.
func Yielder(stop *int32, done chan<- struct{}) {
	for !loadStop(stop) {
		runtime.Gosched()
	}
	close(done)
}

// Pong answers every value received on in with the same value on out, until in is closed.
func Pong(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v
	}
	close(out)
}

// gopl — the Go column of `make pathlen`: real Go (cgo) doing the transitions that
// gmbench models, between two marker calls, so that their instructions per operation
// are counted by the same n = K vs n = 2K differencing as the gmbench driver (QEMU exec
// trace on arm/arm64, callgrind on amd64).
//
//	gopl CASE K REPS [OUT]
//
// CASE is one of
//
//	cgocall   Go -> an empty C function
//	callback  C -> Go, per callback (a C loop under one cgocall calls an exported Go function)
//	gocgo     a Go -> C -> Go round trip
//	gosched   runtime.Gosched with one goroutine: one reschedule
//
// After a warm-up, each repetition runs the case for K operations and then for 2K, each
// between gopl_begin() and gopl_end(), and writes one "region CASE N" line per region
// to OUT (default: standard output).
package main

/*
#cgo CFLAGS: -O2
#include "gopl.h"
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
)

//export goplCallback
func goplCallback() {}

func runCase(name string, n int) {
	switch name {
	case "cgocall":
		for i := 0; i < n; i++ {
			C.gopl_empty()
		}
	case "callback":
		C.gopl_callback_loop(C.long(n))
	case "gocgo":
		for i := 0; i < n; i++ {
			C.gopl_callback_once()
		}
	case "gosched":
		for i := 0; i < n; i++ {
			runtime.Gosched()
		}
	default:
		fmt.Fprintf(os.Stderr, "gopl: unknown case %q (cgocall, callback, gocgo, gosched)\n", name)
		os.Exit(2)
	}
}

func main() {
	if len(os.Args) != 4 && len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: gopl cgocall|callback|gocgo|gosched K REPS [OUT]")
		os.Exit(2)
	}
	name := os.Args[1]
	k, err1 := strconv.Atoi(os.Args[2])
	reps, err2 := strconv.Atoi(os.Args[3])
	if err1 != nil || err2 != nil || k < 1 || reps < 1 {
		fmt.Fprintln(os.Stderr, "gopl: K and REPS must be positive integers")
		os.Exit(2)
	}
	out := os.Stdout
	if len(os.Args) == 5 {
		f, err := os.Create(os.Args[4])
		if err != nil {
			fmt.Fprintln(os.Stderr, "gopl:", err)
			os.Exit(2)
		}
		defer f.Close()
		out = f
	}
	// The measuring goroutine stays on this thread for the cgo cases, so that one
	// thread's instructions are the whole operation (the counters follow one thread).
	// Gosched is measured unlocked: a locked goroutine's yield hands its P to another
	// thread, which is not the path Go programs take.
	if name != "gosched" {
		runtime.LockOSThread()
	}
	runCase(name, k) // warm-up: lazy binding, first-call paths, stack growth
	runCase(name, 2*k)
	for r := 0; r < reps; r++ {
		for _, n := range []int{k, 2 * k} {
			C.gopl_begin()
			runCase(name, n)
			C.gopl_end()
			fmt.Fprintf(out, "region %s %d\n", name, n)
		}
	}
}

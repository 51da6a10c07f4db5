package gopeers

import (
	"runtime"
	"testing"
)

// Every benchmark counts one operation per transition, as gmbench does:
// a call, a Go -> C -> Go round trip, or one switch from one goroutine to the other.

func BenchmarkCgoCall(b *testing.B) {
	for i := 0; i < b.N; i++ {
		CgoCall()
	}
}

func BenchmarkCallback(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Callback()
	}
}

// Callbacks from one C-created thread (needm/dropm per callback in Go 1.19); one
// thread for the whole batch, so its creation is spread over b.N callbacks.
func BenchmarkCallbackCThread(b *testing.B) {
	if e := CThreadCallbacks(b.N); e != 0 {
		b.Fatalf("pthread: errno %d", e)
	}
}

// Two goroutines on one P: each Gosched of ours runs the partner, whose Gosched
// runs us again; one loop iteration is two reschedules, so b.N counts reschedules.
func BenchmarkGosched(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var stop int32
	done := make(chan struct{})
	go Yielder(&stop, done)
	runtime.Gosched()
	b.ResetTimer()
	for i := 0; i < b.N; i += 2 {
		runtime.Gosched()
	}
	b.StopTimer()
	Stop(&stop)
	<-done
}

// Ping-pong over two unbuffered channels on one P: one loop iteration is two
// hand-offs (ours to the partner, the partner's back), so b.N counts hand-offs.
func BenchmarkChanPingPong(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ping, pong := make(chan int), make(chan int)
	go Pong(ping, pong)
	b.ResetTimer()
	for i := 0; i < b.N; i += 2 {
		ping <- i
		<-pong
	}
	b.StopTimer()
	close(ping)
	<-pong
}

// The peers do what they claim (make test-peers runs these).

func TestCallbackReachesGo(t *testing.T) {
	before := Callbacks
	for i := 0; i < 1000; i++ {
		Callback()
	}
	if got := Callbacks - before; got != 1000 {
		t.Fatalf("1000 callbacks made, %d reached Go", got)
	}
	CgoCall()
}

func TestCThreadCallbacksReachGo(t *testing.T) {
	before := Callbacks
	if e := CThreadCallbacks(1000); e != 0 {
		t.Fatalf("pthread: errno %d", e)
	}
	if got := Callbacks - before; got != 1000 {
		t.Fatalf("1000 callbacks made from a C thread, %d reached Go", got)
	}
}

func TestGoschedAlternates(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var stop int32
	done := make(chan struct{})
	turns := 0
	go func() {
		for !loadStop(&stop) {
			turns++
			runtime.Gosched()
		}
		close(done)
	}()
	for i := 0; i < 1000; i++ {
		runtime.Gosched()
	}
	Stop(&stop)
	<-done
	if turns < 900 {
		t.Fatalf("partner ran %d times during 1000 Gosched calls on one P", turns)
	}
}

func TestChanPingPong(t *testing.T) {
	ping, pong := make(chan int), make(chan int)
	go Pong(ping, pong)
	for i := 0; i < 1000; i++ {
		ping <- i
		if v := <-pong; v != i {
			t.Fatalf("sent %d, got %d back", i, v)
		}
	}
	close(ping)
	if _, ok := <-pong; ok {
		t.Fatal("pong not closed after ping")
	}
}

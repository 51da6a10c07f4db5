package gopeers

import "sync/atomic"

func loadStop(p *int32) bool { return atomic.LoadInt32(p) != 0 }

// Stop tells a Yielder to finish.
func Stop(p *int32) { atomic.StoreInt32(p, 1) }

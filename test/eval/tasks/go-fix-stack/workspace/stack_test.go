package stack

import "testing"

func TestPopIsLIFO(t *testing.T) {
	var s Stack
	s.Push(1)
	s.Push(2)
	if v, _ := s.Pop(); v != 2 {
		t.Fatalf("Pop() = %d, want 2", v)
	}
}

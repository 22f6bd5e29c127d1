package stack

import "testing"

func TestHiddenEval(t *testing.T) {
	if got := EvalRPN([]string{"3", "4", "-", "5", "*"}); got != -5 {
		t.Fatalf("EvalRPN = %d, want -5", got)
	}
	var s Stack
	if _, ok := s.Pop(); ok {
		t.Fatal("Pop on empty stack should report !ok")
	}
}

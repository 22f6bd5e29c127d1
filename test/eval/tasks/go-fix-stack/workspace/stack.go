package stack

// Stack is a last-in first-out stack of ints.
type Stack struct {
	items []int
}

// Push adds v on top.
func (s *Stack) Push(v int) { s.items = append(s.items, v) }

// Len is the number of items.
func (s *Stack) Len() int { return len(s.items) }

// Pop removes and returns the top item; ok is false when the stack is empty.
func (s *Stack) Pop() (v int, ok bool) {
	if len(s.items) == 0 {
		return 0, false
	}
	v = s.items[0]
	s.items = s.items[1:]
	return v, true
}

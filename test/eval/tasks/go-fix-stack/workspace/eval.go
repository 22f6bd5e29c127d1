package stack

// EvalRPN evaluates space-free postfix tokens of single digits and + - *.
func EvalRPN(tokens []string) int {
	var s Stack
	for _, t := range tokens {
		switch t {
		case "+", "-", "*":
			b, _ := s.Pop()
			a, _ := s.Pop()
			switch t {
			case "+":
				s.Push(a + b)
			case "-":
				s.Push(a - b)
			default:
				s.Push(a * b)
			}
		default:
			s.Push(int(t[0] - '0'))
		}
	}
	v, _ := s.Pop()
	return v
}

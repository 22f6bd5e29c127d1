package shapes

import "testing"

func TestTotalArea(t *testing.T) {
	if got := TotalArea([]Rect{{W: 2, H: 3}, {W: 1, H: 1}}); got != 7 {
		t.Fatalf("TotalArea = %v", got)
	}
}

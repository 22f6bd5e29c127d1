package shapes

import "testing"

func TestHiddenRectangle(t *testing.T) {
	if (Rectangle{W: 4, H: 5}).Area() != 20 {
		t.Fatal("wrong area")
	}
}

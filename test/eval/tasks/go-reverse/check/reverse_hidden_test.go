package strutil

import "testing"

func TestReverseHidden(t *testing.T) {
	cases := map[string]string{"": "", "abc": "cba", "héllo": "olléh", "racecar": "racecar"}
	for in, want := range cases {
		if got := Reverse(in); got != want {
			t.Errorf("Reverse(%q) = %q, want %q", in, got, want)
		}
	}
}

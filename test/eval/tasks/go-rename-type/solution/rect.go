package shapes

// Rectangle is an axis-aligned rectangle.
type Rectangle struct {
	W, H float64
}

// Area of r.
func (r Rectangle) Area() float64 { return r.W * r.H }

package shapes

// TotalArea sums the areas of rs.
func TotalArea(rs []Rectangle) float64 {
	sum := 0.0
	for _, r := range rs {
		sum += r.Area()
	}
	return sum
}

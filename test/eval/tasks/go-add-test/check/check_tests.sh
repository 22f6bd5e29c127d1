set -e
test -f clamp_test.go
grep -q "func Test" clamp_test.go
go test ./...
cp clamp.go /tmp/clamp_orig.go
printf 'package clamp\n\nfunc Clamp(v, lo, hi int) int { return v }\n' > clamp.go
if go test ./... >/dev/null 2>&1; then echo "tests did not catch a broken Clamp"; cp /tmp/clamp_orig.go clamp.go; exit 1; fi
cp /tmp/clamp_orig.go clamp.go

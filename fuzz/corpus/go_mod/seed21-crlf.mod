module m

go 1.22
require (
	x.y/z v1.0.0
)

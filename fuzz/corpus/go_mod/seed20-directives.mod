// Deprecated: use example.com/new instead.
module "example.com/m/v2"

go 1.23.4

toolchain go1.24rc1

godebug (
	default=go1.21
	panicnil=1
)

godebug asynctimerchan=0

require (
	example.com/a v1.2.3 // indirect
	example.com/b v0.0.0-20240101000000-abcdefabcdef
	example.com/c v2.0.0+incompatible // indirect; comment
	"example.com/q uoted" v1.0.0
)

exclude example.com/a v1.2.2

exclude (
	example.com/b v0.1.0-pre.1
)

replace example.com/a v1.2.3 => ../a

replace (
	example.com/b => example.com/b2 v1.0.0
	example.com/c v2.0.0+incompatible => "./dir with space"
)

retract v2.0.1

retract (
	[v2.0.0, v2.0.5] // bad release
	v2.1.0-rc.1
)

tool example.com/a/cmd/x

tool (
	example.com/b/cmd/y
)

ignore ./node_modules

ignore (
	./vendor2
	"./has space"
)

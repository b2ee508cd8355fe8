module `example.com/raw`
go 1.21
require "example.com/x\u00e9" v1.0.0
replace example.com/y => "C:\\path\\to dir"
retract [v1.0.0, v1.0.1] /* not a comment */

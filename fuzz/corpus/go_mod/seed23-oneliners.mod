module m
require x.y/z v1.0.0-0.20200101010101-0123456789ab+incompatible
require (
)
exclude x.y/z v1.0.0
// trailing comment

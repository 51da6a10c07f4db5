module gmbench/peers/go

go 1.19

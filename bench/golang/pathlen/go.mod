module gmbench/pathlen/gopl

go 1.19

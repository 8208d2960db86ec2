module symgo

go 1.19

module cprofgen

go 1.19

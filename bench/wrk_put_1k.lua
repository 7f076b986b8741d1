-- wrk: PUT a 1 KiB body to the presigned URL given on the command line.
wrk.method = "PUT"
wrk.body = string.rep("x", 1024)

// Extended attributes (part of the C library; Swift's Glibc module leaves this header out).
// The object store keeps each object's ETag, content type and metadata on the object's file.
#ifndef CXATTR_SHIM_H
#define CXATTR_SHIM_H
#include <sys/xattr.h>
#endif

// Complex arguments import as structs instead of OpaquePointer (see shared/NOTES.md).
#define FORCE_OPENBLAS_COMPLEX_STRUCT 1
#include <cblas.h>

// Only the header matters: LLVMFuzzerRunDriver comes from the fuzzer runtime that -sanitize=fuzzer links.
#include "CFuzzerDriver.h"

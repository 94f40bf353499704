// libFuzzer's documented entry point for programs that keep their own main (LLVMFuzzerRunDriver).
// SwiftPM renames an executable's main, so libFuzzer's own main cannot be used; each target's @main calls this.
#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

// Process hardening calls that Swift cannot make itself (prctl is variadic).
#ifndef CDEVPAY_PROCESS_SHIM_H
#define CDEVPAY_PROCESS_SHIM_H

#if defined(__linux__)
#include <sys/prctl.h>
#endif

// Marks the process not dumpable: no core file, and other processes of the same user can neither ptrace it nor
// read /proc/PID/mem or /proc/PID/environ. Returns 0 on success, -1 (errno set) on failure, 0 where the call
// does not exist.
static inline int devpay_disable_dumping(void) {
#if defined(__linux__)
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#else
    return 0;
#endif
}

// 1 when the process is dumpable, 0 when not, -1 on failure or where the call does not exist.
static inline int devpay_is_dumpable(void) {
#if defined(__linux__)
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
#else
    return -1;
#endif
}

#endif

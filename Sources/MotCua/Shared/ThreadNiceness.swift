#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's nice value. Linux keeps nice values per thread, and `setpriority` with
/// PRIO_PROCESS and `who == 0` changes only the calling thread. Any thread may raise its own value; lowering
/// it needs `CAP_SYS_NICE` or an `RLIMIT_NICE` that allows it, and without either the call changes nothing.
/// Elsewhere this does nothing.
enum ThreadNiceness {
    static func setCurrent(_ niceness: Int32) {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}

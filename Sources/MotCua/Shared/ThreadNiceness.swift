import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's nice value. Linux keeps nice values per thread, and `setpriority` with
/// PRIO_PROCESS and `who == 0` changes only the calling thread. Any thread may raise its own value; lowering
/// it needs `CAP_SYS_NICE` or an `RLIMIT_NICE` that allows it, and without either the call changes nothing.
/// Elsewhere this does nothing.
public enum ThreadNiceness {
    static func setCurrent(_ niceness: Int32) {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    /// Every thread of the process now (from `/proc/self/task`); threads made later inherit their maker's value.
    /// For commands that run beside the portal and should yield the CPU to it (the backup).
    public static func setProcess(_ niceness: Int32) {
        #if os(Linux)
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for thread in threads.compactMap({ id_t($0) }) {
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, niceness)
        }
        #endif
    }
}

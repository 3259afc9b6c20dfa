import NIOPosix

/// A task executor that runs its jobs on a `NIOThreadPool`: the pool SQLite's connections already use, so a
/// transaction (or a read) does not change threads between its statements.
///
/// A write transaction holds the one write lock across several statements. sqlite-nio runs each statement
/// as a work item of the connection's thread pool and resumes the caller from there. On Swift's cooperative
/// pool (as many threads as cores) that resumption waited behind every page being rendered, with the lock
/// held (the write steps' p50 was over a second under the mixed load); on a thread of its own it still woke
/// another thread twice per statement, each time waiting for the operating system's turn on a loaded core.
/// With the continuations queued on the statements' own thread, a transaction runs from BEGIN to COMMIT on
/// that thread, one work item after the other, and the lock is handed to the next writer on it too.
///
/// Reads of several statements (`Database.readSeveral`) do the same on the readers' pool (several threads: one
/// task's jobs never run at once anyway): each resumption on the cooperative pool waited behind the pages being
/// rendered; on the readers' threads a read's statements follow each other, and the request goes back to the
/// cooperative pool once, with everything it read. Uploads do it on the file pool (`LocalFileStore`).
final class ThreadPoolTaskExecutor: TaskExecutor {
    private let pool: NIOThreadPool

    /// For the writer, `pool` has exactly one thread, so that jobs run in order and never at the same time.
    ///
    /// `niceness` (Linux, one-thread pools): the thread's nice value. Every write waits for the lock holder, so the holder
    /// should not wait for a core behind page views: at -10, under the mixed load, the wait for the lock fell
    /// from 30 ms to 2–6 ms at p50. Lowering a nice value needs `CAP_SYS_NICE` or an `RLIMIT_NICE` that allows
    /// it (systemd `LimitNICE=`, see docs/deploy.md); without either the thread keeps the process's own.
    init(pool: NIOThreadPool, niceness: Int32 = 0) {
        self.pool = pool
        if niceness != 0 {
            precondition(pool.numberOfThreads == 1, "a nice value is set on a one-thread pool")
            pool.submit { _ in ThreadNiceness.setCurrent(niceness) }
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // A pool that is shutting down hands the item back at once as `.cancelled`: the job still runs
        // (on the caller's thread), since a continuation that never runs would hang its task.
        pool.submit { _ in job.runSynchronously(on: executor) }
    }
}

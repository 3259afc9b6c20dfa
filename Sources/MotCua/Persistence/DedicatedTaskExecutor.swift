import Foundation

/// A task executor with a thread of its own, for SQLite's write transactions.
///
/// A write transaction holds the one write lock across several statements, and after each statement its
/// task resumes on an executor. On the cooperative pool (as many threads as cores) that resumption waited in
/// line behind every page being rendered: under the mixed load each hop waited tens of milliseconds, with
/// the lock held, so every other write queued behind it (the write steps' p50 was over a second while reads
/// stayed at a few milliseconds). Preferring this executor inside the transaction, the statements'
/// continuations run here at once, and the only wait left is the operating system's fair share of a core.
final class DedicatedTaskExecutor: TaskExecutor, @unchecked Sendable {
    /// Guards `jobs` and `stopped`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs already queued have run.
    func shutdown() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

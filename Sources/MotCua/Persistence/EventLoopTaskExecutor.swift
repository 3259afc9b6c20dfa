import NIOCore

/// A task executor that runs its jobs on a PostgreSQL connection's event loop, where that connection's
/// answers arrive. A read or transaction with several statements then goes from one statement to the next on
/// that thread, instead of waiting for a turn on Swift's cooperative pool after each answer (behind the pages
/// being rendered), and the request goes back to the cooperative pool once, with everything it read. What
/// runs here between statements is short (binding values, decoding rows), so the loop's other connections
/// are not held up.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}

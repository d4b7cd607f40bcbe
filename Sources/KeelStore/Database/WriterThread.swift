import NIOCore
import NIOPosix

/// One thread that runs the SQLite writer's transactions: between its statements a write resumes here at once,
/// instead of queueing behind every other task on the shared pool (two threads on two cores), which under load
/// made each of a write's twenty-odd statements wait its turn again.
final class WriterThread: TaskExecutor {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop

    init() {
        loop = group.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        loop.enqueue(job)
    }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }
}

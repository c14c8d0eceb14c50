import SeamCore

/// Takes the proxy's calls as they happen. Called on NIO event loops, concurrently from several of them:
/// an implementation must be thread-safe and must not block (queue the work, don't do it).
public protocol ProxyCallSink: Sendable {
    func record(_ call: ProxyCall)
}

/// Hands each call to several sinks in order (live output, then the session recorder).
public struct ProxyCallFanOut: ProxyCallSink {
    public let sinks: [any ProxyCallSink]

    public init(_ sinks: [any ProxyCallSink]) { self.sinks = sinks }

    public func record(_ call: ProxyCall) {
        for sink in sinks { sink.record(call) }
    }
}

import SeamCore
import Atomics
import NIOCore

/// The proxy's counters, updated from every event loop without locks (relaxed atomics: they are
/// statistics, read for the summary and by tests).
public final class ProxyStatistics: Sendable {
    private let accepted = ManagedAtomic<Int>(0)
    private let closed = ManagedAtomic<Int>(0)
    private let failedConnects = ManagedAtomic<Int>(0)
    private let clientToServer = ManagedAtomic<UInt64>(0)
    private let serverToClient = ManagedAtomic<UInt64>(0)
    private let peakBuffered = ManagedAtomic<Int>(0)
    private let datagrams = ManagedAtomic<Int>(0)
    private let truncated = ManagedAtomic<Int>(0)

    public init() {}

    /// Connections accepted (TCP) or client mappings made (UDP).
    public var acceptedConnections: Int { accepted.load(ordering: .relaxed) }
    /// Connections (or mappings) that ended, including those whose upstream connect failed.
    public var closedConnections: Int { closed.load(ordering: .relaxed) }
    /// Upstream connects that failed.
    public var failedConnections: Int { failedConnects.load(ordering: .relaxed) }
    /// Bytes relayed client → server (counted when a connection ends, and per datagram).
    public var bytesClientToServer: UInt64 { clientToServer.load(ordering: .relaxed) }
    /// Bytes relayed server → client.
    public var bytesServerToClient: UInt64 { serverToClient.load(ordering: .relaxed) }
    /// The most bytes one leg ever had queued for writing (sampled whenever a write left it unwritable).
    public var peakBufferedBytes: Int { peakBuffered.load(ordering: .relaxed) }
    /// UDP datagrams relayed (both directions).
    public var datagramsRelayed: Int { datagrams.load(ordering: .relaxed) }
    /// UDP datagrams longer than `--recv-size`.
    public var datagramsTruncated: Int { truncated.load(ordering: .relaxed) }
    /// Connections still open.
    public var openConnections: Int { acceptedConnections - closedConnections }

    func connectionAccepted() { accepted.wrappingIncrement(ordering: .relaxed) }
    func connectionClosed() { closed.wrappingIncrement(ordering: .relaxed) }
    func connectFailed() { failedConnects.wrappingIncrement(ordering: .relaxed) }

    func relayed(_ bytes: UInt64, clientToServer isClientToServer: Bool) {
        (isClientToServer ? clientToServer : serverToClient).wrappingIncrement(by: bytes, ordering: .relaxed)
    }

    func datagramRelayed(truncated wasTruncated: Bool) {
        datagrams.wrappingIncrement(ordering: .relaxed)
        if wasTruncated { truncated.wrappingIncrement(ordering: .relaxed) }
    }

    /// Samples a channel's queued bytes into the peak (called only when a write left it unwritable).
    func noteBuffered(_ channel: Channel) {
        guard let buffered = try? channel.syncOptions?.getOption(.bufferedWritableBytes) else { return }
        var current = peakBuffered.load(ordering: .relaxed)
        while buffered > current {
            let (exchanged, original) = peakBuffered.compareExchange(
                expected: current, desired: buffered, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}

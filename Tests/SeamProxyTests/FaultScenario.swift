#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// One connection of the fault matrix: the payload each peer sends, how they chunk and pace it, and how the
/// connection ends. `run` plays it through the proxy with a client socket and the upstream listener's
/// accepted socket, each role on its own thread, and reports what arrived.
struct FaultScenario: Sendable {
    /// How the connection ends.
    enum Ending: CaseIterable, Sendable {
        /// The client sends everything and shuts down; the server replies after reading to end of file.
        case clientFinFirst
        /// The server sends everything and shuts down; the client sends after reading to end of file.
        case serverFinFirst
        /// Both send at once and shut down when done.
        case bothFin
        /// The client sends part of its payload and resets (SO_LINGER 0).
        case clientReset
        /// The server sends part of its payload and resets.
        case serverReset
        /// Nothing listens upstream: the client must see the connection end.
        case upstreamRefused
        /// The server reads part of the client's stream and resets while the client still sends.
        case upstreamDies
        /// The client reads a little and closes while the server still sends a large payload.
        case clientVanishes

        /// Whether every byte sent must arrive (the orderly endings).
        var deliversEverything: Bool { self == .clientFinFirst || self == .serverFinFirst || self == .bothFin }
    }

    /// What happened, for the matrix to check and total.
    struct Result: Sendable {
        var ending: Ending
        var clientPort: UInt16 = 0
        var clientSent = 0
        var serverSent = 0
        var clientReceived = 0
        var serverReceived = 0
        var problems: [String] = []
    }

    var ending: Ending
    var clientSeed: UInt64
    var serverSeed: UInt64
    var clientSize: Int
    var serverSize: Int
    var clientChunks: [Int]
    var serverChunks: [Int]
    var clientDelays: [UInt32]
    var serverDelays: [UInt32]
    /// Where a partial ending cuts: the fraction of the payload sent or read first, in 1/16.
    var cut: Int

    /// A random scenario; payloads are log-uniform from 0 B to `2^largestSizeBits` (22: 4 MiB).
    init(ending: Ending, largestSizeBits: Int = 22, generator: inout some RandomNumberGenerator) {
        func size() -> Int {
            // Log-uniform: mostly small, now and then megabytes.
            let bits = Int.random(in: 0...largestSizeBits, using: &generator)
            return bits == 0 ? 0 : Int.random(in: (1 << (bits - 1))...(1 << bits), using: &generator)
        }
        func chunks() -> [Int] {
            (0..<7).map { _ in
                Bool.random(using: &generator) ? Int.random(in: 1...64, using: &generator)
                    : Int.random(in: 1...65_536, using: &generator)
            }
        }
        func delays() -> [UInt32] {
            (0..<5).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0 ? UInt32.random(in: 0...2000, using: &generator) : 0
            }
        }
        self.ending = ending
        clientSeed = generator.next()
        serverSeed = generator.next()
        clientSize = size()
        serverSize = ending == .clientVanishes ? max(size(), 1 << (largestSizeBits - 1)) : size()
        clientChunks = chunks()
        serverChunks = chunks()
        clientDelays = delays()
        serverDelays = delays()
        cut = Int.random(in: 0...15, using: &generator)
    }

    /// Plays the scenario; blocking, bounded by the sockets' 10 s timeouts.
    func run(proxyPort: Int, listener: TestSocket) throws -> Result {
        var result = Result(ending: ending)
        let client = try TestSocket.connect(port: proxyPort, timeoutSeconds: 10)
        result.clientPort = FaultPeer.localPort(client.fd)
        if ending == .upstreamRefused {
            _ = FaultPeer.write(client.fd, seed: clientSeed, count: min(clientSize, 1000), chunks: clientChunks)
            let read = FaultPeer.read(client.fd, seed: serverSeed, delays: [0])
            if read.end == .timedOut || read.count > 0 { result.problems.append("client saw \(read) after refusal") }
            client.close()
            return result
        }
        let server = try listener.accept()
        server.setTimeout(10)

        let box = ResultBox(result)
        let group = DispatchGroup()
        func role(_ body: @escaping @Sendable () -> Void) {
            DispatchQueue.global().async(group: group, execute: body)
        }
        let serverReadDone = DispatchSemaphore(value: 0)
        let clientReadDone = DispatchSemaphore(value: 0)
        let serverWriteDone = DispatchSemaphore(value: 0)
        let clientWriteDone = DispatchSemaphore(value: 0)
        let scenario = self
        let clientFD = client.fd, serverFD = server.fd
        let partial: @Sendable (Int) -> Int = { size in size * scenario.cut / 16 }
        /// Close with SO_LINGER 0: the peer gets RST.
        let reset: @Sendable (Int32) -> Void = { fd in
            var value = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
            close(fd)
        }
        let ending = self.ending

        // Client writer.
        role {
            var count = scenario.clientSize
            switch ending {
            case .serverFinFirst: clientReadDone.wait()
            case .clientReset: count = partial(count)
            case .serverReset, .clientVanishes: count = 0
            default: break
            }
            let write = FaultPeer.write(
                clientFD, seed: scenario.clientSeed, count: count, chunks: scenario.clientChunks)
            box.update {
                $0.clientSent = write.accepted
                if write.end == .timedOut { $0.problems.append("client write timed out") }
            }
            if ending == .clientReset {
                clientReadDone.wait()
                reset(clientFD)
            } else if write.end == .done, ending != .upstreamDies, ending != .clientVanishes {
                shutdown(clientFD, Int32(SHUT_WR))
            }
            clientWriteDone.signal()
        }
        // Client reader.
        role {
            let limit = ending == .clientVanishes ? partial(1 << 20) : Int.max
            let read = FaultPeer.read(clientFD, seed: scenario.serverSeed, limit: limit, delays: scenario.clientDelays)
            clientReadDone.signal()
            box.update {
                $0.clientReceived = read.count
                if !read.inOrder { $0.problems.append("client received bytes out of order") }
                if read.end == .timedOut { $0.problems.append("client read timed out after \(read.count) bytes") }
            }
            if ending == .clientVanishes {
                clientWriteDone.wait()
                close(clientFD)
            }
        }
        // Server writer.
        role {
            var count = scenario.serverSize
            switch ending {
            case .clientFinFirst: serverReadDone.wait()
            case .serverReset: count = partial(count)
            case .clientReset, .upstreamDies: count = 0
            default: break
            }
            let write = FaultPeer.write(
                serverFD, seed: scenario.serverSeed, count: count, chunks: scenario.serverChunks)
            box.update {
                $0.serverSent = write.accepted
                if write.end == .timedOut { $0.problems.append("server write timed out") }
            }
            if ending == .serverReset {
                serverReadDone.wait()
                reset(serverFD)
            } else if write.end == .done {
                shutdown(serverFD, Int32(SHUT_WR))
            }
            serverWriteDone.signal()
        }
        // Server reader.
        role {
            let limit = ending == .upstreamDies ? partial(scenario.clientSize) : Int.max
            let read = FaultPeer.read(serverFD, seed: scenario.clientSeed, limit: limit, delays: scenario.serverDelays)
            serverReadDone.signal()
            box.update {
                $0.serverReceived = read.count
                if !read.inOrder { $0.problems.append("server received bytes out of order") }
                if read.end == .timedOut { $0.problems.append("server read timed out after \(read.count) bytes") }
            }
            if ending == .upstreamDies {
                serverWriteDone.wait()
                reset(serverFD)
            }
        }
        group.wait()
        if ending != .clientReset && ending != .clientVanishes { client.close() }
        if ending != .serverReset && ending != .upstreamDies { server.close() }
        result = box.value
        if ending.deliversEverything {
            if result.serverReceived != result.clientSent {
                result.problems.append("server received \(result.serverReceived) of \(result.clientSent) bytes")
            }
            if result.clientReceived != result.serverSent {
                result.problems.append("client received \(result.clientReceived) of \(result.serverSent) bytes")
            }
        }
        return result
    }
}

/// The scenario's result, shared by its role threads under a lock.
final class ResultBox: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var result: FaultScenario.Result
    init(_ result: FaultScenario.Result) {
        self.result = result
        pthread_mutex_init(&mutex, nil)
    }
    deinit { pthread_mutex_destroy(&mutex) }
    var value: FaultScenario.Result { update { _ in } }
    @discardableResult
    func update(_ body: (inout FaultScenario.Result) -> Void) -> FaultScenario.Result {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        body(&result)
        return result
    }
}

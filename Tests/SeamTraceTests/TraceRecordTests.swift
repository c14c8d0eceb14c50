import SeamCore
import Testing

@testable import SeamTrace

/// Builds SeamPreload records byte by byte, at the offsets of `seam_preload.h`.
struct RecordBytes {
    var bytes = [UInt8](repeating: 0, count: TraceRecord.size)

    init(operation: UInt16, function: UInt8, socket: UInt64 = 1, result: Int64 = 0, asked: Int64 = -1) {
        put(UInt32(TraceRecord.size), at: 0)  // length
        put(TraceRecord.version, at: 4)  // version
        put(operation, at: 6)  // op
        put(UInt32(4242), at: 8)  // pid
        put(UInt32(4243), at: 12)  // tid
        put(socket, at: 16)  // socket_id
        put(UInt64(1_000_000_000), at: 24)  // start_ns
        put(UInt64(1_000_000_500), at: 32)  // end_ns
        put(UInt64(bitPattern: asked), at: 40)  // asked
        put(UInt64(bitPattern: result), at: 48)  // result
        put(Int32(7), at: 64)  // fd
        bytes[93] = 1  // socktype: stream
        bytes[94] = 4  // family
        bytes[136] = function  // function
    }

    mutating func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }

    mutating func endpoints(local: (UInt8, UInt16), peer: (UInt8, UInt16)) {
        put(local.1, at: 96)  // local_port
        put(peer.1, at: 98)  // peer_port
        bytes[100...103] = [127, 0, 0, local.0]  // local_addr
        bytes[116...119] = [127, 0, 0, peer.0]  // peer_addr
    }

    mutating func payload(_ data: [UInt8]) {
        bytes += data
        put(UInt32(bytes.count), at: 0)
        put(UInt32(data.count), at: 132)  // payload_length
    }

    var record: TraceRecord? { TraceRecord(message: bytes[...]) }
}

@Suite("TraceRecord")
struct TraceRecordTests {
    @Test("every field is read at its offset")
    func fields() throws {
        var raw = RecordBytes(operation: 2, function: 7, socket: 9, result: 9, asked: 1024)
        raw.endpoints(local: (1, 9000), peer: (1, 51000))
        raw.put(Int32(0x20), at: 72)  // flags: MSG_TRUNC
        raw.put(Int32(0x20), at: 76)  // out_flags
        raw.put(UInt64(5), at: 56)  // offset
        raw.bytes[92] = 2  // role: server
        raw.payload(Array("hellofeng".utf8))
        let record = try #require(raw.record)
        #expect(record.operation == .recv && record.function == "recvfrom")
        #expect(record.pid == 4242 && record.tid == 4243 && record.socketID == 9 && record.fd == 7)
        #expect(record.start.nanoseconds == 1_000_000_000 && record.end.nanoseconds == 1_000_000_500)
        #expect(record.asked == 1024 && record.result == 9 && record.offset == 5)
        #expect(record.flags == 0x20 && record.outFlags == 0x20 && record.role == .server)
        #expect(record.local == Endpoint("127.0.0.1:9000") && record.peer == Endpoint("127.0.0.1:51000"))
        #expect(record.payload == Array("hellofeng".utf8) && record.transport == .tcp)
    }

    @Test("a short message, another version or a wrong length is not a record")
    func rejects() {
        let good = RecordBytes(operation: 1, function: 1)
        #expect(good.record != nil)
        #expect(TraceRecord(message: good.bytes.dropLast()) == nil)
        var version = good
        version.put(UInt16(1), at: 4)  // the first layout, before data_source and batches
        #expect(version.record == nil)
        var length = good
        length.put(UInt32(TraceRecord.size + 1), at: 0)
        #expect(length.record == nil)
        var operation = good
        operation.put(UInt16(99), at: 6)
        #expect(operation.record == nil)
    }

    @Test("data_source, batch_index and batch_count are read; unknown functions are named 'unknown'")
    func kernelAndBatch() throws {
        var raw = RecordBytes(operation: 1, function: 17, result: 5, asked: 5)
        raw.bytes[137] = 1  // data_source: kernel
        raw.put(UInt16(1), at: 138)  // batch_index
        raw.put(UInt16(2), at: 140)  // batch_count
        let record = try #require(raw.record)
        #expect(record.function == "sendmmsg" && record.dataSource == .kernel)
        #expect(record.batchIndex == 1 && record.batchCount == 2)
        #expect(try #require(RecordBytes(operation: 1, function: 200).record).function == "unknown")
    }

    @Test("a process record: start with path and command, exec with the trace environment flag")
    func processRecords() throws {
        var start = RecordBytes(operation: 8, function: 32, socket: 0, result: 4242)
        start.put(Int32(77), at: 88)  // opt_value: parent
        start.payload(Array("/usr/bin/python3.11".utf8) + [0] + Array("python3".utf8))
        let startRecord = try #require(start.record)
        let started = try #require(ProcessEvent(record: startRecord))
        #expect(started.kind == .start && started.pid == 4242 && started.parent == 77)
        #expect(started.path == "/usr/bin/python3.11" && started.command == "python3")
        var exec = RecordBytes(operation: 8, function: 34, socket: 0, result: 4242)
        exec.put(Int32(1), at: 72)  // flags: SEAM_PROCESS_TRACE_ENV
        exec.payload(Array("/tmp/server".utf8))
        let execRecord = try #require(exec.record)
        let execing = try #require(ProcessEvent(record: execRecord))
        #expect(execing.kind == .exec && execing.carriesTrace && execing.path == "/tmp/server")
        #expect(execing.command == nil)
        var spawn = RecordBytes(operation: 8, function: 36, socket: 0, result: 5000)
        spawn.payload(Array("/bin/true".utf8))
        let spawnRecord = try #require(spawn.record)
        let spawned = try #require(ProcessEvent(record: spawnRecord))
        #expect(spawned.kind == .spawn && spawned.pid == 5000 && spawned.reporter == 4242 && !spawned.carriesTrace)
        let send = try #require(RecordBytes(operation: 1, function: 1).record)
        #expect(ProcessEvent(record: send) == nil)
    }

    @Test("a wildcard local address towards a loopback peer is the loopback address; v4-mapped is IPv4")
    func addresses() throws {
        var wildcard = RecordBytes(operation: 1, function: 2)
        wildcard.endpoints(local: (0, 40000), peer: (1, 9000))
        wildcard.bytes[100...103] = [0, 0, 0, 0]
        #expect(try #require(wildcard.record).local == Endpoint("127.0.0.1:40000"))
        var mapped = RecordBytes(operation: 1, function: 1)
        mapped.bytes[94] = 6
        mapped.put(UInt16(40000), at: 96)
        mapped.bytes[100...115] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 127, 0, 0, 1]
        #expect(try #require(mapped.record).local == Endpoint("127.0.0.1:40000"))
    }
}

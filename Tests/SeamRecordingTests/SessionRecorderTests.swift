#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import SeamCore
import SeamRecording
import SeamTestSupport
import Testing

@Suite(.serialized) struct SessionRecorderTests {
    @Test func callsAndCapturedPacketsFromTwoThreadsAreWrittenInTimestampOrder() throws {
        let path = temporaryPath("recorder-order.pcapng")
        defer { unlink(path) }
        var settings = SessionSettings()
        settings["listen"] = "127.0.0.1:8081"
        let recorder = try SessionRecorder(path: path, settings: settings, recorder: "a test")
        let capture = try recorder.addCaptureInterface(linkType: .raw, name: "lo")
        let base = Timestamp.now().nanoseconds
        // Handed in out of order, from two threads, all within the writer's reorder window.
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            for i in stride(from: 9, through: 1, by: -2) {
                let call = SessionCall(
                    kind: .recv, connection: 1, leg: .downstream, direction: .clientToServer, offset: UInt64(i),
                    length: 1, timestamp: Timestamp(nanoseconds: base + Int64(i) * 1000))
                recorder.record(call, payload: ByteBuffer(bytes: [UInt8(i)]))
            }
        }
        DispatchQueue.global().async(group: group) {
            for i in stride(from: 8, through: 0, by: -2) {
                recorder.record(
                    packet: [UInt8(i)], timestamp: Timestamp(nanoseconds: base + Int64(i) * 1000), originalLength: 1,
                    interface: capture)
            }
        }
        group.wait()
        let statistics = try recorder.close()
        #expect(statistics.callsWritten == 5)
        #expect(statistics.packetsWritten == 5)
        #expect(statistics.dropped == 0 && statistics.lateItems == 0)
        let reader = try SessionReader(source: .path(path))
        var order: [UInt8] = []
        while let item = try reader.next() {
            switch item {
            case .call(let call): order.append(call.payload!.first!)
            case .packet(let packet): order.append(packet.data.first!)
            case .unreadableCall(let error): Issue.record("\(error)")
            }
        }
        #expect(order == Array(0...9))
        #expect(reader.settings?["listen"] == "127.0.0.1:8081")
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func aBatchOfCallsIsWrittenWholeInTimestampOrderByAWriterAtTheNiceAsked() throws {
        let path = temporaryPath("recorder-batch.pcapng")
        defer { unlink(path) }
        let recorder = try SessionRecorder(
            path: path, settings: SessionSettings(), recorder: "a test", writerNice: 10)
        let base = Timestamp.now().nanoseconds
        // One batch, out of order, as a drain round hands them over.
        let calls = [3, 1, 2].map { i in
            SessionCall(
                kind: .send, connection: 1, leg: .app, direction: .clientToServer, offset: UInt64(i), length: 1,
                timestamp: Timestamp(nanoseconds: base + Int64(i) * 1000), payload: [UInt8(i)])
        }
        recorder.record(contentsOf: calls)
        recorder.record(contentsOf: [])
        let statistics = try recorder.close()
        #expect(statistics.callsWritten == 3 && statistics.dropped == 0)
        let reader = try SessionReader(source: .path(path))
        var order: [UInt8] = []
        while let item = try reader.next() {
            if case .call(let call) = item { order.append(call.payload?.first ?? 0) }
        }
        #expect(order == [1, 2, 3])
    }

    @Test func aLossyRecorderDropsAndCountsInsteadOfStalling() throws {
        let path = temporaryPath("recorder-drop.pcapng")
        defer { unlink(path) }
        let recorder = try SessionRecorder(
            path: path, settings: SessionSettings(), recorder: "a test", mode: .lossy,
            bounds: .init(items: 10, payloadBytes: 1 << 20))
        let now = Timestamp.now()
        for i in 0..<25 { recorder.record(SessionCall(kind: .close, connection: i, leg: .upstream, timestamp: now)) }
        let statistics = try recorder.close()
        #expect(statistics.callsWritten == 10, "the ten held in the reorder window are written at close")
        #expect(statistics.dropped == 15)
        let file = try SessionFile(path: path)  // the statistics block stating the drops does not upset the reader
        #expect(file.calls.map(\.connection) == Array(0..<10))
    }

    @Test func aLosslessRecorderKeepsEverythingAndAsksProducersToPause() async throws {
        let path = temporaryPath("recorder-pause.pcapng")
        defer { unlink(path) }
        let recorder = try SessionRecorder(
            path: path, settings: SessionSettings(), recorder: "a test", mode: .lossless,
            bounds: .init(items: 8, payloadBytes: 1 << 20))
        let now = Timestamp.now()
        for i in 0..<20 { recorder.record(SessionCall(kind: .close, connection: i, leg: .upstream, timestamp: now)) }
        #expect(recorder.statistics.pauses >= 1, "past its bound the recorder asks event loops to stop reading")
        let resumed = NIOLockedValueBox(false)
        recorder.whenCaughtUp { resumed.withLockedValue { $0 = true } }
        // The writer writes the oldest calls down to a quarter of the bound, and then calls the producer back.
        #expect(await eventually(3) { resumed.withLockedValue { $0 } })
        #expect(!recorder.isBackedUp)
        let statistics = try recorder.close()
        #expect(statistics.callsWritten == 20 && statistics.dropped == 0 && statistics.pauses >= 1)
    }

    @Test func atItsBoundALosslessRecorderWritesTheOldestItemsWithoutWaitingOutTheReorderWindow() async throws {
        let path = temporaryPath("recorder-pressure.pcapng")
        defer { unlink(path) }
        let recorder = try SessionRecorder(
            path: path, settings: SessionSettings(), recorder: "a test", mode: .lossless,
            bounds: .init(items: 8, payloadBytes: 1 << 20), statesOutcome: true)
        // Stamped a minute ahead: the reorder window alone would hold them all for a minute.
        let later = Timestamp(nanoseconds: Timestamp.now().nanoseconds + 60_000_000_000)
        for i in 0..<20 {
            recorder.record(SessionCall(kind: .close, connection: i, leg: .upstream, timestamp: later))
        }
        #expect(recorder.statistics.pauses >= 1)
        let resumed = NIOLockedValueBox(false)
        recorder.whenCaughtUp { resumed.withLockedValue { $0 = true } }
        #expect(await eventually(5) { resumed.withLockedValue { $0 } }, "the paused relay resumes long before a minute")
        #expect(recorder.statistics.callsWritten >= 12, "written down to a quarter of the bound")
        let statistics = try recorder.close()
        #expect(statistics.callsWritten == 20 && statistics.dropped == 0 && statistics.pauses >= 1)
        #expect(statistics.pausedNanoseconds > 0)
        let file = try SessionFile(path: path)
        #expect(file.calls.map(\.connection) == Array(0..<20), "still in time order")
    }

    @Test func anUnwritablePathIsAClearError() {
        #expect(throws: CaptureFileError.self) {
            try SessionRecorder(path: "/nonexistent-dir/session.pcapng", settings: SessionSettings(), recorder: "a test")
        }
    }
}

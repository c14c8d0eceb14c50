import CSeamWatch
import SeamCore
import Testing

@testable import SeamWatch

#if canImport(Glibc)
import Glibc
#endif

@Suite struct WatchSelectionTests {
    @Test func needsSomethingToWatch() {
        #expect(throws: WatchError.self) { try WatchSelection().validate() }
        #expect(throws: Never.self) { try WatchSelection(ports: [80]).validate() }
        #expect(throws: Never.self) { try WatchSelection(followsChildren: true).validate() }
    }

    @Test(arguments: [
        WatchSelection(ports: Array(1...17)), WatchSelection(commands: ["a-very-long-name"]),
        WatchSelection(commands: Array(repeating: "x", count: 9)), WatchSelection(pids: [0]),
        WatchSelection(ports: [0]), WatchSelection(ports: [80], snapLength: 65537),
    ])
    func impossibleSelections(selection: WatchSelection) {
        #expect(throws: WatchError.self) { try selection.validate() }
    }

    @Test func theConfigurationHoldsTheSelection() {
        let selection = WatchSelection(ports: [80, 443], commands: ["nginx", "curl"], snapLength: 100)
        let config = selection.configuration(selfPid: 7, wakeupBytes: 4096)
        #expect(config.self_tgid == 7 && config.snaplen == 100 && config.wakeup_bytes == 4096)
        #expect(config.all_processes == 0 && config.port_count == 2 && config.comm_count == 2)
        #expect(config.ports.0 == 80 && config.ports.1 == 443)
        let comm = withUnsafeBytes(of: config.comms) { Array($0[16..<21]) }
        #expect(comm == Array("curl\0".utf8))
        #expect(WatchSelection(ports: [80]).configuration(selfPid: 1, wakeupBytes: 1).all_processes == 1)
    }
}

@Suite struct HeldItemsTests {
    func call(at nanoseconds: Int64, connection: Int) -> SessionCall {
        SessionCall(kind: .send, connection: connection, leg: .app, timestamp: Timestamp(nanoseconds: nanoseconds))
    }

    @Test func takesWhatIsOldEnoughInTimeOrder() {
        var held = HeldItems()
        held.add(call(at: 20, connection: 1))
        held.add(packet: [1], timestamp: Timestamp(nanoseconds: 10), originalLength: 1)
        held.add(call(at: 30, connection: 2))
        held.add(packet: [2], timestamp: Timestamp(nanoseconds: 25), originalLength: 1)
        held.add(call(at: 50, connection: 3))
        let taken = held.take(upTo: 30)
        #expect(taken.map(\.timestamp.nanoseconds) == [10, 20, 25, 30])
        #expect(held.count == 1)
        #expect(held.take(upTo: 49).isEmpty)
        #expect(held.take(upTo: .max).map(\.timestamp.nanoseconds) == [50])
        #expect(held.count == 0)
    }

    @Test func manyItemsComeOutOnceEach() {
        var held = HeldItems()
        for index in 0..<10_000 { held.add(call(at: Int64(index), connection: index)) }
        var seen = 0
        for horizon in stride(from: 999, through: 9_999, by: 1000) { seen += held.take(upTo: Int64(horizon)).count }
        #expect(seen == 10_000 && held.count == 0)
    }

    @Test func equalTimesKeepCallsFirst() {
        var held = HeldItems()
        held.add(packet: [1], timestamp: Timestamp(nanoseconds: 5), originalLength: 1)
        held.add(call(at: 5, connection: 1))
        let taken = held.take(upTo: 5)
        guard case .call = taken.first else {
            Issue.record("the call should come first")
            return
        }
    }
}

@Suite struct WatchLossesTests {
    @Test func nothingLostSaysNothing() {
        #expect(WatchLosses().description == nil && WatchLosses().isEmpty)
    }

    @Test func everyLossIsCountedAndNamed() {
        var losses = WatchLosses()
        losses.ringFull = 3
        losses.messagesBeyondLimit = 2
        losses.missedRuns = 1
        #expect(losses.calls == 6 && !losses.isEmpty)
        let text = losses.description ?? ""
        #expect(text.contains("3 calls (the ring buffer was full)"))
        #expect(text.contains("2 sendmmsg/recvmmsg messages"))
        #expect(text.contains("1 probe runs"))
    }
}

@Suite struct ProcFilesTests {
    @Test func aListeningLineGivesItsPort() {
        let listen = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234"
        let established = "   1: 0100007F:1F90 0100007F:A2B4 01 00000000:00000000 00:00000000 00000000     0        0 1"
        #expect(ListeningPorts.parse(line: listen) == [8080])
        #expect(ListeningPorts.parse(line: established).isEmpty)
        #expect(ListeningPorts.parse(line: "  sl  local_address rem_address   st").isEmpty)
    }

    @Test func theParentFromAStatLineWithSpacesAndParentheses() {
        #expect(ProcessTree.parse(stat: "4242 (my (odd) prog) S 17 4242 4242 0 -1") == 17)
        #expect(ProcessTree.parse(stat: "garbage") == nil)
    }

    @Test func aChildIsADescendant() throws {
        let child = try WatchTestSupport.spawn(["sleep", "5"])
        defer {
            kill(child, SIGKILL)
            WatchTestSupport.reap(child)
        }
        #expect(ProcessTree.descendants(of: getpid()).contains(child))
        #expect(ProcessTree.isRunning(child))
    }
}

@Suite struct BPFObjectBytesTests {
    @Test func decodesBase64() {
        #expect(BPFObjectBytes.decode(Array("aGVsbG8=".utf8)) == Array("hello".utf8))
        #expect(BPFObjectBytes.decode(Array("ZmVuZw==".utf8)) == Array("feng".utf8))
        #expect(BPFObjectBytes.decode(Array("".utf8)).isEmpty)
    }

    @Test("the embedded object is a 64-bit little-endian ELF for BPF with its BTF")
    func theEmbeddedObject() {
        let bytes = BPFObjectBytes.bytes
        #expect(bytes.count > 4096)
        #expect(Array(bytes.prefix(6)) == [0x7F, 0x45, 0x4C, 0x46, 2, 1])
        #expect(bytes.count > 19 && UInt16(bytes[18]) | UInt16(bytes[19]) << 8 == 247)  // e_machine EM_BPF
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(".BTF") && text.contains("tp_btf/sys_exit") && !text.contains(".debug_info"))
    }
}

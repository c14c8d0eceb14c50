import Testing

@testable import SeamCore

/// A proxy's upstream connect that was refused is explained in one line, not left as a bare flow header.
@Suite struct ConnectFailedNoteTests {
    @Test("a refused upstream connect: one note naming the address, the errno and that nothing was relayed")
    func refusedUpstreamConnect() throws {
        var settings = SessionSettings()
        settings["tool"] = "seam-proxy"
        settings["to"] = "127.0.0.1:9311"
        let analyzer = SessionAnalyzer(options: ReportOptions(), settings: settings)
        var call = SessionCall(
            kind: .error,
            connection: 1,
            leg: .upstream,
            timestamp: Timestamp(nanoseconds: 1_700_000_000_000_000_000)
        )
        call.failure = CallFailure(operation: "connect", errorNumber: ErrorNumber(name: "ECONNREFUSED"))
        analyzer.add(call: call)
        let report = analyzer.finish(source: "refused.pcapng", failure: nil, drops: nil)
        let notes = report.notes.map(ReportWords.note)
        #expect(
            notes.contains(
                "connection 1: the proxy's connect to 127.0.0.1:9311 was refused (ECONNREFUSED): no bytes relayed"
            ),
            "\(notes)"
        )
    }

    @Test("another failure names its errno and meaning")
    func otherConnectFailure() {
        let note = ReportNote.connectFailed(
            connection: 2,
            leg: .upstream,
            to: "10.0.0.1:80",
            failure: CallFailure(operation: "connect", errorNumber: ErrorNumber(name: "EHOSTUNREACH"))
        )
        #expect(
            ReportWords.note(note).hasPrefix("connection 2: the proxy's connect to 10.0.0.1:80 failed with EHOSTUNREACH (")
        )
    }
}

import Testing

@testable import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct BoundaryReportHTMLTests {
    let page = HTMLReportSample.report.html()

    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    @Test func pageIsSelfContained() {
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.hasSuffix("</html>\n"))
        for external in ["http://", "https://", "src=", "<link", "@import", "<script", "url(http", "//fonts"] {
            #expect(!page.contains(external), "page contains \(external)")
        }
        #expect(page.contains("<style>"))
    }

    @Test func captureTextIsEscaped() {
        #expect(!page.contains("<script>alert(1)</script>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("GET &quot;quoted&quot; &amp; &#39;x&#39;"))
        #expect(page.contains("captures/sample&lt;1&gt;.pcapng"))
        #expect(HTMLEscaping.escape("a\u{1B}[31mb\u{0}") == "a\\x1B[31mb\\x00")
        #expect(HTMLEscaping.escape("x\"'<>&", limit: 3) == "x&quot;…")
        #expect(HTMLEscaping.identifier("tcp.0 c2s") == "tcp_0_c2s")
    }

    @Test func oneTimelinePerNonEmptyDirection() {
        let report = HTMLReportSample.report
        let nonEmpty = report.flows.flatMap { [$0.clientToServer, $0.serverToClient] }.filter { !$0.isEmpty }.count
        #expect(nonEmpty == 6)
        #expect(Self.count("<svg class=\"timeline\"", in: page) == nonEmpty)
        // Each flow has one time view of both directions (tcp.2's two directions are drawn together); and the page
        // has the shared pattern definitions.
        #expect(Self.count("<svg class=\"timeline time\"", in: page) == report.flows.count)
        #expect(Self.count("</svg>", in: page) == nonEmpty + report.flows.count + 1)
        #expect(page.contains("server → client <span class=\"muted\">(s2c)</span>") == true)
        #expect(page.contains("server → client (s2c): no data."))
    }

    @Test func everyFindingLinksToItsOutline() {
        let report = HTMLReportSample.report
        var anchors = 0
        for (flowIndex, flow) in report.flows.enumerated() {
            for direction in Direction.allCases {
                for index in flow.direction(direction).observations.indices {
                    let anchor = BoundaryReport.findingAnchor(flow: flowIndex, direction: direction, index: index)
                    #expect(Self.count("href=\"#\(anchor)\"", in: page) == 1, "\(anchor)")
                    #expect(Self.count("id=\"\(anchor)\"", in: page) == 1, "\(anchor)")
                    anchors += 1
                }
            }
        }
        #expect(anchors == report.observationCount)
        #expect(anchors == 5)
        #expect(Self.count("<li class=\"k-", in: page) == 5)
    }

    @Test func findingsShowKindLayerCauseEvidenceAndFacts() {
        #expect(page.contains("<span class=\"badge kind k-coalesced\">coalesced</span>"))
        #expect(page.contains("<span class=\"badge cause\">sender-coalescing</span>"))
        #expect(page.contains("<span class=\"badge kind k-split\">split</span> <span class=\"badge layer\">at recv"))
        #expect(page.contains("<span class=\"badge cause\">recv-buffer</span>"))
        #expect(page.contains("<span class=\"badge kind k-truncated\">truncated</span>"))
        #expect(page.contains("<span class=\"badge cause\">recvfrom-size</span>"))
        #expect(page.contains("<span class=\"badge fact\">capture gap of 40 bytes at 160</span>"))
        #expect(page.contains("recv(1024) asks for fewer bytes than the message"))
        #expect(page.contains("<code>hello\\n</code>, <code>feng\\n</code>"))
    }

    @Test func verdictsLeadThePageInRedWithEvidenceAndFix() throws {
        let verdicts = try #require(page.range(of: "<section id=\"verdicts\">"))
        let observations = try #require(page.range(of: "<section id=\"findings\">"))
        #expect(verdicts.lowerBound < observations.lowerBound, "the answer comes first")
        #expect(page.contains("<h2 class=\"bad\">1 framing bug in 1 flow</h2>"))
        #expect(page.contains("<span class=\"badge verdict\">acted-on-partial</span>"))
        #expect(page.contains("the server (python3 (pid 4242)) read 1024 of message 0&#39;s 3000 bytes"))
        #expect(page.contains("<p class=\"fix\">Fix: a read returns whatever bytes have arrived"))
        var clean = HTMLReportSample.report
        clean.flows[1].verdicts = []
        #expect(clean.html().contains("<h2 class=\"ok\">No framing bug seen</h2>"))
    }

    @Test func headerStatesLayersNotesAndDropsLoudly() {
        #expect(page.contains("<p class=\"alert\" role=\"alert\">The capture dropped 3 packets"))
        #expect(page.contains("<code>line</code>"))
        #expect(page.contains("plain capture: send and recv calls were not observed"))
        var failed = HTMLReportSample.report
        failed.failure = "truncated block at byte 4096"
        failed.captureDrops = 0
        failed.whatIfRecvSize = 512
        let other = failed.html()
        #expect(other.contains("Reading stopped early: truncated block at byte 4096"))
        #expect(!other.contains("The capture dropped"))
        #expect(other.contains("<code>recv(512)</code>"))
    }

    @Test func lanesMarkLostBoundariesSplitsTruncationAndUnobservedLayers() {
        // Coalesced: the segment and the recv of tcp.0 both cross the boundary at byte 6; the sends do not.
        #expect(page.contains("message boundary at byte 6 lost inside segment 0–11"))
        #expect(page.contains("message boundary at byte 6 lost inside recv 0–11"))
        #expect(!page.contains("message boundary at byte 6 lost inside send"))
        #expect(page.contains("<path class=\"cross\" d=\"M"))  // few ticks: the lane's whole height
        #expect(!page.contains("cross dense"))
        // Split: message 0 of tcp.1 is highlighted, and its hover says so.
        #expect(page.contains("class=\"msg a split edge\""))
        #expect(page.contains("message 0 · bytes 0–3000 (3000 B)"))
        // UDP: the truncated read, in the datagram lane's flow.
        #expect(page.contains("recv(1024) 0 · bytes 0–1024 (1024 B)"))
        #expect(page.contains("lost 976 B off the end of the datagram"))
        #expect(page.contains(">datagram</text>"))
        // Plain capture: send and recv greyed.
        #expect(page.contains("send not observed</text>"))
        #expect(page.contains("recv not observed</text>"))
        #expect(page.contains("retransmission"))
        #expect(page.contains("gap: the capture never held bytes 160–200 (40 B)"))
        #expect(page.contains("class=\"msg b incomplete edge\""))
    }

    @Test func whatIfReadsAreMarkedAsSuch() {
        var report = HTMLReportSample.report
        report.whatIfRecvSize = 1024
        report.flows[0].clientToServer.timeline.recvIsWhatIf = true
        report.flows[0].clientToServer.observations[0].isWhatIf = true
        let whatIf = report.html()
        #expect(whatIf.contains("what-if, 1 read"))
        #expect(whatIf.contains("<rect class=\"rcv whatif a edge\""))
        #expect(whatIf.contains("<title>what-if recv(1024) 0 · bytes 0–11 (11 B)"))
        let badge = "<span class=\"badge whatif\">what-if</span>"
        #expect(Self.count(badge, in: whatIf) == Self.count(badge, in: page) + 1)
    }

    @Test func hoverTitlesCarryTimeFrameAndAskedSize() {
        let t = HTMLReportSample.at(3.1).timeOfDay
        #expect(page.contains("<title>segment · frame 4 · bytes 0–11 (11 B) · \(t)</title>"))
        #expect(page.contains("recv(1024) 0 · bytes 0–11 (11 B)"))
        #expect(page.contains("segment · frame 33 · bytes 40–120 (80 B) · "))
        #expect(page.contains("· retransmission</title>"))
    }

    @Test func axisTicksAreOneTwoFiveSteps() {
        #expect(TimelineSVG.tickStep(11) == 1)
        #expect(TimelineSVG.tickStep(3004) == 500)
        #expect(TimelineSVG.tickStep(10_000_000) == 1_000_000)
        #expect(TimelineSVG.grouped(65_536) == "65\u{202F}536")
        #expect(TimelineSVG.grouped(100) == "100")
        #expect(page.contains(">3\u{202F}004</text>"))
    }

    @Test func hundredThousandSegmentsStayUnderTwoMegabytes() {
        let huge = HTMLReportSample.hugeReport(segments: 100_000).html()
        #expect(huge.utf8.count < 2_000_000, "\(huge.utf8.count) bytes")
        #expect(Self.count("<rect class=\"seg ", in: huge) == BoundaryReport.HTMLLimits.laneCap)
        #expect(huge.contains("segment lane: 100000 ranges drawn as 2000 blocks of up to 50 adjacent ranges"))
        #expect(huge.contains("<title>50 segments, 1–50 · bytes 0–5000 · "))
    }

    @Test func everyLaneFullStaysBounded() {
        let huge = HTMLReportSample.hugeReport(segments: 100_000, allLanes: true).html()
        print("HTML page with four full lanes of ~100 000 ranges: \(huge.utf8.count) bytes")
        #expect(huge.utf8.count < 3_000_000, "\(huge.utf8.count) bytes")
        let cap = BoundaryReport.HTMLLimits.laneCap
        for style in ["snd", "seg", "rcv", "msg"] {
            #expect(Self.count("<rect class=\"\(style) ", in: huge) == cap, "\(style)")
        }
        // Sends and reads cross every boundary: one tick per pixel column at most.
        let ticks = Self.count("<path class=\"cross dense\"", in: huge)
        #expect(ticks > 1_000 && ticks <= 2 * Int(TimelineSVG.plotWidth) + 2, "\(ticks) ticks")
        #expect(huge.contains("message lane: 100000 ranges drawn as 2000 blocks"))
        #expect(!huge.contains("<m1>"))
    }

    @Test func findingListStopsAtItsCapAndCountsTheRest() {
        let huge = HTMLReportSample.hugeReport(segments: 1_000, findings: 800).html()
        #expect(Self.count("<li class=\"k-", in: huge) == BoundaryReport.HTMLLimits.findingCap)
        #expect(huge.contains("300 more observations not listed"))
        #expect(Self.count("<rect class=\"finding", in: huge) == 800)
        #expect(huge.utf8.count < 2_000_000)
    }

    /// `SEAM_HTML_SAMPLE=/path/page.html swift test --filter BoundaryReportHTMLTests` writes the sample page, for
    /// `scripts/screenshot.sh` to render in headless Chromium.
    @Test func writesTheSamplePageWhenAsked() throws {
        guard let path = getenv("SEAM_HTML_SAMPLE").map({ String(cString: $0) }) else {
            print("SEAM_HTML_SAMPLE not set: sample page not written")
            return
        }
        let file = try #require(fopen(path, "w"), "cannot open \(path)")
        let bytes = Array(page.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        fclose(file)
        #expect(written == bytes.count)
    }
}

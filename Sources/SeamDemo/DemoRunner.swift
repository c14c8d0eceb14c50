import SeamCapture
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plays one variant of a lesson and writes its session file.
public enum DemoRunner {
    /// What one run produced.
    public struct Outcome: Sendable {
        public var lesson: Lesson
        public var variant: LessonVariant
        /// The session file written.
        public var path: String
        /// Seconds the variant took, from the first socket to the file written.
        public var seconds: Double
        public var calls: Int
        public var packets: Int
        /// Why the segment layer is missing (no capture privilege, `--no-capture`), or `nil` when captured.
        public var missingSegments: String?
    }

    /// Plays `variant` of `lesson`: peers, proxies and (when `capture` and permitted) the sniffer; writes `path`.
    /// - Parameter narrate: each line of what the peers do, as it happens (from several threads).
    /// - Throws: `DemoError` when a peer failed or the file could not be written.
    public static func run(
        _ lesson: Lesson,
        _ variant: LessonVariant,
        recordingTo path: String,
        capture: Bool = true,
        narrate: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> Outcome {
        let started = Timestamp.now()
        var settings = SessionSettings()
        settings["tool"] = "seam-demo"
        settings["lesson"] = lesson.name
        settings["variant"] = variant.name
        if let framing = variant.framing { settings["framing"] = framing }
        if variant.pairsRequests { settings["pairing"] = "yes" }
        if !variant.recordsPeerCalls { settings["peer-calls"] = "no" }
        let session = DemoSession(settings: settings, recordsAppCalls: variant.recordsPeerCalls)
        let context = LessonContext(variant: variant, session: session, capture: capture, narrate: narrate)
        var failures: [String] = []
        do {
            try variant.play(context)
        } catch {
            failures.append("client: \(error)")
        }
        failures += context.finish()
        try session.write(to: path)
        if !failures.isEmpty {
            throw DemoError(
                "lesson \(lesson.name) (\(variant.name)) failed: " + failures.joined(separator: "; ")
            )
        }
        let missing = capture ? context.captureProblem : "the sniffer was turned off (--no-capture)"
        return Outcome(
            lesson: lesson,
            variant: variant,
            path: path,
            seconds: Timestamp.now().seconds(since: started),
            calls: session.calls.count,
            packets: session.packetCount,
            missingSegments: missing
        )
    }

    /// A fresh temporary path for a session file (`/tmp/seam-demo-STEM-XXXXXX.pcapng`).
    public static func temporaryPath(for stem: String) -> String {
        var template = Array("/tmp/seam-demo-\(stem)-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if descriptor >= 0 { close(descriptor) }
        let base = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        unlink(base)
        return base + ".pcapng"
    }
}

import ArgumentParser
import SeamCore
import SeamDemo

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam demo`: play a classic socket lesson on loopback — peers, proxy, sniffer — and show the report.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a classic socket lesson on 127.0.0.1 and show where the message boundaries went.",
        discussion: """
            The client and server are Seam's own code (plain sockets) and record their own send and recv \
            calls; the proxy sits between them and the sniffer captures both legs when permitted, so all \
            four layers — send, segment, recv, message — are in one session file. Nothing is ever executed: \
            the command-output lessons use canned outputs. Without LESSON: \(Lesson.headline.name).
            """
    )

    @Argument(help: "The lesson to play (see --list).")
    var lesson: String?

    @Flag(help: "List the lessons, one line each.")
    var list = false

    @Option(help: ArgumentHelp("Also write the HTML report to this file.", valueName: "OUT"))
    var html: String?

    @Option(help: ArgumentHelp("Keep the session file (pcapng) here instead of a temporary file.", valueName: "FILE"))
    var record: String?

    @Flag(help: "Don't start the sniffer (the segment layer is then missing).")
    var noCapture = false

    @Flag(help: "The report and the lesson's check as JSON on stdout; the narration goes to stderr.")
    var json = false

    func validate() throws {
        if let lesson, Lesson.named(lesson) == nil {
            throw ValidationError(
                "no lesson '\(lesson)'; the lessons are: " + Lesson.all.map(\.name).joined(separator: ", ")
            )
        }
    }

    func run() throws {
        if list {
            let width = Lesson.all.map(\.name.count).max() ?? 0
            for (index, lesson) in Lesson.all.enumerated() {
                let number = index < 9 ? " \(index + 1)" : "\(index + 1)"
                out("\(number). \(lesson.name.padding(width))  \(lesson.summary)\n")
            }
            return
        }
        let lesson = lesson.flatMap(Lesson.named) ?? Lesson.headline
        let path = record ?? DemoRunner.temporaryPath(for: lesson)
        let toStderr = json
        let narration: @Sendable (String) -> Void = { line in
            if toStderr { err("  \(line)\n") } else { out("  \(line)\n") }
        }
        let say: (String) -> Void = { text in if toStderr { err(text) } else { out(text) } }
        say("seam demo \(lesson.name) — \(lesson.title)\n\n\(wrapped(lesson.happens))\n\n")
        let outcome: DemoRunner.Outcome
        do {
            outcome = try DemoRunner.run(lesson, recordingTo: path, capture: !noCapture, narrate: narration)
        } catch {
            throw CommandFailure("\(error)")
        }
        let report: BoundaryReport
        do {
            report = try lesson.report(of: path)
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
        let check = LessonCheck(lesson: lesson, report: report)
        if let html {
            do { try Demo.write(report.html(), to: html) } catch { throw CommandFailure("\(html): \(error)") }
        }
        if json {
            out(Demo.json(outcome: outcome, report: report, check: check).serialized(pretty: true) + "\n")
        } else {
            out("\n" + report.text(color: isatty(1) == 1) + "\n")
            if let missing = outcome.missingSegments {
                out(
                    "Layer missing: segment — the sniffer did not run, so the kernel's segments are not in the report.\n"
                )
                out("Why: \(missing)\n")
            } else if !check.passed {
                out(
                    "Note: this run did not show what the lesson usually shows: \(check.problems.joined(separator: "; ")).\n"
                )
            }
            out("\nWhat happened\n\(wrapped(lesson.explanation))\n\n")
            let kept = record != nil ? "" : " (temporary; --record FILE keeps it)"
            out("Session: \(outcome.calls) calls, \(outcome.packets) captured packets, ")
            out(String(format3(outcome.seconds)) + " s\(record != nil ? ", in \(path)" : kept).\n")
        }
        if record == nil { unlink(path) }
    }

    static func json(outcome: DemoRunner.Outcome, report: BoundaryReport, check: LessonCheck) -> JSONValue {
        let lesson = outcome.lesson
        return .object([
            ("lesson", .string(lesson.name)), ("title", .string(lesson.title)),
            ("framing", .optional(lesson.framing)),
            (
                "expected",
                .array(
                    lesson.expected.map { expected in
                        .object([
                            ("kind", .string(expected.kind.rawValue)), ("layer", .string(expected.layer.rawValue)),
                            ("cause", .string(expected.cause.rawValue)),
                        ])
                    }
                )
            ),
            ("exact_findings", lesson.exactFindingCount.map { .number($0) } ?? .null),
            ("missing_layers", .array(outcome.missingSegments == nil ? [] : [.string("segment")])),
            (
                "check",
                .object([("passed", .bool(check.passed)), ("problems", .array(check.problems.map { .string($0) }))])
            ),
            ("seconds", .double((outcome.seconds * 1000).rounded() / 1000)),
            ("explanation", .string(lesson.explanation)),
            ("report", report.json()),
        ])
    }

    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CommandFailure("cannot write: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var text = text
        let written = text.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written != text.utf8.count { throw CommandFailure("write failed: \(String(cString: strerror(errno)))") }
    }
}

/// Writes one piece of text to stdout at once (narration comes from several threads).
private func out(_ text: String) {
    var text = text
    text.withUTF8 { _ = Glibc.write(1, $0.baseAddress, $0.count) }
}

private func err(_ text: String) { FileHandleStderr.write(text) }

private func format3(_ seconds: Double) -> String {
    let millis = Int((seconds * 1000).rounded())
    return "\(millis / 1000).\(String(millis % 1000).paddingLeft(3))"
}

/// Text wrapped at 100 columns.
private func wrapped(_ text: String, width: Int = 100) -> String {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    fileprivate func paddingLeft(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

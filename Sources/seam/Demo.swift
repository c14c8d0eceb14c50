import ArgumentParser
import SeamCore
import SeamDemo

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam demo`: play a classic socket lesson on loopback — the buggy program, then the fixed one — and show
/// what Seam says about each.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a classic socket bug and its fix on 127.0.0.1, and show what Seam says about each.",
        discussion: """
            Each lesson plays the buggy program, then the fixed one (a lesson with no bug plays its one correct \
            program). The client and server are Seam's own code (plain sockets) and record their own send and \
            recv calls; the proxy sits between them and the sniffer captures both legs when permitted, so all \
            four layers — send, segment, recv, message — are in each session file. The buggy program gets its \
            verdict (✗), the fixed one none; how TCP joined and cut the bytes is shown as observations. Nothing \
            is ever executed: the command lessons use canned outputs. Without LESSON: \(Lesson.headline.name).
            With several variants, --record s.pcapng writes s-bug.pcapng and s-fix.pcapng (the variant's name \
            before the extension) and --html OUT does the same; with --variant, the file is FILE itself.
            """
    )

    @Argument(help: "The lesson to play (see --list).")
    var lesson: String?

    @Flag(help: "List the lessons: for each, what the bug and the fix are.")
    var list = false

    @Option(help: ArgumentHelp("Play only this variant of the lesson (bug, fix, …: see --list).", valueName: "NAME"))
    var variant: String?

    @Option(
        help: ArgumentHelp(
            "Also write the HTML report to this file (one per variant: OUT-bug.html, …).",
            valueName: "OUT"
        )
    )
    var html: String?

    @Option(
        help: ArgumentHelp(
            "Keep the session file (pcapng) here instead of a temporary file (one per variant: FILE-bug.pcapng, …).",
            valueName: "FILE"
        )
    )
    var record: String?

    @Flag(help: "Don't start the sniffer (the segment layer is then missing).")
    var noCapture = false

    @Flag(help: "Print each variant's whole report (lanes and all), not only its verdicts and observations.")
    var full = false

    @Flag(help: "The reports and the lesson's checks as JSON on stdout; the narration goes to stderr.")
    var json = false

    func validate() throws {
        if let lesson, Lesson.named(lesson) == nil {
            throw ValidationError(
                "no lesson '\(lesson)'; the lessons are: " + Lesson.all.map(\.name).joined(separator: ", ")
            )
        }
        let chosen = lesson.flatMap(Lesson.named) ?? Lesson.headline
        if let variant, chosen.variant(named: variant) == nil {
            throw ValidationError(
                "lesson \(chosen.name) has no variant '\(variant)'; its variants are: "
                    + chosen.variants.map(\.name).joined(separator: ", ")
            )
        }
    }

    func run() throws {
        if list {
            out(Demo.listing())
            return
        }
        let lesson = lesson.flatMap(Lesson.named) ?? Lesson.headline
        let variants = variant.flatMap(lesson.variant(named:)).map { [$0] } ?? lesson.variants
        let toStderr = json
        let say: @Sendable (String) -> Void = { text in if toStderr { err(text) } else { out(text) } }
        say("seam demo \(lesson.name) — \(lesson.title)\n")
        var played: [(outcome: DemoRunner.Outcome, report: BoundaryReport, check: LessonCheck)] = []
        for variant in variants {
            say("\n── The \(variant.role.label): \(variant.summary)\n\n\(wrapped(variant.happens))\n\n")
            let path =
                record.map { variants.count == 1 ? $0 : lesson.path($0, for: variant) }
                ?? DemoRunner.temporaryPath(for: lesson.fileStem(of: variant))
            let outcome: DemoRunner.Outcome
            do {
                outcome = try DemoRunner.run(lesson, variant, recordingTo: path, capture: !noCapture) { line in
                    say("  \(line)\n")
                }
            } catch {
                if record == nil { unlink(path) }
                throw CommandFailure("\(error)")
            }
            var report: BoundaryReport
            do {
                report = try variant.report(of: path)
            } catch {
                throw CommandFailure("\(path): \(error)")
            }
            if record == nil {
                unlink(path)
                report.file = lesson.fileStem(of: variant)
            }
            let check = LessonCheck(variant: variant, report: report)
            if let html {
                let target = variants.count == 1 ? html : lesson.path(html, for: variant)
                do { try Demo.write(report.html(), to: target) } catch { throw CommandFailure("\(target): \(error)") }
            }
            if !json { out("\n" + describe(outcome: outcome, report: report, check: check)) }
            played.append((outcome, report, check))
        }
        if json {
            out(Demo.json(lesson: lesson, played: played).serialized(pretty: true) + "\n")
        } else {
            out("\n" + Demo.verdictSummary(played.map { ($0.outcome.variant, $0.report, $0.check) }) + "\n")
        }
    }

    /// What one variant's report says (its verdicts and observations, or the whole report), then the lesson.
    private func describe(outcome: DemoRunner.Outcome, report: BoundaryReport, check: LessonCheck) -> String {
        let color = isatty(1) == 1
        var text = ""
        if full {
            text += report.text(color: color)
        } else {
            // The report's first piece is its answer: the verdicts with evidence and fix, and the observations.
            report.writeText(color: color) { piece in if text.isEmpty { text = piece } }
        }
        text += "\n"
        if let missing = outcome.missingSegments {
            text +=
                "Layer missing: segment — the sniffer did not run, so the kernel's segments are not in the report.\n"
            text += "Why: \(missing)\n"
        }
        if !check.passed {
            text += "Note: this run did not show what the lesson shows: \(check.problems.joined(separator: "; ")).\n"
        }
        text += "What happened\n\(wrapped(outcome.variant.explanation))\n"
        let kept =
            record != nil
            ? ", in \(outcome.path) (seam report \(outcome.path))" : " (temporary; --record FILE keeps it)"
        text +=
            "Session: \(counted(outcome.calls, "call")), \(counted(outcome.packets, "captured packet")), \(format3(outcome.seconds)) s\(kept).\n"
        return text
    }

    /// `Seam's verdicts: bug ✗ unanswered · fix none` — what `make demo` must show at a glance.
    static func verdictSummary(_ played: [(LessonVariant, BoundaryReport, LessonCheck)]) -> String {
        let parts = played.map { variant, report, check -> String in
            let kinds = report.verdicts.map { "✗ \($0.kind.rawValue)" }
            let said = kinds.isEmpty ? "no verdict" : kinds.joined(separator: ", ")
            return "\(variant.name): \(said)" + (check.passed ? "" : " (not what the lesson shows)")
        }
        return "Seam's verdicts — " + parts.joined(separator: " · ")
    }

    /// `seam demo --list`: each lesson, then each variant with what Seam must say about it.
    static func listing() -> String {
        let width = Lesson.all.map(\.name.count).max() ?? 0
        var text = ""
        for (index, lesson) in Lesson.all.enumerated() {
            let number = index < 9 ? " \(index + 1)" : "\(index + 1)"
            text += "\(number). \(lesson.name.padding(width))  \(lesson.summary)\n"
            for variant in lesson.variants {
                let verdicts =
                    variant.verdicts.isEmpty
                    ? "no verdict" : variant.verdicts.map { "✗ \($0.rawValue)" }.joined(separator: ", ")
                let label = variant.role == .bug && variant.name != "bug" ? "bug (\(variant.name))" : variant.role.label
                text += "      \(label): \(variant.summary) → \(verdicts)\n"
            }
        }
        return text
    }

    static func json(
        lesson: Lesson,
        played: [(outcome: DemoRunner.Outcome, report: BoundaryReport, check: LessonCheck)]
    ) -> JSONValue {
        .object([
            ("lesson", .string(lesson.name)), ("title", .string(lesson.title)), ("summary", .string(lesson.summary)),
            ("variants", .array(played.map { variantJSON($0.outcome, $0.report, $0.check) })),
        ])
    }

    private static func variantJSON(_ outcome: DemoRunner.Outcome, _ report: BoundaryReport, _ check: LessonCheck)
        -> JSONValue
    {
        let variant = outcome.variant
        return .object([
            ("variant", .string(variant.name)), ("role", .string(variant.role.rawValue)),
            ("summary", .string(variant.summary)), ("framing", .optional(variant.framing)),
            ("pairing", .bool(variant.pairsRequests)), ("peer_calls", .bool(variant.recordsPeerCalls)),
            ("expected_verdicts", .array(variant.verdicts.map { .string($0.rawValue) })),
            (
                "expected_observations",
                .array(
                    variant.observations.map { expected in
                        .object([
                            ("kind", .string(expected.kind.rawValue)), ("layer", .string(expected.layer.rawValue)),
                            ("cause", .string(expected.cause.rawValue)),
                        ])
                    }
                )
            ),
            ("exact_observations", variant.exactObservationCount.map { .number($0) } ?? .null),
            ("missing_layers", .array(outcome.missingSegments == nil ? [] : [.string("segment")])),
            (
                "check",
                .object([("passed", .bool(check.passed)), ("problems", .array(check.problems.map { .string($0) }))])
            ),
            ("seconds", .double((outcome.seconds * 1000).rounded() / 1000)),
            ("explanation", .string(variant.explanation)),
            ("report", report.json()),
        ])
    }

    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)  // it holds payload, as the session does
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

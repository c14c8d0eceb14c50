import ArgumentParser
import SeamCore

/// `seam framing FILE`: which framings fit each direction of each TCP flow, ranked.
struct Framing: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find how each TCP flow's messages are framed: the built-in protocols and length layouts, ranked.",
        discussion: """
            Per flow and direction, every built-in framing and generic length layout is
            tried on the reassembled bytes. Those that parse the stream to its end are
            ranked: in a session with send calls, framings whose boundaries the sends
            respect first; a protocol with checked fields before a generic layout. The
            others are listed with where they failed and why.
            --framing, --framing-c2s and --framing-s2c judge a spec of your own as well.
            Framing specs:
            \(FramingSpec.helpText)
            Examples:
              seam framing capture.pcap
              seam framing session.pcapng --flow tcp.3 --all
              seam framing capture.pcap --framing len:u32be   # fits? what fits instead?
            """
    )

    @Argument(help: "A session or capture file (pcap or pcapng), or - for standard input.")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// A framing of the user's to judge beside the candidates (not auto: detection is what this command does).
    @OptionGroup var framing: FramingOptions

    @Option(
        name: .customLong("flow"),
        help: ArgumentHelp("Only this flow (tcp.N, as seam inspect lists them); repeatable.", valueName: "id")
    )
    var flows: [String] = []

    @Flag(help: "List every framing that does not fit, not only the four that got furthest.")
    var all = false

    func validate() throws {
        for id in flows where FlowID(id)?.proto != .tcp {
            throw ValidationError("--flow \(id): expected a TCP flow id such as tcp.3")
        }
        if try framing.request.wantsDetection {
            throw ValidationError("seam framing detects by itself: give a framing spec to judge, not auto")
        }
    }

    func run() throws {
        let request = try framing.request
        let given =
            request.isEmpty
            ? nil
            : DirectionFraming(
                clientToServer: request.clientToServer?.spec ?? .noMessages,
                serverToClient: request.serverToClient?.spec ?? .noMessages
            )
        let table = FlowTable()
        let scanner: CaptureScanner
        do {
            scanner = try CaptureScanner(path: file, table: table)
        } catch let error as CaptureFileError {
            throw CommandFailure(error.description)
        }
        let survey = FramingSurvey(given: given)
        table.add(survey)
        scanner.onUpperPDU = { record in
            if let call = try? SessionCall.decode(record: record) { survey.add(call) }
        }
        scanner.run()

        let picked = Set(flows.compactMap(FlowID.init))
        let results = survey.results.filter { picked.isEmpty || picked.contains($0.id) }
        let missing = picked.subtracting(results.map(\.id))
        if !missing.isEmpty {
            throw CommandFailure(
                "no TCP flow \(missing.sorted().map(\.description).joined(separator: ", ")) in \(file) "
                    + "(seam inspect lists its flows)"
            )
        }
        let output = StandardOutput.shared
        if json {
            let value: JSONValue = .object([
                ("file", .string(file)), ("flows", .array(results.map { $0.json() })),
                ("error", .optional(scanner.failure?.description)),
            ])
            output.write(value.serialized(pretty: true) + "\n")
        } else {
            output.write("\(file): \(results.count) TCP \(results.count == 1 ? "flow" : "flows")\n")
            for result in results { output.write("\n" + result.text(misfitLimit: all ? nil : 4)) }
        }
        output.flush()
        if let failure = scanner.failure {
            throw CommandFailure("\(failure.description) (the \(scanner.packetCount) packets before it were analysed)")
        }
    }
}

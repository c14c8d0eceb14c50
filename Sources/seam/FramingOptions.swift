import ArgumentParser
import SeamCore

/// `--framing SPEC|auto`, `--framing-c2s SPEC|auto`, `--framing-s2c SPEC|auto` and `--pairing`: how every
/// command that frames (`seam report`, `seam proxy`, `seam trace`, `seam watch`, `seam framing`) cuts each
/// direction's bytes into messages, and whether each request expects one answer.
struct FramingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How messages are framed in both directions: a spec (see below) or auto.", valueName: "spec"))
    var framing: String?

    @Option(
        name: .customLong("framing-c2s"),
        help: ArgumentHelp("The framing of client → server only (over --framing).", valueName: "spec"))
    var clientToServer: String?

    @Option(
        name: .customLong("framing-s2c"),
        help: ArgumentHelp("The framing of server → client only (over --framing).", valueName: "spec"))
    var serverToClient: String?

    @Flag(help: "Each client message expects one server message (for the unanswered verdict with a custom framing).")
    var pairing = false

    /// The choices given, per direction.
    var request: FramingRequest {
        get throws {
            do {
                return try FramingRequest(framing: framing, clientToServer: clientToServer, serverToClient: serverToClient)
            } catch {
                throw ValidationError("\(optionName(for: error.spec)): \(error)")
            }
        }
    }

    /// The session settings that name the framing, as `SessionAnalyzer` reads them back.
    var settings: [(String, String)] {
        [
            ("framing", framing), ("framing-c2s", clientToServer), ("framing-s2c", serverToClient),
            ("pairing", pairing ? "yes" : nil),
        ].compactMap { key, value in value.map { (key, $0) } }
    }

    /// The dissector the recorders name for call payloads: the framing's, when both directions have it.
    var wiresharkDissector: String {
        guard let request = try? request, let c2s = request.clientToServer?.spec, request.serverToClient?.spec == c2s
        else { return "data" }
        return c2s.wiresharkDissector ?? "data"
    }

    /// The report options these choices make (`seam report`'s, and the live verdicts' of the recorders).
    var reportOptions: ReportOptions {
        get throws {
            var options = ReportOptions(framing: try request)
            options.pairsRequests = pairing
            return options
        }
    }

    func validate() throws {
        _ = try request
    }

    /// Which option held the spec that failed.
    private func optionName(for spec: String) -> String {
        if spec == clientToServer { return "--framing-c2s" }
        if spec == serverToClient { return "--framing-s2c" }
        return "--framing"
    }
}

import ArgumentParser
import SeamCore

/// `--framing SPEC|auto`, `--framing-c2s SPEC|auto`, `--framing-s2c SPEC|auto`: how every command that frames
/// (`seam report`, `seam proxy`, `seam framing`) cuts each direction's bytes into messages.
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
        [("framing", framing), ("framing-c2s", clientToServer), ("framing-s2c", serverToClient)].compactMap { key, value in
            value.map { (key, $0) }
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

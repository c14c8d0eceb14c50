import ArgumentParser
import SeamCore

/// `seam inspect FILE`: the flows of a capture with their reassembly facts.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the TCP and UDP flows of a pcap or pcapng file, with reassembly facts."
    )

    @Argument(help: "A pcap or pcapng file, or - for standard input.")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        throw CommandFailure("inspect is not built yet")
    }
}

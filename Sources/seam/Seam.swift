import ArgumentParser

/// The `seam` command: shows where message boundaries stick together and split apart in TCP and UDP.
struct Seam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seam",
        abstract: "Show where messages stick together and split apart on their way through TCP and UDP.",
        subcommands: [
            Inspect.self, Report.self, Framing.self, Proxy.self, Capture.self, Trace.self, Watch.self, Check.self, Demo.self,
        ]
    )
}

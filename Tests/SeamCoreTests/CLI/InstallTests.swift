import Foundation
import SeamTestSupport
import Testing

/// `make install-files` (what `make install` runs after its release build) into a temporary PREFIX with the
/// already built seam: every file where the Makefile says, the installed seam runs and `seam trace` finds its
/// preload library in PREFIX/lib/seam, the man page and completions are seam's, and `make uninstall` leaves
/// no file behind. As any user: the capability step says what it did or could not, and never fails.
@Suite(.serialized) struct InstallTests {
    static let binary = PackageRoot.seamBinary
    static let make = ["/usr/bin/make", "/bin/make"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var skipReason: String? {
        guard let binary else { return PackageRoot.seamBinaryMissing }
        if make == nil { return "make is not installed" }
        let preload = (binary as NSString).deletingLastPathComponent + "/libSeamPreload.so"
        if !FileManager.default.fileExists(atPath: preload) { return "no \(preload): run swift build first" }
        return nil
    }

    static let files = [
        "bin/seam", "lib/seam/libSeamPreload.so", "share/seam/seam.lua", "share/man/man1/seam.1",
        "share/bash-completion/completions/seam", "share/zsh/site-functions/_seam",
        "share/fish/vendor_completions.d/seam.fish",
    ]

    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs a program with `SEAM_PRELOAD` unset, standard error joined to standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SEAM_PRELOAD"] = nil
        environment["MAKEFLAGS"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func allFiles(under directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(name)
            }
        }
        return files.sorted()
    }

    @Test func installPutsEverythingUnderPrefixAndUninstallTakesItAway() throws {
        if let reason = Self.skipReason {
            print("skipped: \(reason)")
            return
        }
        let prefix = temporaryPath("install-prefix")
        try? FileManager.default.removeItem(atPath: prefix)
        defer { try? FileManager.default.removeItem(atPath: prefix) }

        let install = try Self.run(
            Self.make!,
            [
                "-C", PackageRoot.path, "--no-print-directory", "install-files", "PREFIX=" + prefix,
                "SEAM_BIN=" + Self.binary!,
            ]
        )
        #expect(install.status == 0, "make install-files: \(install.output)")
        #expect(Self.allFiles(under: prefix) == Self.files.sorted())
        for file in Self.files { #expect(install.output.contains("install: \(prefix)/\(file)")) }
        // The capability step always says what became of it.
        #expect(
            install.output.contains("install: granted cap_net_raw,cap_net_admin")
                || install.output.contains("install: could not grant")
                || install.output.contains("install: capabilities not granted"),
            "\(install.output)"
        )
        #expect(install.output.contains("~/.local/lib/wireshark/plugins/"))

        let seam = prefix + "/bin/seam"
        let trace = try Self.run(seam, ["trace", "--method", "preload", "--", "/bin/true"])
        #expect(trace.status == 0, "installed seam trace: \(trace.output)")

        let man = try String(contentsOfFile: prefix + "/share/man/man1/seam.1", encoding: .utf8)
        #expect(man.hasPrefix(".TH SEAM 1"))
        #expect(man.contains(".SH NAME\nseam \\- "))
        #expect(man.contains(".SS \"seam inspect\""))
        #expect(man.contains(".SS \"seam trace\""))
        #expect(man.contains("\\fB\\-\\-stream <flow>\\fR"))
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/seam", encoding: .utf8)
        #expect(bash.contains("complete") && bash.contains("inspect"))
        let zsh = try String(contentsOfFile: prefix + "/share/zsh/site-functions/_seam", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef seam"))
        let fish = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/seam.fish", encoding: .utf8)
        #expect(fish.contains("complete -c 'seam'"))

        let uninstall = try Self.run(
            Self.make!,
            ["-C", PackageRoot.path, "--no-print-directory", "uninstall", "PREFIX=" + prefix]
        )
        #expect(uninstall.status == 0, "make uninstall: \(uninstall.output)")
        #expect(Self.allFiles(under: prefix) == [])
        #expect(!FileManager.default.fileExists(atPath: prefix + "/lib/seam"))
        #expect(!FileManager.default.fileExists(atPath: prefix + "/share/seam"))
    }

    /// A seam with no library beside it nor in ../lib/seam says where it looked, install's place among them.
    @Test func traceSaysWhereItLookedForThePreloadLibrary() throws {
        guard let binary = Self.binary else {
            print("skipped: \(PackageRoot.seamBinaryMissing)")
            return
        }
        let alone = temporaryPath("install-alone")
        try? FileManager.default.removeItem(atPath: alone)
        try FileManager.default.createDirectory(atPath: alone + "/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: alone) }
        try FileManager.default.copyItem(atPath: binary, toPath: alone + "/bin/seam")
        let trace = try Self.run(alone + "/bin/seam", ["trace", "--method", "preload", "--", "/bin/true"])
        #expect(trace.status == 1)
        #expect(trace.output.contains("libSeamPreload.so not found"))
        #expect(trace.output.contains(alone + "/bin/../lib/seam"))
    }
}

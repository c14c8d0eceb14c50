import Foundation
import PackagePlugin

/// Compiles a target's BPF program (`Sources/<target>/BPF/<name>.bpf.c`) with the toolchain's clang
/// (`-target bpf -g -O2`, CO-RE) and embeds the object in the target as a generated Swift source, so a
/// plain `swift build` builds it and the `seam` binary carries it (no file to find at run time).
///
/// One command, run by `seam-bpf-compile` (the `SeamBPFCompile` tool): clang, then `llvm-objcopy
/// --strip-debug` when the toolchain has it (the BTF that CO-RE needs is kept, the DWARF dropped), then the
/// Swift file. One command rather than clang's own, because SwiftPM would take a plugin's `.o` output for a
/// resource of the target. It runs again when the BPF source or one of its headers changes.
@main
struct BPFObject: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let sources = context.package.directoryURL.appending(path: "Sources")
        let directory = sources.appending(path: target.name).appending(path: "BPF")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        guard let program = names.filter({ $0.hasSuffix(".bpf.c") }).sorted().first else {
            throw PluginError("no BPF/*.bpf.c in \(target.name)")
        }
        // The event layout shared with the user side lives in the C target beside it.
        let shared = sources.appending(path: "CSeamWatch").appending(path: "include")
        let headers = names.filter { $0.hasSuffix(".h") }.map { directory.appending(path: $0) }
        let sharedHeaders = (try? FileManager.default.contentsOfDirectory(atPath: shared.path)) ?? []
        let source = directory.appending(path: program)
        let stem = String(program.dropLast(".bpf.c".count))
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedBPFObject.swift")
        let clang = try context.tool(named: "clang").url
        let objcopy = (try? context.tool(named: "llvm-objcopy"))?.url.path ?? "-"
        #if arch(arm64)
        let architecture = "arm64"
        #else
        let architecture = "x86"
        #endif
        return [
            .buildCommand(
                displayName: "Compiling BPF program \(program)",
                executable: try context.tool(named: "SeamBPFCompile").url,
                arguments: [
                    clang.path, objcopy, source.path, output.path, stem,
                    "-D__TARGET_ARCH_\(architecture)", "-I", directory.path, "-I", shared.path,
                ],
                inputFiles: [source] + headers + sharedHeaders.map { shared.appending(path: $0) },
                outputFiles: [output]
            )
        ]
    }
}

struct PluginError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

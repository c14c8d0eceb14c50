import Foundation

/// Where the tests find the shared corpus of real captures: `../shared/corpus/files` next to the package root
/// (the checkout's parent holds `shared/`), located from this file so no absolute path is written anywhere.
enum TestCorpus {
    /// The package root: three levels above this file (`Tests/SeamCoreTests/Support/`).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `../shared/corpus/files` from the package root, standardized, without a trailing slash.
    static let directory = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/files").standardizedFileURL.path

    /// Whether the corpus is there.
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: directory) }

    /// Why corpus tests do nothing here, or `nil` when the corpus is present.
    static var missingReason: String? {
        isAvailable ? nil : "no corpus at \(directory) (the package's ../shared/corpus/files): corpus checks skipped"
    }

    /// The path of corpus file `name`.
    static func path(_ name: String) -> String { directory + "/" + name }
}

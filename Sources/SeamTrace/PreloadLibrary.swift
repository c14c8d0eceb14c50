#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds `libSeamPreload.so`, the library `seam trace` preloads into the traced program.
public enum PreloadLibrary {
    /// The file name SwiftPM gives the `SeamPreload` dynamic library product.
    public static let fileName = "libSeamPreload.so"

    /// The directory of the running executable (`/proc/self/exe`, symlinks resolved).
    public static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        guard length > 0 else { return nil }
        let path = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// The directories `locate` looks in, in order, for an executable in `directory`: the executable's own
    /// (where SwiftPM builds it, `.build/<config>/`), `../lib/seam` (where `make install` puts it:
    /// `PREFIX/bin/seam` and `PREFIX/lib/seam/`), and `../lib`.
    public static func searchDirectories(nextTo directory: String) -> [String] {
        [directory, directory + "/../lib/seam", directory + "/../lib"]
    }

    /// The library's absolute path: `$SEAM_PRELOAD` when set, else the first of `searchDirectories` that holds
    /// it; `nil` when none does.
    public static func locate(nextTo directory: String? = executableDirectory()) -> String? {
        if let explicit = getenv("SEAM_PRELOAD").map({ String(cString: $0) }), !explicit.isEmpty {
            return access(explicit, R_OK) == 0 ? explicit : nil
        }
        guard let directory else { return nil }
        for candidate in searchDirectories(nextTo: directory).map({ $0 + "/" + fileName })
        where access(candidate, R_OK) == 0 {
            return candidate
        }
        return nil
    }
}

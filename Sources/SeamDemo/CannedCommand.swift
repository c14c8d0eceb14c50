/// The command-output lessons' fixed answers. Nothing is ever executed: a command only selects a text.
enum CannedCommand {
    /// A listing like `ls -l`'s, about 5 KB.
    static let listing: [UInt8] = {
        var text = "total 96\n"
        for index in 0..<88 {
            let size = String(1_000 + index * 37)
            text +=
                "-rw-r--r-- 1 seam seam " + String(repeating: " ", count: max(0, 6 - size.count)) + size
                + " Nov 25 10:\(10 + index % 50) report-\(index < 10 ? "0" : "")\(index).txt\n"
        }
        return Array(text.utf8)
    }()

    /// The seed's answer to `command`: its stdout, then its stderr, as one byte string (`ls -l`: about 5 KB).
    static func answer(for command: [UInt8]) -> [UInt8] {
        let (stderr, stdout) = output(for: String(decoding: command, as: UTF8.self))
        return stdout + stderr
    }

    /// (stderr, stdout) of `command`; unknown commands get a shell-like error on stderr.
    static func output(for command: String) -> (stderr: [UInt8], stdout: [UInt8]) {
        switch command.trimmingTrailingNewlines {
        case "ls -l":
            return (Array("ls: cannot open directory 'private': Permission denied\n".utf8), listing)
        case "cat notes.txt":
            return (Array("cat: notes.txt: No such file or directory\n".utf8), [])
        default:
            return (Array("sh: 1: \(command.trimmingTrailingNewlines): not found\n".utf8), [])
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

/// pcapng options being encoded for one block: each `code(2) length(2) value` padded to 4 bytes, ended by
/// `opt_endofopt` (code 0, length 0) when there is any option. Little-endian like the writer's blocks.
struct PcapngOptions {
    private var options: [(code: UInt16, value: [UInt8])] = []

    /// Bytes the options take in the block, `opt_endofopt` included (0 when there are none).
    var encodedLength: Int {
        options.isEmpty ? 0 : options.reduce(4) { $0 + 4 + ($1.value.count + 3) & ~3 }
    }

    mutating func add(code: UInt16, value: [UInt8]) {
        options.append((code, value))
    }

    /// Adds a UTF-8 option; an option value is at most 65535 bytes.
    mutating func add(code: UInt16, string: String, name: String) throws {
        let value = Array(string.utf8)
        guard value.count <= Int(UInt16.max) else {
            throw CaptureFileError(
                file: name, offset: nil, expected: "an option of at most 65535 bytes", found: "\(value.count) bytes",
                message: "option \(code) of \(value.count) bytes is longer than 65535")
        }
        add(code: code, value: value)
    }

    mutating func add(code: UInt16, uint64 value: UInt64) {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(value)
        add(code: code, value: bytes)
    }

    func emit(into bytes: inout [UInt8]) {
        guard !options.isEmpty else { return }
        for option in options {
            bytes.appendLittleEndian(option.code)  // Option Code
            bytes.appendLittleEndian(UInt16(option.value.count))  // Option Length (without padding)
            bytes.append(contentsOf: option.value)  // Option Value
            bytes.padToFour()
        }
        bytes.appendLittleEndian(UInt16(0))  // opt_endofopt
        bytes.appendLittleEndian(UInt16(0))
    }
}

/// The BPF object `seam watch` loads: `BPF/seam_watch.bpf.c` as the BPFObject build plugin compiled it
/// (`clang -target bpf -g -O2`, CO-RE) and embedded it in base64 (`EmbeddedBPFObject`, a generated source).
enum BPFObjectBytes {
    /// The ELF object's bytes, decoded once.
    static let bytes: [UInt8] = decode(EmbeddedBPFObject.base64)

    /// Decodes standard base64 (with `=` padding); characters outside the alphabet are skipped.
    static func decode(_ text: StaticString) -> [UInt8] {
        text.withUTF8Buffer { decode(Array($0)) }
    }

    static func decode(_ text: [UInt8]) -> [UInt8] {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            values[Int(character)] = UInt8(index)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in text {
            let value = values[Int(character)]
            guard value != 0xFF else { continue }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return bytes
    }
}

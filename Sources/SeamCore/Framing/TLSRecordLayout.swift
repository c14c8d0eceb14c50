/// Frames TLS records (`tls`), the layer under every TLS connection (RFC 8446 §5.1, RFC 5246 §6.2).
///
/// ```
///  +--------------+-----------------+------------------+-----------------------------------+
///  | content type | version         | length           | fragment: length bytes            |
///  | 1 byte 20-24 | 2 bytes, 3.0-3.4| 2 bytes, BE      | at most 2^14 + 2048 (ciphertext)  |
///  +--------------+-----------------+------------------+-----------------------------------+
///  20 change_cipher_spec   21 alert   22 handshake   23 application_data   24 heartbeat
/// ```
///
/// Each byte of the header is checked as it arrives, so bytes that are not TLS fail at once. One record is one
/// message (as tshark's `tls.record`); handshake messages inside records are not cut apart.
struct TLSRecordLayout: FrameLayout {
    /// The largest fragment a record may carry (TLSCiphertext: 2^14 + 2048).
    static let fragmentLimit: UInt64 = 16384 + 2048

    var headLimit: Int { 5 }

    static func name(_ type: UInt8) -> String {
        switch type {
        case 20: return "change_cipher_spec"
        case 21: return "alert"
        case 22: return "handshake"
        case 23: return "application_data"
        default: return "heartbeat"
        }
    }

    func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let type = buffer.byte(at: 0) else { return nil }
        guard (20...24).contains(type) else {
            throw FramingError(
                offset: offset,
                reason: "byte 0x\(String(type, radix: 16)) is not a TLS content type (20-24)"
            )
        }
        guard let major = buffer.byte(at: 1) else { return nil }
        let minor = buffer.byte(at: 2)
        guard major == 3, (minor ?? 0) <= 4 else {
            let shown = buffer.bytes(1..<3).map { String($0) }.joined(separator: ".")
            throw FramingError(offset: offset + 1, reason: "TLS record version \(shown) is not 3.0-3.4")
        }
        guard let length = buffer.bigEndian(at: 3, count: 2) else { return nil }
        guard length <= Self.fragmentLimit else {
            throw FramingError(
                offset: offset + 3,
                reason: "TLS record length \(length) is over \(Self.fragmentLimit) bytes"
            )
        }
        return FrameHead(length: 5 + length, summary: Self.name(type))
    }
}

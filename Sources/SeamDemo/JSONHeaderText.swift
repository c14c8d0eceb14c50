/// The little JSON the json-header lesson needs, without Foundation.
enum JSONHeaderText {
    /// The number after `"total_size":`.
    static func totalSize(_ json: [UInt8]) -> Int {
        let text = String(decoding: json, as: UTF8.self)
        guard let key = text.firstRange(of: "\"total_size\":") else { return 0 }
        return Int(text[key.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }) ?? 0
    }

    /// A 32-hex-digit fingerprint in md5's shape (FNV-1a twice; the demo never checks it).
    static func md5Like(_ bytes: [UInt8]) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in bytes {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(first, radix: 16).leftPadded(16) + String(second, radix: 16).leftPadded(16)
    }
}

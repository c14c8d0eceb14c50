/// A count with its noun, as every message of Seam writes it: `1 flow`, `3 flows`, `2 processes`.
///
/// - Parameter plural: the plural when it is not the noun + `s`.
public func counted(_ count: some BinaryInteger, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}

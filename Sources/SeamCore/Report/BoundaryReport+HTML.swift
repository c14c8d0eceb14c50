/// Temporary: replaced by the full HTML rendering.
extension BoundaryReport {
    public func html() -> String { "<!doctype html><pre>" + text().replacingEscapes() + "</pre>" }
}

extension String {
    fileprivate func replacingEscapes() -> String {
        var out = ""
        for c in self {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension FramingSurvey.FlowResult {
    /// The flow's detections as text: per direction the picked framing, the ranked fits, and the misfits (the
    /// first `misfitLimit`, those that got furthest first; all with `nil`). Fits that parsed less than 90 % up to a
    /// cut are counted, not listed, beside a fit that parsed everything.
    public func text(misfitLimit: Int? = 4) -> String {
        var out = "\(id) \(client) → \(server)\(clientIsGuessed ? " (client guessed)" : "")\n"
        for direction in Direction.allCases {
            let found = detection[direction]
            out += "  \(direction.rawValue)  \(FramingFit.size(found.bytes))"
            guard found.bytes > 0 else {
                out += "\n"
                continue
            }
            if let picked = detection.picked(direction) {
                out += ": \(picked)\n"
            } else {
                out += ": nothing fits clearly\n"
            }
            if let note = found.givenMisfitNote { out += "    ✗ \(note)\n" }
            let hasWholeFit = found.fits.contains { $0.status == .fits }
            let listed = found.fits.filter { !hasWholeFit || $0.status == .fits || $0.parsedFraction >= 0.9 }
            for (rank, fit) in listed.enumerated() {
                var line = "    \(rank + 1). \(fit)"
                if let share = fit.sendsOnBoundaries { line += ", \(FramingFit.percent(share)) of sends end on one" }
                line += fit.messages == 1 ? ", 1 message" : ", \(fit.messages) messages"
                out += line + "\n"
            }
            if listed.count < found.fits.count {
                let weak = found.fits.count - listed.count
                out += "    (\(weak) more fit\(weak == 1 ? "s" : "") only up to a cut, parsing less than 90 %)\n"
            }
            let misfits = found.misfits
            let shown = misfitLimit.map { Array(misfits.prefix($0)) } ?? misfits
            for fit in shown { out += "    does not fit: \(fit.spec) \(fit.misfit?.description ?? "")\n" }
            if shown.count < misfits.count {
                out += "    … and \(misfits.count - shown.count) more that do not fit (--all lists them)\n"
            }
        }
        return out
    }

    /// The flow's detections as JSON (documented in the README under `seam framing --json`).
    public func json() -> JSONValue {
        func fitValue(_ fit: FramingFit) -> JSONValue {
            .object([
                ("framing", .string(fit.spec.description)), ("status", .string(fit.status.rawValue)),
                ("parsed_bytes", .number(fit.parsedBytes)), ("parsed", .double(fit.parsedFraction)),
                ("messages", .number(fit.messages)),
                ("boundaries_on_sends", fit.boundariesOnSends.map { .double($0) } ?? .null),
                ("sends_on_boundaries", fit.sendsOnBoundaries.map { .double($0) } ?? .null),
                (
                    "misfit",
                    fit.misfit.map { .object([("offset", .number($0.offset)), ("reason", .string($0.reason))]) }
                        ?? .null
                ),
            ])
        }
        func directionValue(_ direction: Direction) -> JSONValue {
            let found = detection[direction]
            return .object([
                ("bytes", .number(found.bytes)), ("framing", .optional(detection.picked(direction)?.spec.description)),
                ("clear", .bool(found.isClear)), ("given", found.given.map(fitValue) ?? .null),
                ("fits", .array(found.fits.map(fitValue))), ("misfits", .array(found.misfits.map(fitValue))),
            ])
        }
        return .object([
            ("id", .string(id.description)), ("client", .string(client.description)),
            ("server", .string(server.description)), ("client_guessed", .bool(clientIsGuessed)),
            ("c2s", directionValue(.clientToServer)), ("s2c", directionValue(.serverToClient)),
        ])
    }
}

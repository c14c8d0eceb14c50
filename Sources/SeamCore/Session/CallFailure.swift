/// Why a socket call failed: the operation, and the errno value or (for a failure without one) a reason in
/// words. In a session call: `op=connect error=ECONNREFUSED errno=111`, or `op=connect error=timed%20out`.
public struct CallFailure: Sendable, Hashable, CustomStringConvertible {
    /// The operation that failed (`connect`, `read`, `sendto`…), when known (`op=`).
    public var operation: String?
    /// The errno value, when the failure had one (`errno=`, and its name in `error=`).
    public var errorNumber: ErrorNumber?
    /// The reason in words when there is no errno value (`error=`).
    public var reason: String?

    public init(operation: String? = nil, errorNumber: ErrorNumber? = nil, reason: String? = nil) {
        self.operation = operation
        self.errorNumber = errorNumber
        self.reason = reason
    }

    /// `connect: ECONNREFUSED (connection refused)`.
    public var description: String {
        let what = errorNumber?.description ?? reason ?? "failed"
        return operation.map { "\($0): \(what)" } ?? what
    }
}

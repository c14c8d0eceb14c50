import CSeamWatch

/// Which calls `seam watch` records, decided in the kernel (see `BPF/seam_watch.bpf.c`):
///
/// - a process is selected when seam started it (`followsChildren`: seam's children and all their
///   descendants), when it is one of `pids` or descends from one, or when its command (the thread group
///   leader's comm, as `ps -o comm` shows it) is one of `commands`; with none of these, every process is;
/// - a call is kept when its socket is a TCP or UDP socket (IPv4 or IPv6) and, when `ports` are given, its
///   local or remote port is one of them.
///
/// So `--port` alone records whoever uses the port, and `--pid P --port 80` only P's calls on port 80.
public struct WatchSelection: Sendable, Equatable {
    public var pids: [Int32] = []
    public var ports: [UInt16] = []
    public var commands: [String] = []
    /// Whether seam starts the watched program (its children are followed, seam itself never recorded).
    public var followsChildren = false
    /// Bytes of payload kept per call (0: none).
    public var snapLength = WatchSelection.defaultSnapLength

    public static let defaultSnapLength = 65536
    public static let maximumSnapLength = Int(SEAM_WATCH_SNAPLEN_MAX)
    public static let maximumPorts = Int(SEAM_WATCH_MAX_PORTS)
    public static let maximumCommands = Int(SEAM_WATCH_MAX_COMMS)
    /// The kernel keeps 15 bytes of a command name.
    public static let maximumCommandLength = Int(SEAM_WATCH_COMM_LEN) - 1

    public init(
        pids: [Int32] = [],
        ports: [UInt16] = [],
        commands: [String] = [],
        followsChildren: Bool = false,
        snapLength: Int = WatchSelection.defaultSnapLength
    ) {
        self.pids = pids
        self.ports = ports
        self.commands = commands
        self.followsChildren = followsChildren
        self.snapLength = snapLength
    }

    /// Whether no process filter is given, so every process is watched (ports must then be given).
    public var selectsEveryProcess: Bool { pids.isEmpty && commands.isEmpty && !followsChildren }

    /// Throws `WatchError.badSelection` naming what is wrong.
    public func validate() throws(WatchError) {
        if selectsEveryProcess && ports.isEmpty {
            throw .badSelection(
                "seam watch needs something to watch: -- PROGRAM, --pid PID, --port PORT or --comm NAME"
            )
        }
        if ports.count > Self.maximumPorts {
            throw .badSelection("at most \(Self.maximumPorts) --port options (got \(ports.count))")
        }
        if commands.count > Self.maximumCommands {
            throw .badSelection("at most \(Self.maximumCommands) --comm options (got \(commands.count))")
        }
        for command in commands where command.utf8.count > Self.maximumCommandLength || command.isEmpty {
            throw .badSelection(
                "--comm \(command): a command name is 1 to \(Self.maximumCommandLength) bytes (the kernel's comm)"
            )
        }
        if ports.contains(0) { throw .badSelection("--port 0 is not a port") }
        if pids.contains(where: { $0 <= 0 }) { throw .badSelection("--pid needs a process id above 0") }
        if snapLength < 0 || snapLength > Self.maximumSnapLength {
            throw .badSelection("--snaplen is 0 to \(Self.maximumSnapLength) bytes (got \(snapLength))")
        }
    }

    /// The configuration written into the BPF program.
    func configuration(selfPid: UInt32, wakeupBytes: UInt32) -> seam_watch_config {
        var config = seam_watch_config()
        config.self_tgid = selfPid
        config.all_processes = selectsEveryProcess ? 1 : 0
        config.snaplen = UInt32(snapLength)
        config.port_count = UInt32(ports.count)
        config.comm_count = UInt32(commands.count)
        config.wakeup_bytes = wakeupBytes
        withUnsafeMutableBytes(of: &config.ports) { raw in
            let slots = raw.bindMemory(to: UInt16.self)
            for (index, port) in ports.enumerated() { slots[index] = port }
        }
        withUnsafeMutableBytes(of: &config.comms) { raw in
            for (index, command) in commands.enumerated() {
                for (offset, byte) in command.utf8.enumerated() {
                    raw[index * Int(SEAM_WATCH_COMM_LEN) + offset] = byte
                }
            }
        }
        return config
    }
}

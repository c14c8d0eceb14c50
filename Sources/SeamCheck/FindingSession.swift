import SeamCore

/// Writes a finding's failing exchange as a session file (`seam check -o FILE`, mode 0600 like every session),
/// through `SessionWriter`, the one owner of the format: Seam's own calls of the failing replay (leg `app`),
/// its cut and joined writes marked `rechunk=`, and the check in the section's settings (`tool=seam-check`,
/// the chunking, the seed, the finding), so `seam report FILE` shows where Seam cut or joined on purpose.
public enum FindingSession {
    public static func write(
        _ finding: CheckFinding,
        to path: String,
        mode: String,
        target: String,
        framing: String?,
        seed: UInt64
    ) throws {
        var settings = SessionSettings()
        settings["tool"] = "seam-check"
        settings["transport"] = "tcp"
        settings["check"] = mode
        settings[mode == "client" ? "listen" : "to"] = target
        if let framing { settings["framing"] = framing }
        settings["seed"] = String(seed)
        settings["chunking"] = finding.chunking.description
        settings["connection"] = String(finding.connection)
        settings["finding"] = finding.sentence
        settings["payload"] = "yes"
        let writer = try SessionWriter(path: path, settings: settings, recorder: "seam check")
        for call in finding.calls { writer.add(call) }
        _ = try writer.finish()
    }
}

/// `acted-on-partial`: a program read part of a message and, before it read the rest, wrote a whole message
/// of its own to its peer — it took the read for the message. Its later reads then return the old message's
/// bytes where it expects the answer to what it just wrote: the desync.
///
/// The rule needs the program's own reads of `direction` and its writes of the other direction, and messages
/// on both (a framing, or the senders' own send calls). It is careful with correct programs:
/// - a read that completed a message may be acted on (a pipelining client answers the message it completed,
///   whatever part of the next one the same read returned);
/// - a write that completes no message of its direction is not an answer (an echo server passing bytes on
///   as they come);
/// - where threads are known, a write of another thread than the read's is not related to it (full duplex).
enum ActedOnPartialRule {
    static func verdicts(_ flow: FlowTimeline, direction: Direction) -> [Verdict] {
        guard let reader = flow.observedReader(of: direction), flow.observedWriter(of: direction.reversed) != nil
        else { return [] }
        let incoming = flow[direction]
        let outgoing = flow[direction.reversed]
        guard incoming.messageSource != .unknown, outgoing.messageSource != .unknown else { return [] }
        let messages = incoming.messages
        let reads = (incoming.recvs ?? []).filter { !$0.range.isEmpty }
        let writes = (outgoing.sends ?? []).filter { !$0.range.isEmpty }
        let answers = outgoing.messages
        guard !messages.isEmpty, !reads.isEmpty, !writes.isEmpty, !answers.isEmpty else { return [] }

        var verdicts: [Verdict] = []
        var readIndex = 0
        var writeIndex = 0
        var judged = Set<Int>()
        while readIndex < reads.count {
            let read = reads[readIndex]
            let end = read.range.upperBound
            // After this read, is the reader inside a message it has not finished, having finished none in it?
            guard let message = messageIndex(strictlyContaining: end, in: messages), !judged.contains(message),
                !completesAMessage(read.range, messages)
            else {
                readIndex += 1
                continue
            }
            let partialStart = readIndex
            let next = reads[(readIndex + 1)...].firstIndex { $0.range.upperBound > end } ?? reads.count
            let nextTime = next < reads.count ? reads[next].time : nil
            // The first write after this read (and before the next read) that completes a message of its own.
            while writeIndex < writes.count, writes[writeIndex].time <= read.time { writeIndex += 1 }
            var action: (index: Int, answer: Int?)?
            var candidate = writeIndex
            while candidate < writes.count, nextTime.map({ writes[candidate].time < $0 }) ?? true {
                let write = writes[candidate]
                if sameThread(read, write), let answer = completedMessage(write.range, answers) {
                    action = (candidate, answer)
                    break
                }
                candidate += 1
            }
            guard let action else {
                readIndex += 1
                continue
            }
            judged.insert(message)
            let messageRange = messages[message].range
            let partial = (partialStart...readIndex).filter { reads[$0].range.overlaps(messageRange) }
            let later = reads.indices.filter { $0 > readIndex && reads[$0].range.overlaps(end..<messageRange.upperBound) }
            let write = writes[action.index]
            let evidence = VerdictEvidence.actedOnPartial(
                messageBytes: messageRange.count, readBytes: Int(end - messageRange.lowerBound),
                partialReads: partial.map { $0 + 1 },
                action: .wrote(
                    message: action.answer, bytes: write.length, time: write.time,
                    summary: action.answer.flatMap { answers[$0].summary }),
                laterReads: later.map { $0 + 1 }, restBytes: Int(messageRange.upperBound - end))
            verdicts.append(
                Verdict(
                    kind: .actedOnPartial, flow: flow.id, direction: direction, program: direction.receiver,
                    process: reader.process, message: message, time: write.time, evidence: evidence,
                    framing: incoming.framing))
            readIndex += 1
        }
        return verdicts
    }

    /// The message whose bytes lie on both sides of `offset`.
    static func messageIndex(strictlyContaining offset: UInt64, in messages: [MessageRange]) -> Int? {
        var low = 0
        var high = messages.count
        while low < high {
            let mid = (low + high) / 2
            if messages[mid].range.upperBound <= offset { low = mid + 1 } else { high = mid }
        }
        guard low < messages.count else { return nil }
        let range = messages[low].range
        return range.lowerBound < offset && offset < range.upperBound ? low : nil
    }

    /// Whether a message ends inside `range` (after its first byte).
    static func completesAMessage(_ range: Range<UInt64>, _ messages: [MessageRange]) -> Bool {
        completedMessage(range, messages) != nil
    }

    /// The first message whose last byte is in `range`.
    static func completedMessage(_ range: Range<UInt64>, _ messages: [MessageRange]) -> Int? {
        var low = 0
        var high = messages.count
        while low < high {
            let mid = (low + high) / 2
            if messages[mid].range.upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        guard low < messages.count, messages[low].range.upperBound <= range.upperBound,
            !messages[low].range.isEmpty, messages[low].isComplete
        else { return nil }
        return low
    }

    private static func sameThread(_ read: LayerRange, _ write: LayerRange) -> Bool {
        guard let a = read.call?.thread, let b = write.call?.thread else { return true }
        return a == b
    }
}

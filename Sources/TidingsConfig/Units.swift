import Foundation

/// Durations (`30s`, `15m`, `2h`, `1d`, `1h30m`, or a bare number of seconds) and
/// sizes (`20MiB`, `512KiB`, `1GB`, or a bare number of bytes).
enum Units {
    static let durationUnits: [(Character, Double)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// The longest duration a configuration may give: 100 years. Durations become
    /// whole milliseconds in the store and nanoseconds in timers (64-bit), where a
    /// longer one would overflow and stop the program.
    static let maxDuration: TimeInterval = 36_500 * 86_400

    /// Seconds, or nil when `text` is not a duration.
    static func duration(_ text: String) -> TimeInterval? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite, text.first?.isNumber == true { return seconds }
        var total = 0.0
        var number = ""
        var lastUnitIndex = -1
        for character in text {
            if character.isASCII && (character.isNumber || character == ".") {
                number.append(character)
                continue
            }
            guard let unitIndex = durationUnits.firstIndex(where: { $0.0 == Character(character.lowercased()) }),
                unitIndex > lastUnitIndex, let value = Double(number), value.isFinite
            else { return nil }
            total += value * durationUnits[unitIndex].1
            lastUnitIndex = unitIndex
            number = ""
        }
        guard number.isEmpty, lastUnitIndex >= 0 else { return nil }
        return total
    }

    /// `seconds` written the shortest exact way (`1h30m`, `90d`), else as a bare number.
    static func formatDuration(_ seconds: TimeInterval) -> String {
        guard seconds > 0, seconds == seconds.rounded(), seconds < 1e15 else { return formatNumber(seconds) }
        var rest = Int64(seconds)
        var text = ""
        for (unit, size) in durationUnits {
            let size = Int64(size)
            if rest >= size {
                text += "\(rest / size)\(unit)"
                rest %= size
            }
        }
        return text
    }

    static let sizeUnits: [(String, Double)] = [
        ("tib", 1_099_511_627_776), ("gib", 1_073_741_824), ("mib", 1_048_576), ("kib", 1_024),
        ("tb", 1e12), ("gb", 1e9), ("mb", 1e6), ("kb", 1e3), ("b", 1),
    ]

    /// Bytes, or nil when `text` is not a size.
    static func size(_ text: String) -> Int? {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = lower
        var multiplier = 1.0
        for (suffix, size) in sizeUnits where lower.hasSuffix(suffix) {
            number = String(lower.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            multiplier = size
            break
        }
        guard number.first?.isNumber == true, let value = Double(number), value.isFinite else { return nil }
        let bytes = (value * multiplier).rounded()
        guard bytes >= 0, bytes < Double(Int.max) else { return nil }
        return Int(bytes)
    }

    /// `bytes` in the largest binary unit that divides it (`20MiB`), else bare.
    static func formatSize(_ bytes: Int) -> String {
        for (suffix, size) in [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(suffix)"
        }
        return String(bytes)
    }

    static func formatNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

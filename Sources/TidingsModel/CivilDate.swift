/// A day of the proleptic Gregorian calendar.
public struct CivilDate: Sendable, Hashable {
    /// The year (0 is 1 BC).
    public var year: Int64
    /// The month, 1–12.
    public var month: Int64
    /// The day of the month, 1–31.
    public var day: Int64

    /// The day `days` days after 1970-01-01 (negative: before it), by Howard Hinnant's
    /// civil-from-days algorithm.
    public init(daysSince1970 days: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The day and the second of that day (0–86,399) of a count of seconds since
    /// 1970-01-01T00:00:00 (negative: before it).
    public static func split(secondsSince1970 seconds: Int64) -> (date: CivilDate, secondOfDay: Int64) {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        return (CivilDate(daysSince1970: days), rest)
    }
}

import Foundation

/// Parses the three HTTP-date forms of RFC 9110 §5.6.7, always read as GMT:
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`); a trailing `+0000` is tolerated.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" })
        var month: Int?
        var numbers: [Int] = []
        var numberWidths: [Int] = []
        var clock: (hour: Int, minute: Int, second: Int)?
        for token in tokens {
            if token.contains(":") {
                let parts = token.split(separator: ":").map { Int($0) }
                guard parts.count == 3, let hour = parts[0], let minute = parts[1], let second = parts[2] else {
                    return nil
                }
                clock = (hour, minute, second)
            } else if let number = Int(token) {
                numbers.append(number)
                numberWidths.append(token.count)
            } else if let index = months.firstIndex(of: token.prefix(3).lowercased()), token.count == 3 {
                month = index + 1
            }
            // Week days and the zone name ("GMT", "UTC") carry nothing the date needs.
        }
        // A numeric zone after the year is tolerated only when it says GMT ("+0000").
        if numbers.count == 3, numbers[2] == 0, numberWidths[2] >= 4 {
            numbers.removeLast()
        }
        guard let month, let clock, numbers.count == 2 else { return nil }
        let day = numbers[0]
        var year = numbers[1]
        if numberWidths[1] <= 2 {
            year += year < 50 ? 2000 : 1900
        }
        guard (1...31).contains(day), (0...23).contains(clock.hour), (0...59).contains(clock.minute),
            (0...60).contains(clock.second)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + clock.hour * 3600 + clock.minute * 60 + clock.second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// How long a response stays fresh (RFC 9111 §4.2.1).
enum Freshness {
    /// `max-age` from `Cache-Control` (0 under `no-cache` or `no-store`), else `Expires` minus `Date`
    /// (or minus `now` without a usable `Date`); nil when the response says nothing.
    static func seconds(cacheControl: [String], expires: String?, date: String?, now: Date) -> TimeInterval? {
        var maxAge: TimeInterval?
        for directive in cacheControl.flatMap({ $0.split(separator: ",") }) {
            let parts = directive.split(separator: "=", maxSplits: 1)
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "no-cache", "no-store":
                return 0
            case "max-age":
                guard parts.count == 2 else { continue }
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\""))
                if let seconds = Int(value), seconds >= 0 {
                    maxAge = TimeInterval(seconds)
                }
            default:
                continue
            }
        }
        if let maxAge { return maxAge }
        guard let expires else { return nil }
        // An Expires that does not parse ("0", "-1") means "already expired" (RFC 9111 §5.3).
        guard let expiry = HTTPDate.parse(expires) else { return 0 }
        let reference = date.flatMap(HTTPDate.parse) ?? now
        return max(0, expiry.timeIntervalSince(reference))
    }
}

/// `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.
enum RetryAfter {
    /// Seconds to wait from `now`; nil when the value is neither form.
    static func seconds(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) {
            return Int(trimmed).map(TimeInterval.init) ?? TimeInterval(Int.max)
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

import Foundation

/// Reads the dates that feeds carry: RFC 822 / RFC 2822 and their common
/// breakages, RFC 3339 / ISO 8601 / W3C-DTF, asctime, and the odd formats that
/// feedparser knows (Perforce, Greek, Hungarian, Korean OnBlog and Nate).
///
/// Every result is an instant (UTC); a date without a zone is read as UTC. The
/// parser scans bytes by hand, with no formatter, calendar, regex or heap
/// allocation, so that it stays cheap and independent of the machine's locale.
enum FeedDate {
    /// Returns the instant `text` names, or nil when `text` is not a date that
    /// can be read with confidence (out-of-range fields, unknown layout).
    static func parse(_ text: String) -> Date? {
        parse(text.utf8)
    }

    /// Returns the instant named by UTF-8 `bytes` (the fast path: no copy when
    /// the bytes are contiguous), or nil as `parse(_:)` does.
    static func parse(_ bytes: some Collection<UInt8>) -> Date? {
        if let date = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0) }) {
            return date
        }
        return Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
    }
}

// MARK: - Entry

extension FeedDate {
    /// Longer inputs are not dates; the bound also keeps hostile input cheap.
    private static let maxLength = 256

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) -> Date? {
        var cursor = Cursor(buffer)
        cursor.trim()
        guard !cursor.atEnd, cursor.end - cursor.pos <= maxLength else { return nil }
        if let date = fastRFC3339(cursor) ?? fastRFC822(cursor) { return date }
        let first = cursor.peek
        if first == Byte.minus || isDigit(first) {
            var numeric = cursor
            if let date = parseNumeric(&numeric) { return date }
            // "2004 Jan 01" and "01 Jan 2004" start with digits too.
            guard isDigit(first) else { return nil }
        }
        return parseTextual(cursor)
    }
}

// MARK: - Fast paths

extension FeedDate {
    // Nearly every feed writes "2003-12-31T10:14:55Z" (Atom) or "Wed, 31 Dec
    // 2003 10:14:55 GMT" (RSS). These read exactly those layouts at fixed
    // offsets; anything else, or anything invalid, returns nil and goes to the
    // general readers, which accept all that these do, with the same result.

    /// YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|±HH:MM)
    private static func fastRFC3339(_ c: Cursor) -> Date? {
        let count = c.end - c.pos
        guard count >= 20 else { return nil }
        let b = UnsafeBufferPointer(rebasing: c.bytes[c.pos..<c.end])
        let separator = b[10] | 0x20
        guard b[4] == Byte.minus, b[7] == Byte.minus, separator == Byte.lowerT || separator == 0x20,
            b[13] == Byte.colon, b[16] == Byte.colon,
            let year = fixedDigits(b, 0, 4), let month = fixedDigits(b, 5, 2), let day = fixedDigits(b, 8, 2),
            let hour = fixedDigits(b, 11, 2), let minute = fixedDigits(b, 14, 2), let second = fixedDigits(b, 17, 2)
        else { return nil }
        var clock = Clock(hour: hour, minute: minute, second: second)
        var i = 19
        if b[i] == Byte.dot {
            i += 1
            var scale = 100_000_000
            while i < count, isDigit(b[i]) {
                clock.nanoseconds += Int(b[i] &- Byte.zero) * scale
                scale /= 10
                i += 1
            }
            guard i > 20, i < count else { return nil }
        }
        let offset: Int
        if i == count - 1, b[i] | 0x20 == Byte.lowerZ {
            offset = 0
        } else if i == count - 6, b[i] == Byte.plus || b[i] == Byte.minus, b[i + 3] == Byte.colon,
            let hours = fixedDigits(b, i + 1, 2), let minutes = fixedDigits(b, i + 4, 2), hours <= 23, minutes <= 59
        {
            offset = (b[i] == Byte.minus ? -1 : 1) * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard let days = civilDays(year, month, day) else { return nil }
        return makeDate(days: days, clock: clock, offset: offset)
    }

    /// [Www, ]DD Mmm YYYY HH:MM:SS (GMT|UTC|UT|Z|±HHMM)
    private static func fastRFC822(_ c: Cursor) -> Date? {
        var b = UnsafeBufferPointer(rebasing: c.bytes[c.pos..<c.end])
        if b.count >= 5, b[3] == Byte.comma, b[4] == 0x20 {
            guard case .weekday = shortWord(lowercaseKey(b, 0), abbreviation: false) else { return nil }
            b = UnsafeBufferPointer(rebasing: b[5...])
        }
        let count = b.count
        guard count >= 22, b[2] == 0x20, b[6] == 0x20, b[11] == 0x20, b[14] == Byte.colon, b[17] == Byte.colon,
            b[20] == 0x20,
            case .month(let month) = shortWord(lowercaseKey(b, 3), abbreviation: false),
            let day = fixedDigits(b, 0, 2), let year = fixedDigits(b, 7, 4),
            let hour = fixedDigits(b, 12, 2), let minute = fixedDigits(b, 15, 2), let second = fixedDigits(b, 18, 2)
        else { return nil }
        let offset: Int
        switch count - 21 {
        case 1 where b[21] | 0x20 == Byte.lowerZ:
            offset = 0
        case 2 where b[21] | 0x20 == 0x75 && b[22] | 0x20 == 0x74:  // ut
            offset = 0
        case 3 where lowercaseKey(b, 21) == 0x676D74 || lowercaseKey(b, 21) == 0x757463:  // gmt, utc
            offset = 0
        case 5 where b[21] == Byte.plus || b[21] == Byte.minus:
            guard let hours = fixedDigits(b, 22, 2), let minutes = fixedDigits(b, 24, 2), hours <= 23, minutes <= 59
            else { return nil }
            offset = (b[21] == Byte.minus ? -1 : 1) * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
        guard let days = civilDays(year, month, day) else { return nil }
        return makeDate(days: days, clock: Clock(hour: hour, minute: minute, second: second), offset: offset)
    }

    /// The value of exactly `width` digits at `start`, or nil.
    @inline(__always)
    private static func fixedDigits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ width: Int) -> Int? {
        var value = 0
        for i in start..<start + width {
            let digit = b[i] &- Byte.zero
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    /// Three bytes at `start`, ASCII-lowercased and packed like `scanWord`'s keys.
    @inline(__always)
    private static func lowercaseKey(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt64 {
        UInt64(b[start] | 0x20) << 16 | UInt64(b[start + 1] | 0x20) << 8 | UInt64(b[start + 2] | 0x20)
    }
}

// MARK: - ISO 8601 family (W3C-DTF, RFC 3339, basic format, MSSQL, Hungarian, Korean)

extension FeedDate {
    private static let koreaOffset = 9 * 3600

    /// Days since 1970-01-01; `complete` is false for reduced precision (year,
    /// year-month, week), which must end the text; `kst` marks Korean layouts.
    private typealias DatePart = (days: Int, complete: Bool, kst: Bool)

    private static func parseNumeric(_ c: inout Cursor) -> Date? {
        guard let date = isoDate(&c) else { return nil }
        if c.atEnd { return makeDate(days: date.days, clock: Clock(), offset: date.kst ? koreaOffset : 0) }
        // A time needs a complete date (ISO 8601), so "2003-12 10:00" is refused.
        guard date.complete else { return nil }

        var defaultOffset = date.kst ? koreaOffset : 0
        var pm: Bool?
        var basic = false
        if c.peek == Byte.upperT || c.peek == Byte.lowerT {
            c.pos += 1
            basic = true
        } else {
            guard c.skipSpaces() else { return nil }
            if isWordByte(c.peek) {
                // Nate writes "2004-05-25 오후 11:23:17": the meridiem comes first.
                guard case .meridiem(let isPM, let korean) = scanWord(&c) else { return nil }
                pm = isPM
                if korean { defaultOffset = koreaOffset }
                _ = c.skipSpaces()
            }
        }
        guard var clock = readTime(&c, basic: basic) else { return nil }

        // Fast paths for the common endings: nothing, "Z", "+hh:mm".
        if c.atEnd {
            if let pm, !applyMeridiem(&clock, pm: pm) { return nil }
            return makeDate(days: date.days, clock: clock, offset: defaultOffset)
        }
        if pm == nil, c.end - c.pos == 1, c.peek | 0x20 == Byte.lowerZ {
            return makeDate(days: date.days, clock: clock, offset: 0)
        }
        if pm == nil, c.peek == Byte.plus || c.peek == Byte.minus {
            var probe = c
            if let offset = readOffset(&probe), probe.atEnd {
                return makeDate(days: date.days, clock: clock, offset: offset)
            }
        }

        // Anything else: meridiem, zone names, "GMT+2", "-0800 (PST)"; but a
        // stray "." or "," is a broken fraction, not a separator.
        guard c.peek != Byte.dot, c.peek != Byte.comma else { return nil }
        var tokens = Tokenizer(c: c, offsetMayFollow: true)
        var token = tokens.next()
        if pm == nil, case .word(.meridiem(let isPM, _)) = token {
            pm = isPM
            token = tokens.next()
        }
        if let pm, !applyMeridiem(&clock, pm: pm) { return nil }
        var zone = Zone()
        guard zone.read(&token, &tokens), case .end = token else { return nil }
        return makeDate(days: date.days, clock: clock, offset: zone.offset ?? defaultOffset)
    }

    /// The date part, up to the time or the end.
    private static func isoDate(_ c: inout Cursor) -> DatePart? {
        if c.peek == Byte.minus {
            // "-YYMM" and "-YY-MM": feedparser's truncated two-digit-year forms.
            c.pos += 1
            let (yy, yyCount) = c.digits(max: 2)
            guard yyCount == 2 else { return nil }
            if c.peek == Byte.minus { c.pos += 1 }
            let (month, monthCount) = c.digits(max: 2)
            guard monthCount == 2, let days = civilDays(twoDigitYear(yy), month, 1) else { return nil }
            return (days, false, false)
        }

        let (value, count) = c.digits(max: 9)
        guard !isDigit(c.peek) else { return nil }
        let days: Int?
        switch count {
        case 4:
            let year = value
            if c.atEnd {
                guard let days = civilDays(year, 1, 1) else { return nil }
                return (days, false, false)
            }
            switch c.peek {
            case Byte.minus:
                c.pos += 1
                return isoExtended(&c, year: year)
            case Byte.upperW, Byte.lowerW:
                c.pos += 1
                return isoWeek(&c, year: year, extended: false)
            case 0xEB:
                return onBlog(&c, year: year)
            default:
                return nil
            }
        case 8: days = civilDays(value / 10000, value / 100 % 100, value % 100)  // YYYYMMDD
        case 7: days = ordinalDays(value / 1000, value % 1000)  // YYYYDDD
        case 6: days = civilDays(twoDigitYear(value / 10000), value / 100 % 100, value % 100)  // YYMMDD
        case 5: days = ordinalDays(twoDigitYear(value / 1000), value % 1000)  // YYDDD
        case 2:
            // YY-MM-DD or YY-DDD
            guard c.peek == Byte.minus else { return nil }
            c.pos += 1
            let (part, partCount) = c.digits(max: 3)
            if partCount == 3 {
                days = ordinalDays(twoDigitYear(value), part)
            } else {
                guard partCount == 2, c.peek == Byte.minus else { return nil }
                c.pos += 1
                let (day, dayCount) = c.digits(max: 2)
                guard dayCount == 2 else { return nil }
                days = civilDays(twoDigitYear(value), part, day)
            }
        default:
            return nil
        }
        guard let days else { return nil }
        return (days, true, false)
    }

    /// After "YYYY-": MM[-DD], DDD, 0MM-DD (Google's extra zero), Www[-D], or a
    /// month name ("2004-július-13").
    private static func isoExtended(_ c: inout Cursor, year: Int) -> DatePart? {
        if c.peek == Byte.upperW || c.peek == Byte.lowerW {
            c.pos += 1
            return isoWeek(&c, year: year, extended: true)
        }
        if isWordByte(c.peek) {
            guard case .month(let month) = scanWord(&c), c.peek == Byte.minus else { return nil }
            c.pos += 1
            let (day, dayCount) = c.digits(max: 2)
            guard dayCount > 0, let days = civilDays(year, month, day) else { return nil }
            return (days, true, false)
        }
        let (part, count) = c.digits(max: 3)
        switch count {
        case 3 where c.peek == Byte.minus:
            // "2003-012-31": a zero-padded month, not an ordinal.
            c.pos += 1
            let (day, dayCount) = c.digits(max: 2)
            guard dayCount > 0, let days = civilDays(year, part, day) else { return nil }
            return (days, true, false)
        case 3:
            guard let days = ordinalDays(year, part) else { return nil }
            return (days, true, false)
        case 1, 2:
            guard c.peek == Byte.minus else {
                guard let days = civilDays(year, part, 1) else { return nil }
                return (days, false, false)
            }
            c.pos += 1
            let (day, dayCount) = c.digits(max: 2)
            guard dayCount > 0, let days = civilDays(year, part, day) else { return nil }
            return (days, true, false)
        default:
            return nil
        }
    }

    /// ISO week date: Www[-D] or WwwD; week 1 holds the year's first Thursday.
    private static func isoWeek(_ c: inout Cursor, year: Int, extended: Bool) -> DatePart? {
        let (week, weekCount) = c.digits(max: 2)
        guard weekCount == 2, (1...53).contains(week) else { return nil }
        var weekday = 1
        var complete = false
        if !extended || c.peek == Byte.minus {
            if extended { c.pos += 1 }
            let (day, dayCount) = c.digits(max: 1)
            if dayCount == 1 {
                weekday = day
                complete = true
            } else if extended {
                return nil
            }
        }
        guard (1...7).contains(weekday), let jan4 = civilDays(year, 1, 4), let nextYear = civilDays(year + 1, 1, 1)
        else { return nil }
        let week1Monday = jan4 - isoWeekdayIndex(jan4)
        // Week 53 exists only when its Thursday still falls in `year`.
        guard week < 53 || week1Monday + 52 * 7 + 3 < nextYear else { return nil }
        return (week1Monday + (week - 1) * 7 + weekday - 1, complete, false)
    }

    /// OnBlog: "2004년 05월 28일 01:31:15", in Korea's time.
    private static func onBlog(_ c: inout Cursor, year: Int) -> DatePart? {
        guard c.consume(0xEB, 0x85, 0x84) else { return nil }  // 년
        _ = c.skipSpaces()
        let (month, monthCount) = c.digits(max: 2)
        guard monthCount > 0, c.consume(0xEC, 0x9B, 0x94) else { return nil }  // 월
        _ = c.skipSpaces()
        let (day, dayCount) = c.digits(max: 2)
        guard dayCount > 0, c.consume(0xEC, 0x9D, 0xBC) else { return nil }  // 일
        guard let days = civilDays(year, month, day) else { return nil }
        return (days, true, true)
    }
}

// MARK: - RFC 822 family (RFC 2822, RFC 850, asctime, Perforce, Greek)

extension FeedDate {
    /// Layouts: [weekday] D M Y | M D [Y] | Y M D | Y/M/D, then [at] [time
    /// [am|pm]] [zones], and for asctime ("Sun Jan  4 16:29:06 2004") the year
    /// after the time and zone.
    private static func parseTextual(_ cursor: Cursor) -> Date? {
        var tokens = Tokenizer(c: cursor, offsetMayFollow: false)
        var token = tokens.next()
        // The weekday is ignored: feeds get it wrong often enough.
        if case .word(.weekday) = token { token = tokens.next() }

        var year = 0
        var yearDigits = 0
        var month = 0
        var day = 0
        var yearAfterTime = false
        switch token {
        case .slashDate:
            (year, yearDigits, month, day) = (tokens.slashDate.year, 4, tokens.slashDate.month, tokens.slashDate.day)
            token = tokens.next()
        case .number(let first, let firstDigits):
            guard case .word(.month(let m)) = tokens.next(),
                case .number(let second, let secondDigits) = tokens.next()
            else { return nil }
            month = m
            if firstDigits <= 2 {
                (day, year, yearDigits) = (first, second, secondDigits)
            } else if firstDigits == 4, secondDigits <= 2 {
                (year, yearDigits, day) = (first, 4, second)
            } else {
                return nil
            }
            token = tokens.next()
        case .word(.month(let m)):
            guard case .number(let d, let dayDigits) = tokens.next(), dayDigits <= 2 else { return nil }
            (month, day) = (m, d)
            token = tokens.next()
            if case .number(let y, let digits) = token {
                (year, yearDigits) = (y, digits)
                token = tokens.next()
            } else if case .time = token {
                yearAfterTime = true
            } else {
                return nil
            }
        default:
            return nil
        }

        var zone = Zone()
        if case .word(.at) = token {
            // "January 4, 2004 at 10:00": filler before a time, else Atlantic time.
            let next = tokens.next()
            if case .time = next {
                token = next
            } else {
                zone.named = atlanticOffset
                token = next
            }
        }
        var clock = Clock()
        if case .time = token {
            clock = tokens.clock
            token = tokens.next()
            if case .word(.meridiem(let pm, _)) = token {
                guard applyMeridiem(&clock, pm: pm) else { return nil }
                token = tokens.next()
            }
        }
        guard zone.read(&token, &tokens) else { return nil }
        if yearAfterTime {
            guard case .number(let y, let digits) = token else { return nil }
            (year, yearDigits) = (y, digits)
            token = tokens.next()
            guard zone.read(&token, &tokens) else { return nil }
        }
        guard case .end = token else { return nil }

        let fullYear: Int
        switch yearDigits {
        case 2: fullYear = twoDigitYear(year)
        case 3: fullYear = 1900 + year  // RFC 2822 obs-year
        case 4: fullYear = year
        default: return nil
        }
        guard let days = civilDays(fullYear, month, day) else { return nil }
        return makeDate(days: days, clock: clock, offset: zone.offset ?? 0)
    }

    private static let atlanticOffset = -4 * 3600

    /// Zone designators: at most one numeric offset and one name. When both
    /// are given ("-0800 PST", "GMT+2") the numeric offset wins.
    private struct Zone {
        var numeric: Int?
        var named: Int?
        /// An unlisted abbreviation is read as UTC, as feedparser does, but
        /// only when it stands alone.
        var unknownName = false

        var offset: Int? { numeric ?? named }

        mutating func read(_ token: inout Token, _ tokens: inout Tokenizer) -> Bool {
            while true {
                switch token {
                case .offset(let offset):
                    guard numeric == nil, !unknownName else { return false }
                    numeric = offset
                case .word(.zone(let offset, _)):
                    guard named == nil else { return false }
                    named = offset
                case .word(.at):
                    guard named == nil else { return false }
                    named = FeedDate.atlanticOffset
                case .word(.abbreviation):
                    guard named == nil, numeric == nil else { return false }
                    named = 0
                    unknownName = true
                default:
                    return true
                }
                token = tokens.next()
            }
        }
    }
}

// MARK: - Tokens

extension FeedDate {
    private enum Token {
        case end
        case invalid
        case number(Int, digits: Int)
        /// A time of day, left in `Tokenizer.clock` to keep tokens small.
        case time
        /// A numeric zone offset, in seconds east of UTC.
        case offset(Int)
        case word(Word)
        /// Perforce's "2006/09/15", left in `Tokenizer.slashDate`.
        case slashDate
    }

    private enum Word {
        case month(Int)
        case weekday
        /// Seconds east of UTC; `utcName` for GMT/UTC/UT, which an offset may follow.
        case zone(Int, utcName: Bool)
        case meridiem(pm: Bool, korean: Bool)
        /// "at": filler before a time, or Atlantic time.
        case at
        /// "Etc" of "Etc/GMT".
        case etc
        /// 1 to 5 ASCII letters that name nothing known: an unlisted zone.
        case abbreviation
        case other
    }

    private struct Tokenizer {
        var c: Cursor
        /// Right after a time or "GMT", "-0500" is an offset even without a
        /// space before it; elsewhere an unspaced "-" separates ("06-Nov-94").
        var offsetMayFollow: Bool
        var clock = Clock()
        var slashDate = (year: 0, month: 0, day: 0)

        init(c: Cursor, offsetMayFollow: Bool) {
            self.c = c
            self.offsetMayFollow = offsetMayFollow
        }

        mutating func next() -> Token {
            var spaced = false
            while c.pos < c.end {
                let byte = c.bytes[c.pos]
                // Digits and ASCII letters first: they start most tokens.
                if isDigit(byte) { return number() }
                if (byte | 0x20) &- Byte.lowerA < 26 { return word() }
                let width = c.spaceWidth
                if width > 0 {
                    c.pos += width
                    spaced = true
                    continue
                }
                switch byte {
                case Byte.comma, Byte.dot:
                    c.pos += 1
                    spaced = true
                case Byte.openParen:
                    // A comment, as in "-0800 (PST)".
                    while !c.atEnd, c.peek != Byte.closeParen { c.pos += 1 }
                    guard !c.atEnd else { return .invalid }
                    c.pos += 1
                    spaced = true
                case Byte.minus:
                    if isDigit(c.peek(1)), spaced || offsetMayFollow { return offset() }
                    c.pos += 1
                    spaced = false
                case Byte.plus:
                    return isDigit(c.peek(1)) ? offset() : .invalid
                case _ where byte >= 0x80:
                    return word()
                default:
                    return .invalid
                }
            }
            return .end
        }

        @inline(__always)
        private mutating func offset() -> Token {
            offsetMayFollow = false
            guard let offset = FeedDate.readOffset(&c) else { return .invalid }
            return .offset(offset)
        }

        @inline(__always)
        private mutating func number() -> Token {
            let (value, count) = c.digits(max: 9)
            guard !isDigit(c.peek) else { return .invalid }
            if c.peek == Byte.colon {
                guard let clock = FeedDate.readTime(&c, first: value, count: count, basic: false) else {
                    return .invalid
                }
                self.clock = clock
                offsetMayFollow = true
                return .time
            }
            offsetMayFollow = false
            if c.peek == Byte.slash {
                // Only year-first: "12/31/2003" could be either order.
                guard count == 4 else { return .invalid }
                c.pos += 1
                let (month, monthCount) = c.digits(max: 2)
                guard monthCount > 0, c.peek == Byte.slash else { return .invalid }
                c.pos += 1
                let (day, dayCount) = c.digits(max: 2)
                guard dayCount > 0, !isDigit(c.peek) else { return .invalid }
                slashDate = (value, month, day)
                return .slashDate
            }
            if count <= 2 {
                // Ordinal suffix: "January 1st, 2004".
                let suffix = (UInt16(c.peek | 0x20) << 8) | UInt16(c.peek(1) | 0x20)
                switch suffix {
                case 0x7374, 0x6E64, 0x7264, 0x7468:  // st, nd, rd, th
                    if !isWordByte(c.peek(2)) { c.pos += 2 }
                default:
                    break
                }
            }
            return .number(value, digits: count)
        }

        @inline(__always)
        private mutating func word() -> Token {
            var word = FeedDate.scanWord(&c)
            if case .etc = word, c.peek == Byte.slash {
                c.pos += 1
                // "Etc/GMT+5" means UTC-5 in the tz database: too easily misread.
                guard case .zone(_, utcName: true) = FeedDate.scanWord(&c), c.peek != Byte.plus, c.peek != Byte.minus
                else { return .invalid }
                word = .zone(0, utcName: false)
            }
            if case .zone(_, utcName: true) = word {
                offsetMayFollow = true
            } else {
                offsetMayFollow = false
            }
            return .word(word)
        }
    }

    /// Reads a word (ASCII letters and any non-ASCII UTF-8 but spaces) and names it.
    private static func scanWord(_ c: inout Cursor) -> Word {
        // Up to 16 bytes packed big-endian, so the keys below read as the bytes.
        var high: UInt64 = 0
        var low: UInt64 = 0
        var length = 0
        var ascii = true
        var previous: UInt8 = 0
        while c.pos < c.end {
            let raw = c.bytes[c.pos]
            var byte = raw | 0x20
            if byte &- Byte.lowerA < 26 {
                // ASCII letter, now lowercase.
            } else if raw >= 0x80 {
                if c.spaceWidth > 0 { break }
                ascii = false
                byte = raw
                // Fold Latin-1 capitals (U+00C0–U+00DE, not ×) to lowercase: "JÚLIUS".
                if previous == 0xC3, raw <= 0x9E, raw != 0x97 { byte = raw &+ 0x20 }
            } else {
                break
            }
            // Bytes past 16 shift out harmlessly: such words are refused below.
            if length < 8 {
                high = high &<< 8 | UInt64(byte)
            } else {
                low = low &<< 8 | UInt64(byte)
            }
            length &+= 1
            previous = raw
            c.pos &+= 1
        }
        guard length > 0, length <= 16 else { return .other }
        if length == 1, ascii { return militaryZone(UInt8(truncatingIfNeeded: high)) }
        if low != 0 { return longWord(high, low) }
        return shortWord(high, abbreviation: ascii && length <= 5)
    }

    /// RFC 822's military zones, with its own signs (A = -1 … M = -12,
    /// N = +1 … Y = +12), as feedparser reads them; J is not a zone.
    private static func militaryZone(_ letter: UInt8) -> Word {
        let a = UInt8(ascii: "a")
        let k = UInt8(ascii: "k")
        let n = UInt8(ascii: "n")
        switch letter {
        case UInt8(ascii: "z"): return zone(0)
        case a...UInt8(ascii: "i"): return zone(-Int(letter - a + 1))
        case k...UInt8(ascii: "m"): return zone(-Int(letter - k + 10))
        case n...UInt8(ascii: "y"): return zone(Int(letter - n + 1))
        default: return .abbreviation
        }
    }

    private static func zone(_ hours: Int, _ minutes: Int = 0) -> Word {
        .zone(hours * 3600 + (hours < 0 ? -minutes : minutes) * 60, utcName: false)
    }

    // swift-format-ignore
    /// Words of up to 8 bytes, lowercased.
    private static func shortWord(_ key: UInt64, abbreviation: Bool) -> Word {
        switch key {
        // Months: English, Hungarian, Greek (feedparser's spellings, and Μάρ/Μαρ).
        case 0x6A616E, 0x6A616E75617279, 0x6A616E75C3A172, 0xCE99CEB1CEBD:  // jan, january, január, Ιαν
            return .month(1)
        case 0x666562, 0x6665627275617279, 0x6665627275C3A172, 0xCEA6CEB5CEB2:  // feb, february, február, Φεβ
            return .month(2)
        case 0x6D6172, 0x6D61726368, 0x6DC3A17263697573,  // mar, march, március
            0xCE9CCEACCF8E, 0xCE9CCEB1CF8E, 0xCE9CCEACCF81, 0xCE9CCEB1CF81:  // Μάώ, Μαώ, Μάρ, Μαρ
            return .month(3)
        case 0x617072, 0x617072696C, 0xC3A17072696C6973, 0xCE91CF80CF81:  // apr, april, április, Απρ
            return .month(4)
        case 0x6D6179, 0x6DC3A16A7573, 0x6DC3A1756A7573,  // may, május, máujus
            0xCE9CCEACCEB9, 0xCE9CCEB1CF8A, 0xCE9CCEB1CEB9:  // Μάι, Μαϊ, Μαι
            return .month(5)
        case 0x6A756E, 0x6A756E65, 0x6AC3BA6E697573,  // jun, june, június
            0xCE99CEBFCF8DCEBD, 0xCE99CEBFCEBD:  // Ιούν, Ιον
            return .month(6)
        case 0x6A756C, 0x6A756C79, 0x6AC3BA6C697573,  // jul, july, július
            0xCE99CEBFCF8DCEBB, 0xCE99CEBFCEBB:  // Ιούλ, Ιολ
            return .month(7)
        case 0x617567, 0x617567757374, 0xCE91CF8DCEB3, 0xCE91CF85CEB3:  // aug, august, Αύγ, Αυγ
            return .month(8)
        case 0x736570, 0x73657074, 0xCEA3CEB5CF80:  // sep, sept, Σεπ
            return .month(9)
        case 0x6F6374, 0x6F63746F626572, 0x6F6B74C3B3626572, 0xCE9FCEBACF84:  // oct, october, október, Οκτ
            return .month(10)
        case 0x6E6F76, 0x6E6F76656D626572, 0xCE9DCEBFCEAD, 0xCE9DCEBFCEB5:  // nov, november, Νοέ, Νοε
            return .month(11)
        case 0x646563, 0x646563656D626572, 0xCE94CEB5CEBA:  // dec, december, Δεκ
            return .month(12)

        // Weekdays: English and Greek.
        case 0x6D6F6E, 0x6D6F6E646179,  // mon, monday
            0x747565, 0x74756573, 0x74756573646179,  // tue, tues, tuesday
            0x776564, 0x77656473,  // wed, weds
            0x746875, 0x74687572, 0x7468757273, 0x7468757273646179,  // thu, thur, thurs, thursday
            0x667269, 0x667269646179,  // fri, friday
            0x736174, 0x7361747572646179,  // sat, saturday
            0x73756E, 0x73756E646179,  // sun, sunday
            0xCE9ACF85CF81, 0xCE94CEB5CF85, 0xCEA4CF81CEB9, 0xCEA4CEB5CF84,  // Κυρ, Δευ, Τρι, Τετ
            0xCEA0CEB5CEBC, 0xCEA0CEB1CF81, 0xCEA3CEB1CEB2:  // Πεμ, Παρ, Σαβ
            return .weekday

        case 0x616D: return .meridiem(pm: false, korean: false)  // am
        case 0x706D: return .meridiem(pm: true, korean: false)  // pm
        case 0xEC98A4ECA084: return .meridiem(pm: false, korean: true)  // 오전
        case 0xEC98A4ED9B84: return .meridiem(pm: true, korean: true)  // 오후
        case 0x6174: return .at  // at
        case 0x657463: return .etc  // etc

        // Zones: feedparser's table (RFC 822 plus AT/ET/CT/MT/PT, MET, MEST)
        // and common unambiguous extras. CST and AST keep their North American
        // meaning; IST is India's, the one news feeds use most.
        case 0x7574, 0x757463, 0x676D74, 0x756374:  // ut, utc, gmt, uct
            return .zone(0, utcName: true)
        case 0x7A756C75, 0x776574: return zone(0)  // zulu, wet
        case 0x616474: return zone(-3)  // adt
        case 0x617374, 0x656474: return zone(-4)  // ast, edt
        case 0x657374, 0x6574, 0x636474: return zone(-5)  // est, et, cdt
        case 0x637374, 0x6374, 0x6D6474: return zone(-6)  // cst, ct, mdt
        case 0x6D7374, 0x6D74, 0x706474: return zone(-7)  // mst, mt, pdt
        case 0x707374, 0x7074, 0x616B6474: return zone(-8)  // pst, pt, akdt
        case 0x616B7374, 0x68616474: return zone(-9)  // akst, hadt
        case 0x687374, 0x68617374: return zone(-10)  // hst, hast
        case 0x6E7374: return zone(-3, 30)  // nst
        case 0x6E6474: return zone(-2, 30)  // ndt
        case 0x6D6574, 0x636574, 0x6D657A, 0x77657374, 0x627374: return zone(1)  // met, cet, mez, west, bst
        case 0x6D657374, 0x63657374, 0x6D65737A, 0x656574, 0x73617374: return zone(2)  // mest, cest, mesz, eet, sast
        case 0x65657374, 0x6D736B: return zone(3)  // eest, msk
        case 0x697374: return zone(5, 30)  // ist
        case 0x686B74, 0x736774, 0x706874, 0x61777374: return zone(8)  // hkt, sgt, pht, awst
        case 0x6A7374, 0x6B7374: return zone(9)  // jst, kst
        case 0x61637374: return zone(9, 30)  // acst
        case 0x61657374: return zone(10)  // aest
        case 0x61636474: return zone(10, 30)  // acdt
        case 0x61656474: return zone(11)  // aedt
        case 0x6E7A7374: return zone(12)  // nzst
        case 0x6E7A6474: return zone(13)  // nzdt

        default:
            return abbreviation ? .abbreviation : .other
        }
    }

    // swift-format-ignore
    /// Words of 9 to 16 bytes, lowercased: first 8 bytes, then the rest.
    private static func longWord(_ high: UInt64, _ low: UInt64) -> Word {
        switch (high, low) {
        case (0x6665627275C3A172, 0x69): return .month(2)  // februári
        case (0x61756775737A7475, 0x73): return .month(8)  // augusztus
        case (0x73657074656D6265, 0x72): return .month(9)  // september
        case (0x737A657074656D62, 0x6572): return .month(9)  // szeptember
        case (0x7765646E65736461, 0x79): return .weekday  // wednesday
        default: return .other
        }
    }
}

// MARK: - Fields

extension FeedDate {
    private struct Clock {
        var hour = 0
        var minute = 0
        var second = 0
        var nanoseconds = 0
    }

    /// h[h]:m[m][:s[s]][.fraction], or with `basic` hh[mm[ss]][.fraction].
    private static func readTime(_ c: inout Cursor, basic: Bool) -> Clock? {
        let (value, count) = c.digits(max: 6)
        return readTime(&c, first: value, count: count, basic: basic)
    }

    /// The rest of a time whose first `count` digits, `value`, are read.
    private static func readTime(_ c: inout Cursor, first value: Int, count: Int, basic: Bool) -> Clock? {
        var clock = Clock()
        var hasSeconds = false
        if c.peek == Byte.colon {
            guard count == 1 || count == 2 else { return nil }
            clock.hour = value
            c.pos += 1
            let (minute, minuteCount) = c.digits(max: 2)
            guard minuteCount > 0 else { return nil }
            clock.minute = minute
            if c.peek == Byte.colon {
                c.pos += 1
                let (second, secondCount) = c.digits(max: 2)
                guard secondCount > 0 else { return nil }
                clock.second = second
                hasSeconds = true
            }
            // "1:2:3:4" is no time.
            guard c.peek != Byte.colon else { return nil }
        } else if basic {
            switch count {
            case 2: clock.hour = value
            case 4: (clock.hour, clock.minute) = (value / 100, value % 100)
            case 6:
                (clock.hour, clock.minute, clock.second) = (value / 10000, value / 100 % 100, value % 100)
                hasSeconds = true
            default: return nil
            }
        } else {
            return nil
        }
        if hasSeconds, c.peek == Byte.dot || c.peek == Byte.comma, isDigit(c.peek(1)) {
            // Keep nanoseconds; further digits are read and dropped.
            c.pos += 1
            var scale = 100_000_000
            while isDigit(c.peek) {
                clock.nanoseconds += Int(c.peek &- Byte.zero) * scale
                scale /= 10
                c.pos += 1
            }
        }
        guard !isDigit(c.peek) else { return nil }
        return clock
    }

    /// ±h[h][:mm] or ±hhmm, in seconds east of UTC.
    private static func readOffset(_ c: inout Cursor) -> Int? {
        let sign = c.peek == Byte.minus ? -1 : 1
        c.pos += 1
        let (value, count) = c.digits(max: 4)
        var hours = value
        var minutes = 0
        switch count {
        case 1, 2:
            if c.peek == Byte.colon {
                c.pos += 1
                let (m, minuteCount) = c.digits(max: 2)
                guard minuteCount == 2 else { return nil }
                minutes = m
            }
        case 4:
            (hours, minutes) = (value / 100, value % 100)
        default:
            return nil
        }
        guard !isDigit(c.peek), hours <= 23, minutes <= 59 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// 12-hour clock to 24-hour: 12 am is midnight, 12 pm is noon.
    private static func applyMeridiem(_ clock: inout Clock, pm: Bool) -> Bool {
        guard (1...12).contains(clock.hour) else { return false }
        clock.hour = clock.hour % 12 + (pm ? 12 : 0)
        return true
    }

    private static func makeDate(days: Int, clock: Clock, offset: Int) -> Date? {
        // 24:00:00 ends the day (ISO 8601); second 60 is a leap second, which
        // POSIX time can only read as the next minute's first second.
        guard clock.minute < 60, clock.second <= 60,
            clock.hour < 24 || (clock.hour == 24 && clock.minute == 0 && clock.second == 0 && clock.nanoseconds == 0)
        else { return nil }
        let seconds = days * 86_400 + clock.hour * 3600 + clock.minute * 60 + clock.second - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(clock.nanoseconds) / 1e9)
    }
}

// MARK: - Calendar arithmetic (proleptic Gregorian)

extension FeedDate {
    /// RFC 2822's rule: 00–49 are 2000–2049, 50–99 are 1950–1999.
    private static func twoDigitYear(_ year: Int) -> Int {
        year < 50 ? 2000 + year : 1900 + year
    }

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a valid date of years 1–9999, else nil.
    private static func civilDays(_ year: Int, _ month: Int, _ day: Int) -> Int? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysInMonth(year, month)
        else { return nil }
        // Count from 1 March of year 0 so that the leap day ends the year.
        let y = month <= 2 ? year - 1 : year
        let monthFromMarch = month <= 2 ? month + 9 : month - 3
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let daysBeforeYear = 365 * y + y / 4 - y / 100 + y / 400
        // 719_468 days run from 0000-03-01 to 1970-01-01.
        return daysBeforeYear + dayOfYear - 719_468
    }

    private static func ordinalDays(_ year: Int, _ ordinal: Int) -> Int? {
        guard ordinal >= 1, ordinal <= (isLeap(year) ? 366 : 365), let first = civilDays(year, 1, 1) else { return nil }
        return first + ordinal - 1
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    private static func isoWeekdayIndex(_ days: Int) -> Int {
        ((days % 7) + 7 + 3) % 7
    }
}

// MARK: - Bytes

extension FeedDate {
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var pos = 0
        var end: Int

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            self.end = bytes.count
        }

        var atEnd: Bool { pos >= end }

        /// The byte at the cursor, or 0 (which no rule accepts) past the end.
        var peek: UInt8 { pos < end ? bytes[pos] : 0 }

        func peek(_ ahead: Int) -> UInt8 { pos + ahead < end ? bytes[pos + ahead] : 0 }

        /// Width of the space at the cursor: ASCII blanks, U+00A0, U+3000.
        var spaceWidth: Int {
            switch peek {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return 1
            case 0xC2: return peek(1) == 0xA0 ? 2 : 0
            case 0xE3: return peek(1) == 0x80 && peek(2) == 0x80 ? 3 : 0
            default: return 0
            }
        }

        mutating func skipSpaces() -> Bool {
            let start = pos
            var width = spaceWidth
            while width > 0 {
                pos += width
                width = spaceWidth
            }
            return pos > start
        }

        mutating func digits(max: Int) -> (value: Int, count: Int) {
            var value = 0
            var count = 0
            while count < max, pos < end {
                let digit = bytes[pos] &- Byte.zero
                guard digit < 10 else { break }
                // Wrapping is safe: at most 9 digits are read.
                value = value &* 10 &+ Int(digit)
                count &+= 1
                pos &+= 1
            }
            return (value, count)
        }

        mutating func consume(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
            guard peek == a, peek(1) == b, peek(2) == c else { return false }
            pos += 3
            return true
        }

        /// Drops surrounding spaces and a leading byte order mark.
        mutating func trim() {
            _ = consume(0xEF, 0xBB, 0xBF)
            _ = skipSpaces()
            while end > pos {
                let last = bytes[end - 1]
                if last == 0x20 || (0x09...0x0D).contains(last) {
                    end -= 1
                } else if last == 0xA0, end - pos >= 2, bytes[end - 2] == 0xC2 {
                    end -= 2
                } else if last == 0x80, end - pos >= 3, bytes[end - 2] == 0x80, bytes[end - 3] == 0xE3 {
                    end -= 3
                } else {
                    break
                }
            }
        }
    }

    /// ASCII bytes the grammar names.
    private enum Byte {
        static var zero: UInt8 { UInt8(ascii: "0") }
        static var plus: UInt8 { UInt8(ascii: "+") }
        static var minus: UInt8 { UInt8(ascii: "-") }
        static var colon: UInt8 { UInt8(ascii: ":") }
        static var comma: UInt8 { UInt8(ascii: ",") }
        static var dot: UInt8 { UInt8(ascii: ".") }
        static var slash: UInt8 { UInt8(ascii: "/") }
        static var openParen: UInt8 { UInt8(ascii: "(") }
        static var closeParen: UInt8 { UInt8(ascii: ")") }
        static var upperT: UInt8 { UInt8(ascii: "T") }
        static var lowerT: UInt8 { UInt8(ascii: "t") }
        static var upperW: UInt8 { UInt8(ascii: "W") }
        static var lowerW: UInt8 { UInt8(ascii: "w") }
        static var lowerA: UInt8 { UInt8(ascii: "a") }
        static var lowerZ: UInt8 { UInt8(ascii: "z") }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- Byte.zero < 10
    }

    /// ASCII letters and non-ASCII UTF-8 bytes (letters of Greek, Hungarian, Korean).
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- Byte.lowerA < 26 || byte >= 0x80
    }
}

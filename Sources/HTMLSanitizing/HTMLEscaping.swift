/// The serializer's escaping, as the HTML spec writes fragments back — except
/// that U+00A0 stays a raw character (see DESIGN.md) and a carriage return is
/// written as `&#13;`, since read back raw it would become a line feed.
enum HTMLEscaping {
    private static let amp: [UInt8] = Array("&amp;".utf8)
    private static let lt: [UInt8] = Array("&lt;".utf8)
    private static let gt: [UInt8] = Array("&gt;".utf8)
    private static let quot: [UInt8] = Array("&quot;".utf8)
    private static let cr: [UInt8] = Array("&#13;".utf8)

    /// Text: `&`, `<`, `>` escaped; NUL (which a parser drops) left out.
    static func appendText(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte <= UInt8(ascii: ">") else { continue }
            let replacement: [UInt8]?
            switch byte {
            case UInt8(ascii: "&"): replacement = amp
            case UInt8(ascii: "<"): replacement = lt
            case UInt8(ascii: ">"): replacement = gt
            case 13: replacement = cr
            case 0: replacement = []
            default: continue
            }
            if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            out.append(contentsOf: replacement!)
            runStart = index + 1
        }
        if text.count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...])) }
    }

    /// An attribute value, to be written between double quotes: `&` and `"`
    /// escaped; NUL left out.
    static func appendAttributeValue(_ value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            guard byte <= UInt8(ascii: "&") else { continue }
            let replacement: [UInt8]
            switch byte {
            case UInt8(ascii: "&"): replacement = amp
            case UInt8(ascii: "\""): replacement = quot
            case 13: replacement = cr
            case 0: replacement = []
            default: continue
            }
            if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<index])) }
            out.append(contentsOf: replacement)
            runStart = index + 1
        }
        if value.count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart...])) }
    }
}

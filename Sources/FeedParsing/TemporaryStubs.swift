import Foundation
// Temporary until Dates/ and Encoding/ land.
enum FeedDate {
    static func parse(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd"] {
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}
struct CharsetDetection {
    var encoding = "UTF-8"
    var bomLength = 0
    var warnings: [String] = []
    static func detect(prefix: some Collection<UInt8>, contentType: String?) -> CharsetDetection {
        var d = CharsetDetection()
        if Array(prefix.prefix(3)) == [0xEF, 0xBB, 0xBF] { d.bomLength = 3 }
        return d
    }
}
struct Transcoder {
    var replacements = 0
    init?(from encoding: String) { return nil }
    mutating func convert(_ chunk: UnsafeRawBufferPointer, into output: inout [UInt8]) {}
    mutating func finish(into output: inout [UInt8]) {}
}

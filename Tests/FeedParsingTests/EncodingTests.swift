import TestSupport
import Testing

@testable import FeedParsing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Helpers

/// Encodes `text` with iconv (the tests' independent encoder).
private func encoded(_ text: String, as encoding: String) -> [UInt8] {
    guard let cd = iconv_open(encoding, "UTF-8"), Int(bitPattern: cd) != -1 else {
        Issue.record("iconv cannot encode to \(encoding)")
        return []
    }
    defer { iconv_close(cd) }
    var input = Array(text.utf8).map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: input.count * 8 + 16)
    let written = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf -> Int in
            var inPtr = inBuf.baseAddress
            var inLeft = inBuf.count
            var outPtr = outBuf.baseAddress
            var outLeft = outBuf.count
            if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                Issue.record("iconv failed to encode \(text) as \(encoding)")
            }
            _ = iconv(cd, nil, nil, &outPtr, &outLeft)  // close shift states
            return outBuf.count - outLeft
        }
    }
    return output[0..<written].map { UInt8(bitPattern: $0) }
}

/// Converts `bytes` in chunks of `chunkSize` (or the given split points).
private func transcode(
    _ bytes: [UInt8], from encoding: String, chunkSize: Int = 4096
) -> (text: String, replacements: Int) {
    guard let transcoder = Transcoder(from: encoding) else {
        Issue.record("Transcoder cannot open \(encoding)")
        return ("", 0)
    }
    var output: [UInt8] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + chunkSize)
        Array(bytes[start..<end]).withUnsafeBytes { transcoder.convert($0, into: &output) }
        start = end
    }
    transcoder.finish(into: &output)
    return (String(decoding: output, as: UTF8.self), transcoder.replacements)
}

private func transcodeSplit(_ bytes: [UInt8], from encoding: String, at split: Int) -> [UInt8] {
    let transcoder = Transcoder(from: encoding)!
    var output: [UInt8] = []
    transcoder.convert(Array(bytes[..<split]), into: &output)
    transcoder.convert(Array(bytes[split...]), into: &output)
    transcoder.finish(into: &output)
    return output
}

private func detect(_ bytes: [UInt8], _ contentType: String? = nil) -> CharsetDetection {
    CharsetDetection.detect(prefix: bytes, contentType: contentType)
}

private func xml(_ label: String, _ body: String) -> String {
    "<?xml version=\"1.0\" encoding=\"\(label)\"?>\n<title>\(body)</title>\n"
}

private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

// MARK: - Byte-order marks

@Suite("Byte-order marks")
struct EncodingBOMTests {
    @Test func utf8BOM() {
        let result = detect([0xEF, 0xBB, 0xBF] + ascii("<rss/>"))
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .bom)
        #expect(result.bomLength == 3)
        #expect(result.warnings.isEmpty)
    }

    @Test func utf16LEBOM() {
        let bytes = [0xFF, 0xFE] + encoded(xml("UTF-16", "Ωμέγα"), as: "UTF-16LE")
        let result = detect(bytes)
        #expect(result.encoding == "UTF-16LE")
        #expect(result.source == .bom)
        #expect(result.bomLength == 2)
        #expect(result.warnings.isEmpty)
        #expect(transcode(Array(bytes.dropFirst(2)), from: result.encoding).text == xml("UTF-16", "Ωμέγα"))
    }

    @Test func utf16BEBOM() {
        let bytes = [0xFE, 0xFF] + encoded("<rss>中文</rss>", as: "UTF-16BE")
        let result = detect(bytes)
        #expect(result.encoding == "UTF-16BE")
        #expect(result.bomLength == 2)
        #expect(transcode(Array(bytes.dropFirst(2)), from: result.encoding).text == "<rss>中文</rss>")
    }

    @Test func utf32LEBOM() {
        let bytes = [0xFF, 0xFE, 0x00, 0x00] + encoded("<rss>😀</rss>", as: "UTF-32LE")
        let result = detect(bytes)
        #expect(result.encoding == "UTF-32LE")
        #expect(result.bomLength == 4)
        #expect(transcode(Array(bytes.dropFirst(4)), from: result.encoding).text == "<rss>😀</rss>")
    }

    @Test func utf32BEBOM() {
        let bytes = [0x00, 0x00, 0xFE, 0xFF] + encoded("<rss>😀</rss>", as: "UTF-32BE")
        let result = detect(bytes)
        #expect(result.encoding == "UTF-32BE")
        #expect(result.source == .bom)
        #expect(result.bomLength == 4)
    }

    @Test func bomBeatsHTTPAndDeclaration() {
        let bytes = [0xEF, 0xBB, 0xBF] + ascii(xml("ISO-8859-7", "x"))
        let result = detect(bytes, "application/xml; charset=koi8-r")
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .bom)
        #expect(result.warnings.count == 2)
        #expect(result.warnings.contains { $0.contains("koi8-r") })
        #expect(result.warnings.contains { $0.contains("ISO-8859-7") })
    }

    @Test func bomAgreeingWithLabelsGivesNoWarning() {
        let bytes = [0xEF, 0xBB, 0xBF] + ascii(xml("utf-8", "x"))
        #expect(detect(bytes, "text/xml; charset=UTF8").warnings.isEmpty)
    }
}

// MARK: - Sniffing without a BOM

@Suite("Sniffing without a BOM")
struct EncodingSniffingTests {
    @Test(arguments: ["UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"])
    func unicodeWithoutBOM(encoding: String) {
        let text = xml("UTF-16", "Привет 日本語 😀")
        let bytes = encoded(text, as: encoding)
        let result = detect(bytes)
        // A UTF-32 document saying "UTF-16" is ignored (wrong width).
        #expect(result.encoding == encoding)
        #expect(result.bomLength == 0)
        #expect(transcode(bytes, from: result.encoding).text == text)
    }

    @Test func genericUTF16DeclarationTakesSniffedByteOrder() {
        let result = detect(encoded(xml("utf-16", "x"), as: "UTF-16BE"))
        #expect(result.encoding == "UTF-16BE")
        #expect(result.source == .xmlDeclaration)
        #expect(result.warnings.isEmpty)
    }

    @Test func utf16WithoutDeclarationIsSniffed() {
        let result = detect(encoded("<rss version=\"2.0\"/>", as: "UTF-16LE"))
        #expect(result.encoding == "UTF-16LE")
        #expect(result.source == .sniffed)
    }

    @Test func sniffedUTF16BeatsEightBitHTTPCharset() {
        let result = detect(encoded(xml("UTF-16", "x"), as: "UTF-16LE"), "application/xml; charset=utf-8")
        #expect(result.encoding == "UTF-16LE")
        #expect(result.warnings.contains { $0.contains("utf-8") })
    }

    @Test func ebcdicWithDeclaration() {
        let text = xml("IBM500", "Grüße [x]")
        let bytes = encoded(text, as: "IBM500")
        #expect(Array(bytes.prefix(4)) == [0x4C, 0x6F, 0xA7, 0x94])
        let result = detect(bytes)
        #expect(result.encoding == "IBM500")
        #expect(result.source == .xmlDeclaration)
        #expect(transcode(bytes, from: result.encoding).text == text)
    }

    @Test func ebcdicWithoutEncodingIsCodePage37() {
        let text = "<?xml version=\"1.0\"?><rss>Grüße</rss>"
        let result = detect(encoded(text, as: "IBM037"))
        #expect(result.encoding == "IBM037")
        #expect(result.source == .sniffed)
    }

    @Test func ebcdicIgnoresASCIIOnlyLabel() {
        let result = detect(encoded(xml("utf-8", "x"), as: "IBM037"), "text/xml; charset=utf-8")
        #expect(result.encoding == "IBM037")
        #expect(result.warnings.count == 2)
    }

    @Test func declarationSayingUTF16OnEightBitDocumentIsIgnored() {
        let result = detect(ascii(xml("UTF-16", "x")))
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .default)
        #expect(result.warnings.count == 1)
    }

    @Test func unusualUCS4OrderIsReported() {
        let result = detect([0x00, 0x00, 0x3C, 0x00, 0x00, 0x00, 0x3F, 0x00])
        #expect(result.encoding == "UTF-8")
        #expect(!result.warnings.isEmpty)
    }

    @Test func emptyInputDefaultsToUTF8() {
        let result = detect([])
        #expect(
            result
                == CharsetDetection(
                    encoding: "UTF-8", source: .default, bomLength: 0, warnings: [],
                    declaredEncoding: nil, httpCharset: nil))
    }
}

// MARK: - Aliases, round-tripped through real bytes

struct EncodingAliasCase: Sendable, CustomTestStringConvertible {
    var label: String
    var encoder: String
    var sample: String
    var expected: String
    var testDescription: String { "\(label) → \(expected)" }
    init(_ label: String, _ encoder: String, _ sample: String, _ expected: String) {
        (self.label, self.encoder, self.sample, self.expected) = (label, encoder, sample, expected)
    }
}

private let aliasCases: [EncodingAliasCase] = [
    EncodingAliasCase("KOI8-R", "KOI8-R", "Привет", "KOI8-R"),
    EncodingAliasCase("koi8-u", "KOI8-U", "Привіт ґ", "KOI8-U"),
    EncodingAliasCase("cskoi8r", "KOI8-R", "Привет", "KOI8-R"),
    EncodingAliasCase("Shift_JIS", "SHIFT_JIS", "日本語", "CP932"),
    EncodingAliasCase("sjis", "SHIFT_JIS", "日本語", "CP932"),
    EncodingAliasCase("x-sjis", "SHIFT_JIS", "日本語", "CP932"),
    EncodingAliasCase("MS_Kanji", "SHIFT_JIS", "日本語", "CP932"),
    EncodingAliasCase("windows-31j", "CP932", "日本語①", "CP932"),
    EncodingAliasCase("EUC-JP", "EUC-JP", "日本語", "EUC-JP"),
    EncodingAliasCase("ISO-2022-JP", "ISO-2022-JP", "日本語", "ISO-2022-JP"),
    EncodingAliasCase("GB2312", "GB2312", "中文", "GB18030"),
    EncodingAliasCase("gbk", "GBK", "中文", "GB18030"),
    EncodingAliasCase("x-gbk", "GBK", "中文", "GB18030"),
    EncodingAliasCase("GB18030", "GB18030", "中文 😀", "GB18030"),
    EncodingAliasCase("Big5", "BIG5", "中文", "BIG5-HKSCS"),
    EncodingAliasCase("big5-hkscs", "BIG5-HKSCS", "中文", "BIG5-HKSCS"),
    EncodingAliasCase("EUC-KR", "EUC-KR", "한국어", "CP949"),
    EncodingAliasCase("ks_c_5601-1987", "EUC-KR", "한국어", "CP949"),
    EncodingAliasCase("ISO-8859-1", "ISO-8859-1", "café", "WINDOWS-1252"),
    EncodingAliasCase("latin-1", "ISO-8859-1", "café", "WINDOWS-1252"),
    EncodingAliasCase("ISO_8859-1:1987", "ISO-8859-1", "café", "WINDOWS-1252"),
    EncodingAliasCase("ISO-8859-2", "ISO-8859-2", "Łódź", "ISO-8859-2"),
    EncodingAliasCase("latin3", "ISO-8859-3", "Ħal Ġ", "ISO-8859-3"),
    EncodingAliasCase("iso-8859-4", "ISO-8859-4", "ĀĒĪ", "ISO-8859-4"),
    EncodingAliasCase("ISO-8859-5", "ISO-8859-5", "Привет", "ISO-8859-5"),
    EncodingAliasCase("ISO-8859-6", "ISO-8859-6", "مرحبا", "ISO-8859-6"),
    EncodingAliasCase("ISO-8859-7", "ISO-8859-7", "Ωμέγα", "ISO-8859-7"),
    EncodingAliasCase("ISO-8859-8", "ISO-8859-8", "שלום", "ISO-8859-8"),
    EncodingAliasCase("latin5", "ISO-8859-9", "İşğ", "ISO-8859-9"),
    EncodingAliasCase("ISO-8859-10", "ISO-8859-10", "ŊŦŽ", "ISO-8859-10"),
    EncodingAliasCase("ISO-8859-11", "ISO-8859-11", "สวัสดี", "CP874"),
    EncodingAliasCase("ISO-8859-13", "ISO-8859-13", "ĄČĘ", "ISO-8859-13"),
    EncodingAliasCase("ISO-8859-14", "ISO-8859-14", "Ŵŷ", "ISO-8859-14"),
    EncodingAliasCase("ISO-8859-15", "ISO-8859-15", "€ œ Ÿ", "ISO-8859-15"),
    EncodingAliasCase("iso8859-16", "ISO-8859-16", "Șț", "ISO-8859-16"),
    EncodingAliasCase("windows-1250", "WINDOWS-1250", "Łódź", "WINDOWS-1250"),
    EncodingAliasCase("cp1251", "WINDOWS-1251", "Привет", "WINDOWS-1251"),
    EncodingAliasCase("windows-1252", "WINDOWS-1252", "€ “quotes”", "WINDOWS-1252"),
    EncodingAliasCase("x-cp1253", "WINDOWS-1253", "Ωμέγα", "WINDOWS-1253"),
    EncodingAliasCase("windows-1254", "WINDOWS-1254", "İşğ", "WINDOWS-1254"),
    EncodingAliasCase("windows-1255", "WINDOWS-1255", "שלום", "WINDOWS-1255"),
    EncodingAliasCase("windows-1256", "WINDOWS-1256", "مرحبا", "WINDOWS-1256"),
    EncodingAliasCase("windows-1257", "WINDOWS-1257", "ĄČĘ", "WINDOWS-1257"),
    EncodingAliasCase("windows-1258", "WINDOWS-1258", "Đ ơ ư", "WINDOWS-1258"),
    EncodingAliasCase("us-ascii", "ASCII", "plain", "WINDOWS-1252"),
    EncodingAliasCase("ASCII", "ASCII", "plain", "WINDOWS-1252"),
    EncodingAliasCase("UTF-8", "UTF-8", "Ωμέγα", "UTF-8"),
    EncodingAliasCase("utf8", "UTF-8", "Ωμέγα", "UTF-8"),
    EncodingAliasCase("csUTF8", "UTF-8", "Ωμέγα", "UTF-8"),
    EncodingAliasCase("unicode-1-1-utf-8", "UTF-8", "Ωμέγα", "UTF-8"),
    EncodingAliasCase("IBM866", "IBM866", "Привет", "IBM866"),
    EncodingAliasCase("macintosh", "MACINTOSH", "café ∑", "MACINTOSH"),
    EncodingAliasCase("TIS-620", "TIS-620", "สวัสดี", "CP874"),
]

@Suite("Alias families")
struct EncodingAliasTests {
    @Test(arguments: aliasCases)
    func declarationRoundTrip(_ c: EncodingAliasCase) {
        let text = xml(c.label, c.sample)
        let bytes = encoded(text, as: c.encoder)
        let result = detect(bytes)
        #expect(result.encoding == c.expected)
        #expect(result.source == .xmlDeclaration)
        #expect(result.warnings.isEmpty)
        let decoded =
            result.isUTF8 ? String(decoding: bytes, as: UTF8.self) : transcode(bytes, from: result.encoding).text
        #expect(decoded == text)
    }

    @Test(arguments: aliasCases)
    func httpCharsetRoundTrip(_ c: EncodingAliasCase) {
        let text = "<rss><title>\(c.sample)</title></rss>"
        let bytes = encoded(text, as: c.encoder)
        let result = detect(bytes, "application/rss+xml; charset=\(c.label)")
        #expect(result.encoding == c.expected)
        #expect(result.source == .http)
        #expect(result.httpCharset == c.label)
    }

    @Test func quotesWhitespaceAndCaseInNames() {
        #expect(CharsetDetection.canonicalName(for: "  \"KOI8-r\" ") == "KOI8-R")
        #expect(CharsetDetection.canonicalName(for: "'Windows-1251'") == "WINDOWS-1251")
        #expect(CharsetDetection.canonicalName(for: "UTF_8") == "UTF-8")
        #expect(CharsetDetection.canonicalName(for: "Latin1") == "WINDOWS-1252")
        #expect(CharsetDetection.canonicalName(for: "ISO_8859-7") == "ISO-8859-7")
        #expect(CharsetDetection.canonicalName(for: "utf-16") == "UTF-16")
    }

    @Test func namesIconvKnowsPassThrough() {
        #expect(CharsetDetection.canonicalName(for: "IBM273") == "IBM273")
        #expect(CharsetDetection.canonicalName(for: "no-such-charset") == nil)
        #expect(CharsetDetection.canonicalName(for: "UTF-8//IGNORE") == nil)
        #expect(CharsetDetection.canonicalName(for: "") == nil)
    }

    @Test func everyCanonicalNameOpensInIconv() {
        for name in Set(CharsetDetection.aliases.values) where name != CharsetDetection.asciiMarker {
            #expect(CharsetDetection.isSupported(name), "\(name)")
        }
    }
}

// MARK: - HTTP versus the document

@Suite("HTTP and declaration precedence")
struct EncodingPrecedenceTests {
    private let greek = encoded(xml("ISO-8859-7", "Ωμέγα"), as: "ISO-8859-7")

    @Test func applicationXMLCharsetBeatsDeclaration() {
        let result = detect(encoded(xml("windows-1251", "Привет"), as: "KOI8-R"), "application/xml; charset=koi8-r")
        #expect(result.encoding == "KOI8-R")
        #expect(result.source == .http)
        #expect(result.declaredEncoding == "windows-1251")
        #expect(result.warnings.count == 1)
    }

    @Test func applicationPlusXMLWithoutCharsetUsesDeclaration() {
        let result = detect(greek, "application/atom+xml")
        #expect(result.encoding == "ISO-8859-7")
        #expect(result.source == .xmlDeclaration)
    }

    @Test func textXMLWithoutCharsetUsesDeclarationNotASCII() {
        let result = detect(greek, "text/xml")
        #expect(result.encoding == "ISO-8859-7")
        #expect(result.source == .xmlDeclaration)
        #expect(result.warnings.isEmpty)
    }

    @Test func textXMLCharsetBeatsDeclaration() {
        let result = detect(ascii(xml("utf-8", "plain")), "text/xml; charset=ISO-8859-1")
        #expect(result.encoding == "WINDOWS-1252")
        #expect(result.source == .http)
        #expect(result.warnings.count == 1)
    }

    @Test func textPlusXMLCountsAsXML() {
        let result = detect(greek, "text/rss+xml; charset=iso-8859-7")
        #expect(result.encoding == "ISO-8859-7")
        #expect(result.source == .http)
    }

    @Test func nonXMLTextTypeCharsetIsUsed() {
        let bytes = encoded("<rss><title>Привет</title></rss>", as: "WINDOWS-1251")
        let result = detect(bytes, "text/html; charset=windows-1251")
        #expect(result.encoding == "WINDOWS-1251")
        #expect(result.source == .http)
    }

    @Test func textPlainWithoutCharsetDefaultsToUTF8AndIsFlagged() {
        let result = detect(ascii("<rss/>"), "text/plain")
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .default)
        #expect(result.warnings == ["served as text/plain, which is not an XML media type"])
    }

    @Test func otherMediaTypeCharsetIsIgnored() {
        let result = detect(ascii("<rss/>"), "application/octet-stream; charset=koi8-r")
        #expect(result.encoding == "UTF-8")
        #expect(result.warnings.count == 1)
        let withDeclaration = detect(greek, "application/octet-stream; charset=koi8-r")
        #expect(withDeclaration.encoding == "ISO-8859-7")
        // A charset that agrees anyway is not worth a warning (JSON Feed).
        #expect(detect(ascii("{\"version\": 1}"), "application/feed+json; charset=utf-8").warnings.isEmpty)
    }

    @Test func noContentTypeUsesDeclaration() {
        #expect(detect(greek, nil).encoding == "ISO-8859-7")
        #expect(detect(greek, "").encoding == "ISO-8859-7")
    }

    @Test func httpUTF8ThatDoesNotDecodeFallsBackToDeclaration() {
        // feedparser tries the declaration when the HTTP charset fails.
        let result = detect(greek, "application/xml; charset=utf-8")
        #expect(result.encoding == "ISO-8859-7")
        #expect(result.source == .xmlDeclaration)
        #expect(result.warnings.count == 1)
    }

    @Test func httpUTF8ThatDecodesWins() {
        let result = detect(ascii(xml("ISO-8859-7", "plain")), "application/xml; charset=utf-8")
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .http)
        #expect(result.warnings.count == 1)
    }

    @Test func declarationThatDoesNotDecodeButIsValidUTF8() {
        let result = detect(ascii(xml("EUC-JP", "€")))
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .sniffed)
        #expect(result.warnings.count == 1)
    }

    @Test func httpASCIIYieldsToDeclaration() {
        let result = detect(ascii(xml("utf-8", "Ωμέγα")), "text/xml; charset=us-ascii")
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .xmlDeclaration)
        #expect(result.warnings.count == 1)
    }

    @Test func httpASCIIAloneIsWindows1252() {
        let result = detect([0x3C, 0x72, 0x3E, 0x93, 0x94], "text/xml; charset=\"us-ascii\"")
        #expect(result.encoding == "WINDOWS-1252")
        #expect(result.source == .http)
    }

    @Test func contentTypeParameterSyntax() {
        let parsed = CharsetDetection.parseContentType(" Application/RSS+XML ; q=1; Charset = \"KOI8-R\" ")
        #expect(parsed.mediaType == "application/rss+xml")
        #expect(parsed.charset == "KOI8-R")
        #expect(CharsetDetection.parseContentType("text/xml").charset == nil)
        #expect(detect(ascii("<rss/>"), "TEXT/XML;CHARSET=windows-1251").encoding == "WINDOWS-1251")
    }

    @Test func unknownHTTPCharsetFallsBackToDeclaration() {
        let result = detect(greek, "application/xml; charset=x-bogus")
        #expect(result.encoding == "ISO-8859-7")
        #expect(result.warnings.count == 1)
        #expect(result.warnings[0].contains("x-bogus"))
    }

    @Test func unknownDeclarationFallsBackToUTF8WithWarning() {
        let result = detect(ascii(xml("klingon-8", "x")))
        #expect(result.encoding == "UTF-8")
        #expect(result.source == .default)
        #expect(result.warnings == ["XML declaration \"klingon-8\" is not a known encoding"])
    }

    @Test func httpUTF16OnEightBitDocumentIsIgnored() {
        let result = detect(ascii(xml("windows-1251", "x")), "application/xml; charset=utf-16")
        #expect(result.encoding == "WINDOWS-1251")
        #expect(result.source == .xmlDeclaration)
        #expect(result.warnings.count == 1)
    }

    @Test func agreeingAliasesGiveNoWarning() {
        let result = detect(ascii(xml("latin1", "x")), "text/xml; charset=windows-1252")
        #expect(result.encoding == "WINDOWS-1252")
        #expect(result.warnings.isEmpty)
    }
}

// MARK: - The XML declaration

@Suite("XML declaration")
struct EncodingDeclarationTests {
    @Test func singleQuotesNewlinesAndLeadingWhitespace() {
        let text = "\n  <?xml version='1.0'\n   encoding = 'koi8-r'\n standalone='yes' ?><rss/>"
        #expect(detect(ascii(text)).encoding == "KOI8-R")
    }

    @Test func declarationMustComeFirst() {
        #expect(detect(ascii("<rss><?xml version=\"1.0\" encoding=\"koi8-r\"?>")).source == .default)
        #expect(detect(ascii("<?xml-stylesheet encoding=\"koi8-r\"?><rss/>")).source == .default)
    }

    @Test func unterminatedDeclarationIsIgnored() {
        #expect(detect(ascii("<?xml version=\"1.0\" encoding=\"koi8-r\"")).source == .default)
        #expect(detect(ascii("<?xml version=\"1.0\" encoding=\"koi8-r?>")).source == .default)
    }

    @Test func attributeNamedLikeEncodingIsNotTaken() {
        let text = "<?xml version=\"1.0\" myencoding=\"koi8-r\" encoding=\"windows-1251\"?>"
        #expect(detect(ascii(text)).encoding == "WINDOWS-1251")
    }

    @Test func detectAcceptsAnyCollection() {
        let bytes = ascii(xml("koi8-r", "x"))
        #expect(CharsetDetection.detect(prefix: bytes[...], contentType: nil).encoding == "KOI8-R")
        #expect(CharsetDetection.detect(prefix: bytes.lazy.map { $0 }, contentType: nil).encoding == "KOI8-R")
    }
}

// MARK: - Transcoder

@Suite("Transcoder")
struct EncodingTranscoderTests {
    @Test func windows1252Quotes() {
        let bytes: [UInt8] = [0x80, 0x20, 0x93, 0x71, 0x75, 0x6F, 0x74, 0x65, 0x73, 0x94]
        let result = transcode(bytes, from: "WINDOWS-1252")
        #expect(result.text == "€ “quotes”")
        #expect(result.replacements == 0)
    }

    @Test func windows1252UndefinedBytesBecomeReplacement() {
        let result = transcode([0x41, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x42], from: "WINDOWS-1252")
        #expect(result.text == "A\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}B")
        #expect(result.replacements == 5)
    }

    @Test(arguments: ["WINDOWS-1252", "KOI8-R", "ISO-8859-7", "IBM037", "MACINTOSH", "CP874"])
    func singleByteTablesMatchIconv(encoding: String) {
        let all = (0..<256).map { UInt8($0) }
        let ours = transcode(all, from: encoding, chunkSize: 7).text.unicodeScalars
        // iconv, byte by byte, as the reference (undefined → U+FFFD).
        var reference = String.UnicodeScalarView()
        let cd = iconv_open("UTF-8", encoding)!
        defer { iconv_close(cd) }
        for byte in all {
            var input = [CChar(bitPattern: byte)]
            var output = [CChar](repeating: 0, count: 8)
            let count = input.withUnsafeMutableBufferPointer { inBuf in
                output.withUnsafeMutableBufferPointer { outBuf -> Int in
                    var inPtr = inBuf.baseAddress
                    var inLeft = 1
                    var outPtr = outBuf.baseAddress
                    var outLeft = 8
                    return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 ? -1 : 8 - outLeft
                }
            }
            if count < 0 {
                reference.append("\u{FFFD}")
            } else {
                reference.append(
                    contentsOf: String(decoding: output[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        .unicodeScalars)
            }
        }
        #expect(Array(ours) == Array(reference))
    }

    @Test(arguments: [
        ("UTF-16LE", "Ωμέγα 😀 中文"), ("UTF-16BE", "Ωμέγα 😀 中文"), ("UTF-32LE", "Ωμέγα 😀"),
        ("GB18030", "中文 😀 € Ωμέγα"), ("CP932", "日本語 ①"), ("BIG5-HKSCS", "中文 香港"),
        ("CP949", "한국어 똠"), ("EUC-JP", "日本語 ｶﾅ"), ("ISO-2022-JP", "A日本語B"), ("UTF-7", "Ωμέγα+x"),
        ("KOI8-R", "Привет"), ("WINDOWS-1255", "שָׁלוֹם"), ("WINDOWS-1258", "Việt Nam"),
    ])
    func splitAtEveryOffset(encoding: String, text: String) {
        let wrapped = "<t>" + text + "</t>"
        let bytes = encoded(wrapped, as: encoding)
        let whole = transcode(bytes, from: encoding, chunkSize: bytes.count)
        #expect(whole.replacements == 0)
        // glibc's CP1255 composes vav + holam into U+FB4B; otherwise exact.
        if encoding != "WINDOWS-1255" { #expect(whole.text == wrapped) }
        for split in 0...bytes.count {
            #expect(transcodeSplit(bytes, from: encoding, at: split) == Array(whole.text.utf8), "split at \(split)")
        }
        let byteByByte = transcode(bytes, from: encoding, chunkSize: 1)
        #expect(byteByByte.text == whole.text)
        #expect(byteByByte.replacements == 0)
    }

    @Test func invalidShiftJISIsReplacedAndConversionContinues() {
        // 0x81 0x20: lead byte with a trail that is not allowed.
        let bytes: [UInt8] = [0x41, 0x81, 0x20, 0x42] + encoded("日本", as: "CP932")
        let result = transcode(bytes, from: "CP932")
        #expect(result.text == "A\u{FFFD} B日本")
        #expect(result.replacements == 1)
    }

    @Test func truncatedSequenceAtEndIsReplaced() {
        var bytes = encoded("中文", as: "GB18030")
        bytes.removeLast()
        let result = transcode(bytes, from: "GB18030")
        #expect(result.text == "中\u{FFFD}")
        #expect(result.replacements == 1)
    }

    @Test func unpairedSurrogateInUTF16KeepsAlignment() {
        let bytes: [UInt8] = [0x41, 0x00, 0x00, 0xD8, 0x42, 0x00, 0x43]
        let result = transcode(bytes, from: "UTF-16LE", chunkSize: 3)
        #expect(result.text == "A\u{FFFD}B\u{FFFD}")
        #expect(result.replacements == 2)
    }

    @Test func invalidEUCKRTrailByte() {
        let bytes: [UInt8] = [0xB0, 0x0A, 0x41] + encoded("한", as: "EUC-KR")
        let result = transcode(bytes, from: "CP949")
        #expect(result.text.hasSuffix("A한"))
        #expect(result.replacements >= 1)
    }

    @Test func randomBytesNeverTrapAndChunkingDoesNotMatter() {
        var generator = SplitMix(seed: 42)
        for encoding in [
            "CP932", "GB18030", "BIG5-HKSCS", "UTF-16LE", "UTF-32BE", "ISO-2022-JP", "UTF-7", "EUC-JP", "CP949",
        ] {
            for _ in 0..<20 {
                let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let whole = transcode(bytes, from: encoding, chunkSize: bytes.count)
                let chunked = transcode(bytes, from: encoding, chunkSize: Int(generator.next() % 17) + 1)
                #expect(whole.text == chunked.text, "\(encoding)")
                #expect(whole.replacements == chunked.replacements, "\(encoding)")
            }
        }
    }

    @Test func unknownNamesDoNotOpen() {
        #expect(!CharsetDetection.isSupported("no-such-charset"))
        #expect(!CharsetDetection.isSupported("UTF-8//IGNORE"))
        #expect(!CharsetDetection.isSupported(""))
    }

    @Test func utf8PassesThroughUntouched() {
        let bytes: [UInt8] = [0xCE, 0xA9, 0xFF, 0x41]
        let transcoder = Transcoder(from: "utf-8")!
        var output: [UInt8] = [0x7A]
        transcoder.convert(bytes, into: &output)
        transcoder.finish(into: &output)
        #expect(output == [0x7A] + bytes)
    }

    @Test func appendsToExistingOutputAndIsReusableAfterFinish() {
        let transcoder = Transcoder(from: "SHIFT_JIS")!
        var output = Array("x".utf8)
        transcoder.convert([0x93], into: &output)  // lead byte only
        transcoder.finish(into: &output)
        transcoder.convert(encoded("日本", as: "SHIFT_JIS"), into: &output)
        transcoder.finish(into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "x\u{FFFD}日本")
        #expect(transcoder.replacements == 1)
    }

    @Test func largeInputAcrossBlocks() {
        let line = "€ “quotes” café — Привет\n"
        let text = String(repeating: line, count: 10_000)  // > 64 KiB
        let cp1251 = encoded(String(repeating: "Привет ", count: 20_000), as: "WINDOWS-1251")
        #expect(
            transcode(
                encoded(text.replacingOccurrences("Привет", ""), as: "WINDOWS-1252"), from: "WINDOWS-1252",
                chunkSize: 100_003
            ).text == text.replacingOccurrences("Привет", ""))
        #expect(
            transcode(cp1251, from: "WINDOWS-1251", chunkSize: 65_537).text
                == String(repeating: "Привет ", count: 20_000))
        let sjis = encoded(String(repeating: "日本語テキスト", count: 20_000), as: "CP932")
        #expect(transcode(sjis, from: "CP932", chunkSize: 65_537).text == String(repeating: "日本語テキスト", count: 20_000))
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

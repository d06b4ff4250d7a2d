import CLibXML2
import Foundation
import TidingsModel

/// Drives libxml2's SAX2 push parser over UTF-8 chunks and hands its events to a
/// ``FeedDocumentReader``.
///
/// Options: recovery on (keep reading after errors), no network, no DTD loading,
/// the document's encoding declaration ignored (input is already UTF-8), and
/// predefined entities substituted. Declared entities are never expanded: this
/// handler registers no entity declarations, so a billion-laughs or external-entity
/// document has nothing to expand, and ``XMLInputRepair`` has already turned every
/// unknown reference into text.
final class XMLStreamParser {
    private var context: xmlParserCtxtPtr?
    let reader: FeedDocumentReader

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    init(reader: FeedDocumentReader) {
        _ = Self.initialized
        self.reader = reader
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = { ctx, localname, prefix, uri, namespaceCount, namespaces, attributeCount, _, attributes in
            guard let ctx, let localname else { return }
            // The reader outlives the parser context (it owns it), so the events
            // borrow it without retaining and releasing it each time.
            Unmanaged<FeedDocumentReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef { reader in
                if namespaceCount > 0, let namespaces, !reader.sawRootElement {
                    // Pairs of (prefix, URI) declared on this element.
                    for i in 0..<Int(namespaceCount) {
                        if let declared = namespaces[2 * i + 1] { reader.noteDeclaredNamespace(declared) }
                    }
                }
                reader.startElement(
                    localname: localname, prefix: prefix, uri: uri,
                    attributes: Attributes(base: attributes, count: Int(attributeCount)))
            }
        }
        sax.endElementNs = { ctx, _, _, _ in
            guard let ctx else { return }
            Unmanaged<FeedDocumentReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.endElement() }
        }
        let characters: charactersSAXFunc = { ctx, bytes, length in
            guard let ctx, let bytes, length > 0 else { return }
            Unmanaged<FeedDocumentReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.characters(bytes, count: Int(length))
            }
        }
        // Installed by the reader while it collects an element's text; none at first.
        reader.textHandler = characters
        sax.serror = { ctx, error in
            guard let ctx, let error else { return }
            let reader = Unmanaged<FeedDocumentReader>.fromOpaque(ctx).takeUnretainedValue()
            let e = error.pointee
            if reader.stopsAtFirstError
                && (e.level.rawValue >= XML_ERR_ERROR.rawValue || e.code == Int32(XML_WAR_UNDECLARED_ENTITY.rawValue))
            {
                reader.abandonOptimisticRead()
                return
            }
            if e.code == Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue) {
                reader.noteMismatchedEndTag(e.str2.map { String(cString: $0) })
            }
            guard e.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            // The document's encoding declaration is not libxml2's business here: the
            // input was converted to UTF-8 already, and encoding problems are reported
            // by the encoding stage.
            let encodingErrors: Set<Int32> = [
                Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue), Int32(XML_ERR_ENCODING_NAME.rawValue),
                Int32(XML_ERR_UNKNOWN_ENCODING.rawValue),
            ]
            if encodingErrors.contains(e.code) { return }
            let message = e.message.map { String(cString: $0) } ?? "XML error \(e.code)"
            reader.warnings.add(
                String(message.trimmingASCIIWhitespace()), line: e.line > 0 ? Int(e.line) : nil)
        }
        let userData = Unmanaged.passUnretained(reader).toOpaque()
        context = xmlCreatePushParserCtxt(&sax, userData, nil, 0, nil)
        if let context {
            let options =
                XML_PARSE_RECOVER.rawValue | XML_PARSE_NOENT.rawValue | XML_PARSE_NONET.rawValue
                | XML_PARSE_IGNORE_ENC.rawValue
            xmlCtxtUseOptions(context, Int32(options))
            xmlSwitchEncoding(context, XML_CHAR_ENCODING_UTF8)
            reader.parserContext = context
        }
    }

    deinit {
        reader.parserContext = nil
        if let context { xmlFreeParserCtxt(context) }
    }

    /// Parses the next chunk of UTF-8 input; `final` ends the document.
    func push(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) {
        guard let context else { return }
        bytes.withMemoryRebound(to: CChar.self) { chars in
            _ = xmlParseChunk(context, chars.baseAddress, Int32(chars.count), final ? 1 : 0)
        }
    }
}

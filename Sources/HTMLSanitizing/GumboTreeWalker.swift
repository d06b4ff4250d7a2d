import CGumbo

/// Parses a fragment with gumbo (the HTML5 fragment algorithm, context `<div>`)
/// and walks the tree without recursion, so that no nesting depth can exhaust
/// the stack.
enum GumboTreeWalker {
    private static let irregularFlags: UInt32 =
        GUMBO_INSERTION_RECONSTRUCTED_FORMATTING_ELEMENT.rawValue | GUMBO_INSERTION_ADOPTION_AGENCY_CLONED.rawValue
        | GUMBO_INSERTION_ADOPTION_AGENCY_MOVED.rawValue | GUMBO_INSERTION_FOSTER_PARENTED.rawValue

    static func walk<Sink: FragmentSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        // gumbo wants a pointer even for empty input, and stops at nothing: the
        // length bounds it.
        var empty: UInt8 = 0
        let start = bytes.baseAddress ?? withUnsafeMutablePointer(to: &empty) { UnsafePointer($0) }
        // The arena's blocks come zeroed, which gumbo's fragment parse relies on for
        // the document's quirks mode (see CGumbo/shim.h).
        var arena = TidingsArena()
        tidings_arena_init(&arena, max(65_536, bytes.count * 3))
        defer { tidings_arena_release(&arena) }
        let output = start.withMemoryRebound(to: CChar.self, capacity: max(bytes.count, 1)) {
            tidings_gumbo_parse_fragment($0, bytes.count, &arena)
        }
        guard let output, let root = output.pointee.root else { return }

        var attributes: [RawAttribute] = []
        var nameBuffer = [UInt8](repeating: 0, count: 64)
        // (children vector, next index) per open element, root first.
        var stack: [(children: GumboVector, next: Int)] = [(root.pointee.v.element.children, 0)]
        while !stack.isEmpty {
            if sink.isFinished { return }
            let top = stack.count - 1
            let (children, next) = stack[top]
            guard next < Int(children.length) else {
                stack.removeLast()
                if !stack.isEmpty { sink.endElement() }
                continue
            }
            stack[top].next = next + 1
            let node = children.data[next]!.assumingMemoryBound(to: GumboNode.self)
            if next + 1 < Int(children.length) {
                // Content foster-parented out of a table sits just before it,
                // though it came after the table's start tag (gumbo 0.10 does
                // not flag it).
                let sibling = children.data[next + 1]!.assumingMemoryBound(to: GumboNode.self)
                if sibling.pointee.type == GUMBO_NODE_ELEMENT && sibling.pointee.v.element.tag == GUMBO_TAG_TABLE
                    && startOffset(node) > sibling.pointee.v.element.start_pos.offset
                {
                    sink.noteIrregularTree()
                }
            }
            switch node.pointee.type {
            case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE:
                let element = node.pointee.v.element
                attributes.removeAll(keepingCapacity: true)
                for index in 0..<Int(element.attributes.length) {
                    let attribute = element.attributes.data[index]!.assumingMemoryBound(to: GumboAttribute.self)
                    attributes.append(
                        RawAttribute(
                            name: cStringBuffer(attribute.pointee.name), value: cStringBuffer(attribute.pointee.value)))
                }
                let descend = withElementName(element, buffer: &nameBuffer) { tag, name in
                    attributes.withUnsafeBufferPointer { attributeBuffer in
                        sink.startElement(
                            ElementToken(
                                tag: tag, name: name, isHTML: element.tag_namespace == GUMBO_NAMESPACE_HTML,
                                attributes: attributeBuffer,
                                irregular: node.pointee.parse_flags.rawValue & irregularFlags != 0))
                    }
                }
                if descend { stack.append((element.children, 0)) }
            case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA:
                sink.text(cStringBuffer(node.pointee.v.text.text), isChecked: false)
            default:
                continue  // comments; documents do not occur below the root
            }
        }
    }

    private static func startOffset(_ node: UnsafeMutablePointer<GumboNode>) -> UInt32 {
        switch node.pointee.type {
        case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE: return node.pointee.v.element.start_pos.offset
        default: return node.pointee.v.text.start_pos.offset
        }
    }

    private static func cStringBuffer(_ string: UnsafePointer<CChar>?) -> UnsafeBufferPointer<UInt8> {
        guard let string else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(
            start: UnsafeRawPointer(string).assumingMemoryBound(to: UInt8.self), count: strlen(string))
    }

    /// Calls `body` with the element's tag and lowercase name.
    private static func withElementName<R>(
        _ element: GumboElement, buffer: inout [UInt8], _ body: (ElementTag, UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        if element.tag != GUMBO_TAG_UNKNOWN {
            let tag = ElementTag(element.tag)
            return body(tag, tag.name)
        }
        var piece = element.original_tag
        gumbo_tag_from_original_text(&piece)
        let count = min(piece.length, 1 << 16)
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        if let data = piece.data {
            let source = UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self)
            for index in 0..<count {
                let byte = source[index]
                buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            }
        }
        return buffer.withUnsafeBufferPointer { all in
            let name = UnsafeBufferPointer(rebasing: all[0..<count])
            return body(ElementTag.lookup(name) == .picture ? .picture : .unknown, name)
        }
    }
}

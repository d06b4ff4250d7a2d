import CLibXML2

/// The attributes libxml2 passes to a SAX2 start-element event: five pointers each
/// (local name, prefix, URI, value start, value end), read without copying.
struct Attributes: Sequence {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    struct Attribute {
        let localname: UnsafePointer<UInt8>
        let prefix: UnsafePointer<UInt8>?
        let uri: UnsafePointer<UInt8>?
        let valueBytes: UnsafeBufferPointer<UInt8>

        var value: String { String(decoding: valueBytes, as: UTF8.self) }

        var isXMLNamespace: Bool {
            guard let prefix else { return false }
            return prefix[0] == UInt8(ascii: "x") && prefix[1] == UInt8(ascii: "m") && prefix[2] == UInt8(ascii: "l")
                && prefix[3] == 0
        }

        func localnameEquals(_ name: StaticString) -> Bool {
            strcmp(localname, name.utf8Start) == 0
        }
    }

    struct Iterator: IteratorProtocol {
        let attributes: Attributes
        var index = 0
        mutating func next() -> Attribute? {
            guard index < attributes.count else { return nil }
            defer { index += 1 }
            return attributes[index]
        }
    }

    func makeIterator() -> Iterator { Iterator(attributes: self) }

    subscript(index: Int) -> Attribute {
        let p = base! + index * 5
        let start = p[3]!
        let end = p[4]!
        return Attribute(
            localname: p[0]!, prefix: p[1], uri: p[2], valueBytes: UnsafeBufferPointer(start: start, count: end - start)
        )
    }

    /// The value of the first attribute with this local name (any prefix but `xml`).
    func value(named name: StaticString) -> String? {
        for i in 0..<count {
            let p = base! + i * 5
            if strcmp(p[0]!, name.utf8Start) == 0 { return self[i].value }
        }
        return nil
    }
}

private func strcmp(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>) -> Int32 {
    a.withMemoryRebound(to: CChar.self, capacity: 1) { ca in
        b.withMemoryRebound(to: CChar.self, capacity: 1) { cb in CLibXML2.strcmp(ca, cb) }
    }
}

extension Sequence {
    /// One element per key: the last element with that key, at the place of the first.
    ///
    /// How a list that names a thing twice is read throughout Tidings: a feed listed
    /// twice in the configuration, an entry repeated in one document.
    public func lastPerKey<Key: Hashable>(_ key: (Element) -> Key) -> [Element] {
        var order: [Key] = []
        var latest: [Key: Element] = [:]
        for element in self {
            let name = key(element)
            if latest.updateValue(element, forKey: name) == nil { order.append(name) }
        }
        return order.map { latest[$0]! }
    }
}

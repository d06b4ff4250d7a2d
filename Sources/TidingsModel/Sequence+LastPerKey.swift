extension Sequence {
    /// One element per key: the last element with that key, at the place of the first.
    ///
    /// How a list that names a thing twice is read throughout Tidings: a feed listed
    /// twice in the configuration, an entry repeated in one document.
    ///
    /// Elements are not copied when no key repeats (the usual case: entries are large
    /// structs, and a sync reads every document's entries through this).
    @inlinable
    public func lastPerKey<Key: Hashable>(_ key: (Element) -> Key) -> [Element] {
        let elements = Array(self)
        var slot: [Key: Int] = [:]
        slot.reserveCapacity(elements.count)
        var chosen: [Int] = []
        chosen.reserveCapacity(elements.count)
        for index in elements.indices {
            let name = key(elements[index])
            // One lookup for a new key (keys are long strings: hashing is the cost);
            // a repeated one, rare, puts its first place back.
            if let place = slot.updateValue(chosen.count, forKey: name) {
                slot[name] = place
                chosen[place] = index
            } else {
                chosen.append(index)
            }
        }
        if chosen.count == elements.count { return elements }
        return chosen.map { elements[$0] }
    }
}

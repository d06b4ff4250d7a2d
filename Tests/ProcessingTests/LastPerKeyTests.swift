import TestSupport
import Testing
import TidingsModel

@Suite("lastPerKey")
struct LastPerKeyTests {
    /// The rule spelled out: keys in order of first appearance, each with its last element.
    func reference(_ pairs: [(key: Int, value: Int)]) -> [(key: Int, value: Int)] {
        var keys: [Int] = []
        for pair in pairs where !keys.contains(pair.key) { keys.append(pair.key) }
        return keys.map { key in pairs.last { $0.key == key }! }
    }

    @Test("The last element of each key, at the place of the first")
    func lastAtFirstPlace() {
        let pairs = [
            (key: 1, value: 10), (key: 2, value: 20), (key: 1, value: 11), (key: 3, value: 30), (key: 2, value: 21),
        ]
        let result = pairs.lastPerKey { $0.key }
        #expect(result.map(\.key) == [1, 2, 3])
        #expect(result.map(\.value) == [11, 21, 30])
        #expect([(key: Int, value: Int)]().lastPerKey { $0.key }.isEmpty)
    }

    @Test("Random lists agree with the rule, with and without repeated keys")
    func randomLists() {
        var random = SplitMix(seed: 0x9E37_79B9_7F4A_7C15)
        func next(_ bound: Int) -> Int { random.below(bound) }
        for round in 0..<500 {
            let count = next(40)
            // Half the rounds draw from few keys (repeats), half from many (mostly none).
            let keys = round % 2 == 0 ? 8 : 1_000_000
            let pairs = (0..<count).map { (key: next(keys), value: $0) }
            let result = pairs.lastPerKey { $0.key }
            let expected = reference(pairs)
            #expect(result.map(\.key) == expected.map(\.key))
            #expect(result.map(\.value) == expected.map(\.value))
        }
        // A sequence that is not an array.
        #expect((0..<10).lastPerKey { $0 % 3 } == [9, 7, 8])
    }
}

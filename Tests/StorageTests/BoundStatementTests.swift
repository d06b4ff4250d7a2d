import GRDB
import Testing

@testable import Storage

@Suite("BoundStatement")
struct BoundStatementTests {
    @Test("Texts bound in place reach SQLite as they are, empty and nil included, and are unbound after")
    func textsInPlace() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            let texts: [String?] = ["plain", "", nil, "caf\u{E9} \u{1F600}", String(repeating: "long ", count: 500)]
            let select = try BoundStatement(db, sql: "SELECT ?1, ?2, ?3, ?4, ?5, typeof(?2), typeof(?3)")
            var row: [String?] = []
            try select.withTexts(texts.enumerated().map { (Int32($0.offset + 1), $0.element) }) {
                try select.forEachRow { columns in row = (0..<7).map { columns.string(Int32($0)) } }
            }
            #expect(Array(row[0..<5]) == texts)
            #expect(row[5] == "text" && row[6] == "null")
            // Unbound afterwards: nothing points into the freed buffer.
            var after: [String?] = []
            try select.forEachRow { columns in after = (0..<5).map { columns.string(Int32($0)) } }
            #expect(after == [nil, nil, nil, nil, nil])
        }
    }
}

import DevPayXML
import Testing

@Suite("XML reader: the tree it builds")
struct XMLReaderTreeTests {
    let reader = XMLReader()

    func read(_ text: String) throws -> XMLTreeElement {
        try reader.read(Array(text.utf8))
    }

    @Test("elements are found by local name in the 2008 namespace, the 2007 namespace, none, or behind a prefix")
    func localNamesInAnyNamespace() throws {
        let documents = [
            #"<R xmlns="http://ls.amazonaws.com/doc/2008-04-28/"><V>1</V></R>"#,
            #"<R xmlns="http://ls.amazonaws.com/doc/2007-06-05/"><V>1</V></R>"#,
            #"<R><V>1</V></R>"#,
            #"<ls:R xmlns:ls="urn:x"><ls:V>1</ls:V></ls:R>"#,
        ]
        for document in documents {
            let root = try read(document)
            #expect(root.localName == "R")
            #expect(root.child("V")?.text == "1")
        }
        #expect(try read(documents[0]).namespaceURI == "http://ls.amazonaws.com/doc/2008-04-28/")
        #expect(try read(documents[1]).child("V")?.namespaceURI == "http://ls.amazonaws.com/doc/2007-06-05/")
        #expect(try read(documents[2]).namespaceURI == nil)
    }

    @Test("white space around a value is trimmed, white space inside it is kept")
    func whitespaceTrimmed() throws {
        let root = try read("<a><b>\n     {UserToken}AAA/B+C=\n   </b><c>\t two  words \r\n</c><d>   </d></a>")
        #expect(root.child("b")?.text == "{UserToken}AAA/B+C=")
        #expect(root.child("c")?.text == "two  words")
        #expect(root.child("d")?.text == "")
        #expect(root.text == "")
    }

    @Test("repeated elements are all kept in document order")
    func repeatedElements() throws {
        let root = try read("<E><Error><Code>A</Code></Error><Error><Code>B</Code></Error><Other/></E>")
        #expect(root.children("Error").compactMap { $0.child("Code")?.text } == ["A", "B"])
        #expect(root.children.count == 3)
    }

    @Test("either spelling of a renamed element is found")
    func eitherSpelling() throws {
        #expect(try read("<r><RequestId>x</RequestId></r>").child(anyOf: "RequestId", "RequestID")?.text == "x")
        #expect(try read("<r><RequestID>y</RequestID></r>").child(anyOf: "RequestId", "RequestID")?.text == "y")
    }

    @Test("a path of local names walks down the tree, and a missing step gives nil")
    func pathLookup() throws {
        let root = try read("<a><b><c>deep</c></b></a>")
        #expect(root.child(at: "b", "c")?.text == "deep")
        #expect(root.child(at: "b", "x") == nil)
    }

    @Test("predefined entities, character references and CDATA become text")
    func predefinedEntitiesAndCDATA() throws {
        let root = try read("<a><b>&lt;&amp;&gt;&quot;&apos;&#x41;&#66;</b><c><![CDATA[ <raw> & ]]></c></a>")
        #expect(root.child("b")?.text == "<&>\"'AB")
        #expect(root.child("c")?.text == "<raw> &")
    }

    @Test("a declared ISO-8859-1 document arrives as UTF-8 text")
    func declaredEncoding() throws {
        let bytes: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf".utf8) + [0xE9] + Array("</a>".utf8)
        #expect(try reader.read(bytes).text == "café")
    }

    @Test("many documents parse at the same time on several tasks")
    func concurrentReads() async throws {
        let texts = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<64 {
                group.addTask { try XMLReader().read(Array("<a><b> \(index) </b></a>".utf8)).child("b")?.text ?? "" }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(texts == Set((0..<64).map(String.init)))
    }
}

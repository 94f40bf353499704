import DevPayStateMachine
import Foundation
import DevPayXML
import PropertyBased
import Testing

@Suite("XML reader: random documents read back as the tree they were written from")
struct XMLReaderRoundTripTests {
    @Test("any tree, serialised with escapes, CDATA, prefixes and stray white space, reads back the same")
    func roundTrip() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var random = DevPayStateMachine.SeededRandomNumberGenerator(seed: UInt64(seed))
            let tree = RandomTree.element(depth: 0, random: &random)
            let document = RandomTree.serialise(tree, random: &random)
            let read = try? XMLReader().read(Array(document.utf8))
            #expect(read == tree, "seed \(seed): \(document)")
        }
    }
}

/// Random trees of the kind service answers are: leaves hold text, inner elements hold only children.
private enum RandomTree {
    static let names = ["UserToken", "Code", "Error", "a", "B-c", "d.e", "_f", "Ünïcode"]
    static let textCharacters = Array("AZaz09 +/={}<>&\"'é€\t\n")

    static func element(depth: Int, random: inout DevPayStateMachine.SeededRandomNumberGenerator) -> XMLTreeElement {
        let name = names.randomElement(using: &random)!
        let namespace = Bool.random(using: &random) ? "urn:devpay:\(Int.random(in: 0...2, using: &random))" : nil
        if depth >= 4 || Int.random(in: 0...2, using: &random) == 0 {
            let length = Int.random(in: 0...12, using: &random)
            let raw = String((0..<length).map { _ in textCharacters.randomElement(using: &random)! })
            return XMLTreeElement(localName: name, namespaceURI: namespace, text: trimmed(raw))
        }
        let children = (0..<Int.random(in: 0...4, using: &random)).map { _ in element(depth: depth + 1, random: &random) }
        return XMLTreeElement(localName: name, namespaceURI: namespace, children: children)
    }

    static func serialise(_ element: XMLTreeElement, random: inout DevPayStateMachine.SeededRandomNumberGenerator) -> String {
        let prefix = element.namespaceURI != nil && Bool.random(using: &random) ? "p:" : ""
        let declaration = element.namespaceURI.map { prefix.isEmpty ? " xmlns=\"\($0)\"" : " xmlns:p=\"\($0)\"" } ?? " xmlns=\"\""
        let padding = [" ", "\n  ", "\t", ""].randomElement(using: &random)!
        var body = ""
        if element.children.isEmpty {
            body = Bool.random(using: &random) && !element.text.contains("]]>")
                ? "<![CDATA[\(element.text)]]>"
                : escaped(element.text)
        } else {
            body = element.children.map { padding + serialise($0, random: &random) }.joined() + padding
        }
        return "<\(prefix)\(element.localName)\(declaration)>\(padding)\(body)\(padding)</\(prefix)\(element.localName)>"
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\t", with: "&#9;")
    }

    static func trimmed(_ text: String) -> String {
        let space: Set<Character> = [" ", "\t", "\n", "\r"]
        return String(text.drop { space.contains($0) }.reversed().drop { space.contains($0) }.reversed())
    }
}

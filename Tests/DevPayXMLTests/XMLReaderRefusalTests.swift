import DevPayXML
import Testing

@Suite("XML reader: malformed, truncated and oversized input")
struct XMLReaderRefusalTests {
    let sample = """
        <?xml version="1.0"?>
        <ErrorResponse xmlns="http://ls.amazonaws.com/doc/2008-04-28/">
          <Error><Type>Sender</Type><Code>ExpiredActivationKey</Code><Message>expired</Message></Error>
          <RequestID>e1b0a0f0</RequestID>
        </ErrorResponse>
        """

    func readError(_ bytes: [UInt8], limits: XMLReadLimits = XMLReadLimits()) -> XMLReadError? {
        do {
            _ = try XMLReader(limits: limits).read(bytes)
            return nil
        } catch {
            return error
        }
    }

    func readError(_ text: String, limits: XMLReadLimits = XMLReadLimits()) -> XMLReadError? {
        readError(Array(text.utf8), limits: limits)
    }

    @Test("no bytes, or only white space, is empty")
    func empty() {
        #expect(readError("") == .empty)
        #expect(readError(" \n\t\r ") == .empty)
    }

    @Test("every cut-off prefix of a good document is reported as truncated (or empty), never as a tree")
    func everyPrefixIsTruncated() {
        let bytes = Array(sample.utf8)
        for length in 0..<bytes.count {
            let error = readError(Array(bytes[..<length]))
            switch error {
            case .empty where bytes[..<length].allSatisfy({ $0 == 0x20 || $0 == 0x0A }):
                continue
            case .truncated:
                continue
            default:
                Issue.record("prefix of \(length) bytes gave \(String(describing: error))")
            }
        }
        #expect(readError(bytes) == nil)
    }

    @Test("broken documents are malformed, with libxml2's reason and position")
    func malformed() {
        let cases: [(String, Int)] = [
            ("<a></b>", 76),              // tag mismatch
            ("<a/><b/>", 5),              // two roots
            ("<a>&undeclared;</a>", 26),  // an entity nobody declared
            ("<a b='1' b='2'/>", 42),     // duplicate attribute
            ("not xml at all", 4),        // no start tag
        ]
        for (text, code) in cases {
            guard case .malformed(let problem) = readError(text) else {
                Issue.record("\(text) was not reported as malformed")
                continue
            }
            #expect(problem.code == code, "\(text): \(problem)")
            #expect(problem.line == 1)
            #expect(!problem.message.isEmpty)
        }
    }

    @Test("bytes that are not UTF-8 in a UTF-8 document are malformed")
    func invalidUTF8() {
        guard case .malformed(let problem) = readError([UInt8]("<a>".utf8) + [0x80, 0xFF] + [UInt8]("</a>".utf8)) else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(problem.code == 9)
    }

    @Test("a document over the byte cap is refused before parsing")
    func tooLarge() {
        let limits = XMLReadLimits(maximumBytes: 64)
        #expect(readError(String(repeating: " ", count: 65), limits: limits) == .tooLarge(limit: 64))
        #expect(readError("<a>" + String(repeating: "x", count: 2 << 20) + "</a>") == .tooLarge(limit: 1 << 20))
    }

    @Test("one huge text value is refused at the text limit")
    func hugeText() {
        let limits = XMLReadLimits(maximumBytes: 8 << 20, maximumTextBytes: 64 << 10)
        let huge = "<a><b>" + String(repeating: "A", count: 4 << 20) + "</b></a>"
        #expect(readError(huge, limits: limits) == .textTooLong(limit: 64 << 10))
        let cdata = "<a><![CDATA[" + String(repeating: "A", count: 1 << 20) + "]]></a>"
        #expect(readError(cdata, limits: limits) == .textTooLong(limit: 64 << 10))
    }

    @Test("deep nesting and element floods are refused at their limits")
    func depthAndCount() {
        let deep = String(repeating: "<a>", count: 1000) + String(repeating: "</a>", count: 1000)
        #expect(readError(deep) == .tooDeep(limit: 32))
        let flood = "<a>" + String(repeating: "<b/>", count: 200) + "</a>"
        #expect(readError(flood, limits: XMLReadLimits(maximumElements: 100)) == .tooManyElements(limit: 100))
    }

    @Test("error descriptions never quote element text")
    func descriptionsAreQuiet() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        let documents = [
            "<a><SecretAccessKey>\(secret)</SecretAccessKey>",
            "<a><SecretAccessKey>\(secret)</SecretAccessKey></b>",
            "<a><SecretAccessKey>\(secret)&x;</SecretAccessKey></a>",
        ]
        for document in documents {
            let description = String(describing: readError(document))
            #expect(!description.contains(secret))
            #expect(!description.contains("wJalr"))
        }
    }
}

import DevPayXML
import Foundation
import Testing

@Suite("libxml2 library info")
struct XMLLibraryInfoTests {
    @Test("libxml2 links beside Foundation and reports its version")
    func libxml2Version() {
        // Foundation is imported on purpose: this file would not compile if the ICU clash came back.
        _ = Date()
        #expect(XMLLibraryInfo.version.hasPrefix("2."))
    }
}

/// The text of the first `<name>…</name>` in `xml`, trimmed: enough to read the emulator's flat answers.
func xmlText(_ name: String, in xml: String) -> String? {
    guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
    else { return nil }
    return xml[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
}

import Foundation

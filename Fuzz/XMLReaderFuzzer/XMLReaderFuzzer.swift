import CFuzzerDriver
import DevPayXML

// SwiftPM links an executable with `main` renamed to `XMLReaderFuzzer_main`, which would hide libFuzzer's own
// `main`; this one hands the input function to libFuzzer's driver, as libFuzzer's `main` would.
@_cdecl("XMLReaderFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, xmlReaderFuzzer)
}

/// Feeds every input to the hardened XML reader with tight limits, and checks the tree it returns stays
/// within them: a crash, a leak, or a broken limit is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
func xmlReaderFuzzer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let limits = XMLReadLimits(maximumBytes: 64 << 10, maximumDepth: 8, maximumElements: 200, maximumTextBytes: 4 << 10)
    guard let root = try? XMLReader(limits: limits).read(UnsafeRawBufferPointer(start: data, count: size)) else {
        return 0
    }
    var elements = 0
    func walk(_ element: XMLTreeElement, depth: Int) {
        elements += 1
        precondition(depth <= limits.maximumDepth, "depth limit broken")
        precondition(element.text.utf8.count <= limits.maximumTextBytes, "text limit broken")
        let xmlSpace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        precondition(!(element.text.utf8.first.map(xmlSpace.contains) ?? false), "text not trimmed at the start")
        precondition(!(element.text.utf8.last.map(xmlSpace.contains) ?? false), "text not trimmed at the end")
        element.children.forEach { walk($0, depth: depth + 1) }
    }
    walk(root, depth: 1)
    precondition(elements <= limits.maximumElements, "element limit broken")
    return 0
}

import CDevPayLibXML2

/// What the libxml2 this process loaded is.
public enum XMLLibraryInfo {
    /// libxml2's version, e.g. `2.9.14`.
    public static var version: String {
        let number = Int(String(cString: devpay_xml_parser_version())) ?? 0
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }
}

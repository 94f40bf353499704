import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a SOAP 1.1 License Service request: the Body's first element names the action, its namespace the
/// API version, and its child elements are the parameters.
///
/// Parsed with Foundation's `XMLParser`, not DevPayKit's own reader, so a round trip between the client and
/// the emulator checks the envelope against a second implementation. External entities are never resolved.
struct SOAPRequestReader {
    static let envelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

    /// The action element of one request.
    struct Call {
        var action: String
        var namespace: String
        var parameters: [(name: String, value: String)]
    }

    /// The call in `body`, or the fault the License Service's common SOAP errors name.
    static func read(_ body: Data) throws(LicenseServiceFault) -> Call {
        // No request needs a DTD; refusing any DOCTYPE up front rules out entity tricks whatever the parser does.
        guard body.range(of: Data("<!DOCTYPE".utf8)) == nil else {
            throw LicenseServiceFault(code: "SoapEnvelopeParseError", message: "A SOAP request must not have a DOCTYPE.")
        }
        let collector = Collector()
        let parser = XMLParser(data: body)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        // A cut-off document can end the parse without an error: an element still open means it is not whole.
        guard parser.parse(), parser.parserError == nil, !collector.sawDocumentType, collector.stack.isEmpty,
              let root = collector.root
        else {
            throw LicenseServiceFault(code: "SoapEnvelopeParseError", message: "The SOAP envelope is not well-formed XML.")
        }
        guard root.name == "Envelope" else {
            throw LicenseServiceFault(code: "SoapEnvelopeMissing", message: "The request has no SOAP envelope.")
        }
        guard root.namespace == envelopeNamespace else {
            throw LicenseServiceFault(code: "UnknownEnvelopeNamespace",
                                      message: "The SOAP envelope namespace must be \(envelopeNamespace).")
        }
        guard let soapBody = root.children.first(where: { $0.name == "Body" && $0.namespace == envelopeNamespace }) else {
            throw LicenseServiceFault(code: "SoapBodyMissing", message: "The SOAP envelope has no Body.")
        }
        guard let call = soapBody.children.first else {
            throw LicenseServiceFault(code: "MissingSOAPRequestInfo", message: "The SOAP Body names no action.")
        }
        return Call(action: call.name, namespace: call.namespace ?? "",
                    parameters: call.children.map { ($0.name, $0.text.trimmingCharacters(in: .whitespacesAndNewlines)) })
    }

    /// One element as the parser saw it.
    final class Node {
        let name: String
        let namespace: String?
        var text = ""
        var children: [Node] = []

        init(name: String, namespace: String?) {
            self.name = name
            self.namespace = namespace
        }
    }

    /// Builds the small tree a request is.
    private final class Collector: NSObject, XMLParserDelegate {
        var root: Node?
        var stack: [Node] = []
        var sawDocumentType = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let node = Node(name: elementName, namespace: namespaceURI.flatMap { $0.isEmpty ? nil : $0 })
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        // A request never needs a DTD: refuse one outright (no entity is ever declared, let alone expanded).
        func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
            refuse(parser)
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refuse(parser)
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?,
                    systemID: String?) {
            refuse(parser)
        }

        private func refuse(_ parser: XMLParser) {
            sawDocumentType = true
            parser.abortParsing()
        }
    }
}

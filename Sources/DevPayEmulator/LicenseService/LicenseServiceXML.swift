/// The License Service's XML answers, in the documented shapes (2008-04-28 schema; the 2007-06-05 namespace
/// and `RequestId` spelling when the request asked for that version).
enum LicenseServiceXML {
    static let currentVersion = "2008-04-28"
    static let legacyVersion = "2007-06-05"

    static func namespace(version: String) -> String { "http://ls.amazonaws.com/doc/\(version)/" }

    static func success(action: String, version: String, requestID: String, result: [(String, String)]) -> String {
        let fields = result.map { "    <\($0.0)>\(HTTPAnswers.escaped($0.1))</\($0.0)>" }.joined(separator: "\n")
        return """
            <\(action)Response xmlns="\(namespace(version: version))">
              <\(action)Result>
            \(fields)
              </\(action)Result>
              <ResponseMetadata>
                <RequestId>\(requestID)</RequestId>
              </ResponseMetadata>
            </\(action)Response>
            """
    }

    static func error(_ fault: LicenseServiceFault, requestID: String, version: String = currentVersion) -> String {
        let requestIDElement = version == legacyVersion ? "RequestId" : "RequestID"
        return """
            <ErrorResponse xmlns="\(namespace(version: version))">
              <Error>
                <Type>\(fault.kind.rawValue)</Type>
                <Code>\(HTTPAnswers.escaped(fault.code))</Code>
                <Message>\(HTTPAnswers.escaped(fault.message))</Message>
                <Detail/>
              </Error>
              <\(requestIDElement)>\(requestID)</\(requestIDElement)>
            </ErrorResponse>
            """
    }

    /// `body` (an answer element) inside a SOAP 1.1 envelope.
    static func soapEnvelope(_ body: String) -> String {
        """
        <soapenv:Envelope xmlns:soapenv="\(SOAPRequestReader.envelopeNamespace)">
          <soapenv:Body>
        \(body)
          </soapenv:Body>
        </soapenv:Envelope>
        """
    }

    /// A SOAP 1.1 fault: `faultcode` is `soapenv:Client.{Code}` (or `Server.` for the service's own faults,
    /// AWS's SOAP style), `faultstring` the message, and the request id in `detail`.
    static func soapFault(_ fault: LicenseServiceFault, requestID: String) -> String {
        let faultClass = fault.kind == .receiver ? "Server" : "Client"
        return soapEnvelope("""
                <soapenv:Fault>
                  <faultcode>soapenv:\(faultClass).\(HTTPAnswers.escaped(fault.code))</faultcode>
                  <faultstring>\(HTTPAnswers.escaped(fault.message))</faultstring>
                  <detail><RequestId>\(requestID)</RequestId></detail>
                </soapenv:Fault>
            """)
    }
}

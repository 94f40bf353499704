import DevPayXML
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("XML reader: hostile entity and DTD payloads")
struct XMLReaderHostileInputTests {
    func readError(_ text: String) -> XMLReadError? {
        do {
            _ = try XMLReader().read(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test("billion laughs is refused at the DOCTYPE, before a single entity is declared")
    func billionLaughs() {
        var document = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#
        for level in 1...9 {
            document += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">"
        }
        document += "]><lolz>&lol9;</lolz>"
        #expect(readError(document) == .documentTypeForbidden)
    }

    @Test("quadratic blow-up with one long entity is refused too")
    func quadraticBlowup() {
        let document = "<!DOCTYPE r [<!ENTITY a \"" + String(repeating: "a", count: 50_000) + "\">]><r>"
            + String(repeating: "&a;", count: 10_000) + "</r>"
        #expect(readError(document) == .documentTypeForbidden)
    }

    @Test("external entities and external DTDs never read the file they name")
    func externalEntityReadsNothing() throws {
        let marker = "DEVPAY-XXE-MARKER-\(UInt64.random(in: 0...UInt64.max))"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-xxe-\(marker).txt")
        try Data(marker.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let documents = [
            "<!DOCTYPE r [<!ENTITY x SYSTEM \"\(file.absoluteString)\">]><r>&x;</r>",
            "<!DOCTYPE r [<!ENTITY % p SYSTEM \"\(file.absoluteString)\"> %p;]><r/>",
            "<!DOCTYPE r SYSTEM \"\(file.absoluteString)\"><r/>",
            "<!DOCTYPE r PUBLIC \"-//X//Y\" \"\(file.absoluteString)\"><r/>",
            "<!DOCTYPE r><r/>",
        ]
        for document in documents {
            let error = readError(document)
            #expect(error == .documentTypeForbidden, "\(document)")
            #expect(!String(describing: error).contains(marker))
        }
        // Without a DOCTYPE the entity is undeclared: a syntax error, and still no read.
        guard case .malformed(let problem) = readError("<r>&x;</r>") else {
            Issue.record("an undeclared entity was accepted")
            return
        }
        #expect(problem.code == 26)
    }

    @Test("an external DTD on a loopback HTTP server is never fetched")
    func noNetwork() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let documents = [
            "<!DOCTYPE r SYSTEM \"http://127.0.0.1:\(listener.port)/evil.dtd\"><r/>",
            "<!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:\(listener.port)/x\">]><r>&x;</r>",
        ]
        for document in documents {
            #expect(readError(document) == .documentTypeForbidden)
        }
        #expect(listener.pendingConnection() == false)
    }

    @Test("XInclude is not processed: an include element stays an empty element")
    func xincludeIgnored() throws {
        let root = try XMLReader().read(Array(
            #"<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></r>"#.utf8
        ))
        #expect(root.child("include")?.text == "")
        #expect(root.child("include")?.children.isEmpty == true)
    }
}

/// A TCP socket listening on 127.0.0.1 that only records whether anyone connected.
private struct LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    struct Failure: Error {}

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 4) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(descriptor)
            throw Failure()
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        self.descriptor = descriptor
        self.port = UInt16(bigEndian: address.sin_port)
    }

    /// Whether a client has connected since the listener opened.
    func pendingConnection() -> Bool {
        let client = accept(descriptor, nil, nil)
        if client >= 0 {
            Glibc.close(client)
            return true
        }
        return false
    }

    func close() {
        Glibc.close(descriptor)
    }
}

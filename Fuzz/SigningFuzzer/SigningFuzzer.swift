import CFuzzerDriver
import DevPaySigning

// SwiftPM renames an executable's `main` to `<Target>_main`; this one hands the input function to libFuzzer.
@_cdecl("SigningFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, signingFuzzer)
}

/// The input as a request on the wire: line 1 the method, line 2 the URL, every further line a header
/// `name:value`. Each line also goes, whole, to the parsers that read what a client claimed (SigV4
/// `Authorization` header and presigned query, ISO 8601 times, S3 host names).
///
/// Invariants: nothing traps; a URL `SigningRequest` accepts is signed by SigV4 (header and presigned) and
/// S3 SigV2 with an `Authorization` header that verifies on the server side; the SigV1 signer signs any
/// parameter list and verifies its own signature.
@_cdecl("LLVMFuzzerTestOneInput")
func signingFuzzer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let method = lines.first ?? ""
    let url = lines.count > 1 ? lines[1] : ""
    let headers = lines.dropFirst(2).map { line -> HTTPHeader in
        let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return HTTPHeader(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }

    parseClaims(lines)
    signValidated(method: method, url: url, headers: headers)
    signParts(lines: lines, headers: headers)
    signVersion1(lines)
    return 0
}

private let time = try! SigningTime(secondsSince1970: 1_369_353_600)
private let secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
private let credentials = SigningCredentials.devPay(
    accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: secretAccessKey,
    userToken: "{UserToken}AAAAFUZZ", productToken: "{ProductToken}BBBBFUZZ")
// Reused across inputs, as an app reuses them, so the fuzzer also exercises the signers' buffer and
// signing-key reuse. `nonisolated(unsafe)`: libFuzzer calls the input function from one thread, one input
// at a time, so these non-Sendable signers are never used concurrently.
nonisolated(unsafe) private let sigV4 = try! SigV4Signer(credentials: credentials, region: "us-east-1")
nonisolated(unsafe) private let sigV2 = try! S3SigV2Signer(credentials: credentials)

/// Whatever a client sends as its claimed signature is parsed into a value or a typed error.
private func parseClaims(_ lines: [String]) {
    for line in lines {
        _ = try? SigV4Authorization(headerValue: line)
        _ = try? SigV4Authorization(presignedQuery: line)
        _ = try? SigningTime(iso8601: line)
        _ = S3Addressing.infer(fromHost: line)
        _ = PercentEncoding.encode(line)
    }
}

/// A URL the validator accepts must sign with every scheme, and SigV4's own server check must agree.
private func signValidated(method: String, url: String, headers: [HTTPHeader]) {
    let request: SigningRequest
    do throws(SigningError) {
        request = try SigningRequest(method: method, url: url, headers: headers)
    } catch {
        _ = error.description   // typed, describable; that is all a refusal owes
        return
    }
    var v4 = request
    do throws(SigningError) {
        try sigV4.sign(&v4, at: time, payload: .unsigned)
    } catch {
        _ = error.description
        return
    }
    let authorization = v4.headers.last { $0.name.lowercased() == "authorization" }
    precondition(authorization != nil, "SigV4 signed without an Authorization header")
    // The server side (the emulator's check) must accept what the client side signed.
    let claim: SigV4Authorization
    do throws(SigningError) {
        claim = try SigV4Authorization(headerValue: authorization!.value)
    } catch {
        preconditionFailure("SigV4 wrote an Authorization header its own parser refuses: \(error)")
    }
    if let recomputed = try? SigV4.expectedSignature(
        for: v4, authorization: claim, amzDate: "20130524T000000Z",
        payloadHash: "UNSIGNED-PAYLOAD", secretAccessKey: secretAccessKey) {
        precondition(SigV4.isSameSignature(recomputed.signature, claim.signature), "SigV4 server check disagrees")
    }
    var presigned = request
    _ = try? sigV4.presign(&presigned, at: time, expires: 3600)
    var v2 = request
    _ = try? sigV2.sign(&v2, at: time)
    var v2Query = request
    _ = try? sigV2.presign(&v2Query, expiresAt: time, allowingTokenInURL: true)
}

/// Parts are taken as given (no validation), so signing arbitrary bytes must still end in a value or a
/// typed error: this is the path an S3 client takes with a caller's key names.
private func signParts(lines: [String], headers: [HTTPHeader]) {
    func line(_ index: Int) -> String { index < lines.count ? lines[index] : "" }
    let request = SigningRequest(
        method: line(0), scheme: "https", authority: line(1), path: line(2), query: line(3), headers: headers)
    var v4 = request
    _ = try? sigV4.sign(&v4, at: time, payload: .hash(of: Array(line(4).utf8)))
    _ = try? sigV4.withAuthorization(for: request, at: time, payload: .unsigned) { $0.count }
    var v2 = request
    _ = try? sigV2.sign(&v2, at: time, addressing: .virtualHosted(bucket: line(1)))
    _ = try? sigV2.withAuthorization(for: request, at: time, addressing: S3Addressing.infer(fromHost: line(1))) {
        $0.count
    }
    _ = S3SigV2Signer.stringToSign(for: request, addressing: .pathStyle, expires: line(4))
    _ = S3SigV2Signer.canonicalizedResource(path: line(2), query: line(3), addressing: .pathStyle)
}

/// SigV1 (License Service): any parameter list signs, and the server check accepts that very signature.
private func signVersion1(_ lines: [String]) {
    let parameters = stride(from: 0, to: lines.count, by: 2).map { index in
        QueryParameter(lines[index], index + 1 < lines.count ? lines[index + 1] : "")
    }
    guard let signer = try? LicenseServiceSigner(credentials: credentials) else {
        preconditionFailure("SigV1 signer refused valid credentials")
    }
    let signature = signer.signature(for: parameters)
    precondition(signer.isValidSignature(signature, for: parameters), "SigV1 rejects its own signature")
    _ = signer.signedQuery(for: parameters)
}

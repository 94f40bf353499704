import DevPayHTTP

/// The CLI's proxy: `DEVPAY_PROXY` only. The usual `https_proxy`, `HTTPS_PROXY`, `ALL_PROXY` variables are
/// deliberately not honoured: they are often set for other tools and would silently route DevPay traffic
/// (and, over plain HTTP, credentials) through another host (docs/security.md).
enum ProxySetting {
    static func configured(environment: [String: String]) -> CurlHTTPClient.Configuration.Proxy {
        guard let url = environment["DEVPAY_PROXY"], !url.isEmpty else { return .none }
        return .url(url)
    }
}

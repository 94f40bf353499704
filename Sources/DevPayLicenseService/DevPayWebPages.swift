/// The Amazon pages the DevPay guide sends customers and developers to.
public enum DevPayWebPages {
    /// Where a customer gets a new activation key (after logging in with an Amazon login).
    public static let activate = "http://www.amazon.com/dp-activate"
    /// Where a customer manages DevPay subscriptions and fixes a failed payment.
    public static let billing = "http://www.amazon.com/dp-applications"
    /// Where the developer views the product token (View Product Details on the DevPay Activity page).
    public static let developerActivity = "http://aws.amazon.com/devpayactivity"
}

import Foundation

/// Every file under a store folder with its bytes and permission bits, to prove an exchange changed nothing.
struct StoreSnapshot: Equatable {
    let files: [String: Data]
    let modes: [String: Int]

    init(of root: String) throws {
        var files: [String: Data] = [:]
        var modes: [String: Int] = [:]
        let manager = FileManager.default
        for case let relative as String in manager.enumerator(atPath: root)! {
            let path = root + "/" + relative
            let attributes = try manager.attributesOfItem(atPath: path)
            modes[relative] = (attributes[.posixPermissions] as? Int) ?? -1
            if attributes[.type] as? FileAttributeType == .typeRegular {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        self.files = files
        self.modes = modes
    }
}

/// Business-registry statuses (登记状态) as registries write them.
public enum RegistryStatus {
    /// Statuses under which a company no longer trades: shown in red wherever the account is.
    public static let closed: Set<String> = ["注销", "吊销", "吊销，未注销", "撤销", "责令关闭"]
}

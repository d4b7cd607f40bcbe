import Foundation
import HTTPTypes
import Hummingbird
import KeelCore
import KeelEngine
import KeelTestSupport
import Synchronization
import Testing

/// While the demo company loads beside a serving Keel (`keel serve --demo`), pages say so and API requests wait until
/// it is complete: a script that starts Keel and calls it sees the whole demo.
@Suite struct DemoLoadingTests {
    @Test func pagesSayTheDemoIsLoadingAndAPIRequestsWaitForIt() async throws {
        try await API.with(.sqlite) { api in
            func loginPage() async throws -> String {
                String(buffer: try await api.client.execute(uri: "/login", method: .get, headers: [.acceptLanguage: "zh-CN", .accept: "text/html"]).body)
            }
            api.keel.demoLoading.begin()
            #expect(try await loginPage().contains(#"<p class="notice" role="status">演示公司正在载入，约需半分钟；刷新页面可看到更多数据。</p>"#))
            let answered = Mutex(false)
            let request = Task {
                let status = try await api.send(.get, "/api/v1/accounts").status
                answered.withLock { $0 = true }
                return status
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(!answered.withLock { $0 }, "an API request answered while the demo was loading")
            api.keel.demoLoading.end()
            #expect(try await request.value == .ok)
            #expect(try await !loginPage().contains("演示公司正在载入"))
        }
    }
}

import KeelCore
import Testing

@Suite struct RegionTableTests {
    @Test func countriesAreFoundByCodeNameAndAliasInEitherLanguage() {
        for text in ["SA", "sa", "Saudi Arabia", "KSA", "沙特", "沙特阿拉伯", " saudi arabia "] {
            #expect(RegionTable.country(text)?.code == "SA", "\(text)")
        }
        #expect(RegionTable.country("UAE")?.zh == "阿拉伯联合酋长国")
        #expect(RegionTable.country("美国")?.en == "United States")
        #expect(RegionTable.country("中国")?.code == "CN")
        #expect(RegionTable.country("香港")?.zh == "中国香港")
        // Groupings are not countries, and nonsense is nothing.
        #expect(RegionTable.country("EU") == nil)
        #expect(RegionTable.place("Atlantis") == nil)
        #expect(RegionTable.places.filter { $0.kind == .country }.count > 240)
    }

    @Test func provincesAndCitiesWithOrWithoutTheirSuffix() {
        for text in ["广东", "广东省", "Guangdong", "CN-GD", "cn-gd"] { #expect(RegionTable.place(text)?.code == "CN-GD", "\(text)") }
        #expect(RegionTable.place("广西壮族自治区")?.code == "CN-GX")
        #expect(RegionTable.place("广西")?.code == "CN-GX")
        #expect(RegionTable.place("深圳市")?.code == "CN-GD/深圳")
        #expect(RegionTable.place("Shenzhen")?.parent == "CN-GD")
        // 吉林 is the province (the wider place); 吉林市 and "Jilin City" the city.
        #expect(RegionTable.place("吉林")?.code == "CN-JL")
        #expect(RegionTable.place("Jilin City")?.code == "CN-JL/吉林")
        // Two cities share "Taizhou" in English: neither is guessed; each is found by its Chinese name.
        #expect(RegionTable.place("Taizhou") == nil)
        #expect(RegionTable.place("台州")?.parent == "CN-ZJ")
    }

    @Test func aLeadsPlacesComeWithTheirParentsAndUnknownNamesAreListed() {
        let resolved = RegionTable.resolve(country: nil, province: "广东", city: "深圳")
        #expect(resolved.places.map(\.code) == ["CN", "CN-GD", "CN-GD/深圳"])
        #expect(resolved.unknown.isEmpty)
        let abroad = RegionTable.resolve(country: "XQ", province: nil, city: "Riyadh")
        #expect(abroad.places.isEmpty)
        #expect(abroad.unknown == ["XQ", "Riyadh"])
    }
}

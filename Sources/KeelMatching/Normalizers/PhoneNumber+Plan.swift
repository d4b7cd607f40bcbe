/// China's numbering plan as Keel reads it: which mobile segments are in use, which area codes exist and how long
/// the local numbers behind each are (big cities 8 digits, most prefectures 7, four areas both), and the national
/// service numbers. It is the plan libphonenumber (Google's phone-number library) also follows; `Benchmarks/phones`
/// and the differential test in `PhoneNumberAgreementTests` check Keel against it on generated numbers.
extension PhoneNumber {
    /// Mobile segments (three-digit prefixes) in use for voice. The data-only and IoT segments 146, 148 and 149,
    /// the maritime 174 block (except the 17400–17405 satellite range) and 1610x are listed apart in `national`.
    static let mobilePrefixes: Set<String> = {
        var out: Set<String> = ["145", "147"]
        for d in 0...9 { out.insert("13\(d)"); out.insert("18\(d)") }
        for d in [0, 1, 2, 3, 5, 6, 7, 8, 9] { out.insert("15\(d)"); out.insert("19\(d)") }
        for d in [2, 5, 6, 7] { out.insert("16\(d)") }
        for d in [0, 1, 2, 3, 5, 6, 7, 8] { out.insert("17\(d)") }
        return out
    }()

    /// Area codes (without the trunk 0) and the lengths of their local numbers.
    static let areaCodes: [String: ClosedRange<Int>] = {
        var out: [String: ClosedRange<Int>] = [:]
        for code in eightDigitAreas.split(whereSeparator: \.isWhitespace) { out[String(code)] = 8...8 }
        for code in sevenDigitAreas.split(whereSeparator: \.isWhitespace) { out[String(code)] = 7...7 }
        for code in ["433", "435", "754", "851"] { out[code] = 7...8 }
        return out
    }()

    /// How many digits local numbers have behind an area code (written with or without the trunk 0); nil when the
    /// code is not in use.
    public static func localNumberLengths(areaCode: String) -> ClosedRange<Int>? {
        areaCodes[areaCode.hasPrefix("0") ? String(areaCode.dropFirst()) : areaCode]
    }

    private static let eightDigitAreas = """
        10 20 21 22 23 24 25 27 28 29 311 371 377 379 411 431 432 451 510 511 512 513 514 515 516 517 518 519 523 527
        531 532 551 571 573 574 575 576 577 579 591 595 731 755 757 760 769 791 871 898
        """

    private static let sevenDigitAreas = """
        310 312 313 314 315 316 317 318 319 335 349 350 351 352 353 354 355 356 357 358 359 370 372 373 374 375 376 391
        392 393 394 395 396 398 412 415 416 417 418 419 421 427 429 434 436 437 438 439 452 453 454 455 456 457 458 459
        464 467 468 469 470 471 472 473 474 475 476 477 478 479 482 483 530 533 534 535 536 537 538 539 543 546 550 552
        553 554 555 556 557 558 559 561 562 563 564 566 570 572 578 580 592 593 594 596 597 598 599 631 632 633 635 660
        662 663 668 691 692 701 710 711 712 713 714 715 716 717 718 719 722 724 728 730 734 735 736 737 738 739 743 744
        745 746 750 751 752 753 756 758 759 762 763 766 768 770 771 772 773 774 775 776 777 778 779 790 792 793 794 795
        796 797 798 799 812 813 816 817 818 825 826 827 830 831 832 833 834 835 836 837 838 839 854 855 856 857 858 859
        870 872 873 874 875 876 877 878 879 883 886 887 888 891 892 893 894 895 896 897 901 902 903 906 908 909 911 912
        913 914 915 916 917 919 930 931 932 933 934 935 936 937 938 939 941 943 951 952 953 954 955 970 971 972 973 974
        975 976 977 978 979 990 991 992 993 994 995 996 997 998 999
        """

    /// The national significant number (no trunk 0) and its kind, when the digits make a valid Chinese number.
    static func national(_ digits: String) -> (String, Kind)? {
        let n = digits.hasPrefix("0") ? String(digits.dropFirst()) : digits
        if n.count == 11, n.hasPrefix("1") {
            let isMobile = mobilePrefixes.contains(String(n.prefix(3))) || n.hasPrefix("1610")
                || n.hasPrefix("1740") && ("0"..."5").contains(n.dropFirst(4).prefix(1))
            return isMobile ? (n, .mobile) : nil
        }
        if n.count == 10, n.hasPrefix("400") || n.hasPrefix("800") { return (n, .service) }
        if (10...11).contains(n.count), n.hasPrefix("950") { return (n, .service) }
        let area = String(n.prefix(n.hasPrefix("10") || n.hasPrefix("2") ? 2 : 3))
        let subscriber = n.dropFirst(area.count)
        guard let lengths = areaCodes[area] else { return nil }
        if isShortService(subscriber, area: area) { return (n, .service) }
        guard lengths.contains(subscriber.count) else { return nil }
        // Beijing's and Shanghai's 100… and 800… are not subscriber numbers; Shanghai's never start with 0.
        if area == "10" || area == "21", subscriber.hasPrefix("100") || subscriber.hasPrefix("800") { return nil }
        if area == "21", subscriber.hasPrefix("0") { return nil }
        return (n, .landline)
    }

    /// Why `digits` (no country code) are not a valid Chinese number: the first rule of the plan they break.
    static func diagnose(_ digits: String) -> Problem {
        let n = digits.hasPrefix("0") ? String(digits.dropFirst()) : digits
        if !digits.hasPrefix("0"), n.hasPrefix("1") {
            return n.count == 11 ? .mobileSegment(String(n.prefix(3))) : .mobileLength(digits: n.count)
        }
        if !digits.hasPrefix("0") { return .tooShort(digits: digits.count) }
        let area = String(n.prefix(n.hasPrefix("10") || n.hasPrefix("2") ? 2 : 3))
        guard let lengths = areaCodes[area] else { return .unknownArea("0" + area) }
        let local = n.count - area.count
        return lengths.contains(local) ? .notInPlan : .localLength(area: "0" + area, expected: lengths, digits: local)
    }

    /// Short service numbers dialled behind an area code: 95xxx(x) and 96xxx(x) (banks, carriers, city services),
    /// the carriers' 100xx, the big cities' 123xx (12345 is the citizens' hotline) and Beijing's 100xxx.
    static func isShortService(_ subscriber: Substring, area: String) -> Bool {
        switch subscriber.count {
        case 5: subscriber.hasPrefix("95") || subscriber.hasPrefix("96") || subscriber.hasPrefix("100") || area.count == 2 && subscriber.hasPrefix("123")
        case 6: subscriber.hasPrefix("95") || subscriber.hasPrefix("96") || area == "10" && subscriber.hasPrefix("100")
        default: false
        }
    }
}

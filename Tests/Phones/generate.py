"""Generates Chinese phone numbers as people write them, with what Google's libphonenumber (Python `phonenumbers`) makes
of each, as tab-separated `input valid e164 extension reference` lines on stdout (a header first).
Usage: generate.py [count] [seed]. `PhoneAgreementTests` runs it and compares Keel's reading line by line.

The reference is libphonenumber's reading of the whole input (`reference` = "number"), with one exception: Chinese users
write extensions in notations libphonenumber does not read — `转8888`, `分机8888` and a third group `0755-86013388-8888`
(libphonenumber takes the latter for one long invalid number and rejects 转/分机 outright). For those, and only when
libphonenumber cannot read the whole input, the reference is its reading of the number in front of the extension, with the
extension as written (`reference` = "number before the extension")."""
import random
import sys

import phonenumbers as pn

count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
AREA3 = ["311", "351", "371", "431", "451", "471", "510", "512", "513", "516", "519", "531", "532", "535", "551", "571", "573", "574", "575",
         "576", "577", "579", "591", "592", "595", "731", "755", "756", "757", "760", "769", "771", "791", "851", "871", "898", "931", "991"]


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def mobile():
    number = str(rng.randint(130, 199)) + digits(8)
    return rng.choice([
        number, f"{number[:3]} {number[3:7]} {number[7:]}", f"{number[:3]}-{number[3:7]}-{number[7:]}",
        f"+86 {number[:3]} {number[3:7]} {number[7:]}", "0086" + number, "+86-" + number,
    ]), None


def landline():
    area = rng.choice(["10"] + [f"2{d}" for d in range(10)] + AREA3 * 2 + [str(rng.randint(300, 999))])
    length = 8 if len(area) == 2 else rng.choice([7, 8])
    subscriber = str(rng.randint(2, 9)) + digits(length - 1)
    number = rng.choice([f"0{area}-{subscriber}", f"(0{area}){subscriber[:4]} {subscriber[4:]}", f"+86 {area} {subscriber}", f"0{area} {subscriber}"])
    if rng.random() >= 0.15:
        return number, None
    ext = str(rng.randint(1, 9999))
    notation = rng.choice(["#", " ext. ", "-", "转", "分机", " 转 "])
    return number + notation + ext, (number, ext) if notation in ("-", "转", "分机", " 转 ") else None


def service():
    prefix = rng.choice(["400", "800"])
    number = prefix + digits(7)
    return rng.choice([number, f"{number[:3]}-{number[3:6]}-{number[6:]}", f"{number[:3]} {number[3:6]} {number[6:]}"]), None


def junk():
    return rng.choice([
        lambda: str(rng.randint(130, 199)) + "****" + digits(4),                                     # masked
        lambda: digits(rng.randint(3, 6)),                                                          # too short
        lambda: "1" + digits(rng.choice([9, 10, 12])),                                              # mobile of the wrong length
        lambda: "0" + rng.choice(["10", "21", "755", "571", "351"]) + "-" + str(rng.randint(2, 9)) + digits(rng.choice([4, 5, 8, 9])),  # landline of the wrong length
    ])(), None


def reading(text):
    try:
        n = pn.parse(text, "CN")
    except pn.NumberParseException:
        return None
    return (pn.format_number(n, pn.PhoneNumberFormat.E164), n.extension or "") if pn.is_valid_number(n) else None


print("input\tvalid\te164\textension\treference")
for _ in range(count):
    r = rng.random()
    text, split = mobile() if r < 0.45 else landline() if r < 0.85 else service() if r < 0.9 else junk()
    found, reference = reading(text), "number"
    if found is None and split is not None:
        front = reading(split[0])
        found, reference = (front[0], split[1]) if front else None, "number before the extension"
    print("\t".join([text, "1" if found else "0", found[0] if found else "", found[1] if found else "", reference]))

"""Generates Chinese phone numbers as people write them, with what Google's libphonenumber (Python `phonenumbers`)
makes of each: `input,valid,e164,extension` as CSV on stdout. Usage: generate.py [count] [seed]
`KeelBenchmarks phones FILE` reads the file and reports where Keel's reading agrees and where it does not."""
import csv
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
    style = rng.randrange(6)
    if style == 0:
        return number
    if style == 1:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == 2:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == 3:
        return f"+86 {number[:3]} {number[3:7]} {number[7:]}"
    if style == 4:
        return "0086" + number
    return "+86-" + number


def landline():
    area = rng.choice(["10"] + [f"2{d}" for d in range(10)] + AREA3 * 2 + [str(rng.randint(300, 999))])
    length = 8 if len(area) == 2 else rng.choice([7, 8])
    subscriber = str(rng.randint(2, 9)) + digits(length - 1)
    style = rng.randrange(4)
    text = [f"0{area}-{subscriber}", f"(0{area}){subscriber[:4]} {subscriber[4:]}", f"+86 {area} {subscriber}", f"0{area} {subscriber}"][style]
    if rng.random() < 0.1:
        text += rng.choice(["#", " ext. ", "-"]) + str(rng.randint(1, 9999))
    return text


def junk():
    return rng.choice([
        lambda: str(rng.randint(130, 199)) + "****" + digits(4),
        lambda: digits(rng.randint(3, 6)),
        lambda: "1" + digits(rng.choice([9, 10, 12])),
        lambda: "0" + digits(rng.choice([5, 6, 13])),
    ])()


out = csv.writer(sys.stdout)
out.writerow(["input", "valid", "e164", "extension"])
for _ in range(count):
    r = rng.random()
    text = mobile() if r < 0.5 else landline() if r < 0.9 else junk()
    try:
        n = pn.parse(text, "CN")
        valid = pn.is_valid_number(n)
        out.writerow([text, "1" if valid else "0", pn.format_number(n, pn.PhoneNumberFormat.E164) if valid else "", n.extension or ""])
    except pn.NumberParseException:
        out.writerow([text, "0", "", ""])

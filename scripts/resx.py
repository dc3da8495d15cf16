#!/usr/bin/env python3
"""Adds or updates localized strings in a resx pair (English base + Japanese).

    scripts/resx.py BASE KEY ENGLISH JAPANESE [KEY ENGLISH JAPANESE ...]
    scripts/resx.py BASE --check        # lists keys missing from BASE.ja.resx

BASE is the path without extension, e.g. Kuroco.Admin/Resources/SharedResource.
Keys stay sorted so that merges stay small.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""


def load(path: Path) -> dict:
    if not path.exists():
        return {}
    root = ET.parse(path).getroot()
    return {d.get("name"): (d.findtext("value") or "") for d in root.findall("data")}


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def save(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(
        f'  <data name="{esc(k)}" xml:space="preserve"><value>{esc(v)}</value></data>\n'
        for k, v in sorted(data.items(), key=lambda kv: kv[0])
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(HEADER + body + "</root>\n", encoding="utf-8")
    tmp.replace(path)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    base = argv[0]
    en_path, ja_path = Path(base + ".resx"), Path(base + ".ja.resx")
    en, ja = load(en_path), load(ja_path)
    if argv[1] == "--check":
        missing = sorted(set(en) - set(ja))
        for k in missing:
            print(k)
        return 1 if missing else 0
    rest = argv[1:]
    if len(rest) % 3:
        print("arguments come in threes: KEY ENGLISH JAPANESE", file=sys.stderr)
        return 2
    for i in range(0, len(rest), 3):
        key, e, j = rest[i:i + 3]
        en[key], ja[key] = e, j
    save(en_path, en)
    save(ja_path, ja)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

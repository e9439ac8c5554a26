#!/usr/bin/env python3
"""Regenerates the message catalogue's .resx files from the translators' JSON files.

Usage (from the repository root): tools/resx.py

Source of truth: src/Tenantry.Server/Localization/catalog/<language>/*.json, each a flat JSON
object of key -> text. A feature may keep its messages in its own file; a key must appear in
exactly one file per language, and every language must have the same keys. The output is
src/Tenantry.Server/Localization/Messages[.<language>].resx (English is the neutral file).
"""
import glob
import json
import os
import sys
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOG = os.path.join(ROOT, "src", "Tenantry.Server", "Localization", "catalog")
OUTPUT = os.path.join(ROOT, "src", "Tenantry.Server", "Localization")
LANGUAGES = ["en", "zh", "zh-Hant", "ja", "vi"]

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""


def load(language):
    entries = {}
    for path in sorted(glob.glob(os.path.join(CATALOG, language, "*.json"))):
        with open(path, encoding="utf-8") as f:
            for key, text in json.load(f).items():
                if key in entries:
                    sys.exit(f"{key} appears twice in catalog/{language}")
                entries[key] = text
    return entries


def main():
    catalogs = {language: load(language) for language in LANGUAGES}
    english = set(catalogs["en"])
    for language, entries in catalogs.items():
        if set(entries) != english:
            missing = sorted(english - set(entries))
            extra = sorted(set(entries) - english)
            sys.exit(f"catalog/{language} differs from English: missing {missing}, extra {extra}")
    for language, entries in catalogs.items():
        suffix = "" if language == "en" else "." + language
        with open(os.path.join(OUTPUT, f"Messages{suffix}.resx"), "w", encoding="utf-8") as out:
            out.write(HEADER)
            for key in sorted(entries):
                out.write(f'  <data name="{escape(key)}" xml:space="preserve"><value>{escape(entries[key])}</value></data>\n')
            out.write("</root>\n")
    print(f"{len(english)} messages in {len(LANGUAGES)} languages")


if __name__ == "__main__":
    main()

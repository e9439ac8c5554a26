#!/usr/bin/env python3
"""Writes a .resx file from a JSON object of key -> text.

Usage: tools/resx.py messages.en.json src/Tenantry.Server/Localization/Messages.resx
The JSON files under src/Tenantry.Server/Localization/catalog/ are the source of truth
for translators; the .resx files are generated from them and checked in.
"""
import json
import sys
from xml.sax.saxutils import escape

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""

def main(source, target):
    with open(source, encoding="utf-8") as f:
        entries = json.load(f)
    with open(target, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for key in sorted(entries):
            out.write(f'  <data name="{escape(key)}" xml:space="preserve"><value>{escape(entries[key])}</value></data>\n')
        out.write("</root>\n")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

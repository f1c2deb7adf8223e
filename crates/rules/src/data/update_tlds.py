#!/usr/bin/env python3
"""Regenerates tlds.txt from a copy of the Public Suffix List (public_suffix_list.dat).

Usage: python3 update_tlds.py PATH/TO/public_suffix_list.dat > tlds.txt

The list is published at publicsuffix.org; the PyPI package `publicsuffixlist` ships a dated copy
(`pip download --no-deps publicsuffixlist`, the file is inside the wheel). Only the ICANN section
is used: private suffixes (blogspot.com, ...) are not top-level domains. Every TLD is written in
lowercase, internationalised ones both as Unicode and as their `xn--` (punycode) form. After
regenerating, set TLD_LIST_DATE in tld.rs to the VERSION date printed in the header (a test checks
that they agree).
"""
import sys

def main(path):
    version = commit = None
    tlds = set()
    in_icann = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("// VERSION:"):
                version = line.split(":", 1)[1].strip()
            elif line.startswith("// COMMIT:"):
                commit = line.split(":", 1)[1].strip()
            elif line == "// ===BEGIN ICANN DOMAINS===":
                in_icann = True
            elif line == "// ===END ICANN DOMAINS===":
                in_icann = False
            elif in_icann and line and not line.startswith("//"):
                tld = line.lstrip("!*.").split(".")[-1].lower()
                tlds.add(tld)
                if not tld.isascii():
                    tlds.add("xn--" + tld.encode("punycode").decode("ascii"))
    print("# Top-level domains of the ICANN section of the Public Suffix List (publicsuffix.org).")
    print(f"# VERSION: {version}")
    print(f"# COMMIT: {commit}")
    print("# Source: public_suffix_list.dat, Mozilla Public License 2.0; regenerate with update_tlds.py.")
    for t in sorted(tlds):
        print(t)

if __name__ == "__main__":
    main(sys.argv[1])

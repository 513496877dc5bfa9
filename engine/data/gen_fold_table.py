#!/usr/bin/env python3
"""Generate engine/src/fold_table.rs, the character folding table of the moderation engine.

Reproducible: the inputs are pinned package versions fetched with the ordinary package clients.

  * OpenCC's TSCharacters.txt (traditional -> simplified, single characters), Apache-2.0,
    from the npm package opencc@1.4.2 (package/data/dictionary/TSCharacters.txt).
  * UnicodeData.txt and EquivalentUnifiedIdeograph.txt (Unicode 15.0, Unicode licence),
    from the Debian package unicode-data 15.0.0-1.

Usage:  python3 engine/data/gen_fold_table.py [--fetch] [--opencc DIR] [--unicode DIR]
With --fetch the script downloads both packages into engine/data/.cache (gitignored) with
`npm pack` and `apt-get download`. The output is written to engine/src/fold_table.rs.

Only single-character mappings are produced: the engine never does phrase conversion.
"""
import argparse, hashlib, os, subprocess, sys, tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "fold_table.rs")
CACHE = os.path.join(HERE, ".cache")
OPENCC_PKG = "opencc@1.4.2"
UNICODE_PKG = "unicode-data=15.0.0-1"

# Ranges whose Unicode compatibility decomposition (NFKC-style) we fold. Everything else keeps
# its identity unless OpenCC or the hand lists below map it; this keeps the table small.
COMPAT_RANGES = [
    (0x00A0, 0x017F),   # Latin-1 and Latin Extended-A: superscripts, accented letters
    (0x2070, 0x209F),   # superscripts and subscripts
    (0x2100, 0x214F),   # letterlike symbols (double-struck letters)
    (0x2150, 0x218F),   # number forms
    (0x2460, 0x24FF),   # enclosed alphanumerics: circled and parenthesised digits
    (0x2E80, 0x2FDF),   # CJK radicals supplement, Kangxi radicals
    (0x3000, 0x303F),   # CJK symbols and punctuation (ideographic space)
    (0x3200, 0x32FF),   # enclosed CJK letters: parenthesised and circled ideographs
    (0xF900, 0xFAFF),   # CJK compatibility ideographs
    (0xFE10, 0xFE6F),   # vertical, compatibility and small forms of punctuation
    (0xFF00, 0xFFEF),   # half-width and full-width forms
    (0x1D400, 0x1D7FF), # mathematical alphanumerics (bold, script ... letters)
    (0x1F100, 0x1F1FF), # enclosed alphanumeric supplement
    (0x2F800, 0x2FA1F), # CJK compatibility ideographs supplement
]

# Look-alikes that no Unicode decomposition covers, seen in evasion: Cyrillic and Greek letters
# that look Latin, katakana that look like hanzi, and dingbat digits.
HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "ӏ": "l",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c",
    "Т": "t", "У": "y", "Х": "x", "І": "i", "Ј": "j", "Ѕ": "s",
    # Greek
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # Katakana that pass for hanzi, and the long-vowel mark used for 一
    "ロ": "口", "ニ": "二", "エ": "工", "カ": "力", "タ": "夕", "ト": "卜", "ハ": "八", "ヒ": "匕",
    "ー": "一", "ｰ": "一", "囗": "口",
    # 丶 (a radical) is used as a dot between characters: fold it to a separator.
    "丶": "·",
    # Dingbat digits have no decomposition.
    **{chr(0x2776 + i): str(i + 1) for i in range(9)}, "\u277f": "10",
    **{chr(0x2780 + i): str(i + 1) for i in range(9)}, "\u2789": "10",
    **{chr(0x278A + i): str(i + 1) for i in range(9)}, "\u2793": "10",
    "⓿": "0",
}

# Financial (anti-forgery) numerals fold to the plain ones. 陆 and 拾 are left alone on purpose:
# they are everyday words too (大陆, 拾金不昧), and folding them would make terms collide.
DIGIT_VARIANTS = {"壹": "一", "贰": "二", "叁": "三", "肆": "四", "伍": "五", "柒": "七",
                  "捌": "八", "玖": "九", "〇": "零"}


def fetch():
    os.makedirs(CACHE, exist_ok=True)
    subprocess.run(["npm", "pack", OPENCC_PKG, "--silent"], cwd=CACHE, check=True)
    tgz = [f for f in os.listdir(CACHE) if f.startswith("opencc-") and f.endswith(".tgz")][0]
    with tarfile.open(os.path.join(CACHE, tgz)) as t:
        t.extractall(CACHE, members=[m for m in t.getmembers()
                                      if m.name in ("package/data/dictionary/TSCharacters.txt", "package/LICENSE")])
    subprocess.run(["apt-get", "download", UNICODE_PKG], cwd=CACHE, check=True)
    deb = [f for f in os.listdir(CACHE) if f.startswith("unicode-data_") and f.endswith(".deb")][0]
    subprocess.run(["dpkg-deb", "-x", deb, "ud"], cwd=CACHE, check=True)
    return (os.path.join(CACHE, "package", "data", "dictionary"),
            os.path.join(CACHE, "ud", "usr", "share", "unicode"))


def load_unicode(udir):
    decomp, category = {}, {}
    with open(os.path.join(udir, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp = int(fields[0], 16)
            category[cp] = fields[2]
            d = fields[5]
            if d:
                parts = d.split(" ")
                if parts[0].startswith("<"):
                    parts = parts[1:]
                decomp[cp] = [int(p, 16) for p in parts]
    equiv = {}
    with open(os.path.join(udir, "EquivalentUnifiedIdeograph.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            left, right = [x.strip() for x in line.split(";")]
            lo, _, hi = left.partition("..")
            for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
                equiv[cp] = int(right, 16)
    return decomp, category, equiv


def full_decompose(cp, decomp):
    if cp not in decomp:
        return [cp]
    out = []
    for c in decomp[cp]:
        out.extend(full_decompose(c, decomp))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fetch", action="store_true")
    ap.add_argument("--opencc")
    ap.add_argument("--unicode")
    a = ap.parse_args()
    if a.fetch:
        odir, udir = fetch()
    else:
        odir = a.opencc or os.path.join(CACHE, "package", "data", "dictionary")
        udir = a.unicode or os.path.join(CACHE, "ud", "usr", "share", "unicode")
    decomp, category, equiv = load_unicode(udir)

    t2s = {}
    with open(os.path.join(odir, "TSCharacters.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, values = line.rstrip("\n").split("\t")
            first = values.split(" ")[0]
            if len(key) == 1 and len(first) == 1 and key != first:
                t2s[key] = first

    def compat(ch):
        cp = ord(ch)
        if cp in equiv:
            return chr(equiv[cp])
        if not any(lo <= cp <= hi for lo, hi in COMPAT_RANGES):
            return ch
        parts = [c for c in full_decompose(cp, decomp) if not category.get(c, "").startswith("M")]
        s = "".join(chr(c) for c in parts)
        if s.startswith("(") and s.endswith(")"):
            s = s[1:-1]
        if len(s) > 1 and s.endswith("."):
            s = s[:-1]
        if len(s) == 1 or (len(s) > 1 and s.isascii() and s.isdigit()):
            return s
        return ch

    def fold(ch):
        s = compat(ch)
        out = []
        for c in s:
            c = t2s.get(c, c)
            c = HOMOGLYPHS.get(c, c)
            if c.isascii():
                c = c.lower()
            elif len(c.lower()) == 1 and category.get(ord(c), "") == "Lu":
                c = c.lower()
            c = DIGIT_VARIANTS.get(c, c)
            c = t2s.get(c, c)
            out.append(c)
        return "".join(out)

    candidates = set(t2s) | set(HOMOGLYPHS) | set(DIGIT_VARIANTS) | {chr(c) for c in equiv}
    for lo, hi in COMPAT_RANGES:
        candidates.update(chr(c) for c in range(lo, hi + 1) if c in category)
    single, multi = {}, {}
    for ch in sorted(candidates):
        if ord(ch) < 0x80:
            continue  # ASCII is folded by a fast path in code
        out = fold(ch)
        if out == ch:
            continue
        if len(out) == 1:
            single[ord(ch)] = ord(out)
        else:
            multi[ord(ch)] = out

    bmp = sorted((k, v) for k, v in single.items() if k <= 0xFFFF and v <= 0xFFFF)
    astral = sorted((k, v) for k, v in single.items() if not (k <= 0xFFFF and v <= 0xFFFF))
    multi_sorted = sorted(multi.items())
    bitmap = [0] * 1024
    for k in list(single) + list(multi):
        if k <= 0xFFFF:
            bitmap[k >> 6] |= 1 << (k & 63)

    body = []
    body.append("/// Whether a BMP code point has an entry in one of the tables (bit `c & 63` of word `c >> 6`).\n")
    body.append("pub(crate) static BMP_MAPPED: [u64; 1024] = [\n")
    for i in range(0, 1024, 8):
        body.append("    " + ", ".join(f"0x{w:x}" for w in bitmap[i:i + 8]) + ",\n")
    body.append("];\n\n")
    body.append(f"/// Single-character foldings with both sides in the BMP, sorted by key ({len(bmp)} entries).\n")
    body.append("pub(crate) static FOLD_BMP: [(u16, u16); %d] = [\n" % len(bmp))
    for i in range(0, len(bmp), 8):
        body.append("    " + " ".join(f"(0x{k:04x}, 0x{v:04x})," for k, v in bmp[i:i + 8]) + "\n")
    body.append("];\n\n")
    body.append(f"/// Single-character foldings with a side outside the BMP, sorted by key ({len(astral)} entries).\n")
    body.append("pub(crate) static FOLD_ASTRAL: [(u32, u32); %d] = [\n" % len(astral))
    for i in range(0, len(astral), 6):
        body.append("    " + " ".join(f"(0x{k:05x}, 0x{v:05x})," for k, v in astral[i:i + 6]) + "\n")
    body.append("];\n\n")
    body.append(f"/// Foldings to more than one character (only numbers such as ⑩ -> 10), sorted by key.\n")
    body.append("pub(crate) static FOLD_MULTI: [(u32, &str); %d] = [\n" % len(multi_sorted))
    for k, v in multi_sorted:
        body.append(f"    (0x{k:05x}, \"{v}\"),\n")
    body.append("];\n")
    text = "".join(body)
    digest = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
    header = (
        "//! Generated character folding table: do not edit by hand.\n"
        "//!\n"
        "//! Produced by `engine/data/gen_fold_table.py` from OpenCC's TSCharacters.txt (npm opencc@1.4.2,\n"
        "//! Apache-2.0) and Unicode 15.0 UnicodeData.txt / EquivalentUnifiedIdeograph.txt (Debian\n"
        "//! unicode-data 15.0.0-1), plus the hand-written look-alike lists in that script.\n\n"
        "/// Changes whenever the table changes; packs store folded terms, so a pack built with another\n"
        "/// table is refused rather than silently mismatched.\n"
        f"pub const FOLD_TABLE_VERSION: u32 = 0x{digest:08x};\n\n"
    )
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(header + text)
    print(f"wrote {OUT}: {len(bmp)} bmp, {len(astral)} astral, {len(multi_sorted)} multi, t2s {len(t2s)}", file=sys.stderr)


if __name__ == "__main__":
    main()

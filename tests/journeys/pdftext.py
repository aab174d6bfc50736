"""The text of a PDF made by WeasyPrint, without a PDF library (the project has none).

WeasyPrint writes text as glyph ids in hex strings (`[<0037>0<004b>] TJ`) with a ToUnicode map
per font subset. All shown text here uses DejaVu Sans (regular and bold share glyph ids), so the
maps of all subsets are merged and every TJ/Tj operand is decoded with them: one line per text
operation. Good enough to assert what a person reads in the file; not a general PDF parser.
"""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_TEXT_OP = re.compile(rb"(\[(?:[^\]]*)\]\s*TJ|<[0-9A-Fa-f]*>\s*Tj)")


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in _STREAM.finditer(pdf):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # font programs and images: not text
    return out


def _unicode(hex_text: bytes) -> str:
    raw = bytes.fromhex(hex_text.decode())
    return raw.decode("utf-16-be", errors="replace")


def _glyph_map(streams: list[bytes]) -> dict[int, str]:
    glyphs: dict[int, str] = {}
    for data in streams:
        for block in _BFCHAR.findall(data):
            pairs = _HEX.findall(block)
            for src, dst in zip(pairs[::2], pairs[1::2], strict=False):
                glyphs.setdefault(int(src, 16), _unicode(dst))
        for block in _BFRANGE.findall(data):
            values = _HEX.findall(block)
            for low, high, dst in zip(values[::3], values[1::3], values[2::3], strict=False):
                start = ord(_unicode(dst)[0])
                for offset, gid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    glyphs.setdefault(gid, chr(start + offset))
    return glyphs


def pdf_text(pdf: bytes) -> str:
    """The shown text of `pdf`, one line per text operation."""
    streams = _streams(pdf)
    glyphs = _glyph_map(streams)
    lines = []
    for data in streams:
        if b"BT" not in data:
            continue
        for op in _TEXT_OP.findall(data):
            line = ""
            for hex_text in _HEX.findall(op):
                codes = bytes.fromhex(hex_text.decode())
                for i in range(0, len(codes) - 1, 2):
                    line += glyphs.get(int.from_bytes(codes[i : i + 2], "big"), "\ufffd")
            lines.append(line)
    return "\n".join(lines)

"""Legacy encodings: what the reader decodes, how the record says so, and that it reads as the UTF-8 original.

Decided behaviour (etl/dumps/reader.py decode_text): UTF-8 (a BOM is dropped; a few damaged bytes become
U+FFFD); a UTF-16 byte-order mark, or NUL high bytes on one side of each 2-byte unit, means UTF-16 LE/BE;
other non-UTF-8 bytes are decoded as GB18030 (GBK), Big5 (cp950) or Big5 when one of them reads as Chinese
(most Han characters common ones), else rejected `not_utf8`. A decoded file is `ok` with reason
`legacy_encoding` and a detail naming the encoding (`truncated_html` wins the reason and keeps the note).
"""

from __future__ import annotations

import pytest
from fuzzkit import timed_parse, violations

from etl.dumps.reader import Rejected, decode_text

ENCODINGS = {
    "gb18030": ("gb18030", b"", "GB18030"),
    "gbk": ("gbk", b"", "GB18030"),
    "cp950": ("cp950", b"", "Big5"),
    "utf-16-le-bom": ("utf-16-le", b"\xff\xfe", "UTF-16 LE (with BOM)"),
    "utf-16-be-bom": ("utf-16-be", b"\xfe\xff", "UTF-16 BE (with BOM)"),
    "utf-16-le": ("utf-16-le", b"", "UTF-16 LE (no BOM)"),
    "utf-16-be": ("utf-16-be", b"", "UTF-16 BE (no BOM)"),
}
FIELDS = ("status", "article_id", "url", "outlet", "title", "published_at", "pub_date", "body_text",
          "byline", "script", "degenerate", "agencies_credited", "agencies_cited", "topics", "content_hash",
          "variant")  # fmt: skip


def _same_as_utf8(seed: bytes, name: str) -> bool:
    """Whether `seed` re-encoded as `name` parses as the UTF-8 original (False: the codec lacks a char)."""
    codec, bom, label = ENCODINGS[name]
    try:
        data = bom + seed.decode("utf-8-sig").encode(codec)
    except UnicodeEncodeError:
        return False
    want, _, _ = timed_parse(seed, full=True)
    got, _, _ = timed_parse(data, full=True)
    assert not violations(got)
    assert [getattr(got, f) for f in FIELDS] == [getattr(want, f) for f in FIELDS], name
    if want.status == "ok":
        assert got.reason in ("legacy_encoding", "truncated_html") and label in got.detail, got.detail
        assert "UTF-8" in got.detail
    return True


@pytest.mark.parametrize("name", ENCODINGS)
def test_real_dumps_re_encoded_parse_as_their_utf8_original(name, real_dumps):
    compared = sum(_same_as_utf8(seed, name) for seed in real_dumps)
    # GB18030 and UTF-16 hold every character; GBK and Big5 only some of the simplified/traditional files.
    assert compared >= (len(real_dumps) if name == "gb18030" or name.startswith("utf-16") else 1)


@pytest.mark.parametrize("name", ENCODINGS)
def test_synthetic_dumps_re_encoded_parse_as_their_utf8_original(name, synthetic_dumps):
    compared = sum(_same_as_utf8(seed, name) for seed in synthetic_dumps)
    assert compared >= 1


def test_header_level_parse_decodes_too(real_dumps):
    seed = real_dumps[0]
    want, _, _ = timed_parse(seed, full=False)
    got, _, _ = timed_parse(seed.decode().encode("gb18030"), full=False)
    assert (got.article_id, got.title, got.published_at, got.content_hash) == (
        want.article_id,
        want.title,
        want.published_at,
        want.content_hash,
    )


def test_utf8_is_never_taken_for_a_legacy_encoding(real_dumps):
    for seed in real_dumps:
        assert decode_text(seed)[1] is None


def test_a_few_damaged_utf8_bytes_stay_utf8(real_dumps):
    for seed in real_dumps:
        damaged = bytearray(seed)
        damaged[len(seed) // 2] = 0xFF
        text, note = decode_text(bytes(damaged))
        assert note is None and "\ufffd" in text


def test_utf16_cut_mid_unit_or_mid_surrogate_pair_still_decodes():
    text = "<!--1595361137000-->\n[标题😀](https://www.dw.com/zh/x/a-1)\n------\n\n<p>正文😀</p>"
    data = text.encode("utf-16-le")
    for cut in (len(data) - 1, len(data) - 2, len(data) - 3):
        decoded, note = decode_text(data[:cut])
        assert decoded.startswith("<!--1595361137000-->") and "UTF-16 LE" in note


@pytest.mark.parametrize(
    "data",
    [
        # Shift_JIS: an encoding the reader does not decode
        (
            "<!--1595361137000-->\n[天気](https://a.b/c)\n------\n" + "<p>東京都の天気は晴れです</p>" * 20
        ).encode("shift_jis"),
        b"<!--1-->\n[t](https://a.b/c)\n------\n" + bytes(range(0x80, 0x100)) * 20,
        b"\xfe\xff" + b"\xdc\x00" * 40,  # a UTF-16 BOM, then lone low surrogates
    ],
    ids=["shift_jis", "high-bytes", "utf16-surrogates"],
)
def test_bytes_in_no_known_encoding_are_rejected_with_a_reason(data):
    with pytest.raises(Rejected) as err:
        decode_text(data)
    assert err.value.reason == "not_utf8" and "UTF-8" in err.value.detail
    rec, _, _ = timed_parse(data, full=True)
    assert (rec.status, rec.reason) == ("rejected", "not_utf8") and not violations(rec)


def test_a_truncated_legacy_file_keeps_both_notes():
    text = (
        "<!--1595361137000-->\n[标题](https://www.dw.com/zh/x/a-1)\n------\n\n<p>第一段正文内容。</p><p>第二"
    )
    rec, _, _ = timed_parse((text + "段<i").encode("gb18030"), full=True)
    assert (rec.status, rec.reason) == ("ok", "truncated_html")
    assert "cut off" in rec.detail and "GB18030" in rec.detail


def test_a_cp950_only_character_does_not_hand_the_file_to_big5():
    # Regression (campaign seed 2, a real CNA file re-encoded): big5 trips on 裏 (cp950 only) and resyncs onto
    # common-looking pairs; counted without its bad sequences it outscored cp950 and the text read garbage
    # where the file said 裏 and the rare characters after it.
    common = "台灣的天氣很好，大家都很高興。" * 3
    text = f"<!--1595361137000-->\n[標題](https://www.cna.com.tw/news/1.aspx)\n------\n\n<p>{common}裏乂乜。{common}</p>\n"
    decoded, note = decode_text(text.encode("cp950"))
    assert decoded == text and "cp950" in note


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_of_a_dense_text_full_of_u4e00(codec):
    # Regression (campaign seed 3, a real CDT file): U+xx00 characters (一 is U+4E00) put NUL bytes on the
    # other side of the 2-byte units; at 40 of them against 271 ASCII the file was taken for binary.
    body = "<p>" + "今晚一个电话，一点点。</p><p>" * 150 + "</p>"
    url = "https://chinadigitaltimes.net/chinese/2020/06/x/"
    text = f"[标题]({url})\n------\n日期：Sun, 21 Jun 2020 02:08:24 +0000\n\n{body}\n"
    decoded, note = decode_text(text.encode(codec))
    assert decoded == text and "no BOM" in note

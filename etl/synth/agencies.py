"""Wire agencies the generator credits or cites: codes as in ../shared/gold/RULES.md, simplified names."""

from __future__ import annotations

ZH_NAMES = {
    "AFP": "法新社",
    "AP": "美联社",
    "Bloomberg": "彭博社",
    "CNA": "中央社",
    "EFE": "埃菲社",
    "Kyodo": "共同社",
    "Reuters": "路透社",
    "TASS": "塔斯社",
    "Xinhua": "新华社",
    "Yonhap": "韩联社",
    "dpa": "德新社",
}

# Agencies a story may cite in running text (据X报道, 告诉X).
CITABLE = ("AFP", "AP", "Bloomberg", "Kyodo", "Reuters", "TASS", "Xinhua", "Yonhap", "dpa")
# Agencies DW and VOA credit in closing lines.
DW_CREDITS = ("Reuters", "AFP", "dpa", "AP", "EFE")
VOA_CREDITS = ("Reuters", "AP", "AFP")


def zh_name(code: str) -> str:
    return ZH_NAMES[code]

"""The article HTML split into what each downstream step needs (one bs4 parse per file).

`extract_body(html) -> Body` is implemented here by the parsing library.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Body:
    # Clean text blocks of the story, in order: headers, captions and boilerplate excluded.
    paragraphs: list[str] = field(default_factory=list)
    # Image and figure captions, photo credits.
    captions: list[str] = field(default_factory=list)
    # Texts of the leading header block (DW/NYT `<div><i>byline<br>time</i></div>`, RFI date div, ...).
    header: list[str] = field(default_factory=list)
    # Lines removed as boilerplate (copyright, feedx footer, disclaimers, widgets), kept because some
    # carry attribution (RFI's `© 2020 AFP`).
    boilerplate: list[str] = field(default_factory=list)

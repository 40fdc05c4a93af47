"""Make text from data or from a URL safe to show through Streamlit's Markdown.

``st.markdown``, ``st.caption``, ``st.info`` … render Markdown: a value like
``![x](http://host/p.png)`` would fetch an image from another host and
``$x$`` would be typeset. Every value that did not come from our own code
goes through :func:`md` first.
"""

from __future__ import annotations

import string

_PUNCTUATION = frozenset(string.punctuation)


def md(value: object) -> str:
    r"""Backslash-escape every ASCII punctuation character so Markdown shows it literally.

    Examples
    --------
    >>> md("![x](y)")
    '\\!\\[x\\]\\(y\\)'
    >>> md(None)
    ''
    """
    text = "" if value is None else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)

"""Show an explorer page inside a Jupyter cell, the whole page carried in the cell's output."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["SANDBOX", "InlinePage"]

SANDBOX = "allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"
"""What the embedded page may do: run its scripts, handle its search form and open links in
a new tab. Without ``allow-same-origin`` it runs in an origin of its own, so it cannot reach
the notebook around it (its kernel, its cookies) nor navigate it."""

_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


@dataclass(frozen=True)
class InlinePage:
    """An explorer page (``render_html``) to show in a notebook cell, ``height`` pixels tall.

    Jupyter shows it through ``_repr_html_``: an ``<iframe srcdoc="...">`` that holds the
    page itself, so it draws wherever the notebook server was started (JupyterLab,
    Notebook 7) and fetches nothing. The page keeps its own Content-Security-Policy.
    Raises ``ValueError`` for a height below 1.

    >>> page = InlinePage("<title>Seed</title><p>“a & b”</p>", height=300)
    >>> page
    InlinePage('Seed', height=300, 33 characters)
    >>> 'srcdoc="&lt;title&gt;Seed&lt;/title&gt;&lt;p&gt;“a &amp; b”' in page._repr_html_()
    True
    """

    html: str = field(repr=False)
    height: int = 600

    def __post_init__(self) -> None:
        if not isinstance(self.height, int) or self.height < 1:
            raise ValueError(f"height must be a whole number of pixels, 1 or more: {self.height!r}")

    @property
    def title(self) -> str:
        """The page's title, as the reader sees it, or ``""`` for a page without one."""
        found = _TITLE.search(self.html)
        return html.unescape(found.group(1)).strip() if found else ""

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{_attribute(self.html)}"'
            f' sandbox="{SANDBOX}" title="{_attribute(self.title)}"'
            f' style="width: 100%; height: {self.height}px; border: 0"></iframe>'
        )

    def __repr__(self) -> str:
        return f"InlinePage({self.title!r}, height={self.height}, {len(self.html)} characters)"


def _attribute(text: str) -> str:
    """``text`` escaped for a double-quoted attribute, every character kept as it is.

    Escaping ``&``, ``<``, ``>``, ``"`` and ``'`` keeps the text (a quote in a label
    included) inside the attribute; a carriage return is written as a reference because
    the browser would otherwise turn a CR LF into LF.
    """
    return html.escape(text, quote=True).replace("\r", "&#13;")

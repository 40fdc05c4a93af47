"""Make what an XML export writes legal XML 1.0: no control characters in any name, value or text.

Ids and text fields can hold characters XML 1.0 forbids (U+0000-U+0008,
U+000B, U+000C, U+000E-U+001F, lone surrogates, U+FFFE, U+FFFF); one in a
node id, an attribute or a folder name makes the whole file unreadable. The
exporters pass their graph through :func:`clean_graph` and their element tree
through :func:`clean_tree` right before writing.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import networkx as nx

from linking.exports._common import clean_text


def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def clean_graph(graph: nx.Graph) -> nx.Graph:
    """Return a copy of ``graph`` whose node ids, attribute names and string values are XML-safe.

    Examples
    --------
    >>> g = nx.Graph(title="a\\x01b")
    >>> g.add_edge("A\\x01", "B", note="x\\x0by")
    >>> clean = clean_graph(g)
    >>> sorted(clean.nodes), clean.edges["A", "B"]["note"], clean.graph["title"]
    (['A', 'B'], 'xy', 'ab')
    """
    out = graph.__class__()
    out.graph.update({_clean(k): _clean(v) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        out.add_node(_clean(node), **{_clean(k): _clean(v) for k, v in data.items()})
    for a, b, data in graph.edges(data=True):
        out.add_edge(_clean(a), _clean(b), **{_clean(k): _clean(v) for k, v in data.items()})
    return out


def clean_tree(root: Element) -> Element:
    """Clean every tag, attribute, text and tail under ``root`` in place; return ``root``.

    Examples
    --------
    >>> from xml.etree.ElementTree import SubElement, tostring
    >>> root = Element("kml")
    >>> SubElement(root, "name", id="x\\x02").text = "DET\\x01-1"
    >>> tostring(clean_tree(root))
    b'<kml><name id="x">DET-1</name></kml>'
    """
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = clean_text(element.tag)
        if element.text is not None:
            element.text = clean_text(element.text)
        if element.tail is not None:
            element.tail = clean_text(element.tail)
        for key, value in list(element.attrib.items()):
            del element.attrib[key]
            element.attrib[clean_text(key)] = clean_text(value)
    return root

"""Bibliography entries labelled by author and year, as the text cites them ("Cowan 2001", not "[Cow01]").

A Sphinx extension registering a pybtex formatting style, ``authoryear``: the ``unsrt`` entry format, sorted by
author, year and title, with labels "Cowan 2001", "Mi et al. 2017", "Tsodyks & Wu 2013".  Selected in
``_config.yml`` with ``bibtex_default_style: authoryear``.
"""

from __future__ import annotations

import pybtex.plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle


def _surname(person) -> str:
    return " ".join(str(part) for part in person.last_names).replace("{", "").replace("}", "")


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            if not people:
                names = entry.fields.get("title", entry.key)[:20]
            elif len(people) == 1:
                names = _surname(people[0])
            elif len(people) == 2:
                names = f"{_surname(people[0])} & {_surname(people[1])}"
            else:
                names = f"{_surname(people[0])} et al."
            yield f"{names} {entry.fields.get('year', '')}".strip()


class AuthorYearStyle(UnsrtStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = SortingStyle


pybtex.plugin.register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}

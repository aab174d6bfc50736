"""Strict YAML data files (norm versions, survey definitions) validated by a pydantic model.

Every problem is collected, not only the first, and each is reported in Dutch (the gettext
source text: English users read English) with the file, line, column and key concerned. Nothing
here touches the database: a caller writes only when `errors` is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class FileError:
    file: str
    line: int | None
    column: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += ", " + _("regel %(line)s") % {"line": self.line}
            if self.column is not None:
                where += ", " + _("kolom %(column)s") % {"column": self.column}
        key = f" [{self.key}]" if self.key else ""
        return f"{where}{key}: {self.message}"


def format_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class AnchorRefused(yaml.MarkedYAMLError):
    """An anchor (&name) or alias (*name): refused while composing, before anything expands."""


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that remembers duplicate keys instead of silently keeping the last, and
    refuses anchors and aliases.

    Nine nested levels of aliases ("billion laughs") make a file of a few hundred bytes stand for
    billions of values; everything after composing (positions, construction, validation) would
    walk them all. Our files never need them, so the first anchor or alias stops the parse,
    before any of that work (docs/decisions/0160-yaml-without-anchors.md).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[Any, yaml.Mark]] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise AnchorRefused(problem="anchor", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            loader.duplicates.append((key, key_node.start_mark))
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _positions(node: yaml.Node, path: Path, out: dict[Path, yaml.Mark]) -> None:
    out.setdefault(path, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            out[child] = key_node.start_mark
            _positions(value_node, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _positions(item, (*path, index), out)


_MESSAGES = {  # evaluated when an error is reported, in the user's language
    "missing": gettext_lazy("verplicht veld ontbreekt"),
    "extra_forbidden": gettext_lazy("onbekende sleutel"),
    "string_type": gettext_lazy("moet tekst zijn"),
    "int_type": gettext_lazy("moet een geheel getal zijn"),
    "int_parsing": gettext_lazy("moet een geheel getal zijn"),
    "int_from_float": gettext_lazy("moet een geheel getal zijn"),
    "float_type": gettext_lazy("moet een getal zijn"),
    "float_parsing": gettext_lazy("moet een getal zijn"),
    "bool_type": gettext_lazy("moet ja of nee zijn (true/false)"),
    "bool_parsing": gettext_lazy("moet ja of nee zijn (true/false)"),
    "list_type": gettext_lazy("moet een lijst zijn"),
    "dict_type": gettext_lazy("moet een verzameling sleutels met waarden zijn"),
    "model_type": gettext_lazy("moet een verzameling sleutels met waarden zijn"),
    "model_attributes_type": gettext_lazy("moet een verzameling sleutels met waarden zijn"),
    "date_type": gettext_lazy("moet een datum zijn (JJJJ-MM-DD)"),
    "date_parsing": gettext_lazy("moet een datum zijn (JJJJ-MM-DD)"),
    "date_from_datetime_parsing": gettext_lazy("moet een datum zijn (JJJJ-MM-DD)"),
    "set_type": gettext_lazy("moet een lijst zijn"),
}


def dutch_message(error: dict[str, Any]) -> str:
    """Translate one pydantic error into Dutch (or the active language)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _MESSAGES:
        return str(_MESSAGES[kind])
    if kind == "string_too_long":
        return _("tekst is te lang: maximaal %(n)s tekens") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("mag niet leeg zijn")
    if kind == "too_short":
        return _("moet minstens %(n)s onderdeel/onderdelen bevatten") % {"n": ctx.get("min_length")}
    if kind == "too_long":
        return _("mag hoogstens %(n)s onderdelen bevatten") % {"n": ctx.get("max_length")}
    if kind in {"literal_error", "enum"}:
        return _("ongeldige waarde %(value)s; kies uit: %(choices)s") % {
            "value": repr(error.get("input")),
            "choices": ctx.get("expected"),
        }
    if kind == "string_pattern_mismatch":
        return _("ongeldige waarde %(value)s (verwacht patroon %(pattern)s)") % {
            "value": repr(error.get("input")),
            "pattern": ctx.get("pattern"),
        }
    if kind in {"greater_than_equal", "greater_than"}:
        return _("moet minstens %(n)s zijn") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("mag hoogstens %(n)s zijn") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error", error.get("msg", "")))
    return str(error.get("msg", kind))


@dataclass
class ParsedFile(Generic[M]):
    """The outcome of reading one file: the validated model (or None) and every error."""

    filename: str
    data: Any = None
    model: M | None = None
    errors: list[FileError] = field(default_factory=list)
    positions: dict[Path, yaml.Mark] = field(default_factory=dict)

    def error_at(self, path: Path, message: str) -> None:
        """Record an error at `path`, or at the nearest enclosing element that has a position."""
        probe = tuple(path)
        while probe and probe not in self.positions:
            probe = probe[:-1]
        mark = self.positions.get(probe)
        self.errors.append(
            FileError(
                file=self.filename,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                key=format_path(path),
                message=message,
            )
        )

    @property
    def ok(self) -> bool:
        return not self.errors and self.model is not None


def parse(
    content: bytes | str, schema: type[M], filename: str, max_bytes: int = 2_000_000
) -> ParsedFile[M]:
    """Decode (UTF-8 only), parse YAML strictly and validate against `schema`."""
    result: ParsedFile[M] = ParsedFile(filename=filename)
    if isinstance(content, bytes):
        if len(content) > max_bytes:
            result.error_at(
                (), _("het bestand is te groot (meer dan %(kb)s kB)") % {"kb": max_bytes // 1000}
            )
            return result
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            column = exc.start - (content.rfind(b"\n", 0, exc.start) + 1) + 1
            result.errors.append(
                FileError(
                    filename,
                    line,
                    column,
                    "",
                    _(
                        "het bestand is niet in UTF-8 opgeslagen; sla het op als UTF-8 "
                        "(in de meeste teksteditors: Opslaan als, codering UTF-8)"
                    ),
                )
            )
            return result
    else:
        text = content
    text = text.removeprefix("\ufeff")

    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:
        # A control character (e.g. a binary file renamed .yaml) is refused before parsing.
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        result.errors.append(
            FileError(
                filename,
                line,
                column,
                "",
                _(
                    "het bestand bevat tekens die niet in een tekstbestand horen; "
                    "is het wel een YAML-bestand?"
                ),
            )
        )
        return result
    try:
        node = loader.get_single_node()
        if node is None:
            result.error_at((), _("het bestand is leeg"))
            return result
        _positions(node, (), result.positions)
        result.data = loader.construct_document(node)
    except AnchorRefused as exc:
        mark = exc.problem_mark
        result.errors.append(
            FileError(
                filename,
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                "",
                _(
                    "ankers (&naam) en verwijzingen (*naam) zijn niet toegestaan; schrijf de "
                    "waarden voluit"
                ),
            )
        )
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        result.errors.append(
            FileError(
                filename,
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                "",
                _("YAML-syntaxfout: %(problem)s") % {"problem": exc.problem or exc.context},
            )
        )
        return result
    except yaml.YAMLError as exc:
        result.errors.append(
            FileError(filename, None, None, "", _("YAML-fout: %(error)s") % {"error": exc})
        )
        return result
    finally:
        loader.dispose()

    for key, mark in loader.duplicates:
        result.errors.append(
            FileError(
                filename, mark.line + 1, mark.column + 1, str(key), _("sleutel komt dubbel voor")
            )
        )
    if not isinstance(result.data, dict):
        result.error_at((), _("het bestand moet beginnen met sleutels (zoals 'metadata:')"))
        return result
    try:
        result.model = schema.model_validate(result.data)
    except ValidationError as exc:
        for error in exc.errors():
            result.error_at(tuple(error["loc"]), dutch_message(dict(error)))
    return result

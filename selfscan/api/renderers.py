"""CSV for Power BI and Excel ("Gegevens ophalen uit web"): one header row of the API's field
names, one line per row, every text through the formula guard."""

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer

from selfscan.core.spreadsheets import safe_row


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):  # an error: {"detail": "..."}
            data = [data]
        rows = list(data or [])
        out = io.StringIO()
        out.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
        if rows:
            fields = list(rows[0].keys())
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(fields)
            for row in rows:
                writer.writerow(
                    safe_row(["" if row.get(f) is None else row.get(f) for f in fields])
                )
        return out.getvalue().encode("utf-8")
